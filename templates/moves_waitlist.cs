<?cs set:Page.title = L.Waitlist.title ?><?cs set:Page.id = "moves-waitlist" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<p class="crumbs"><a href="/queue/app/<?cs var:App.id ?>"><?cs var:L.Waitlist.to_app ?> <?cs var:App.number ?></a></p>
<h1 class="page-title"><?cs var:L.Waitlist.title ?></h1>
<p class="lead"><?cs var:L.Waitlist.lead ?></p>
<section class="card">
  <dl class="kv">
    <dt><?cs var:L.Waitlist.app ?></dt><dd><b class="app-number"><?cs var:App.number ?></b></dd>
    <dt><?cs var:L.Waitlist.child ?></dt><dd><?cs var:App.child ?></dd>
    <dt><?cs var:L.Waitlist.district ?></dt><dd><?cs var:App.district ?></dd>
    <dt><?cs var:L.Waitlist.year ?></dt><dd><?cs var:App.year ?>, <?cs var:L.Waitlist.lang[App.language] ?></dd>
  </dl>
</section>
<section class="card waitlists" aria-labelledby="wl-h">
  <h2 id="wl-h"><?cs var:L.Waitlist.on ?> (<span class="wl-count"><?cs var:subcount(Lists) ?></span> / <?cs var:ListMax ?>)</h2>
  <?cs if:subcount(Lists) > 0 ?>
  <div class="table-wrap">
  <table class="data wl-table">
    <thead><tr><th scope="col"><?cs var:L.Waitlist.col_ddo ?></th><th scope="col"><?cs var:L.Waitlist.col_since ?></th><th scope="col"><span class="visually-hidden"><?cs var:L.Waitlist.remove ?></span></th></tr></thead>
    <tbody>
    <?cs each:w = Lists ?>
      <tr data-ddo="<?cs var:w.id ?>"><td data-label="<?cs var:L.Waitlist.col_ddo ?>"><?cs var:w.name ?></td><td data-label="<?cs var:L.Waitlist.col_since ?>"><?cs var:w.since ?></td>
        <td data-label=""><?cs if:Queued ?><form method="post" action="/moves/waitlist/<?cs var:App.id ?>" class="inline"><?cs call:csrf() ?><input type="hidden" name="op" value="remove"><input type="hidden" name="ddo" value="<?cs var:w.id ?>"><button type="submit" class="btn btn-light"><?cs var:L.Waitlist.remove ?></button></form><?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs else ?><p class="muted"><?cs var:L.Waitlist.none ?></p><?cs /if ?>
  <?cs if:!Queued ?><p class="alert alert-warn" role="status"><?cs var:L.Waitlist.not_queued ?></p><?cs /if ?>
  <?cs if:CanAdd ?>
  <form method="post" action="/moves/waitlist/<?cs var:App.id ?>" class="wl-add">
    <?cs call:csrf() ?>
    <input type="hidden" name="op" value="add">
    <div class="field">
      <label for="ddo"><?cs var:L.Waitlist.add_label ?></label>
      <select id="ddo" name="ddo" required<?cs if:Errors.ddo ?> aria-invalid="true" aria-describedby="err-ddo"<?cs /if ?>>
        <option value=""><?cs var:L.Waitlist.choose ?></option>
        <?cs each:d = Choices ?><option value="<?cs var:d.id ?>"<?cs if:Query.ddo == d.id ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
      </select>
      <?cs call:err("ddo") ?>
    </div>
    <button type="submit" class="btn"><?cs var:L.Waitlist.add ?></button>
  </form>
  <?cs elif:Queued ?><p class="hint wl-full"><?cs var:L.Waitlist.full_hint ?></p><?cs call:err_alert("ddo") ?>
  <?cs else ?><?cs call:err_alert("ddo") ?><?cs /if ?>
  <p class="hint"><?cs var:L.Waitlist.order_hint ?></p>
</section>
<p class="actions"><a class="btn btn-light" href="/queue/app/<?cs var:App.id ?>"><?cs var:L.Waitlist.to_app ?> <?cs var:App.number ?></a> <a class="btn btn-light" href="/queue/my"><?cs var:L.Waitlist.to_my ?></a></p>
<?cs include:"layout/foot.cs" ?>
