<?cs # The page of a register support imports (БМГ, ГБД ФЛ): admin.c's struct registry names it (Admin.registry.name) and its texts (Admin.registry.texts: L.Bmg, L.Gbd). ?>
<?cs with:t = L[Admin.registry.texts] ?><?cs set:Page.title = t.report ?><?cs set:Page.id = "admin-" + Admin.registry.name + "-import" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<h2><?cs var:t.report ?></h2>
<?cs if:Admin.import.status == "refused" ?><div class="alert alert-error" role="alert" id="<?cs var:Admin.registry.name ?>-refused"><?cs var:L.Bmg.refused ?></div>
<?cs elif:Admin.import.rejected > 0 ?><div class="alert alert-warn" role="status" id="<?cs var:Admin.registry.name ?>-partial"><?cs var:L.Bmg.partial ?></div>
<?cs else ?><div class="alert alert-ok" role="status" id="<?cs var:Admin.registry.name ?>-done"><?cs var:L.Bmg.done ?></div><?cs /if ?>
<section class="card">
  <dl class="kv" id="<?cs var:Admin.registry.name ?>-report">
    <dt><?cs var:L.Bmg.when ?></dt><dd><?cs var:Admin.import.at ?></dd>
    <dt><?cs var:L.Bmg.who ?></dt><dd><?cs var:Admin.import.by ?></dd>
    <dt><?cs var:L.Bmg.file ?></dt><dd><?cs var:Admin.import.file ?></dd>
    <dt><?cs var:L.Bmg.mode ?></dt><dd><?cs if:Admin.import.mode == "replace" ?><?cs var:L.Bmg.mode_replace ?><?cs else ?><?cs var:L.Bmg.mode_add ?><?cs /if ?></dd>
    <dt><?cs var:L.Bmg.lines ?></dt><dd id="r-lines"><?cs var:Admin.import.lines ?></dd>
    <dt><?cs var:L.Bmg.added ?></dt><dd id="r-added"><?cs var:Admin.import.added ?></dd>
    <dt><?cs var:L.Bmg.known ?></dt><dd id="r-known"><?cs var:Admin.import.known ?></dd>
    <dt><?cs var:L.Bmg.removed ?></dt><dd id="r-removed"><?cs var:Admin.import.removed ?></dd>
    <dt><?cs var:L.Bmg.rejected ?></dt><dd id="r-rejected"><?cs var:Admin.import.rejected ?></dd>
    <dt>SHA-256</dt><dd class="mono"><?cs var:Admin.import.sha256 ?></dd>
  </dl>
</section>
<?cs if:Admin.import.shown > 0 ?>
<h3><?cs var:L.Bmg.rejected_lines ?></h3>
<?cs if:Admin.import.rejected > Admin.import.shown ?><p class="hint"><?cs var:L.Bmg.first_only ?> <?cs var:Admin.import.shown ?></p><?cs /if ?>
<div class="table-wrap">
<table class="data" id="<?cs var:Admin.registry.name ?>-rejects">
  <thead><tr><th scope="col" class="num"><?cs var:L.Bmg.line ?></th><th scope="col"><?cs var:L.Bmg.why ?></th></tr></thead>
  <tbody><?cs each:x = Admin.import.rejects ?><tr><td class="num" data-label="<?cs var:L.Bmg.line ?>"><?cs var:x.line ?></td><td data-label="<?cs var:L.Bmg.why ?>"><?cs var:x.why ?></td></tr><?cs /each ?></tbody>
</table>
</div>
<?cs /if ?>
<p><a href="/admin/<?cs var:Admin.registry.name ?>"><?cs var:t.back ?></a></p>
<?cs include:"layout/foot.cs" ?><?cs /with ?>
