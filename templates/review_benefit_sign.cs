<?cs set:Page.title = L.BenefitCheck.title ?><?cs set:Page.id = "review-benefit-sign" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<?cs # The benefit decision's text to sign (review.c benefit_confirm_render). ?>
<p class="crumbs"><a href="/review/benefits"><?cs var:L.BenefitCheck.title ?></a></p>
<h1 class="page-title"><?cs if:Decision == "confirm" ?><?cs var:L.BenefitCheck.confirm ?><?cs else ?><?cs var:L.BenefitCheck.refuse ?><?cs /if ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card benefit-check">
  <?cs call:ref_kv(Benefit.ref) ?>
  <dl class="kv">
    <dt><?cs var:L.BenefitCheck.category ?></dt><dd><?cs var:Benefit.category ?></dd>
    <dt><?cs var:L.Benefit.ground ?></dt><dd><?cs var:Benefit.ground ?></dd>
    <dt><?cs var:L.Review.comment ?></dt><dd class="comment-text"><?cs var:Comment ?></dd>
  </dl>
  <p class="hint"><?cs if:Decision == "confirm" ?><?cs var:L.BenefitCheck.confirm_hint ?><?cs else ?><?cs var:L.BenefitCheck.refuse_hint ?><?cs /if ?></p>
  <?cs call:review_sign("/review/benefits/" + Benefit.id, "/review/benefits#benefit-" + Benefit.id, Decision == "refuse") ?>
</section>
<?cs include:"layout/foot.cs" ?>
