<?cs # The page of a register support imports (БМГ, ГБД ФЛ): admin.c's struct registry names it (Admin.registry.name) and its texts (Admin.registry.texts: L.Bmg, L.Gbd). ?>
<?cs with:t = L[Admin.registry.texts] ?><?cs set:Page.title = t.title ?><?cs set:Page.id = "admin-" + Admin.registry.name ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<p class="lead"><?cs var:t.lead ?></p>
<section class="card">
  <dl class="kv">
    <dt><?cs var:t.count ?></dt><dd id="<?cs var:Admin.registry.name ?>-count"><?cs var:Admin.registry.count ?></dd>
    <dt><?cs var:L.Bmg.lookup ?></dt><dd><?cs if:Admin.registry.lookup == "command" ?><?cs var:t.lookup_command ?><?cs else ?><?cs var:L.Bmg.lookup_table ?><?cs /if ?></dd>
  </dl>
</section>
<form class="form" method="post" action="/admin/<?cs var:Admin.registry.name ?>" enctype="multipart/form-data" id="<?cs var:Admin.registry.name ?>-form">
  <?cs call:csrf() ?>
  <h2><?cs var:L.Bmg.import ?></h2>
  <p class="hint"><?cs var:t.format ?></p>
  <div class="field">
    <label for="f-file"><?cs var:L.Bmg.file ?></label>
    <input id="f-file" name="file" type="file" accept=".csv,text/csv,text/plain"<?cs if:Errors.file ?> aria-invalid="true" aria-describedby="err-file"<?cs /if ?> required>
    <?cs call:err("file") ?>
  </div>
  <div class="field"><label class="radio"><input type="checkbox" name="replace" value="1"> <?cs var:L.Bmg.replace ?></label>
    <span class="hint"><?cs var:t.replace_hint ?></span></div>
  <div class="actions"><button type="submit"><?cs var:L.Bmg.upload ?></button></div>
</form>
<?cs if:Admin.imports.0.id ?>
<h2><?cs var:L.Bmg.history ?></h2>
<div class="table-wrap">
<table class="data" id="<?cs var:Admin.registry.name ?>-imports">
  <thead><tr><th scope="col"><?cs var:L.Bmg.when ?></th><th scope="col"><?cs var:L.Bmg.who ?></th><th scope="col"><?cs var:L.Bmg.file ?></th>
    <th scope="col"><?cs var:L.Bmg.mode ?></th><th scope="col" class="num"><?cs var:L.Bmg.lines ?></th><th scope="col" class="num"><?cs var:L.Bmg.added ?></th>
    <th scope="col" class="num"><?cs var:L.Bmg.known ?></th><th scope="col" class="num"><?cs var:L.Bmg.removed ?></th><th scope="col" class="num"><?cs var:L.Bmg.rejected ?></th></tr></thead>
  <tbody>
  <?cs each:i = Admin.imports ?><tr><td data-label="<?cs var:L.Bmg.when ?>"><a href="/admin/<?cs var:Admin.registry.name ?>/<?cs var:i.id ?>"><?cs var:i.at ?></a></td><td data-label="<?cs var:L.Bmg.who ?>"><?cs var:i.by ?></td><td data-label="<?cs var:L.Bmg.file ?>"><?cs var:i.file ?></td>
    <td data-label="<?cs var:L.Bmg.mode ?>"><?cs if:i.mode == "replace" ?><?cs var:L.Bmg.mode_replace ?><?cs else ?><?cs var:L.Bmg.mode_add ?><?cs /if ?><?cs if:i.status == "refused" ?> <span class="badge badge-err"><?cs var:L.Bmg.refused_badge ?></span><?cs /if ?></td>
    <td class="num" data-label="<?cs var:L.Bmg.lines ?>"><?cs var:i.lines ?></td><td class="num" data-label="<?cs var:L.Bmg.added ?>"><?cs var:i.added ?></td><td class="num" data-label="<?cs var:L.Bmg.known ?>"><?cs var:i.known ?></td><td class="num" data-label="<?cs var:L.Bmg.removed ?>"><?cs var:i.removed ?></td><td class="num" data-label="<?cs var:L.Bmg.rejected ?>"><?cs var:i.rejected ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?><?cs /with ?>
