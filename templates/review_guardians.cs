<?cs set:Page.title = L.Guardian.title ?><?cs set:Page.id = "review-guardians" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # «Законные представители»: the guardian requests of the reviewer's
       districts awaiting a decision, oldest first, then the decided ones
       (review.c guardians). ?>
<?cs set:ReviewTab = "guardians" ?><?cs include:"review_tabs.cs" ?>
<h1 class="page-title"><?cs var:L.Guardian.title ?></h1>
<p class="lead"><?cs var:L.Guardian.lead ?></p>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<h2><?cs var:L.Guardian.pending ?> (<span class="pending-count"><?cs var:ReviewCount.guardians ?></span>)</h2>
<?cs each:g = Guardians ?>
<article class="card guardian-request" id="guardian-<?cs var:g.id ?>">
  <h3><?cs var:g.child ?> — № <?cs var:g.id ?></h3>
  <dl class="kv">
    <dt><?cs var:L.Guardian.child ?></dt><dd><?cs var:g.child ?>, <?cs var:L.Queue.child_iin ?> <?cs var:g.childIin ?>, <?cs var:L.Queue.born ?> <?cs var:g.birth ?></dd>
    <dt><?cs var:L.Guardian.applicant ?></dt><dd class="guardian-applicant"><?cs var:g.applicant ?>, <?cs var:L.Queue.applicant_iin ?> <?cs var:g.applicantIin ?></dd>
    <dt><?cs var:L.Guardian.district ?></dt><dd><?cs var:g.district ?>, <?cs var:L.Queue.col_year ?> <?cs var:g.groupYear ?>, <?cs var:L.Queue.lang[g.language] ?></dd>
    <?cs if:g.ground ?><dt><?cs var:L.Queue.benefit ?></dt><dd><?cs var:L.Benefit.g[g.ground].name ?></dd><?cs /if ?>
    <dt><?cs var:L.Guardian.created ?></dt><dd><?cs var:g.created ?></dd>
    <dt><?cs var:L.Guardian.document ?></dt><dd><a class="guardian-doc" href="/review/guardians/doc/<?cs var:g.id ?>"><?cs var:L.Guardian.open_doc ?></a> <small><?cs var:g.docName ?></small></dd>
  </dl>
  <form method="post" action="/review/guardians/<?cs var:g.id ?>" class="review-form">
    <?cs call:csrf() ?>
    <div class="field">
      <label for="comment-<?cs var:g.id ?>"><?cs var:L.Guardian.comment ?></label>
      <textarea id="comment-<?cs var:g.id ?>" name="comment" maxlength="1000" required<?cs if:ErrFor == g.id && Errors.comment ?> aria-invalid="true" aria-describedby="err-comment"<?cs /if ?>><?cs if:ErrFor == g.id ?><?cs var:Query.comment ?><?cs /if ?></textarea>
      <?cs if:ErrFor == g.id ?><?cs call:err("comment") ?><?cs call:err("decision") ?><?cs /if ?>
    </div>
    <div class="actions">
      <button type="submit" name="decision" value="confirm" class="btn"><?cs var:L.Guardian.confirm ?></button>
      <button type="submit" name="decision" value="refuse" class="btn btn-danger"><?cs var:L.Guardian.refuse ?></button>
    </div>
  </form>
</article>
<?cs /each ?>
<?cs if:subcount(Guardians) == 0 ?><p class="card muted no-pending"><?cs var:L.Guardian.none ?></p><?cs /if ?>

<h2 id="decided"><?cs var:L.Guardian.decided ?></h2>
<div class="table-wrap">
<table class="data guardians-decided">
  <thead><tr><th scope="col"><?cs var:L.Guardian.col_number ?></th><th scope="col"><?cs var:L.Guardian.child ?></th><th scope="col"><?cs var:L.Guardian.applicant ?></th><th scope="col"><?cs var:L.Guardian.created ?></th><th scope="col"><?cs var:L.Guardian.decision ?></th><th scope="col"><?cs var:L.Guardian.reason ?></th></tr></thead>
  <tbody>
  <?cs each:d = GuardiansDecided ?>
    <tr data-request="<?cs var:d.id ?>"><td data-label="<?cs var:L.Guardian.col_number ?>"><?cs var:d.id ?></td><td data-label="<?cs var:L.Guardian.child ?>"><?cs var:d.child ?><br><small><?cs var:d.childIin ?></small></td><td data-label="<?cs var:L.Guardian.applicant ?>"><?cs var:d.applicant ?></td><td data-label="<?cs var:L.Guardian.created ?>"><?cs var:d.created ?></td>
      <td data-label="<?cs var:L.Guardian.decision ?>"><span class="badge <?cs if:d.status == "confirmed" ?>badge-ok<?cs else ?>badge-warn<?cs /if ?>"><?cs var:L.Guardian.status[d.status] ?></span> <small><?cs var:d.decided ?></small><?cs if:d.number ?><br><small><?cs var:d.number ?></small><?cs /if ?></td>
      <td data-label="<?cs var:L.Guardian.reason ?>"><?cs var:d.reason ?></td></tr>
  <?cs /each ?>
  <?cs if:subcount(GuardiansDecided) == 0 ?><tr><td colspan="6" class="muted"><?cs var:L.Guardian.decided_none ?></td></tr><?cs /if ?>
  </tbody>
</table>
</div>
<?cs include:"layout/foot.cs" ?>
