<?cs set:Page.title = L.Refresh.title ?><?cs set:Page.id = "admin-refresh" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<h2><?cs var:L.Refresh.title ?></h2>
<p class="lead"><?cs var:L.Refresh.lead ?></p>
<form class="form inline-form" method="get" action="/admin/refresh" id="refresh-year">
  <div class="field"><label for="f-year"><?cs var:L.Refresh.year ?></label>
    <input type="text" id="f-year" name="year" inputmode="numeric" maxlength="4" value="<?cs var:Refresh.year ?>"<?cs if:Errors.year ?> aria-invalid="true" aria-describedby="err-year"<?cs /if ?>><?cs call:err("year") ?></div>
  <div class="field"><label for="f-district"><?cs var:L.Refresh.col_district ?></label>
    <select id="f-district" name="district"<?cs if:Errors.district ?> aria-invalid="true" aria-describedby="err-district"<?cs /if ?>>
      <option value=""><?cs var:L.Refresh.all_districts ?></option>
      <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:d.code == Query.district ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
    </select><?cs call:err("district") ?></div>
  <div class="actions"><button type="submit" class="btn-light"><?cs var:L.Refresh.preview ?></button></div>
</form>
<p id="refresh-rules"><?cs var:L.Refresh.rule_school ?> <b><?cs var:Refresh.cutoff ?></b> (<?cs var:Refresh.age ?> <?cs var:L.Refresh.years ?>). <?cs var:L.Refresh.rule_rest ?></p>
<div class="table-wrap">
<table class="data" id="refresh-counts">
  <caption><?cs var:L.Refresh.counts ?></caption>
  <thead><tr><th scope="col"><?cs var:L.Refresh.col_district ?></th><th scope="col"><?cs var:L.Refresh.kind.school_age ?></th><th scope="col"><?cs var:L.Refresh.kind.benefit ?></th><th scope="col"><?cs var:L.Refresh.kind.group_year ?></th></tr></thead>
  <tbody>
  <?cs each:d = Refresh.d ?><tr data-district="<?cs var:d.code ?>"><td data-label="<?cs var:L.Refresh.col_district ?>"><?cs var:d.name ?></td><td data-label="<?cs var:L.Refresh.kind.school_age ?>" class="num"><?cs alt:d.school_age ?>0<?cs /alt ?></td><td data-label="<?cs var:L.Refresh.kind.benefit ?>" class="num"><?cs alt:d.benefit ?>0<?cs /alt ?></td><td data-label="<?cs var:L.Refresh.kind.group_year ?>" class="num"><?cs alt:d.group_year ?>0<?cs /alt ?></td></tr>
  <?cs /each ?>
  <?cs if:Refresh.total == 0 ?><tr><td colspan="4"><?cs var:L.Refresh.none ?></td></tr><?cs /if ?>
  </tbody>
  <tfoot><tr><th scope="row"><?cs var:L.Refresh.total ?></th><td class="num" id="refresh-n-school_age"><?cs var:Refresh.n.school_age ?></td><td class="num" id="refresh-n-benefit"><?cs var:Refresh.n.benefit ?></td><td class="num" id="refresh-n-group_year"><?cs var:Refresh.n.group_year ?></td></tr></tfoot>
</table>
</div>
<?cs if:Refresh.total > 0 ?>
<div class="table-wrap">
<table class="data" id="refresh-list">
  <caption><?cs var:L.Refresh.list ?></caption>
  <thead><tr><th scope="col"><?cs var:L.Refresh.col_number ?></th><th scope="col"><?cs var:L.Refresh.col_district ?></th><th scope="col"><?cs var:L.Refresh.col_birth ?></th><th scope="col"><?cs var:L.Refresh.col_change ?></th></tr></thead>
  <tbody>
  <?cs each:c = Refresh.list ?><tr class="rf-<?cs var:c.kind ?>"><td data-label="<?cs var:L.Refresh.col_number ?>"><?cs var:c.number ?></td><td data-label="<?cs var:L.Refresh.col_district ?>"><?cs var:c.district ?></td><td data-label="<?cs var:L.Refresh.col_birth ?>"><?cs var:c.birth ?></td><td data-label="<?cs var:L.Refresh.col_change ?>"><?cs var:c.kind_text ?><?cs if:c.detail ?>: <?cs var:c.detail ?><?cs /if ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Refresh.more ?><p class="hint"><?cs var:Refresh.more ?></p><?cs /if ?>
<form class="form" method="post" action="/admin/refresh" id="refresh-run">
  <?cs call:csrf() ?>
  <input type="hidden" name="year" value="<?cs var:Refresh.year ?>">
  <?cs if:Query.district > 0 ?><input type="hidden" name="district" value="<?cs var:Query.district ?>"><?cs /if ?>
  <p><?cs var:L.Refresh.confirm_text ?></p>
  <div class="actions"><button type="submit"><?cs var:L.Refresh.run ?></button></div>
</form>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
