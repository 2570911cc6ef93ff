<?cs set:Page.title = L.Admin.nav_audit ?><?cs set:Page.id = "admin-audit" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<?cs if:Admin.chain.ok ?><div class="alert alert-ok" role="status" id="chain"><?cs var:L.Admin.chain_ok ?> <?cs var:Admin.chain.rows ?>. <?cs var:L.Admin.chain_at ?> <?cs var:Admin.chain.at ?>. <a href="/admin/audit?verify=1"><?cs var:L.Admin.chain_again ?></a></div>
<?cs else ?><div class="alert alert-error" role="alert" id="chain"><?cs var:Admin.chain.text ?> <?cs var:L.Admin.chain_at ?> <?cs var:Admin.chain.at ?>. <a href="/admin/audit?verify=1"><?cs var:L.Admin.chain_again ?></a></div><?cs /if ?>
<details class="filter-fold"<?cs if:Query.action || Query.actor ?> open<?cs /if ?>><summary><?cs var:L.Phone.filter ?></summary></details>
<form method="get" action="/admin/audit" class="filters admin-bar" id="audit-filter">
  <label for="f-action"><?cs var:L.Admin.action ?></label>
  <input type="text" id="f-action" name="action" value="<?cs var:Query.action ?>" maxlength="64" placeholder="login"<?cs if:Errors.action ?> aria-invalid="true" aria-describedby="err-action"<?cs /if ?>>
  <label for="f-actor"><?cs var:L.Admin.actor_iin ?></label>
  <input type="text" id="f-actor" name="actor" value="<?cs var:Query.actor ?>" maxlength="12" inputmode="numeric"<?cs if:Errors.actor ?> aria-invalid="true" aria-describedby="err-actor"<?cs /if ?>>
  <button type="submit"><?cs var:L.Admin.find ?></button>
  <?cs call:err("action") ?><?cs call:err("actor") ?>
</form>
<div class="table-wrap">
<table class="data" id="audit-list">
  <thead><tr><th scope="col">№</th><th scope="col"><?cs var:L.Admin.when ?></th><th scope="col"><?cs var:L.Admin.actor ?></th><th scope="col"><?cs var:L.Admin.ip ?></th>
    <th scope="col"><?cs var:L.Admin.action ?></th><th scope="col"><?cs var:L.Admin.object ?></th><th scope="col"><?cs var:L.Admin.outcome ?></th><th scope="col"><?cs var:L.Admin.details ?></th></tr></thead>
  <tbody>
  <?cs each:a = Admin.audit ?><tr><td data-label="№"><?cs var:a.id ?></td><td data-label="<?cs var:L.Admin.when ?>"><?cs var:a.at ?></td><td data-label="<?cs var:L.Admin.actor ?>"><?cs var:a.role ?><?cs if:a.actor ?>: <?cs var:a.actor ?> (<?cs var:a.iin ?>)<?cs /if ?></td><td data-label="<?cs var:L.Admin.ip ?>"><?cs var:a.ip ?></td>
    <td data-label="<?cs var:L.Admin.action ?>"><?cs var:a.action ?></td><td data-label="<?cs var:L.Admin.object ?>"><?cs var:a.object ?><?cs if:a.object_id ?> #<?cs var:a.object_id ?><?cs /if ?></td>
    <td data-label="<?cs var:L.Admin.outcome ?>"><?cs if:a.outcome == "ok" ?><span class="badge badge-ok">ok</span><?cs else ?><span class="badge badge-warn"><?cs var:a.outcome ?></span><?cs /if ?></td><td class="details" data-label="<?cs var:L.Admin.details ?>"><?cs var:a.details ?></td></tr><?cs /each ?>
  <?cs if:!Admin.audit.0.id ?><tr><td colspan="8"><?cs var:L.Admin.nothing ?></td></tr><?cs /if ?>
  </tbody>
</table>
<?cs call:pager() ?>
</div>
<?cs include:"layout/foot.cs" ?>
