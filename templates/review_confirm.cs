<?cs set:Page.title = L.Review.title ?><?cs set:Page.id = "review-confirm" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<p class="crumbs"><a href="/review"><?cs var:L.Review.title ?></a></p>
<h1 class="page-title"><?cs if:Decision == "confirm" ?><?cs var:L.Review.confirm ?><?cs else ?><?cs var:L.Review.reject ?><?cs /if ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card refusal">
  <?cs call:ref_kv(Refusal.ref) ?>
  <dl class="kv">
    <dt><?cs var:L.Review.reason ?></dt><dd><b class="reason-label"><?cs var:Refusal.reasonLabel ?></b><br><span class="reason-text"><?cs var:Refusal.reason ?></span></dd>
    <dt><?cs var:L.Review.comment ?></dt><dd class="comment-text"><?cs var:Comment ?></dd>
  </dl>
  <p class="hint"><?cs if:Decision == "confirm" ?><?cs var:L.Review.confirm_hint ?><?cs else ?><?cs var:L.Review.reject_hint ?><?cs /if ?></p>
  <?cs call:review_sign("/review/" + Refusal.id, "/review#refusal-" + Refusal.id, Decision == "confirm") ?>
</section>
<?cs include:"layout/foot.cs" ?>
