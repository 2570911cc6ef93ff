<?cs set:Page.title = L.Search.title ?><?cs set:Page.id = "search" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"queue/pos.cs" ?>
<h1 class="page-title"><?cs var:L.Search.title ?></h1>
<p class="lead"><?cs var:L.Search.lead ?></p>
<form class="form search-form" method="get" action="/queue/search" role="search">
  <div class="field">
    <label for="q"><?cs var:L.Search.q ?></label>
    <div class="iin-row">
      <input type="search" id="q" name="q" value="<?cs var:Query.q ?>" maxlength="40" autocomplete="off" placeholder="UO.2026.000011.1"<?cs if:Errors.q ?> aria-invalid="true" aria-describedby="err-q"<?cs /if ?>>
      <button type="submit"><?cs var:L.Search.submit ?></button>
    </div>
    <?cs call:err_alert("q") ?>
  </div>
</form>
<?cs if:Search.limited ?>
<p class="alert alert-error" role="alert"><?cs if:Search.limited == "all" ?><?cs var:L.Abuse.search_all ?><?cs else ?><?cs var:L.Search.limited ?><?cs /if ?></p>
<?cs elif:Search.none ?>
<p class="alert alert-warn search-none" role="status"><?cs if:Search.none == "number" ?><?cs var:L.Search.none_number ?><?cs else ?><?cs var:L.Search.none_iin ?><?cs /if ?></p>
<?cs elif:Found.number ?>
<section class="card search-result">
  <h2><?cs var:L.Search.result ?></h2>
  <dl class="kv">
    <dt><?cs var:L.Queue.number ?></dt><dd><b class="app-number"><?cs var:Found.number ?></b></dd>
    <dt><?cs var:L.Search.child ?></dt><dd class="masked"><?cs var:Found.child ?></dd>
    <dt><?cs var:L.Search.iin ?></dt><dd class="masked"><?cs var:Found.iin ?></dd>
    <dt><?cs var:L.Queue.queued_at ?></dt><dd><?cs var:Found.queued_at ?></dd>
    <dt><?cs var:L.Search.district ?></dt><dd><?cs var:Found.district ?></dd>
    <dt><?cs var:L.Queue.group_year ?></dt><dd><?cs var:Found.group_year ?></dd>
    <dt><?cs var:L.Queue.language ?></dt><dd><?cs var:L.Queue.lang[Found.language] ?></dd>
    <dt><?cs var:L.Queue.benefit ?></dt><dd><?cs var:L.Benefit.cat[Found.benefit] ?></dd>
    <dt><?cs var:L.Queue.status_label ?></dt><dd><?cs var:L.Queue.status[Found.status] ?></dd>
  </dl>
  <h3><?cs var:L.Queue.position ?></h3>
  <?cs call:queue_pos(Pos, Found.benefit) ?>
  <p class="hint"><?cs var:L.Search.privacy ?></p>
</section>
<?cs include:"queue/hist.cs" ?><?cs if:Hist.shown ?><?cs call:queue_hist(Hist) ?><?cs else ?><?cs call:queue_hist_link(Found.number) ?><?cs /if ?>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
