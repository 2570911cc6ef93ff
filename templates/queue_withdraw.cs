<?cs set:Page.title = L.Queue.withdraw_title ?><?cs set:Page.id = "queue-withdraw" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Queue.withdraw_title ?></h1>
<section class="card">
  <dl class="kv">
    <dt><?cs var:L.Queue.number ?></dt><dd><b><?cs var:App.number ?></b></dd>
    <dt><?cs var:L.Queue.child_full ?></dt><dd><?cs var:App.surname ?> <?cs var:App.name ?> <?cs var:App.patronymic ?></dd>
    <dt><?cs var:L.Queue.district ?></dt><dd><?cs var:App.district ?></dd>
    <dt><?cs var:L.Queue.group_year ?></dt><dd><?cs var:App.group_year ?></dd>
    <dt><?cs var:L.Queue.queued_at ?></dt><dd><?cs var:App.queued_at ?></dd>
    <dt><?cs var:L.Queue.status_label ?></dt><dd><?cs var:L.Queue.status[App.status] ?></dd>
  </dl>
</section>
<?cs if:App.status == "queued" ?>
<div class="warning-box" role="alert"><?cs var:L.Queue.withdraw_warn ?></div>
<form method="post" action="/queue/withdraw/<?cs var:App.id ?>" class="actions">
  <?cs call:csrf() ?>
  <button class="btn-danger" type="submit"><?cs var:L.Queue.withdraw_confirm ?></button>
  <a class="btn btn-light" href="/queue/my"><?cs var:L.Queue.cancel ?></a>
</form>
<?cs else ?>
<p class="alert alert-warn" role="alert"><?cs var:L.Queue.withdraw_not_queued ?></p>
<p class="actions"><a class="btn btn-light" href="/queue/my"><?cs var:L.Queue.to_my ?></a></p>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
