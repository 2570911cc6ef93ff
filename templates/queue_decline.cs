<?cs set:Page.title = L.Offer.decline_title ?><?cs set:Page.id = "queue-decline" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Offer.decline_title ?></h1>
<?cs if:App.offer.place ?>
<section class="card" id="offer">
  <dl class="kv">
    <dt><?cs var:L.Queue.number ?></dt><dd><b><?cs var:App.number ?></b></dd>
    <dt><?cs var:L.Queue.child_full ?></dt><dd><?cs var:App.surname ?> <?cs var:App.name ?> <?cs var:App.patronymic ?></dd>
    <dt><?cs var:L.Offer.ddo ?></dt><dd class="offer-ddo"><?cs var:App.offer.ddo ?></dd>
    <dt><?cs var:L.Offer.address ?></dt><dd><?cs var:App.offer.address ?></dd>
    <dt><?cs var:L.Offer.until ?></dt><dd class="offer-until"><?cs var:App.offer.until ?></dd>
  </dl>
</section>
<div class="warning-box" role="alert"><?cs var:L.Offer.decline_text ?></div>
<form method="post" action="/queue/offer/<?cs var:App.id ?>/decline" class="actions">
  <?cs call:csrf() ?>
  <button class="btn-danger" type="submit"><?cs var:L.Offer.decline_confirm ?></button>
  <a class="btn btn-light" href="/queue/my"><?cs var:L.Offer.keep ?></a>
</form>
<?cs else ?>
<p class="alert alert-warn" role="alert"><?cs var:L.Offer.no_offer ?></p>
<p class="actions"><a class="btn btn-light" href="/queue/my"><?cs var:L.Queue.to_my ?></a></p>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
