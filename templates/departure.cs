<?cs set:Page.title = L.Departure.title ?><?cs set:Page.id = "departure" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<p class="crumbs"><a href="/cabinet#enrolled"><?cs var:L.Cabinet.enrolled ?></a></p>
<h1 class="page-title"><?cs var:L.Departure.title ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card departure-card">
  <?cs if:En.departed ?>
  <div class="alert alert-ok departure-done" role="status"><?cs var:L.Departure.done ?></div>
  <dl class="kv">
    <dt><?cs var:L.Departure.iin ?></dt><dd><?cs var:En.iin ?></dd>
    <dt><?cs var:L.Departure.fio ?></dt><dd><?cs var:En.fio ?></dd>
    <dt><?cs var:L.Decide.f.ddo ?></dt><dd><?cs var:En.ddo ?></dd>
    <dt><?cs var:L.Decide.f.referral ?></dt><dd><?cs var:En.ref ?></dd>
    <dt><?cs var:L.Departure.date ?></dt><dd class="departed-on"><?cs var:En.departedOn ?></dd>
    <dt><?cs var:L.Departure.reason ?></dt><dd><?cs var:En.reason ?></dd>
    <dt><?cs var:L.Departure.marked ?></dt><dd><?cs var:En.departedAt ?></dd>
  </dl>
  <?cs call:note(L.Departure.note) ?>
  <div class="actions">
    <a class="btn" href="/places"><?cs var:L.Departure.add_places ?></a>
    <a class="btn btn-light" href="/cabinet#enrolled"><?cs var:L.Departure.back ?></a>
  </div>
  <?cs elif:Step == "1" ?>
  <form method="post" action="/departure/<?cs var:En.id ?>" class="departure-form">
    <?cs call:csrf() ?>
    <?cs call:form_errors() ?>
    <div class="field"><label for="d-iin"><?cs var:L.Departure.iin ?>:</label><input type="text" id="d-iin" value="<?cs var:En.iin ?>" readonly></div>
    <div class="field"><label for="d-fio"><?cs var:L.Departure.fio ?>:</label><input type="text" id="d-fio" value="<?cs var:En.fio ?>" readonly></div>
    <div class="field">
      <label for="date"><?cs var:L.Departure.date ?>:</label>
      <input type="text" id="date" name="date" value="<?cs var:Query.date ?>" placeholder="<?cs var:L.Departure.date_placeholder ?>" maxlength="10" inputmode="numeric" autocomplete="off" required<?cs if:Errors.date ?> aria-invalid="true" aria-describedby="err-date"<?cs /if ?>>
      <?cs call:err("date") ?>
      <span class="hint"><?cs var:L.Departure.date_hint ?> <?cs var:En.enrolled ?> — <?cs var:Today ?></span>
    </div>
    <div class="field">
      <label for="reason"><?cs var:L.Departure.reason ?></label>
      <textarea id="reason" name="reason" maxlength="1000" required<?cs if:Errors.reason ?> aria-invalid="true" aria-describedby="err-reason"<?cs /if ?>><?cs var:Query.reason ?></textarea>
      <?cs call:err("reason") ?>
    </div>
    <div class="actions">
      <button type="submit" class="btn"><?cs var:L.Departure.sign ?></button>
      <a class="btn btn-light" href="/cabinet#enrolled"><?cs var:L.Departure.cancel ?></a>
    </div>
  </form>
  <?cs call:note(L.Departure.note) ?>
  <?cs else ?>
  <dl class="kv">
    <dt><?cs var:L.Departure.iin ?></dt><dd><?cs var:En.iin ?></dd>
    <dt><?cs var:L.Departure.fio ?></dt><dd><?cs var:En.fio ?></dd>
    <dt><?cs var:L.Departure.date ?></dt><dd><?cs var:Date ?></dd>
    <dt><?cs var:L.Departure.reason ?></dt><dd class="reason-text"><?cs var:Reason ?></dd>
  </dl>
  <p><?cs var:L.Decide.check_text ?></p>
  <pre class="sign-text"><?cs var:Sign.text ?></pre>
  <form method="post" action="/departure/<?cs var:En.id ?>" class="departure-sign" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:Sign.challenge ?>"<?cs call:eds_msgs() ?>>
    <?cs call:csrf() ?>
    <input type="hidden" name="date" value="<?cs var:Date ?>">
    <input type="hidden" name="reason" value="<?cs var:Reason ?>">
    <input type="hidden" name="nonce" value="<?cs var:Sign.nonce ?>">
    <div class="actions">
      <button type="submit" class="btn"><?cs var:L.Departure.sign ?></button>
      <a class="btn btn-light" href="/departure/<?cs var:En.id ?>"><?cs var:L.Departure.cancel ?></a>
      <span class="eds-status" data-eds-status role="status"></span>
    </div>
  </form>
  <?cs call:note(L.Departure.note) ?>
  <?cs /if ?>
</section>
<?cs include:"layout/foot.cs" ?>
