<?cs set:Page.title = L.Places.choose_title ?><?cs set:Page.id = "places-choose" ?><?cs set:Page.scripts.0 = "/js/places.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # The citizen's choice of a place: their applications (no App), the
       records an application may take now (App), the confirmation of one
       (Confirm.open). ?>
<h1 class="page-title"><?cs var:L.Places.choose_title ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="choose-alert"><?cs var:Alert ?></div><?cs /if ?>

<?cs if:!App.id ?>
<h2><?cs var:L.Places.apps_title ?></h2>
<?cs if:subcount(Apps) == 0 ?><p class="notice"><?cs var:L.Places.apps_none ?> <a class="btn" href="/queue"><?cs var:L.Home.queue ?></a></p><?cs else ?>
<div class="table-wrap"><table class="data">
  <thead><tr><th scope="col"><?cs var:L.Places.app_number ?></th><th scope="col"><?cs var:L.Places.child ?></th><th scope="col"><?cs var:L.Places.year ?></th><th scope="col"><?cs var:L.Places.language ?></th><th scope="col"><?cs var:L.Places.status_app ?></th><th scope="col"></th></tr></thead>
  <tbody>
  <?cs each:a = Apps ?><tr>
    <td data-label="<?cs var:L.Places.app_number ?>"><?cs var:a.number ?></td><td data-label="<?cs var:L.Places.child ?>"><?cs var:a.child ?></td><td class="num" data-label="<?cs var:L.Places.year ?>"><?cs var:a.year ?></td><td data-label="<?cs var:L.Places.language ?>"><?cs var:a.lang ?></td>
    <td data-label="<?cs var:L.Places.status_app ?>"><?cs var:a.statusText ?></td>
    <td><?cs if:a.status == "queued" ?><a class="btn" href="/places/choose?application=<?cs var:a.id ?>"><?cs var:L.Places.choose ?></a><?cs /if ?></td>
  </tr><?cs /each ?>
  </tbody>
</table></div>
<?cs /if ?>
<?cs else ?>
<section class="card" aria-label="<?cs var:L.Places.app_number ?>">
  <dl class="kv">
    <dt><?cs var:L.Places.app_number ?></dt><dd><?cs var:App.number ?></dd>
    <dt><?cs var:L.Places.child ?></dt><dd><?cs var:App.child ?></dd>
    <dt><?cs var:L.Places.district ?></dt><dd><?cs var:App.district ?></dd>
    <dt><?cs var:L.Places.year ?></dt><dd><?cs var:App.year ?></dd>
    <dt><?cs var:L.Places.language ?></dt><dd><?cs var:App.lang ?></dd>
    <dt><?cs var:L.Places.benefit ?></dt><dd id="app-benefit"><?cs var:L.Benefit.cat[App.benefitCat] ?></dd>
    <dt><?cs var:L.Places.status_app ?></dt><dd id="app-status"><?cs var:App.statusText ?></dd>
  </dl>
  <?cs if:App.referral.id ?><p><a class="btn" href="/places/referral/<?cs var:App.referral.id ?>"><?cs var:L.Places.see_referral ?> № <?cs var:App.referral.number ?></a></p><?cs /if ?>
</section>

