<?cs set:Page.title = L.Login.title ?><?cs set:Page.id = "login" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs def:next_field() ?><?cs if:Login.next ?><input type="hidden" name="next" value="<?cs var:Login.next ?>"><?cs /if ?><?cs /def ?>
<h1 class="page-title"><?cs var:L.Login.title ?></h1>
<?cs if:Login.expired ?><div class="alert alert-warn" role="status"><?cs var:Login.expired ?></div><?cs /if ?>
<?cs if:User.loggedIn ?><div class="notice"><?cs var:L.Login.already ?> <b><?cs var:User.name ?></b></div><?cs /if ?>
<div class="login-box">
<nav class="tabs login-tabs" aria-label="<?cs var:L.Login.ways ?>">
  <a href="<?cs var:Login.href.iin ?>"<?cs if:Login.tab == "iin" ?> aria-current="page"<?cs /if ?>><?cs var:L.Login.tab_iin ?></a>
  <a href="<?cs var:Login.href.eds ?>"<?cs if:Login.tab == "eds" ?> aria-current="page"<?cs /if ?>><?cs var:L.Login.tab_eds ?></a>
  <a href="<?cs var:Login.href.otp ?>"<?cs if:Login.tab == "otp" ?> aria-current="page"<?cs /if ?>><?cs var:L.Login.tab_otp ?></a>
</nav>
<?cs if:Msg.error ?><div class="alert alert-error" role="alert" id="login-error"><?cs var:Msg.error ?></div><?cs /if ?>
<?cs if:Msg.info ?><div class="notice" role="status" id="login-info"<?cs if:Msg.wait ?> data-countdown="<?cs var:Msg.wait ?>" data-countdown-text="<?cs var:L.Otp.wait ?>" data-countdown-done="<?cs var:L.Otp.wait_over ?>" data-countdown-button="otp-resend"<?cs /if ?>><?cs var:Msg.info ?></div><?cs /if ?>

<?cs if:Login.tab == "iin" ?>
<form class="form login-form" method="post" action="/login/password" id="form-iin">
  <?cs call:csrf() ?><?cs call:next_field() ?>
  <p class="lead"><?cs var:L.Login.iin_lead ?></p>
  <div class="field">
    <label for="iin"><?cs var:L.Login.iin ?></label>
    <input type="text" id="iin" name="iin" inputmode="numeric" autocomplete="username" maxlength="12" value="<?cs var:Query.iin ?>"<?cs if:Errors.iin ?> aria-invalid="true" aria-describedby="err-iin"<?cs /if ?> required>
    <?cs call:err("iin") ?>
  </div>
  <div class="field">
    <label for="password"><?cs var:L.Login.password ?></label>
    <input id="password" name="password" type="password" autocomplete="current-password" maxlength="128"<?cs if:Errors.password ?> aria-invalid="true" aria-describedby="err-password"<?cs elif:Msg.error ?> aria-invalid="true" aria-describedby="login-error"<?cs /if ?> required>
    <?cs call:err("password") ?>
  </div>
  <div class="actions"><button type="submit"><?cs var:L.Login.submit ?></button></div>
  <details class="login-help">
    <summary><?cs var:L.Login.no_password ?></summary>
    <p><?cs var:L.Login.no_password_text ?></p>
    <ul>
      <li><?cs var:L.Login.req_names ?></li>
      <li><?cs var:L.Login.req_address ?></li>
      <li><?cs var:L.Login.req_phone ?></li>
      <li><?cs var:L.Login.req_site ?></li>
      <li><?cs var:L.Login.req_kind ?></li>
      <li><?cs var:L.Login.req_owner_iin ?></li>
      <li><?cs var:L.Login.req_owner_phone ?></li>
      <li><?cs var:L.Login.req_owner_email ?></li>
    </ul>
    <p><?cs var:L.Site.support ?>: <a href="tel:<?cs var:Site.SupportPhone ?>"><?cs var:Site.SupportPhone ?></a></p>
  </details>
</form>

