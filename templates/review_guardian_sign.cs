<?cs set:Page.title = L.Guardian.title ?><?cs set:Page.id = "review-guardian-sign" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<?cs # Step 2 of a decision on a guardian request: the text the reviewer
       signs with EDS (review.c guardian_sign_render). ?>
<?cs set:ReviewTab = "guardians" ?><?cs include:"review_tabs.cs" ?>
<p class="crumbs"><a href="/review/guardians"><?cs var:L.Guardian.title ?></a></p>
<h1 class="page-title"><?cs if:Decision == "confirm" ?><?cs var:L.Guardian.confirm ?><?cs else ?><?cs var:L.Guardian.refuse ?><?cs /if ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card guardian-request">
  <dl class="kv">
    <dt><?cs var:L.Guardian.child ?></dt><dd><?cs var:Request.child ?>, <?cs var:Request.childIin ?></dd>
    <dt><?cs var:L.Guardian.applicant ?></dt><dd><?cs var:Request.applicant ?></dd>
    <dt><?cs var:L.Guardian.decision ?></dt><dd class="comment-text"><?cs var:Comment ?></dd>
  </dl>
  <?cs call:review_sign("/review/guardians/" + Request.id, "/review/guardians#guardian-" + Request.id, Decision == "refuse") ?>
</section>
<?cs include:"layout/foot.cs" ?>
