<?cs set:Page.title = L.Queue.app_title + " " + App.number ?><?cs set:Page.id = "queue-app" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"queue/pos.cs" ?>
<h1 class="page-title"><?cs if:Flash.text ?><?cs var:L.Queue.done ?><?cs else ?><?cs var:L.Queue.app_title ?> <?cs var:App.number ?><?cs /if ?></h1>
<section class="card confirm">
  <dl class="kv">
    <dt><?cs var:L.Queue.number ?></dt><dd><b class="app-number"><?cs var:App.number ?></b></dd>
    <dt><?cs var:L.Queue.queued_at ?></dt><dd><?cs var:App.queued_at ?></dd>
    <dt><?cs var:L.Queue.group_year ?></dt><dd><?cs var:App.group_year ?></dd>
    <dt><?cs var:L.Queue.child_full ?></dt><dd><?cs var:App.surname ?> <?cs var:App.name ?> <?cs var:App.patronymic ?> (<?cs var:App.child_iin ?>)</dd>
    <dt><?cs var:L.Queue.district ?></dt><dd><?cs var:App.district ?></dd>
    <dt><?cs var:L.Queue.language ?></dt><dd><?cs var:L.Queue.lang[App.language] ?></dd>
    <dt><?cs var:L.Queue.benefit ?></dt><dd><?cs var:L.Benefit.cat[App.benefit] ?><?cs if:App.ground ?>: <?cs var:L.Benefit.g[App.ground].name ?><br><small><?cs var:L.Benefit.ground ?>: <?cs var:L.Benefit.g[App.ground].law ?></small><?cs /if ?><?cs if:App.has_doc ?><br><small><?cs var:L.Queue.doc_attached ?></small><?cs /if ?></dd>
    <?cs if:App.ddo1 || App.ddo2 || App.ddo3 ?><dt><?cs var:L.Queue.ddos ?></dt><dd><ol class="plain"><?cs if:App.ddo1 ?><li><?cs var:App.ddo1 ?></li><?cs /if ?><?cs if:App.ddo2 ?><li><?cs var:App.ddo2 ?></li><?cs /if ?><?cs if:App.ddo3 ?><li><?cs var:App.ddo3 ?></li><?cs /if ?></ol></dd><?cs /if ?>
    <dt><?cs var:L.Queue.status_label ?></dt><dd><span class="badge <?cs if:App.status == "queued" ?>badge-blue<?cs elif:App.status == "archived" ?>badge-err<?cs else ?>badge-ok<?cs /if ?>"><?cs var:L.Queue.status[App.status] ?></span><?cs if:App.archive_reason ?> — <?cs var:L.Queue.archived[App.archive_reason] ?><?cs /if ?></dd>
    <?cs if:App.refusal.label ?><dt><?cs var:L.RefusalReason.label ?></dt><dd class="refusal-reason"><b class="reason-label"><?cs var:App.refusal.label ?></b><br><span class="reason-text"><?cs var:App.refusal.text ?></span><br><small><?cs var:App.refusal.ddo ?>, <?cs var:App.refusal.at ?></small></dd><?cs /if ?>
  </dl>
  <?cs if:App.benefitCheck.hint ?><div class="alert alert-warn benefit-pending" role="status"><b><?cs var:L.BenefitCheck.status ?></b> <?cs var:App.benefitCheck.until ?>. <?cs var:App.benefitCheck.hint ?></div><?cs /if ?>
  <?cs if:App.refusal.label ?><div class="alert alert-warn refusal-next" role="status"><b><?cs var:L.RefusalReason.next_title ?>.</b> <?cs var:L.RefusalReason.next ?></div><?cs /if ?>
</section>
<?cs include:"queue/offer.cs" ?><?cs call:offer_box(App) ?>
<?cs if:VoucherAlert ?><div class="alert alert-error" role="alert" id="voucher-alert"><?cs var:VoucherAlert ?></div><?cs /if ?><?cs include:"queue/voucher.cs" ?><?cs call:voucher_box(App) ?>
<section class="card">
  <h2><?cs var:L.Queue.position ?></h2>
  <?cs call:queue_pos(Pos, App.benefit) ?>
</section>
<?cs include:"queue/hist.cs" ?><?cs call:queue_hist(Hist) ?>
<p class="actions">
  <a class="btn" href="/queue/my"><?cs var:L.Queue.to_my ?></a>
  <a class="btn btn-light" href="/queue/search?q=<?cs var:url_escape(App.number) ?>"><?cs var:L.Queue.to_search ?></a>
  <?cs if:App.status == "queued" ?><a class="btn btn-light" href="/places/choose?application=<?cs var:App.id ?>"><?cs var:L.Life.my.choose ?></a><?cs /if ?>
  <a class="btn btn-light" href="/journal/<?cs var:App.id ?>"><?cs var:L.Life.my.journal ?></a>
  <?cs if:App.status == "queued" ?><a class="btn btn-light" href="/moves/waitlist/<?cs var:App.id ?>"><?cs var:L.Waitlist.link ?></a><?cs /if ?>
  <?cs if:App.status == "queued" ?><a class="btn btn-danger" href="/queue/withdraw/<?cs var:App.id ?>"><?cs var:L.Queue.withdraw ?></a><?cs /if ?>
</p>
<?cs include:"layout/foot.cs" ?>
