<?cs if:Error.busy ?><?cs set:Error.title = L.Busy.title ?><?cs /if ?><?cs set:Page.title = Error.title ?><?cs set:Page.id = "error" ?><?cs include:"layout/head.cs" ?>
<section class="error-page">
  <p class="error-code"><?cs var:Error.status ?></p>
  <h1 class="page-title"><?cs var:Error.title ?></h1>
  <p class="lead"><?cs var:Error.text ?></p>
  <p><?cs if:Error.login ?><a class="btn" href="/login?next=<?cs var:Page.pathEsc ?>"><?cs var:L.Error.login ?></a> <?cs /if ?><a class="btn btn-light" href="/"><?cs var:L.Error.back ?></a></p>
</section>
<?cs include:"layout/foot.cs" ?>
