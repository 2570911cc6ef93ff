<?cs set:Page.title = L.Admin.nav_ddo ?><?cs set:Page.id = "admin-ddo" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<div class="actions admin-bar">
  <details class="filter-fold"<?cs if:Query.district || Query.q ?> open<?cs /if ?>><summary><?cs var:L.Phone.filter ?></summary></details>
  <form method="get" action="/admin/ddo" class="filters" id="ddo-filter">
    <label for="f-district"><?cs var:L.Admin.district ?></label>
    <select id="f-district" name="district">
      <option value=""><?cs var:L.Admin.all_districts ?></option>
      <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:d.code == Query.district ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
    </select>
    <label for="f-q"><?cs var:L.Admin.name ?></label>
    <input id="f-q" name="q" type="search" value="<?cs var:Query.q ?>" maxlength="100">
    <button type="submit"><?cs var:L.Admin.find ?></button>
  </form>
  <a class="btn" href="/admin/ddo/new" id="ddo-new"><?cs var:L.Admin.ddo_new ?></a>
</div>
<div class="table-wrap">
<table class="data" id="ddo-list">
  <thead><tr>
    <?cs call:sort_th("name", L.Admin.name) ?><?cs call:sort_th("district", L.Admin.district) ?><?cs call:sort_th("kind", L.Admin.kind) ?>
    <th scope="col"><?cs var:L.Admin.bin ?></th><th scope="col"><?cs var:L.Admin.phone ?></th><th scope="col" class="num"><?cs var:L.Admin.staff_count ?></th><th scope="col"><?cs var:L.Admin.state ?></th>
  </tr></thead>
  <tbody>
  <?cs each:d = Admin.ddos ?>
    <tr><td data-label="<?cs var:L.Admin.name ?>"><a href="/admin/ddo/<?cs var:d.id ?>"><?cs var:d.name ?></a></td><td data-label="<?cs var:L.Admin.district ?>"><?cs var:d.district ?></td><td data-label="<?cs var:L.Admin.kind ?>"><?cs var:d.kind ?></td>
      <td data-label="<?cs var:L.Admin.bin ?>"><?cs var:d.bin ?></td><td data-label="<?cs var:L.Admin.phone ?>"><?cs var:d.phone ?></td><td class="num" data-label="<?cs var:L.Admin.staff_count ?>"><?cs var:d.staff ?></td>
      <td data-label="<?cs var:L.Admin.state ?>"><?cs if:d.active == "1" ?><span class="badge badge-ok"><?cs var:L.Admin.active ?></span><?cs else ?><span class="badge badge-err"><?cs var:L.Admin.inactive ?></span><?cs /if ?></td></tr>
  <?cs /each ?>
  <?cs if:!Admin.ddos.0.id ?><tr><td colspan="7"><?cs var:L.Admin.nothing ?></td></tr><?cs /if ?>
  </tbody>
</table>
<?cs call:pager() ?>
</div>
<?cs include:"layout/foot.cs" ?>
