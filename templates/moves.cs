<?cs set:Page.title = L.TransferUi.title ?><?cs set:Page.id = "moves" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.TransferUi.title ?></h1>
<p class="lead"><?cs var:L.TransferUi.lead ?></p>
<?cs if:subcount(Enrolled) == 0 ?><p class="notice"><?cs var:L.TransferUi.none ?></p><?cs /if ?>
<?cs each:e = Enrolled ?>
<section class="card enrolled-child" data-app="<?cs var:e.id ?>" aria-labelledby="ch-<?cs var:e.id ?>">
  <h2 id="ch-<?cs var:e.id ?>"><?cs var:e.child ?></h2>
  <dl class="kv">
    <dt><?cs var:L.TransferUi.app ?></dt><dd><b><?cs var:e.number ?></b></dd>
    <dt><?cs var:L.TransferUi.ddo ?></dt><dd class="current-ddo"><?cs var:e.ddo ?></dd>
    <dt><?cs var:L.TransferUi.year ?></dt><dd><?cs var:e.year ?>, <?cs var:L.Waitlist.lang[e.language] ?></dd>
  </dl>
  <h3><?cs var:L.TransferUi.transfer ?></h3>
  <?cs if:e.request.id ?>
  <p class="transfer-pending" role="status"><?cs var:L.TransferUi.pending ?> <a href="/queue/app/<?cs var:e.request.id ?>"><b><?cs var:e.request.number ?></b></a> — <?cs var:L.Queue.status[e.request.status] ?>. <?cs var:L.TransferUi.pending_hint ?></p><?cs if:e.errors ?><?cs call:err_alert("ddo1") ?><?cs /if ?>
  <?cs else ?>
  <form method="post" action="/moves/transfer/<?cs var:e.id ?>" class="transfer-form">
    <?cs call:csrf() ?>
    <?cs if:e.errors ?><?cs call:form_errors() ?><?cs /if ?>
    <?cs loop:k = 1, 3, 1 ?>
    <div class="field">
      <label for="t<?cs var:e.id ?>-<?cs var:k ?>"><?cs var:L.TransferUi.choice ?> <?cs var:k ?></label>
      <select id="t<?cs var:e.id ?>-<?cs var:k ?>" name="ddo<?cs var:k ?>"<?cs if:k == 1 && e.errors && Errors.ddo1 ?> aria-invalid="true" aria-describedby="err-ddo1"<?cs /if ?>>
        <option value=""><?cs var:L.TransferUi.none_choice ?></option>
        <?cs each:d = e.choices ?><option value="<?cs var:d.id ?>"><?cs var:d.name ?></option><?cs /each ?>
      </select>
      <?cs if:k == 1 && e.errors ?><?cs call:err("ddo1") ?><?cs /if ?>
    </div>
    <?cs /loop ?>
    <button type="submit" class="btn"><?cs var:L.TransferUi.apply ?></button>
    <p class="hint"><?cs var:L.TransferUi.hint ?></p>
  </form>
  <?cs /if ?>
  <h3><?cs var:L.ExchangeUi.title ?></h3>
  <form method="post" action="/moves/propose/<?cs var:e.id ?>" class="exchange-form">
    <?cs call:csrf() ?>
    <div class="field">
      <label for="x<?cs var:e.id ?>"><?cs var:L.ExchangeUi.number ?></label>
      <input type="text" id="x<?cs var:e.id ?>" name="number" maxlength="40" autocomplete="off" placeholder="UO.2025.000001.1"<?cs if:e.errors ?> value="<?cs var:Query.number ?>"<?cs if:Errors.number ?> aria-invalid="true" aria-describedby="err-number"<?cs /if ?><?cs /if ?>>
      <?cs if:e.errors ?><?cs call:err("number") ?><?cs /if ?>
    </div>
    <button type="submit" class="btn btn-light"><?cs var:L.ExchangeUi.propose ?></button>
    <p class="hint"><?cs var:L.ExchangeUi.hint ?></p>
  </form>
</section>
<?cs /each ?>
<?cs if:subcount(Exchanges) > 0 ?>
<h2 id="exchanges"><?cs var:L.ExchangeUi.list ?></h2>
<div class="table-wrap">
<table class="data my-exchanges">
  <thead><tr><th scope="col"><?cs var:L.ExchangeUi.col_a ?></th><th scope="col"><?cs var:L.ExchangeUi.col_b ?></th><th scope="col"><?cs var:L.ExchangeUi.col_date ?></th><th scope="col"><?cs var:L.ExchangeUi.col_status ?></th><th scope="col"><?cs var:L.ExchangeUi.col_actions ?></th></tr></thead>
  <tbody>
  <?cs each:x = Exchanges ?>
    <tr data-exchange="<?cs var:x.id ?>" class="ex-<?cs var:x.status ?>">
      <td data-label="<?cs var:L.ExchangeUi.col_a ?>"><?cs var:x.numberA ?><br><small><?cs var:x.childA ?>, <?cs var:x.ddoA ?></small></td>
      <td data-label="<?cs var:L.ExchangeUi.col_b ?>"><?cs var:x.numberB ?><br><small><?cs var:x.childB ?>, <?cs var:x.ddoB ?></small></td>
      <td data-label="<?cs var:L.ExchangeUi.col_date ?>"><?cs var:x.date ?></td>
      <td data-label="<?cs var:L.ExchangeUi.col_status ?>"><span class="ex-status"><?cs var:L.ExchangeUi.status[x.status] ?></span></td>
      <td data-label="<?cs var:L.ExchangeUi.col_actions ?>">
        <?cs if:x.status == "proposed" && x.mineB ?><form method="post" action="/moves/exchange/<?cs var:x.id ?>/agree" class="inline"><?cs call:csrf() ?><button type="submit" class="btn btn-ok"><?cs var:L.ExchangeUi.agree ?></button></form><?cs /if ?>
        <?cs if:x.status == "proposed" || x.status == "agreed" ?><form method="post" action="/moves/exchange/<?cs var:x.id ?>/cancel" class="inline"><?cs call:csrf() ?><button type="submit" class="btn btn-light"><?cs var:L.ExchangeUi.cancel ?></button></form><?cs /if ?>
      </td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<p class="actions"><a class="btn btn-light" href="/queue/my"><?cs var:L.Waitlist.to_my ?></a></p>
<?cs include:"layout/foot.cs" ?>
