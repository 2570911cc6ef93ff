<?cs # Pieces the cabinet, the refusal, the departure and the review pages
       share (cgi-bin/decide_view.h fills them from lib/domain/decide.c's
       structs).
       ref_kv(x): the referral as figure 19 draws it — ИИН ребенка, ФИО
       ребенка, ФИО заявителя beside Название ДДО, Год очереди, Льготность —
       then its numbers, status and dates (x: dview_referral's prefix).
       docs(list): the documents with download links (dview_documents).
       eds_msgs(): the NCALayer messages of a signed form (ncalayer.js).
       note(text): a «Просим обратить внимание!» box. ?>
<?cs def:ref_kv(x) ?>
<div class="ref-grid">
  <dl class="kv">
    <dt><?cs var:L.Decide.f.child_iin ?></dt><dd class="iin"><?cs var:x.child.iin ?></dd>
    <dt><?cs var:L.Decide.f.child_fio ?></dt><dd><?cs var:x.child.fio ?></dd>
    <dt><?cs var:L.Decide.f.applicant_fio ?></dt><dd><?cs var:x.applicant.fio ?></dd>
  </dl>
  <dl class="kv">
    <dt><?cs var:L.Decide.f.ddo ?></dt><dd><?cs var:x.ddo ?></dd>
    <dt><?cs var:L.Decide.f.group_year ?></dt><dd><?cs var:x.groupYear ?></dd>
    <dt><?cs var:L.Decide.f.benefit ?></dt><dd><?cs var:x.benefit ?></dd>
  </dl>
</div>
<dl class="kv ref-more">
  <dt><?cs var:L.Decide.f.referral ?></dt><dd><b class="ref-number"><?cs var:x.number ?></b> · <?cs var:L.Decide.f.issued ?> <?cs var:x.issued ?></dd>
  <dt><?cs var:L.Decide.f.status ?></dt><dd><span class="badge badge-<?cs if:x.status == "docs_submitted" || x.status == "must_enroll" ?>warn<?cs elif:x.status == "enrolled" ?>ok<?cs elif:x.status == "annulled" || x.status == "refusal_confirmed" || x.status == "refused" ?>err<?cs else ?>blue<?cs /if ?> ref-status"><?cs var:x.statusLabel ?></span></dd>
  <dt><?cs var:L.Decide.f.application ?></dt><dd><?cs var:x.appNumber ?> · <?cs var:L.Decide.f.queued ?> <?cs var:x.queued ?></dd>
  <dt><?cs var:L.Decide.f.birth ?></dt><dd><?cs var:x.child.birth ?></dd>
  <dt><?cs var:L.Decide.f.language ?></dt><dd><?cs var:x.language ?></dd>
  <?cs if:x.docsSubmitted ?><dt><?cs var:L.Decide.f.submitted ?></dt><dd><?cs var:x.docsSubmitted ?></dd><?cs else ?><dt><?cs var:L.Decide.f.deadline ?></dt><dd><?cs var:x.deadline ?></dd><?cs /if ?>
</dl>
<?cs /def ?>
<?cs def:docs(list) ?>
<?cs if:subcount(list) > 0 ?>
<ul class="doc-list">
<?cs each:d = list ?>
  <li><a href="<?cs var:d.href ?>" class="doc-link"><?cs var:d.label ?></a> <span class="doc-meta"><?cs var:d.filename ?> · <?cs var:d.kb ?> <?cs var:L.Decide.kb ?> · <?cs var:d.date ?><?cs if:d.origin == "system" ?> · <?cs var:L.Decide.generated ?><?cs /if ?></span></li>
<?cs /each ?>
</ul>
<?cs else ?><p class="muted"><?cs var:L.Decide.no_documents ?></p><?cs /if ?>
<?cs /def ?>
<?cs def:eds_msgs() ?> data-msg-working="<?cs var:L.Eds.working ?>" data-msg-not-running="<?cs var:L.Eds.not_running ?>" data-msg-cancelled="<?cs var:L.Eds.cancelled ?>" data-msg-wrong-key="<?cs var:L.Eds.wrong_key ?>" data-msg-failed="<?cs var:L.Eds.failed ?>"<?cs /def ?>
<?cs def:note(text) ?><div class="warning-box note" role="note"><b><?cs var:L.Decide.attention ?></b> <?cs var:text ?></div><?cs /def ?>
<?cs # The text a reviewer signs and the form that sends its signature
     (review.c: a refusal's, a benefit's, a guardian request's decision).
     action: where it is sent; back: the decision's row; danger: 1 when the
     decision goes against the child (its button is red). ?>
<?cs def:review_sign(action, back, danger) ?>
  <p><?cs var:L.Decide.check_text ?></p>
  <pre class="sign-text"><?cs var:Sign.text ?></pre>
  <form method="post" action="<?cs var:action ?>" class="review-sign" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:Sign.challenge ?>"<?cs call:eds_msgs() ?>>
    <?cs call:csrf() ?>
    <input type="hidden" name="decision" value="<?cs var:Decision ?>">
    <input type="hidden" name="comment" value="<?cs var:Comment ?>">
    <input type="hidden" name="nonce" value="<?cs var:Sign.nonce ?>">
    <div class="actions">
      <button type="submit" class="btn<?cs if:danger ?> btn-danger<?cs /if ?>"><?cs var:L.Review.sign ?></button>
      <a class="btn btn-light" href="<?cs var:back ?>"><?cs var:L.Review.cancel ?></a>
      <span class="eds-status" data-eds-status role="status"></span>
    </div>
  </form>
<?cs /def ?>
