<?cs set:Page.title = L.Check.title ?><?cs set:Page.id = "check" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Check.title ?></h1>
<p class="lead"><?cs var:L.Check.lead ?></p>
<section class="card check-card">
  <h2><span class="badge badge-ok"><?cs var:L.Check.found ?></span></h2>
  <dl class="kv">
    <dt><?cs var:L.Check.kind ?></dt><dd class="check-kind"><?cs var:Check.kind ?></dd>
    <dt><?cs var:L.Check.number ?></dt><dd class="check-number"><?cs var:Check.number ?></dd>
    <dt><?cs var:L.Check.created ?></dt><dd><?cs var:Check.created ?></dd>
    <dt><?cs var:L.Check.sha ?></dt><dd><code class="sha check-sha"><?cs var:Check.sha ?></code></dd>
    <dt><?cs var:L.Check.size ?></dt><dd><?cs var:Check.size ?></dd>
  </dl>
</section>
<?cs if:Check.result == "same" ?><div class="alert alert-ok check-result" role="status"><?cs var:L.Check.same ?></div><?cs /if ?>
<?cs if:Check.result == "differs" ?><div class="alert alert-error check-result" role="alert"><?cs var:L.Check.differs ?><br><?cs var:L.Check.file_sha ?>: <code class="sha"><?cs var:Check.fileSha ?></code></div><?cs /if ?>
<section class="card">
  <h2><?cs var:L.Check.compare ?></h2>
  <p class="hint"><?cs var:L.Check.compare_hint ?></p>
  <form method="post" action="/check/<?cs var:Check.code ?>" enctype="multipart/form-data" class="form">
    <?cs call:csrf() ?>
    <div class="field"><label for="check-file"><?cs var:L.Check.file ?></label>
      <input type="file" id="check-file" name="file" required<?cs if:Errors.file ?> aria-invalid="true" aria-describedby="err-file"<?cs /if ?>>
      <?cs call:err("file") ?></div>
    <div class="actions"><button type="submit" class="btn"><?cs var:L.Check.submit ?></button></div>
  </form>
</section>
<?cs include:"layout/foot.cs" ?>