<?cs if:Confirm.open ?>
<section class="card confirm" id="confirm" aria-labelledby="confirm-title">
  <h2 id="confirm-title"><?cs var:L.Places.confirm_choice_title ?></h2>
  <p><?cs var:L.Places.confirm_choice_lead ?></p>
  <dl class="kv">
    <dt><?cs var:L.Places.ddo ?></dt><dd id="confirm-ddo"><?cs var:Rec.name ?></dd>
    <dt><?cs var:L.Places.address ?></dt><dd><?cs var:Rec.address ?></dd>
    <dt><?cs var:L.Places.col_kind ?></dt><dd><?cs var:Rec.kind ?></dd>
    <dt><?cs var:L.Places.year ?></dt><dd><?cs var:Rec.year ?></dd>
    <dt><?cs var:L.Places.language ?></dt><dd><?cs var:Rec.lang ?></dd>
    <dt><?cs var:L.Places.col_free ?></dt><dd><?cs var:Rec.freeText ?></dd>
    <dt><?cs var:L.Places.deadline ?></dt><dd id="confirm-deadline"><?cs var:Confirm.deadline ?></dd>
  </dl>
  <p class="warning-box"><?cs var:Confirm.warning ?></p>
  <?cs if:Confirm.benefit ?><p class="warning-box benefit-pending" id="confirm-benefit"><b><?cs var:L.BenefitCheck.status ?>.</b> <?cs var:Confirm.benefit ?></p><?cs /if ?>
  <form method="post" action="/places/choose" class="actions">
    <?cs call:csrf() ?>
    <input type="hidden" name="application" value="<?cs var:App.id ?>">
    <input type="hidden" name="place" value="<?cs var:Rec.id ?>">
    <button class="btn btn-ok" type="submit" data-once><?cs var:L.Places.confirm_choice ?></button>
    <a class="btn btn-light" href="/places/choose?application=<?cs var:App.id ?>"><?cs var:L.Places.cancel ?></a>
  </form>
</section>
<?cs elif:Refused ?>
<?cs if:App.status == "queued" ?><p><a class="btn" id="choose-again" href="/places/choose?application=<?cs var:App.id ?>"><?cs var:L.Places.choose_other ?></a></p><?cs /if ?>
<?cs elif:App.status == "queued" ?>
<p class="lead"><?cs var:L.Places.choose_lead ?></p>
<?cs if:Waiting.text ?><p class="alert alert-warn" id="waiting-info"><?cs var:Waiting.text ?></p><?cs /if ?>
<?cs if:Voucher.text ?><p class="alert alert-warn" id="voucher-info"><?cs var:Voucher.text ?></p><?cs /if ?>
<?cs if:ChoicesCount == 0 ?><p class="notice" id="no-choices"><?cs var:L.Places.choices_none ?></p><?cs else ?>
<div class="table-wrap"><table class="data choices">
  <thead><tr><th scope="col"><?cs var:L.Places.col_name ?></th><th scope="col"><?cs var:L.Places.address ?></th><th scope="col"><?cs var:L.Places.col_kind ?></th><th scope="col"><?cs var:L.Places.col_year ?></th><th scope="col"><?cs var:L.Places.col_lang ?></th><th scope="col"><?cs var:L.Places.col_free ?></th><th scope="col"><?cs var:L.Places.col_status ?></th><th scope="col"></th></tr></thead>
  <tbody>
  <?cs each:c = Choices ?><tr data-place="<?cs var:c.id ?>">
    <td data-label="<?cs var:L.Places.col_name ?>"><?cs var:c.name ?></td><td data-label="<?cs var:L.Places.address ?>"><?cs var:c.address ?></td><td data-label="<?cs var:L.Places.col_kind ?>"><?cs var:c.kind ?></td><td class="num" data-label="<?cs var:L.Places.col_year ?>"><?cs var:c.year ?></td><td data-label="<?cs var:L.Places.col_lang ?>"><?cs var:c.lang ?></td>
    <td data-label="<?cs var:L.Places.col_free ?>"><?cs var:c.freeText ?></td>
    <td data-label="<?cs var:L.Places.col_status ?>"><span class="badge <?cs if:c.status == "waiting" ?>badge-warn<?cs else ?>badge-ok<?cs /if ?>"><?cs var:c.status_text ?></span><?cs if:c.window ?><br><small><?cs var:c.window ?></small><?cs /if ?></td>
    <td><a class="btn" href="/places/choose/confirm?application=<?cs var:App.id ?>&amp;place=<?cs var:c.id ?>"><?cs var:L.Places.take ?></a></td>
  </tr><?cs /each ?>
  </tbody>
</table></div>
<?cs /if ?>
<?cs /if ?>
<p><a href="/places/choose"><?cs var:L.Places.back_to_apps ?></a></p>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
