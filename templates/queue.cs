<?cs set:Page.title = L.Queue.title ?><?cs set:Page.id = "queue" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs def:ddo_select(fname, label) ?>
  <div class="field">
    <label for="<?cs var:fname ?>"><?cs var:label ?></label>
    <select id="<?cs var:fname ?>" name="<?cs var:fname ?>" class="ddo-select"<?cs if:Errors[fname] ?> aria-invalid="true" aria-describedby="err-<?cs var:fname ?>"<?cs /if ?>>
      <option value=""><?cs var:L.Queue.ddo_none ?></option>
      <?cs each:kind = L.Queue.kind_long ?><optgroup label="<?cs var:kind ?>">
      <?cs each:d = Ddos ?><?cs if:d.kind == name(kind) ?><option value="<?cs var:d.id ?>"<?cs if:Query[fname] == d.id ?> selected<?cs /if ?>><?cs var:d.name ?></option>
      <?cs /if ?><?cs /each ?></optgroup>
      <?cs /each ?>
    </select>
    <?cs call:err(fname) ?>
  </div>
<?cs /def ?>
<?cs def:text_field(fname, label, val) ?>
  <div class="field">
    <label for="<?cs var:fname ?>"><?cs var:label ?></label>
    <input type="text" id="<?cs var:fname ?>" name="<?cs var:fname ?>" value="<?cs var:val ?>" maxlength="100" autocomplete="off"<?cs if:Errors[fname] ?> aria-invalid="true" aria-describedby="err-<?cs var:fname ?>"<?cs /if ?>>
    <?cs call:err(fname) ?>
  </div>
