<?cs set:Page.title = Admin.account.name ?><?cs set:Page.id = "admin-account" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<h2 id="account-name"><?cs var:Admin.account.name ?></h2>
<section class="card">
  <dl class="kv">
    <dt><?cs var:L.Admin.iin ?></dt><dd id="account-iin"><?cs var:Admin.account.iin ?></dd>
    <dt><?cs var:L.Admin.role ?></dt><dd id="account-roles"><?cs var:Admin.account.roles ?></dd>
    <dt><?cs var:L.Admin.state ?></dt><dd id="account-state"><?cs if:Admin.account.active == "1" ?><span class="badge badge-ok"><?cs var:L.Admin.active ?></span><?cs else ?><span class="badge badge-err"><?cs var:L.Admin.inactive ?></span><?cs /if ?>
      <?cs if:Admin.account.must_change == "1" ?><span class="badge badge-warn"><?cs var:L.Admin.must_change ?></span><?cs /if ?>
      <?cs if:Admin.account.has_pw != "1" ?><span class="badge"><?cs var:L.Admin.no_password ?></span><?cs /if ?></dd>
    <dt><?cs var:L.Admin.created ?></dt><dd><?cs var:Admin.account.created ?></dd>
  </dl>
  <div class="actions">
    <form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/password" class="inline" id="form-reset">
      <?cs call:csrf() ?><button type="submit"><?cs var:L.Admin.reset_password ?></button>
    </form>
    <?cs if:Admin.account.active == "1" ?>
    <?cs if:!Admin.account.self ?><form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/active" class="inline" id="form-deactivate">
      <?cs call:csrf() ?><input type="hidden" name="active" value="0"><button type="submit" class="btn-danger"><?cs var:L.Admin.deactivate ?></button>
    </form><?cs /if ?>
    <?cs else ?>
    <form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/active" class="inline" id="form-activate">
      <?cs call:csrf() ?><input type="hidden" name="active" value="1"><button type="submit" class="btn-ok"><?cs var:L.Admin.activate ?></button>
    </form>
    <?cs /if ?>
  </div>
  <p class="hint"><?cs var:L.Admin.reset_hint ?></p>
</section>

<?cs if:Admin.account.is.staff || Admin.account.ddos.0.id ?>
<section class="card">
  <h2><?cs var:L.Admin.account_ddos ?></h2>
  <?cs if:Admin.account.ddos.0.id ?>
  <div class="table-wrap"><table class="data" id="account-ddos"><tbody>
  <?cs each:d = Admin.account.ddos ?><tr><td><a href="/admin/ddo/<?cs var:d.id ?>"><?cs var:d.name ?></a></td><td><?cs var:d.district ?></td>
    <td><form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/ddo/<?cs var:d.id ?>/detach" class="inline"><?cs call:csrf() ?><button type="submit" class="btn-light"><?cs var:L.Admin.detach ?></button></form></td></tr><?cs /each ?>
  </tbody></table></div>
  <?cs else ?><p><?cs var:L.Admin.no_ddos ?></p><?cs /if ?>
</section>
<?cs /if ?>
<section class="card">
  <form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/ddo" id="form-attach" class="filters">
    <?cs call:csrf() ?>
    <label for="f-ddo"><?cs var:L.Admin.attach_ddo ?></label>
    <select id="f-ddo" name="ddo" required<?cs if:Errors.ddo ?> aria-invalid="true" aria-describedby="err-ddo"<?cs /if ?>>
      <option value=""></option>
      <?cs each:g = Admin.ddo_groups ?><optgroup label="<?cs var:g.name ?>"><?cs each:d = g.ddos ?><option value="<?cs var:d.id ?>"><?cs var:d.name ?></option><?cs /each ?></optgroup><?cs /each ?>
    </select>
    <button type="submit"><?cs var:L.Admin.attach ?></button>
    <?cs call:err("ddo") ?>
  </form>
</section>

<?cs if:Admin.account.is.reviewer || Admin.account.districts.0.id ?>
<section class="card">
  <h2><?cs var:L.Admin.account_districts ?></h2>
  <?cs if:Admin.account.districts.0.id ?>
  <div class="table-wrap"><table class="data" id="account-districts"><tbody>
  <?cs each:d = Admin.account.districts ?><tr><td><?cs var:d.name ?></td>
    <td><form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/district/<?cs var:d.id ?>/remove" class="inline"><?cs call:csrf() ?><button type="submit" class="btn-light"><?cs var:L.Admin.detach ?></button></form></td></tr><?cs /each ?>
  </tbody></table></div>
  <?cs /if ?>
</section>
<?cs /if ?>
<section class="card">
  <form method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>/district" id="form-district" class="filters">
    <?cs call:csrf() ?>
    <label for="f-district"><?cs var:L.Admin.add_district ?></label>
    <select id="f-district" name="district" required<?cs if:Errors.district ?> aria-invalid="true" aria-describedby="err-district"<?cs /if ?>>
      <option value=""></option>
      <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"><?cs var:d.name ?></option><?cs /each ?>
    </select>
    <button type="submit"><?cs var:L.Admin.add ?></button>
    <?cs call:err("district") ?>
  </form>
</section>

<form class="form" method="post" action="/admin/accounts/<?cs var:Admin.account.id ?>" id="form-account">
  <?cs call:csrf() ?>
  <h2><?cs var:L.Admin.account_data ?></h2>
  <?cs call:form_errors() ?>
  <div class="row2">
    <div class="field"><label for="f-surname"><?cs var:L.Admin.surname ?> *</label><input type="text" id="f-surname" name="surname" value="<?cs var:Query.surname ?>"<?cs if:Errors.surname ?> aria-invalid="true" aria-describedby="err-surname"<?cs /if ?> required><?cs call:err("surname") ?></div>
    <div class="field"><label for="f-name"><?cs var:L.Admin.given_name ?> *</label><input type="text" id="f-name" name="name" value="<?cs var:Query.name ?>"<?cs if:Errors.name ?> aria-invalid="true" aria-describedby="err-name"<?cs /if ?> required><?cs call:err("name") ?></div>
  </div>
  <div class="field"><label for="f-patronymic"><?cs var:L.Admin.patronymic ?></label><input type="text" id="f-patronymic" name="patronymic" value="<?cs var:Query.patronymic ?>"<?cs if:Errors.patronymic ?> aria-invalid="true" aria-describedby="err-patronymic"<?cs /if ?>><?cs call:err("patronymic") ?></div>
  <div class="row2">
    <div class="field"><label for="f-phone"><?cs var:L.Admin.phone ?></label><input id="f-phone" name="phone" type="tel" value="<?cs var:Query.phone ?>"<?cs if:Errors.phone ?> aria-invalid="true" aria-describedby="err-phone"<?cs /if ?>><?cs call:err("phone") ?></div>
    <div class="field"><label for="f-email"><?cs var:L.Admin.email ?></label><input id="f-email" name="email" type="email" value="<?cs var:Query.email ?>"<?cs if:Errors.email ?> aria-invalid="true" aria-describedby="err-email"<?cs /if ?>><?cs call:err("email") ?></div>
  </div>
  <div class="actions"><button type="submit"><?cs var:L.Admin.save ?></button> <a href="/admin/accounts"><?cs var:L.Admin.back_list ?></a></div>
</form>
<?cs include:"layout/foot.cs" ?>
