<?cs set:Page.title = L.Login.pw_title ?><?cs set:Page.id = "login-password" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Login.pw_title ?></h1>
<p class="lead"><?cs var:L.Login.pw_lead ?></p>
<form class="form login-form" method="post" action="/login/password/change" id="form-pw">
  <?cs call:csrf() ?><?cs if:Login.next ?><input type="hidden" name="next" value="<?cs var:Login.next ?>"><?cs /if ?>
  <?cs call:form_errors() ?>
  <dl class="kv"><dt><?cs var:L.Login.iin ?></dt><dd><?cs var:Login.pw.iin ?></dd></dl>
  <div class="field">
    <label for="password"><?cs var:L.Login.pw_new ?></label>
    <input id="password" name="password" type="password" autocomplete="new-password" minlength="<?cs var:Login.pw.min ?>" maxlength="128"<?cs if:Errors.password ?> aria-invalid="true" aria-describedby="err-password"<?cs /if ?> required>
    <span class="hint"><?cs var:Login.pw.hint ?></span>
    <?cs call:err("password") ?>
  </div>
  <div class="field">
    <label for="password2"><?cs var:L.Login.pw_repeat ?></label>
    <input id="password2" name="password2" type="password" autocomplete="new-password" maxlength="128"<?cs if:Errors.password2 ?> aria-invalid="true" aria-describedby="err-password2"<?cs /if ?> required>
    <?cs call:err("password2") ?>
  </div>
  <div class="actions"><button type="submit"><?cs var:L.Login.pw_save ?></button></div>
</form>
<?cs include:"layout/foot.cs" ?>
