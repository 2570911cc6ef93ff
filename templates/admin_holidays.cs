<?cs set:Page.title = L.Admin.nav_holidays ?><?cs set:Page.id = "admin-holidays" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<p class="lead"><?cs var:L.Admin.hol_lead ?></p>
<nav class="pager year-pager" aria-label="<?cs var:L.Admin.year ?>">
  <a class="btn btn-light" href="/admin/holidays?year=<?cs var:Admin.hol.prev ?>" rel="prev">« <?cs var:Admin.hol.prev ?></a>
  <b id="hol-year"><?cs var:Admin.hol.year ?></b>
  <a class="btn btn-light" href="/admin/holidays?year=<?cs var:Admin.hol.next ?>" rel="next"><?cs var:Admin.hol.next ?> »</a>
</nav>
<div class="table-wrap">
<table class="data" id="hol-list">
  <thead><tr><th scope="col"><?cs var:L.Admin.hol_day ?></th><th scope="col"><?cs var:L.Admin.hol_weekday ?></th><th scope="col"><?cs var:L.Admin.hol_kind ?></th><th scope="col"><?cs var:L.Admin.hol_name ?></th><th scope="col"></th></tr></thead>
  <tbody>
  <?cs each:h = Admin.hol.days ?><tr class="hol-<?cs var:h.kind ?>"><td data-label="<?cs var:L.Admin.hol_day ?>"><?cs var:h.day ?></td><td data-label="<?cs var:L.Admin.hol_weekday ?>"><?cs var:h.weekday ?></td><td data-label="<?cs var:L.Admin.hol_kind ?>"><?cs var:h.kind_label ?></td><td data-label="<?cs var:L.Admin.hol_name ?>"><?cs var:h.name ?></td>
    <td><form method="post" action="/admin/holidays/delete" class="inline"><?cs call:csrf() ?><input type="hidden" name="day" value="<?cs var:h.day ?>"><button type="submit" class="btn-light"><?cs var:L.Admin.delete ?></button></form></td></tr><?cs /each ?>
  <?cs if:!Admin.hol.days.0.day ?><tr><td colspan="5"><?cs var:L.Admin.nothing ?></td></tr><?cs /if ?>
  </tbody>
</table>
</div>
<form class="form" method="post" action="/admin/holidays" id="hol-form">
  <?cs call:csrf() ?>
  <h2><?cs var:L.Admin.hol_add ?></h2>
  <?cs call:form_errors() ?>
  <div class="row2">
    <div class="field"><label for="f-day"><?cs var:L.Admin.hol_day ?> *</label>
      <input type="text" id="f-day" name="day" value="<?cs var:Query.day ?>" placeholder="<?cs var:L.Admin.date_placeholder ?>" maxlength="10" required<?cs if:Errors.day ?> aria-invalid="true" aria-describedby="err-day"<?cs /if ?>><?cs call:err("day") ?></div>
    <div class="field"><label for="f-kind"><?cs var:L.Admin.hol_kind ?> *</label>
      <select id="f-kind" name="kind" required<?cs if:Errors.kind ?> aria-invalid="true" aria-describedby="err-kind"<?cs /if ?>>
        <option value="holiday"<?cs if:Query.kind == "holiday" ?> selected<?cs /if ?>><?cs var:L.Admin.hol_holiday ?></option>
        <option value="day_off"<?cs if:Query.kind == "day_off" ?> selected<?cs /if ?>><?cs var:L.Admin.hol_day_off ?></option>
        <option value="work_day"<?cs if:Query.kind == "work_day" ?> selected<?cs /if ?>><?cs var:L.Admin.hol_work_day ?></option>
      </select><?cs call:err("kind") ?></div>
  </div>
  <div class="row2">
    <div class="field"><label for="f-name_ru"><?cs var:L.Admin.name_ru ?> *</label><input type="text" id="f-name_ru" name="name_ru" value="<?cs var:Query.name_ru ?>"<?cs if:Errors.name_ru ?> aria-invalid="true" aria-describedby="err-name_ru"<?cs /if ?> required><?cs call:err("name_ru") ?></div>
    <div class="field"><label for="f-name_kk"><?cs var:L.Admin.name_kk ?> *</label><input type="text" id="f-name_kk" name="name_kk" value="<?cs var:Query.name_kk ?>"<?cs if:Errors.name_kk ?> aria-invalid="true" aria-describedby="err-name_kk"<?cs /if ?> required><?cs call:err("name_kk") ?></div>
  </div>
  <p class="hint"><?cs var:L.Admin.hol_hint ?></p>
  <div class="actions"><button type="submit"><?cs var:L.Admin.add ?></button></div>
</form>
<?cs include:"layout/foot.cs" ?>
