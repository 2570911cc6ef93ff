<?cs set:Page.title = L.Enroll.title ?><?cs set:Page.id = "enroll" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Enroll.title ?></h1>
<p class="lead"><?cs var:L.Enroll.lead ?></p>
<div class="warning-box" role="note"><?cs var:L.Enroll.warning ?></div>
<section class="card enroll-intro" aria-labelledby="about-h">
  <h2 id="about-h"><?cs var:L.Enroll.about_title ?></h2>
  <p><?cs var:L.Enroll.about ?></p>
  <h2><?cs var:L.Enroll.steps_title ?></h2>
  <ol class="steps">
    <li><?cs var:L.Enroll.step1 ?></li>
    <li><?cs var:L.Enroll.step2 ?></li>
    <li><?cs var:L.Enroll.step3 ?></li>
    <li><?cs var:L.Enroll.step4 ?></li>
    <li><?cs var:L.Enroll.step5 ?></li>
  </ol>
  <p class="notice"><?cs var:L.Enroll.quality ?></p>
  <form method="post" action="/enroll/ok" class="form confirm-form">
    <?cs call:csrf() ?>
    <?cs call:form_errors() ?>
    <div class="field">
      <label class="check"><input type="checkbox" name="read" value="1" required<?cs if:Errors.read ?> aria-invalid="true" aria-describedby="err-read"<?cs /if ?>> <?cs var:L.Enroll.read ?></label>
      <?cs call:err("read") ?>
    </div>
    <div class="actions"><button type="submit" class="btn btn-ok"><?cs var:L.Enroll.ok ?></button></div>
  </form>
</section>
<?cs include:"layout/foot.cs" ?>
