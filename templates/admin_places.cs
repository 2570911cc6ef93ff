<?cs set:Page.title = L.Withdraw.title ?><?cs set:Page.id = "admin-places" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<h2><?cs var:L.Withdraw.title ?></h2>
<p class="lead"><?cs var:L.Withdraw.lead ?></p>
<form class="form inline-form" method="get" action="/admin/places" id="wd-district">
  <div class="field"><label for="f-district"><?cs var:L.Refresh.col_district ?></label>
    <select id="f-district" name="district">
      <option value=""></option>
      <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:d.code == Query.district ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
    </select></div>
  <div class="actions"><button type="submit" class="btn-light"><?cs var:L.Withdraw.show ?></button></div>
</form>
<?cs if:Wd.district ?>
<div class="table-wrap">
<table class="data" id="wd-list">
  <thead><tr><th scope="col"><?cs var:L.Places.col_name ?></th><th scope="col"><?cs var:L.Places.col_year ?></th><th scope="col"><?cs var:L.Places.col_lang ?></th><th scope="col"><?cs var:L.Places.col_total ?></th><th scope="col"><?cs var:L.Withdraw.col_created ?></th><th scope="col"><?cs var:L.Withdraw.col_state ?></th></tr></thead>
  <tbody>
  <?cs each:w = Wd.rows ?><tr data-id="<?cs var:w.id ?>"<?cs if:w.withdrawn ?> class="withdrawn"<?cs /if ?>><td data-label="<?cs var:L.Places.col_name ?>"><?cs var:w.ddo ?></td><td data-label="<?cs var:L.Places.col_year ?>"><?cs var:w.year ?></td><td data-label="<?cs var:L.Places.col_lang ?>"><?cs var:w.lang ?></td><td data-label="<?cs var:L.Places.col_total ?>" class="num"><?cs var:w.total ?></td><td data-label="<?cs var:L.Withdraw.col_created ?>"><?cs var:w.created ?></td>
    <td data-label="<?cs var:L.Withdraw.col_state ?>"><?cs if:w.withdrawn ?><span class="badge"><?cs var:L.Places.Status.withdrawn ?></span> <?cs var:w.withdrawn ?><br><small><?cs var:w.reason ?></small><?cs else ?>
      <form method="post" action="/admin/places/<?cs var:w.id ?>/withdraw" class="inline wd-form"><?cs call:csrf() ?>
        <label for="f-reason-<?cs var:w.id ?>"><?cs var:L.Withdraw.reason ?></label>
        <input type="text" id="f-reason-<?cs var:w.id ?>" name="reason" maxlength="500" required<?cs if:Wd.failed == w.id ?> aria-invalid="true" aria-describedby="err-reason"<?cs /if ?>>
        <?cs if:Wd.failed == w.id ?><?cs call:err("reason") ?><?cs /if ?>
        <button type="submit" class="btn-light"><?cs var:L.Withdraw.button ?></button></form><?cs /if ?></td></tr>
  <?cs /each ?>
  <?cs if:!Wd.rows.0.id ?><tr><td colspan="6"><?cs var:L.Withdraw.none ?></td></tr><?cs /if ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