<?cs /def ?>
<h1 class="page-title"><?cs var:L.Queue.title ?></h1>
<p class="lead"><?cs var:L.Queue.lead ?></p>
<p class="actions"><a class="btn btn-light" href="/queue/my"><?cs var:L.Queue.to_my ?></a></p>
<form class="form form-wide queue-form" method="post" action="/queue" enctype="multipart/form-data" novalidate>
  <?cs call:csrf() ?>
  <?cs call:form_errors() ?>
  <fieldset>
    <legend><?cs var:L.Queue.child ?></legend>
    <div class="field">
      <label for="child_iin"><?cs var:L.Queue.child_iin ?></label>
      <div class="iin-row">
        <input type="text" id="child_iin" name="child_iin" value="<?cs var:Query.child_iin ?>" inputmode="numeric" maxlength="12" autocomplete="off"<?cs if:Errors.child_iin ?> aria-invalid="true" aria-describedby="err-child_iin"<?cs /if ?>>
        <button class="btn btn-light" type="submit" name="action" value="check"><?cs var:L.Queue.check ?></button>
      </div>
      <span class="hint"><?cs var:L.Queue.child_iin_hint ?> <?cs var:L.Queue.age_rule ?> <b><?cs var:Form.min_year ?></b>.</span>
      <?cs call:err("child_iin") ?>
      <?cs if:Form.duplicate ?><span class="hint"><a href="/queue/search?q=<?cs var:url_escape(Form.duplicate) ?>"><?cs var:L.Queue.to_search ?></a></span><?cs /if ?>
      <p class="iin-info" id="iin-info" aria-live="polite" data-born="<?cs var:L.Queue.born ?>" data-sex="<?cs var:L.Queue.sex ?>" data-m="<?cs var:L.Queue.sex_M ?>" data-f="<?cs var:L.Queue.sex_F ?>"><?cs if:Child.birth ?><?cs var:L.Queue.born ?>: <b><?cs var:Child.birth ?></b>, <?cs var:L.Queue.sex ?>: <b><?cs if:Child.sex == "M" ?><?cs var:L.Queue.sex_M ?><?cs else ?><?cs var:L.Queue.sex_F ?><?cs /if ?></b><?cs /if ?></p>
      <?cs if:Form.gbd ?><p class="hint gbd-note" id="gbd-note"><?cs var:L.Gbd.names_from_register ?></p><?cs /if ?>
    </div>
    <div class="row3">
      <?cs call:text_field("child_surname", L.Queue.child_surname, Query.child_surname) ?>
      <?cs call:text_field("child_name", L.Queue.child_name, Query.child_name) ?>
      <?cs call:text_field("child_patronymic", L.Queue.child_patronymic, Query.child_patronymic) ?>
    </div>
    <?cs if:Form.guardian_offer || Query.guardian ?>
    <div class="card guardian-offer" id="guardian-offer">
      <label class="radio"><input type="checkbox" name="guardian" value="1"<?cs if:Query.guardian ?> checked<?cs /if ?>> <b><?cs var:L.Guardian.offer ?></b></label>
      <p class="hint"><?cs var:L.Guardian.offer_hint ?></p>
      <div class="field">
        <label for="guardian_doc"><?cs var:L.Guardian.doc ?></label>
        <input type="file" id="guardian_doc" name="guardian_doc" accept="application/pdf,image/jpeg,image/png"<?cs if:Errors.guardian_doc ?> aria-invalid="true" aria-describedby="err-guardian_doc"<?cs /if ?>>
        <span class="hint"><?cs var:L.Queue.doc_hint ?> <?cs var:Form.max_mb ?> <?cs var:L.Guardian.doc_mb ?></span>
        <?cs call:err("guardian_doc") ?>
      </div>
    </div>
    <?cs /if ?>
  </fieldset>
  <fieldset>
    <legend><?cs var:L.Queue.applicant ?></legend>
    <?cs if:Form.need_names ?>
    <p class="hint"><?cs var:L.Queue.applicant_names_hint ?></p>
    <div class="row3">
      <?cs call:text_field("applicant_surname", L.Queue.applicant_surname, Query.applicant_surname) ?>
      <?cs call:text_field("applicant_name", L.Queue.applicant_given, Query.applicant_name) ?>
      <?cs call:text_field("applicant_patronymic", L.Queue.applicant_patronymic, Query.applicant_patronymic) ?>
    </div>
    <dl class="kv"><dt><?cs var:L.Queue.applicant_iin ?></dt><dd><?cs var:Applicant.iin ?></dd></dl>
    <?cs else ?>
    <dl class="kv">
      <dt><?cs var:L.Queue.applicant_name ?></dt><dd><?cs var:Applicant.name ?></dd>
      <dt><?cs var:L.Queue.applicant_iin ?></dt><dd><?cs var:Applicant.iin ?></dd>
    </dl>
    <?cs /if ?>
    <div class="row2">
      <div class="field">
        <label for="phone"><?cs var:L.Queue.phone ?></label>
        <input type="tel" id="phone" name="phone" value="<?cs var:Query.phone ?>" autocomplete="tel"<?cs if:Errors.phone ?> aria-invalid="true" aria-describedby="err-phone"<?cs /if ?>>
        <span class="hint"><?cs var:L.Queue.phone_hint ?></span>
        <?cs call:err("phone") ?>
      </div>
      <div class="field">
        <label for="email"><?cs var:L.Queue.email ?></label>
        <input type="email" id="email" name="email" value="<?cs var:Query.email ?>" autocomplete="email"<?cs if:Errors.email ?> aria-invalid="true" aria-describedby="err-email"<?cs /if ?>>
        <?cs call:err("email") ?>
      </div>
    </div>
  </fieldset>
  <fieldset>
    <legend><?cs var:L.Queue.where ?></legend>
    <div class="row2">
      <div class="field">
        <label for="district"><?cs var:L.Queue.district ?></label>
        <select id="district" name="district" data-ddos="/queue/ddos"<?cs if:Errors.district ?> aria-invalid="true" aria-describedby="err-district"<?cs /if ?>>
          <option value=""><?cs var:L.Queue.district_choose ?></option>
          <optgroup label="<?cs var:L.Queue.cities ?>">
          <?cs each:d = Districts ?><?cs if:d.kind == "city" ?><option value="<?cs var:d.code ?>"<?cs if:Query.district == d.code ?> selected<?cs /if ?>><?cs var:d.name ?></option>
          <?cs /if ?><?cs /each ?></optgroup>
          <optgroup label="<?cs var:L.Queue.districts ?>">
          <?cs each:d = Districts ?><?cs if:d.kind == "district" ?><option value="<?cs var:d.code ?>"<?cs if:Query.district == d.code ?> selected<?cs /if ?>><?cs var:d.name ?></option>
          <?cs /if ?><?cs /each ?></optgroup>
        </select>
        <button class="btn btn-light district-show" type="submit" name="action" value="district" id="district-show"><?cs var:L.Queue.show_ddos ?></button>
        <?cs call:err("district") ?>
      </div>
      <div class="field">
        <label for="language"><?cs var:L.Queue.language ?></label>
        <select id="language" name="language"<?cs if:Errors.language ?> aria-invalid="true" aria-describedby="err-language"<?cs /if ?>>
          <?cs each:l = L.Queue.lang ?><option value="<?cs name:l ?>"<?cs if:Query.language == name(l) ?> selected<?cs /if ?>><?cs var:l ?></option>
          <?cs /each ?>
        </select>
        <?cs call:err("language") ?>
      </div>
    </div>
    <p class="hint"><?cs var:L.Queue.ddo_hint ?></p>
    <div class="row3">
      <?cs call:ddo_select("ddo1", L.Queue.ddo1) ?>
      <?cs call:ddo_select("ddo2", L.Queue.ddo2) ?>
      <?cs call:ddo_select("ddo3", L.Queue.ddo3) ?>
    </div>
  </fieldset>
  <fieldset class="benefits">
    <legend><?cs var:L.Queue.benefit ?></legend>
    <p class="hint"><?cs var:L.Queue.benefit_hint ?></p>
    <?cs call:err("benefit") ?>
    <label class="benefit"><input type="radio" name="benefit" value="none"<?cs if:Query.benefit == "none" || !Query.benefit ?> checked<?cs /if ?><?cs if:Errors.benefit ?> aria-invalid="true" aria-describedby="err-benefit"<?cs /if ?>> <span><b><?cs var:L.Benefit.cat.none ?></b></span></label>
    <?cs each:cat = L.Benefit.cat ?><?cs if:name(cat) != "none" ?>
    <h3 class="benefit-cat"><?cs var:cat ?></h3>
    <?cs each:g = Grounds ?><?cs if:g.category == name(cat) ?>
    <label class="benefit"><input type="radio" name="benefit" value="<?cs var:g.code ?>"<?cs if:Query.benefit == g.code ?> checked<?cs /if ?><?cs if:Errors.benefit ?> aria-invalid="true" aria-describedby="err-benefit"<?cs /if ?>> <span><b><?cs var:L.Benefit.g[g.code].name ?></b><small><?cs var:L.Benefit.ground ?>: <?cs var:L.Benefit.g[g.code].law ?></small></span></label>
    <?cs /if ?><?cs /each ?>
    <?cs /if ?><?cs /each ?>
    <div class="field benefit-doc" id="benefit-doc">
      <label for="benefit_doc"><?cs var:L.Queue.doc ?></label>
      <input type="file" id="benefit_doc" name="benefit_doc" accept="application/pdf,image/jpeg,image/png"<?cs if:Errors.benefit_doc ?> aria-invalid="true" aria-describedby="err-benefit_doc"<?cs /if ?>>
      <span class="hint"><?cs var:L.Queue.doc_hint ?> <?cs var:Form.max_mb ?> <?cs var:L.Queue.doc_mb ?><?cs if:Errors.any && Query.benefit != "none" ?> <?cs var:L.Queue.doc_again ?><?cs /if ?></span>
      <?cs call:err("benefit_doc") ?>
    </div>
    <div class="field benefit-until">
      <label for="benefit_until"><?cs var:L.Queue.benefit_until ?></label>
      <input type="text" id="benefit_until" name="benefit_until" value="<?cs var:Query.benefit_until ?>" placeholder="<?cs var:L.Admin.date_placeholder ?>" maxlength="10" inputmode="numeric" aria-describedby="hint-benefit_until<?cs if:Errors.benefit_until ?> err-benefit_until<?cs /if ?>"<?cs if:Errors.benefit_until ?> aria-invalid="true"<?cs /if ?>>
      <span class="hint" id="hint-benefit_until"><?cs var:L.Queue.benefit_until_hint ?></span>
      <?cs call:err("benefit_until") ?>
    </div>
  </fieldset>
  <div class="actions">
    <button type="submit" name="action" value="save"><?cs var:L.Queue.submit ?></button>
    <a class="btn btn-light" href="/"><?cs var:L.Queue.cancel ?></a>
  </div>
</form>
<?cs include:"layout/foot.cs" ?>
