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
  <p><?cs var:L.Decide.check_text ?></p>
  <pre class="sign-text"><?cs var:Sign.text ?></pre>
  <form method="post" action="/review/benefits/<?cs var:Benefit.id ?>" class="review-sign" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:Sign.challenge ?>"<?cs call:eds_msgs() ?>>
    <?cs call:csrf() ?>
    <input type="hidden" name="decision" value="<?cs var:Decision ?>">
    <input type="hidden" name="comment" value="<?cs var:Comment ?>">
    <input type="hidden" name="nonce" value="<?cs var:Sign.nonce ?>">
    <div class="actions">
      <button type="submit" class="btn<?cs if:Decision == "refuse" ?> btn-danger<?cs /if ?>"><?cs var:L.Review.sign ?></button>
      <a class="btn btn-light" href="/review/benefits#benefit-<?cs var:Benefit.id ?>"><?cs var:L.Review.cancel ?></a>
      <span class="eds-status" data-eds-status role="status"></span>
    </div>
  </form>
</section>
<?cs include:"layout/foot.cs" ?>
