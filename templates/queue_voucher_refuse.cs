<?cs set:Page.title = L.Voucher.refuse_title ?><?cs set:Page.id = "queue-voucher-refuse" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Voucher.refuse_title ?></h1>
<?cs if:App.voucher.live ?>
<section class="card" id="voucher">
  <dl class="kv">
    <dt><?cs var:L.Queue.number ?></dt><dd><b><?cs var:App.number ?></b></dd>
    <dt><?cs var:L.Queue.child_full ?></dt><dd><?cs var:App.surname ?> <?cs var:App.name ?> <?cs var:App.patronymic ?></dd>
    <dt><?cs var:L.Offer.ddo ?></dt><dd class="offer-ddo"><?cs var:App.voucher.ddo ?></dd>
  </dl>
</section>
<div class="warning-box" role="alert"><?cs var:L.Voucher.refuse_text ?></div>
<form method="post" action="/queue/voucher/<?cs var:App.id ?>/refuse" class="actions">
  <?cs call:csrf() ?>
  <button class="btn-danger" type="submit"><?cs var:L.Voucher.refuse_confirm ?></button>
  <a class="btn btn-light" href="/queue/app/<?cs var:App.id ?>"><?cs var:L.Voucher.keep ?></a>
</form>
<?cs else ?>
<p class="alert alert-warn" role="alert"><?cs var:L.Voucher.err_not_pending ?></p>
<p class="actions"><a class="btn btn-light" href="/queue/my"><?cs var:L.Queue.to_my ?></a></p>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