<?cs elif:Login.tab == "eds" ?>
<div class="form login-form" id="panel-eds">
  <div class="warning-box"><b><?cs var:L.Login.important ?></b> <?cs var:L.Login.warn_ncalayer ?></div>
  <?cs if:Login.eds.iin ?>
  <h2><?cs var:L.Login.eds_owner ?></h2>
  <dl class="kv" id="eds-owner">
    <dt><?cs var:L.Login.iin ?></dt><dd id="eds-iin"><?cs var:Login.eds.iin ?></dd>
    <dt><?cs var:L.Login.fio ?></dt><dd id="eds-name"><?cs var:Login.eds.name ?></dd>
    <?cs if:Login.eds.org ?><dt><?cs var:L.Login.org ?></dt><dd><?cs var:Login.eds.org ?></dd><?cs /if ?>
  </dl>
  <?cs if:Login.eds.new ?><p class="notice"><?cs var:L.Login.eds_new_account ?></p><?cs /if ?>
  <div class="actions">
    <form method="post" action="/login/eds/confirm" class="inline">
      <?cs call:csrf() ?><?cs call:next_field() ?>
      <button type="submit" id="eds-confirm"><?cs var:L.Login.submit ?></button>
    </form>
    <form method="post" action="/login/eds/cancel" class="inline">
      <?cs call:csrf() ?><?cs call:next_field() ?>
      <button type="submit" class="btn-light" id="eds-cancel"><?cs var:L.Login.cancel ?></button>
    </form>
  </div>
  <?cs else ?>
  <form method="post" action="/login/eds" id="form-eds" data-eds data-eds-purpose="auth"
        data-eds-challenge="<?cs var:Login.sign.challenge ?>">
    <?cs call:csrf() ?><?cs call:next_field() ?>
    <input type="hidden" name="nonce" value="<?cs var:Login.sign.nonce ?>">
    <p class="lead"><?cs var:L.Login.eds_lead ?></p>
    <fieldset>
      <legend><?cs var:L.Login.storage ?></legend>
      <label class="radio"><input type="radio" name="eds_storage" value="PKCS12" checked> <?cs var:L.Login.storage_pc ?></label>
      <label class="radio"><input type="radio" name="eds_storage" value="AKKZIDCardStore"> <?cs var:L.Login.storage_idcard ?></label>
      <label class="radio"><input type="radio" name="eds_storage" value="AKKaztokenStore"> <?cs var:L.Login.storage_kaztoken ?></label>
    </fieldset>
    <div class="actions"><button type="submit" id="eds-choose"><?cs var:L.Login.choose_cert ?></button></div>
    <span class="eds-status" data-eds-status aria-live="polite"
          data-msg-working="<?cs var:L.Eds.working ?>" data-msg-not-running="<?cs var:L.Eds.not_running ?>"
          data-msg-cancelled="<?cs var:L.Eds.cancelled ?>" data-msg-wrong-key="<?cs var:L.Login.eds_wrong_key ?>"
          data-msg-failed="<?cs var:L.Eds.failed ?>"></span>
  </form>
  <?cs /if ?>
  <div class="warning-box"><b><?cs var:L.Login.attention ?></b> <?cs var:L.Login.warn_person_key ?></div>
</div>

<?cs else ?>
<div class="form login-form" id="panel-otp">
  <?cs if:Login.otp.step == "code" ?>
  <form method="post" action="/login/otp/code" id="form-code">
    <?cs call:csrf() ?><?cs call:next_field() ?>
    <p class="notice" id="otp-sent"><?cs var:Login.otp.sent_text ?></p>
    <div class="field">
      <label for="code"><?cs var:L.Login.code ?></label>
      <input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"<?cs if:Errors.code ?> aria-invalid="true" aria-describedby="err-code"<?cs elif:Msg.error ?> aria-invalid="true" aria-describedby="login-error"<?cs /if ?> required>
      <?cs call:err("code") ?>
    </div>
    <div class="actions"><button type="submit"><?cs var:L.Login.submit ?></button></div>
  </form>
  <form method="post" action="/login/otp/resend" class="otp-resend" id="form-resend">
    <?cs call:csrf() ?><?cs call:next_field() ?>
    <button type="submit" class="btn-light" id="otp-resend"><?cs var:L.Login.resend ?></button>
    <?cs if:Login.otp.wait > 0 && !Msg.info ?><span class="hint" id="otp-wait" data-countdown="<?cs var:Login.otp.wait ?>" data-countdown-text="<?cs var:L.Login.otp_resend_in ?>" data-countdown-button="otp-resend"><?cs var:Login.otp.wait_text ?></span><?cs /if ?>
    <a href="<?cs var:Login.href.otp ?>&amp;step=phone"><?cs var:L.Login.change_phone ?></a>
  </form>
  <?cs else ?>
  <form method="post" action="/login/otp" id="form-otp">
    <?cs call:csrf() ?><?cs call:next_field() ?>
    <p class="lead"><?cs var:L.Login.otp_lead ?></p>
    <div class="field">
      <label for="phone"><?cs var:L.Login.phone ?></label>
      <input id="phone" name="phone" type="tel" autocomplete="tel" maxlength="20" placeholder="+7 7__ ___ __ __" value="<?cs var:Query.phone ?>"<?cs if:Errors.phone ?> aria-invalid="true" aria-describedby="err-phone"<?cs /if ?> required>
      <?cs call:err("phone") ?>
    </div>
    <div class="field">
      <label for="otp-iin"><?cs var:L.Login.applicant_iin ?></label>
      <input type="text" id="otp-iin" name="iin" inputmode="numeric" maxlength="12" value="<?cs var:Query.iin ?>"<?cs if:Errors.iin ?> aria-invalid="true" aria-describedby="err-iin"<?cs /if ?> required>
      <?cs call:err("iin") ?>
    </div>
    <div class="actions"><button type="submit"><?cs var:L.Login.submit ?></button></div>
  </form>
  <?cs /if ?>
  <div class="warning-box"><b><?cs var:L.Login.important ?></b> <?cs var:L.Login.warn_bmg ?></div>
</div>
<?cs /if ?>
</div>
<?cs include:"layout/foot.cs" ?>
