<?cs set:Page.title = L.Admin.title ?><?cs set:Page.id = "admin" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<p class="lead"><?cs var:L.Admin.lead ?></p>
<ul class="tiles tiles-row admin-tiles">
  <li><a class="tile tile-flat" href="/admin/ddo"><b><?cs var:L.Admin.nav_ddo ?></b><span><?cs var:L.Admin.count_ddo ?>: <b id="count-ddo"><?cs var:Admin.count.ddo ?></b></span></a></li>
  <li><a class="tile tile-flat" href="/admin/accounts"><b><?cs var:L.Admin.nav_accounts ?></b><span><?cs var:L.Admin.count_staff ?>: <b><?cs var:Admin.count.staff ?></b> · <?cs var:L.Admin.count_reviewers ?>: <b><?cs var:Admin.count.reviewers ?></b></span></a></li>
  <li><a class="tile tile-flat" href="/admin/bmg"><b><?cs var:L.Admin.nav_bmg ?></b><span><?cs var:L.Admin.count_bmg ?>: <b><?cs var:Admin.count.bmg ?></b></span></a></li>
  <li><a class="tile tile-flat" href="/admin/holidays"><b><?cs var:L.Admin.nav_holidays ?></b><span><?cs var:Admin.year ?>: <b><?cs var:Admin.count.holidays ?></b></span></a></li>
  <li><a class="tile tile-flat" href="/admin/audit"><b><?cs var:L.Admin.nav_audit ?></b><span><?cs var:L.Admin.audit_sub ?></span></a></li>
</ul>
<div class="actions">
  <a class="btn" href="/admin/ddo/new"><?cs var:L.Admin.ddo_new ?></a>
  <a class="btn" href="/admin/accounts/new"><?cs var:L.Admin.account_new ?></a>
</div>
<?cs include:"layout/foot.cs" ?>
