<?cs set:Page.title = L.Admin.nav_ddo ?><?cs set:Page.id = "admin-ddo-form" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<?cs def:text(name, label, req, hint) ?><div class="field">
    <label for="f-<?cs var:name ?>"><?cs var:label ?><?cs if:req ?> *<?cs /if ?></label>
    <input type="text" id="f-<?cs var:name ?>" name="<?cs var:name ?>" value="<?cs var:Query[name] ?>"<?cs if:Errors[name] ?> aria-invalid="true" aria-describedby="err-<?cs var:name ?>"<?cs /if ?><?cs if:req ?> required<?cs /if ?>>
    <?cs if:hint ?><span class="hint"><?cs var:hint ?></span><?cs /if ?>
    <?cs call:err(name) ?>
  </div><?cs /def ?>
<h2><?cs if:Admin.ddo.id ?><?cs var:L.Admin.ddo_edit ?><?cs else ?><?cs var:L.Admin.ddo_new ?><?cs /if ?></h2>
<form class="form form-wide" method="post" action="<?cs if:Admin.ddo.id ?>/admin/ddo/<?cs var:Admin.ddo.id ?><?cs else ?>/admin/ddo/new<?cs /if ?>" id="ddo-form">
  <?cs call:csrf() ?>
  <?cs call:form_errors() ?>
  <p class="hint"><?cs var:L.Admin.ddo_form_lead ?></p>
  <div class="row2">
    <?cs call:text("name_kk", L.Admin.name_kk, 1, "") ?>
    <?cs call:text("name_ru", L.Admin.name_ru, 1, "") ?>
  </div>
  <?cs call:text("address", L.Admin.address, 1, L.Admin.address_hint) ?>
  <div class="row2">
    <?cs call:text("phone", L.Admin.ddo_phone, 1, "") ?>
    <?cs call:text("website", L.Admin.website, 0, L.Admin.website_hint) ?>
  </div>
  <div class="row2">
    <div class="field">
      <label for="f-kind"><?cs var:L.Admin.kind ?> *</label>
      <select id="f-kind" name="kind" required<?cs if:Errors.kind ?> aria-invalid="true" aria-describedby="err-kind"<?cs /if ?>>
        <option value=""></option>
        <?cs each:k = Admin.kinds ?><option value="<?cs var:k.value ?>"<?cs if:k.value == Query.kind ?> selected<?cs /if ?>><?cs var:k.label ?></option><?cs /each ?>
      </select>
      <?cs call:err("kind") ?>
    </div>
    <div class="field">
      <label for="f-district"><?cs var:L.Admin.district ?> *</label>
      <select id="f-district" name="district" required<?cs if:Errors.district ?> aria-invalid="true" aria-describedby="err-district"<?cs /if ?>>
        <option value=""></option>
        <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:d.code == Query.district ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
      </select>
      <?cs call:err("district") ?>
    </div>
  </div>
  <fieldset>
    <legend><?cs var:L.Admin.owner ?></legend>
    <?cs call:text("owner_iin", L.Admin.owner_iin, 1, L.Admin.owner_iin_hint) ?>
    <div class="row2">
      <?cs call:text("owner_phone", L.Admin.owner_phone, 1, "") ?>
      <?cs call:text("owner_email", L.Admin.owner_email, 1, "") ?>
    </div>
  </fieldset>
  <div class="row2">
    <?cs call:text("bin", L.Admin.bin, 0, L.Admin.bin_hint) ?>
    <?cs call:text("capacity", L.Admin.capacity, 0, "") ?>
  </div>
  <?cs if:Admin.ddo.id ?>
  <div class="field"><label class="radio"><input type="checkbox" name="active" value="1"<?cs if:Query.active == "1" ?> checked<?cs /if ?>> <?cs var:L.Admin.ddo_active ?></label></div>
  <?cs /if ?>
  <div class="actions"><button type="submit"><?cs var:L.Admin.save ?></button> <a href="/admin/ddo"><?cs var:L.Admin.back_list ?></a></div>
</form>
<?cs if:Admin.ddo.id ?>
<section class="card admin-staff">
  <h2><?cs var:L.Admin.ddo_staff ?></h2>
  <?cs if:Admin.staff.0.id ?>
  <ul id="ddo-staff">
  <?cs each:s = Admin.staff ?><li><a href="/admin/accounts/<?cs var:s.id ?>"><?cs var:s.name ?></a> (<?cs var:s.iin ?>)<?cs if:s.active != "1" ?> <span class="badge badge-err"><?cs var:L.Admin.inactive ?></span><?cs /if ?></li><?cs /each ?>
  </ul>
  <?cs else ?><p><?cs var:L.Admin.no_staff ?></p><?cs /if ?>
  <a class="btn" href="/admin/accounts/new?ddo=<?cs var:Admin.ddo.id ?>" id="ddo-add-staff"><?cs var:L.Admin.ddo_add_staff ?></a>
</section>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
