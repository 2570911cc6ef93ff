<?cs set:Page.title = L.Review.title ?><?cs set:Page.id = "review" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<?cs set:ReviewTab = "refusals" ?><?cs include:"review_tabs.cs" ?>
<h1 class="page-title"><?cs var:L.Review.title ?></h1>
<p class="lead"><?cs var:L.Review.lead ?></p>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<h2><?cs var:L.Review.pending ?> (<span class="pending-count"><?cs var:PendingCount ?></span>)</h2>
<?cs each:f = Pending ?>
<article class="card refusal" id="refusal-<?cs var:f.id ?>">
  <h3><?cs var:f.ref.child.fio ?> — <?cs var:L.Decide.f.referral ?> <?cs var:f.ref.number ?></h3>
  <?cs call:ref_kv(f.ref) ?>
  <dl class="kv refusal-kv">
    <dt><?cs var:L.Review.refused_at ?></dt><dd><?cs var:f.refusedAt ?></dd>
    <dt><?cs var:L.Review.reason ?></dt><dd><b class="reason-label"><?cs var:f.reasonLabel ?></b><br><span class="reason-text"><?cs var:f.reason ?></span></dd>
    <dt><?cs var:L.Review.signed ?></dt><dd class="signed-by"><?cs var:f.staff ?> · <?cs var:L.Decide.text.iin ?> <?cs var:f.signerIin ?> · <?cs var:f.signedAt ?> · <?cs var:L.Review.serial ?> <span class="serial"><?cs var:f.serial ?></span><?cs if:f.sig > 0 ?> · <a class="sig-cms" href="/journal/sig/<?cs var:f.sig ?>.p7s"><?cs var:L.Proof.cms ?></a> · <a class="sig-text" href="/journal/sig/<?cs var:f.sig ?>.txt"><?cs var:L.Proof.text ?></a><?cs /if ?></dd>
  </dl>
  <h4><?cs var:L.Cabinet.documents ?></h4>
  <?cs call:docs(f.docs) ?>
  <form method="post" action="/review/<?cs var:f.id ?>" class="review-form">
    <?cs call:csrf() ?>
    <div class="field">
      <label for="comment-<?cs var:f.id ?>"><?cs var:L.Review.comment ?></label>
      <textarea id="comment-<?cs var:f.id ?>" name="comment" maxlength="1000" required<?cs if:ErrFor == f.id && Errors.comment ?> aria-invalid="true" aria-describedby="err-comment"<?cs /if ?>><?cs if:ErrFor == f.id ?><?cs var:Query.comment ?><?cs /if ?></textarea>
      <?cs if:ErrFor == f.id ?><?cs call:err("comment") ?><?cs call:err("decision") ?><?cs /if ?>
    </div>
    <div class="actions">
      <button type="submit" name="decision" value="confirm" class="btn btn-light"><?cs var:L.Review.confirm ?></button>
      <button type="submit" name="decision" value="reject" class="btn btn-ok"><?cs var:L.Review.reject ?></button>
    </div>
    <p class="hint"><?cs var:L.Review.confirm_hint ?> <?cs var:L.Review.reject_hint ?></p>
  </form>
</article>
<?cs /each ?>
<?cs if:subcount(Pending) == 0 ?><p class="card muted no-pending"><?cs var:L.Review.none ?></p><?cs /if ?>

<h2 id="decided"><?cs var:L.Review.decided ?></h2>
<div class="table-wrap">
<table class="data decided-table">
  <thead><tr><?cs call:sort_th("date", L.Review.col_date) ?><th scope="col"><?cs var:L.Review.col_child ?></th><th scope="col"><?cs var:L.Review.col_ddo ?></th><th scope="col"><?cs var:L.Decide.f.referral ?></th><th scope="col"><?cs var:L.Review.reason ?></th><th scope="col"><?cs var:L.Review.col_decision ?></th><th scope="col"><?cs var:L.Review.comment ?></th><th scope="col"><?cs var:L.Review.col_doc ?></th></tr></thead>
  <tbody>
  <?cs each:d = Decided ?>
    <tr><td data-label="<?cs var:L.Review.col_date ?>"><?cs var:d.date ?></td><td data-label="<?cs var:L.Review.col_child ?>"><?cs var:d.child ?><br><small><?cs var:d.app ?></small></td><td data-label="<?cs var:L.Review.col_ddo ?>"><?cs var:d.ddo ?></td><td data-label="<?cs var:L.Decide.f.referral ?>"><?cs var:d.ref ?></td><td data-label="<?cs var:L.Review.reason ?>"><b class="reason-label"><?cs var:d.reasonLabel ?></b><br><span class="reason-text"><?cs var:d.reason ?></span></td>
      <td data-label="<?cs var:L.Review.col_decision ?>"><span class="badge <?cs if:d.status == "confirmed" ?>badge-ok<?cs else ?>badge-warn<?cs /if ?>"><?cs var:d.statusLabel ?></span></td><td data-label="<?cs var:L.Review.comment ?>"><?cs var:d.comment ?></td>
      <td data-label="<?cs var:L.Review.col_doc ?>"><?cs if:d.doc > 0 ?><a href="/review/doc/<?cs var:d.doc ?>"><?cs var:L.Review.pdf ?></a><?cs /if ?></td></tr>
  <?cs /each ?>
  <?cs if:subcount(Decided) == 0 ?><tr><td colspan="8" class="muted"><?cs var:L.Review.decided_none ?></td></tr><?cs /if ?>
  </tbody>
</table>
<?cs call:pager() ?>
</div>
<?cs include:"layout/foot.cs" ?>
