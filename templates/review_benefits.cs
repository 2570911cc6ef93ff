<?cs set:Page.title = L.BenefitCheck.title ?><?cs set:Page.id = "review-benefits" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<?cs # «Подтверждение льгот»: the referrals of the reviewer's districts whose
       benefit awaits confirmation, oldest first (review.c benefits). ?>
<?cs include:"review_tabs.cs" ?>
<h1 class="page-title"><?cs var:L.BenefitCheck.title ?></h1>
<p class="lead"><?cs var:L.BenefitCheck.lead ?></p>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<h2><?cs var:L.BenefitCheck.pending ?> (<span class="pending-count"><?cs var:ReviewCount.benefits ?></span>)</h2>
<?cs each:b = Pending ?>
<article class="card benefit-check" id="benefit-<?cs var:b.id ?>">
  <h3><?cs var:b.ref.child.fio ?> — <?cs var:L.Decide.f.referral ?> <?cs var:b.ref.number ?></h3>
  <?cs call:ref_kv(b.ref) ?>
  <dl class="kv benefit-kv">
    <dt><?cs var:L.BenefitCheck.category ?></dt><dd class="benefit-category"><?cs var:b.category ?></dd>
    <dt><?cs var:L.Benefit.ground ?></dt><dd class="benefit-ground"><?cs var:b.ground ?><?cs if:b.law ?><br><small><?cs var:b.law ?></small><?cs /if ?></dd>
    <dt><?cs var:L.BenefitCheck.due ?></dt><dd class="benefit-due"><?cs var:b.due ?></dd>
  </dl>
  <h4><?cs var:L.BenefitCheck.documents ?></h4>
  <?cs call:docs(b.docs) ?>
  <form method="post" action="/review/benefits/<?cs var:b.id ?>" class="review-form">
    <?cs call:csrf() ?>
    <div class="field">
      <label for="comment-<?cs var:b.id ?>"><?cs var:L.Review.comment ?></label>
      <textarea id="comment-<?cs var:b.id ?>" name="comment" maxlength="1000" required<?cs if:ErrFor == b.id && Errors.comment ?> aria-invalid="true" aria-describedby="err-comment"<?cs /if ?>><?cs if:ErrFor == b.id ?><?cs var:Query.comment ?><?cs /if ?></textarea>
      <?cs if:ErrFor == b.id ?><?cs call:err("comment") ?><?cs call:err("decision") ?><?cs /if ?>
    </div>
    <div class="actions">
      <button type="submit" name="decision" value="confirm" class="btn"><?cs var:L.BenefitCheck.confirm ?></button>
      <button type="submit" name="decision" value="refuse" class="btn btn-danger"><?cs var:L.BenefitCheck.refuse ?></button>
    </div>
    <p class="hint"><?cs var:L.BenefitCheck.confirm_hint ?> <?cs var:L.BenefitCheck.refuse_hint ?></p>
  </form>
</article>
<?cs /each ?>
<?cs if:subcount(Pending) == 0 ?><p class="card muted no-pending"><?cs var:L.BenefitCheck.none ?></p><?cs /if ?>
<?cs include:"layout/foot.cs" ?>
