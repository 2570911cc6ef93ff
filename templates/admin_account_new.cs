<?cs set:Page.title = L.Admin.account_new ?><?cs set:Page.id = "admin-account-new" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<?cs def:text(name, label, req, type) ?><div class="field">
    <label for="f-<?cs var:name ?>"><?cs var:label ?><?cs if:req ?> *<?cs /if ?></label>
    <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="<?cs if:type ?><?cs var:type ?><?cs else ?>text<?cs /if ?>" value="<?cs var:Query[name] ?>"<?cs if:Errors[name] ?> aria-invalid="true" aria-describedby="err-<?cs var:name ?>"<?cs /if ?><?cs if:req ?> required<?cs /if ?>>
    <?cs call:err(name) ?>
  </div><?cs /def ?>
<h2><?cs var:L.Admin.account_new ?></h2>
<form class="form" method="post" action="/admin/accounts/new" id="account-form">
  <?cs call:csrf() ?>
  <?cs call:form_errors() ?>
  <p class="hint"><?cs var:L.Admin.account_new_lead ?></p>
  <?cs call:text("iin", L.Admin.iin, 1, "") ?>
  <div class="row2"><?cs call:text("surname", L.Admin.surname, 1, "") ?><?cs call:text("name", L.Admin.given_name, 1, "") ?></div>
  <?cs call:text("patronymic", L.Admin.patronymic, 0, "") ?>
  <div class="row2"><?cs call:text("phone", L.Admin.phone, 1, "tel") ?><?cs call:text("email", L.Admin.email, 0, "email") ?></div>
  <fieldset>
    <legend><?cs var:L.Admin.role ?> *</legend>
    <label class="radio"><input type="radio" name="role" value="staff"<?cs if:Query.role != "reviewer" ?> checked<?cs /if ?>> <?cs var:L.Admin.role_staff ?></label>
    <label class="radio"><input type="radio" name="role" value="reviewer"<?cs if:Query.role == "reviewer" ?> checked<?cs /if ?>> <?cs var:L.Admin.role_reviewer ?></label>
    <?cs call:err("role") ?>
    <div class="field">
      <label for="f-ddo"><?cs var:L.Admin.ddo_for_staff ?></label>
      <select id="f-ddo" name="ddo"<?cs if:Errors.ddo ?> aria-invalid="true" aria-describedby="err-ddo"<?cs /if ?>>
        <option value=""></option>
        <?cs each:g = Admin.ddo_groups ?><optgroup label="<?cs var:g.name ?>"><?cs each:d = g.ddos ?><option value="<?cs var:d.id ?>"<?cs if:d.id == Query.ddo ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?></optgroup><?cs /each ?>
      </select>
      <?cs call:err("ddo") ?>
    </div>
    <div class="field">
      <label for="f-district"><?cs var:L.Admin.district_for_reviewer ?></label>
      <select id="f-district" name="district"<?cs if:Errors.district ?> aria-invalid="true" aria-describedby="err-district"<?cs /if ?>>
        <option value=""></option>
        <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:d.code == Query.district ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
      </select>
      <?cs call:err("district") ?>
    </div>
  </fieldset>
  <div class="actions"><button type="submit"><?cs var:L.Admin.create ?></button> <a href="/admin/accounts"><?cs var:L.Admin.back_list ?></a></div>
</form>
<?cs include:"layout/foot.cs" ?>
