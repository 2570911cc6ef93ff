<?cs # The support screen's sections (included by every admin_*.cs). ?>
<h1 class="page-title"><?cs var:L.Admin.title ?></h1>
<nav class="tabs admin-tabs" aria-label="<?cs var:L.Admin.title ?>">
  <a href="/admin"<?cs if:Admin.section == "home" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_home ?></a>
  <a href="/admin/ddo"<?cs if:Admin.section == "ddo" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_ddo ?></a>
  <a href="/admin/accounts"<?cs if:Admin.section == "accounts" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_accounts ?></a>
  <a href="/admin/bmg"<?cs if:Admin.section == "bmg" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_bmg ?></a>
  <a href="/admin/gbd"<?cs if:Admin.section == "gbd" ?> aria-current="page"<?cs /if ?>><?cs var:L.Gbd.nav ?></a>
  <a href="/admin/districts"<?cs if:Admin.section == "districts" ?> aria-current="page"<?cs /if ?>><?cs var:L.Voucher.admin_nav ?></a>
  <a href="/admin/holidays"<?cs if:Admin.section == "holidays" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_holidays ?></a>
  <a href="/admin/refresh"<?cs if:Admin.section == "refresh" ?> aria-current="page"<?cs /if ?>><?cs var:L.Refresh.nav ?></a>
  <a href="/admin/places"<?cs if:Admin.section == "places" ?> aria-current="page"<?cs /if ?>><?cs var:L.Withdraw.nav ?></a>
  <a href="/admin/audit"<?cs if:Admin.section == "audit" ?> aria-current="page"<?cs /if ?>><?cs var:L.Admin.nav_audit ?></a>
</nav>
<?cs if:Msg.error ?><div class="alert alert-error" role="alert"><?cs var:Msg.error ?></div><?cs /if ?>
