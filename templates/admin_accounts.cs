<?cs set:Page.title = L.Admin.nav_accounts ?><?cs set:Page.id = "admin-accounts" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<div class="actions admin-bar">
  <details class="filter-fold"<?cs if:(Query.role && Query.role != "all") || Query.q ?> open<?cs /if ?>><summary><?cs var:L.Phone.filter ?></summary></details>
  <form method="get" action="/admin/accounts" class="filters" id="acct-filter">
    <label for="f-role"><?cs var:L.Admin.role ?></label>
    <select id="f-role" name="role">
      <option value="all"><?cs var:L.Admin.role_all ?></option>
      <option value="staff"<?cs if:Query.role == "staff" ?> selected<?cs /if ?>><?cs var:L.Admin.role_staff ?></option>
      <option value="reviewer"<?cs if:Query.role == "reviewer" ?> selected<?cs /if ?>><?cs var:L.Admin.role_reviewer ?></option>
      <option value="support"<?cs if:Query.role == "support" ?> selected<?cs /if ?>><?cs var:L.Admin.role_support ?></option>
    </select>
    <label for="f-q"><?cs var:L.Admin.iin_or_name ?></label>
    <input id="f-q" name="q" type="search" value="<?cs var:Query.q ?>" maxlength="100">
    <button type="submit"><?cs var:L.Admin.find ?></button>
  </form>
  <a class="btn" href="/admin/accounts/new" id="acct-new"><?cs var:L.Admin.account_new ?></a>
</div>
<p class="hint"><?cs var:L.Admin.accounts_hint ?></p>
<div class="table-wrap">
<table class="data" id="acct-list">
  <thead><tr>
    <?cs call:sort_th("name", L.Admin.fio) ?><th scope="col"><?cs var:L.Admin.iin ?></th><th scope="col"><?cs var:L.Admin.role ?></th>
    <th scope="col"><?cs var:L.Admin.where ?></th><th scope="col"><?cs var:L.Admin.phone ?></th><th scope="col"><?cs var:L.Admin.state ?></th>
  </tr></thead>
  <tbody>
  <?cs each:a = Admin.accounts ?>
    <tr><td data-label="<?cs var:L.Admin.fio ?>"><a href="/admin/accounts/<?cs var:a.id ?>"><?cs var:a.name ?></a></td><td data-label="<?cs var:L.Admin.iin ?>"><?cs var:a.iin ?></td><td data-label="<?cs var:L.Admin.role ?>"><?cs var:a.roles ?></td>
      <td data-label="<?cs var:L.Admin.where ?>"><?cs var:a.ddos ?><?cs if:a.ddos && a.districts ?>; <?cs /if ?><?cs var:a.districts ?></td><td data-label="<?cs var:L.Admin.phone ?>"><?cs var:a.phone ?></td>
      <td data-label="<?cs var:L.Admin.state ?>"><?cs if:a.active == "1" ?><span class="badge badge-ok"><?cs var:L.Admin.active ?></span><?cs else ?><span class="badge badge-err"><?cs var:L.Admin.inactive ?></span><?cs /if ?>
        <?cs if:a.must_change == "1" ?><span class="badge badge-warn"><?cs var:L.Admin.must_change ?></span><?cs /if ?></td></tr>
  <?cs /each ?>
  <?cs if:!Admin.accounts.0.id ?><tr><td colspan="6"><?cs var:L.Admin.nothing ?></td></tr><?cs /if ?>
  </tbody>
</table>
<?cs call:pager() ?>
</div>
<?cs include:"layout/foot.cs" ?>
