<?cs set:Page.title = L.Journal.title ?><?cs set:Page.id = "journal" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Journal.title ?></h1>
<p class="lead"><?cs var:L.Journal.lead ?></p>
<details class="filter-fold"<?cs if:Query.status || Query.year || Query.number || Query.iin ?> open<?cs /if ?>><summary><?cs var:L.Phone.filter ?></summary></details>
<form method="get" action="/journal" class="filters-form" aria-label="<?cs var:L.Journal.filters ?>">
  <div class="field"><label for="f-status"><?cs var:L.Journal.status_filter ?></label>
    <select id="f-status" name="status"<?cs if:Errors.status ?> aria-invalid="true" aria-describedby="err-status"<?cs /if ?>>
      <option value=""><?cs var:L.Journal.all ?></option>
      <?cs each:s = Statuses ?><option value="<?cs var:s.code ?>"<?cs if:Query.status == s.code ?> selected<?cs /if ?>><?cs var:s.text ?></option><?cs /each ?>
    </select><?cs call:err("status") ?></div>
  <div class="field"><label for="f-year"><?cs var:L.Journal.year ?></label>
    <input type="text" id="f-year" name="year" inputmode="numeric" size="6" value="<?cs var:Query.year ?>"<?cs if:Errors.year ?> aria-invalid="true" aria-describedby="err-year"<?cs /if ?>><?cs call:err("year") ?></div>
  <div class="field"><label for="f-number"><?cs var:L.Journal.number ?></label>
    <input type="text" id="f-number" name="number" value="<?cs var:Query.number ?>"<?cs if:Errors.number ?> aria-invalid="true" aria-describedby="err-number"<?cs /if ?>><?cs call:err("number") ?></div>
  <?cs if:Journal.iinFilter ?><div class="field"><label for="f-iin"><?cs var:L.Journal.iin ?></label>
    <input type="text" id="f-iin" name="iin" inputmode="numeric" maxlength="12" value="<?cs var:Query.iin ?>"<?cs if:Errors.iin ?> aria-invalid="true" aria-describedby="err-iin"<?cs /if ?>><?cs call:err("iin") ?></div><?cs /if ?>
  <div class="actions"><button type="submit" class="btn"><?cs var:L.Journal.apply ?></button> <a class="btn btn-light" href="/journal"><?cs var:L.Journal.reset ?></a></div>
</form>
<?cs if:subcount(List) == 0 ?>
<p class="notice"><?cs var:L.Journal.empty ?></p>
<?cs else ?>
<div class="table-wrap"><table class="data journal">
  <thead><tr>
    <th scope="col"><span class="visually-hidden"><?cs var:L.Journal.open ?></span></th>
    <?cs call:sort_th("number", L.Journal.col_number) ?>
    <?cs call:sort_th("date", L.Journal.col_date) ?>
    <?cs call:sort_th("child", L.Journal.col_child) ?>
    <?cs call:sort_th("year", L.Journal.col_year) ?>
    <th scope="col"><?cs var:L.Journal.col_district ?></th>
    <?cs call:sort_th("status", L.Journal.col_status) ?>
    <th scope="col"><?cs var:L.Journal.col_referral ?></th>
  </tr></thead>
  <tbody>
  <?cs each:a = List ?>
    <tr id="app-<?cs var:a.id ?>"<?cs if:a.open ?> class="open"<?cs /if ?>>
      <td class="tri-cell"><a class="tri" href="<?cs var:a.href ?>" aria-expanded="<?cs if:a.open ?>true<?cs else ?>false<?cs /if ?>" title="<?cs if:a.open ?><?cs var:L.Journal.close ?><?cs else ?><?cs var:L.Journal.open ?><?cs /if ?>"><span aria-hidden="true"><?cs if:a.open ?>▾<?cs else ?>▸<?cs /if ?></span><span class="visually-hidden"><?cs if:a.open ?><?cs var:L.Journal.close ?><?cs else ?><?cs var:L.Journal.open ?><?cs /if ?> <?cs var:a.number ?></span></a></td>
      <td data-label="<?cs var:L.Journal.col_number ?>"><?cs var:a.number ?></td>
      <td class="num" data-label="<?cs var:L.Journal.col_date ?>"><?cs var:a.date ?></td>
      <td data-label="<?cs var:L.Journal.col_child ?>"><?cs var:a.child ?> <span class="hint"><?cs var:a.iin ?></span></td>
      <td class="num" data-label="<?cs var:L.Journal.col_year ?>"><?cs var:a.year ?></td>
      <td data-label="<?cs var:L.Journal.col_district ?>"><?cs var:a.district ?></td>
      <td data-label="<?cs var:L.Journal.col_status ?>"><span class="badge status-<?cs var:a.status ?>"><?cs var:a.statusText ?></span></td>
      <td data-label="<?cs var:L.Journal.col_referral ?>"><?cs if:a.ref ?><?cs var:a.ref ?><br><span class="hint"><?cs var:a.ddo ?></span><?cs /if ?></td>
    </tr>
    <?cs if:a.open ?>
    <tr class="app-detail"><td></td><td colspan="7">
      <?cs include:"journal_tabs.cs" ?>
      <p class="hint"><a href="/journal/<?cs var:App.id ?>"><?cs var:L.Journal.card ?></a></p>
    </td></tr>
    <?cs /if ?>
  <?cs /each ?>
  </tbody>
</table></div>
<?cs /if ?>
<?cs call:pager() ?>
<?cs include:"layout/foot.cs" ?>
