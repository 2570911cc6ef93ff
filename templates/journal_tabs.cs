<?cs # The three tabs of one application (App.*, filled by journal.c):
       App.tabHref.<tab> are the links, App.tab the chosen one. ?>
<nav class="tabs" aria-label="<?cs var:App.number ?>">
  <a href="<?cs var:App.tabHref.info ?>"<?cs if:App.tab == "info" ?> aria-current="page"<?cs /if ?>><?cs var:L.Journal.tab_info ?></a>
  <a href="<?cs var:App.tabHref.history ?>"<?cs if:App.tab == "history" ?> aria-current="page"<?cs /if ?>><?cs var:L.Journal.tab_history ?></a>
  <a href="<?cs var:App.tabHref.docs ?>"<?cs if:App.tab == "docs" ?> aria-current="page"<?cs /if ?>><?cs var:L.Journal.tab_docs ?></a>
</nav>
<div class="tab-body tab-<?cs var:App.tab ?>">
<?cs if:App.tab == "info" ?>
  <div class="row2">
    <section>
      <h3><?cs var:L.Journal.applicant ?></h3>
      <dl class="kv">
        <dt><?cs var:L.Journal.name ?></dt><dd><?cs var:App.parent.name ?></dd>
        <dt><?cs var:L.Journal.iin_label ?></dt><dd><?cs var:App.parent.iin ?></dd>
        <dt><?cs var:L.Journal.phone ?></dt><dd><?cs var:App.parent.phone ?></dd>
        <?cs if:App.parent.email ?><dt><?cs var:L.Journal.email ?></dt><dd><?cs var:App.parent.email ?></dd><?cs /if ?>
      </dl>
      <h3><?cs var:L.Journal.child ?></h3>
      <dl class="kv">
        <dt><?cs var:L.Journal.name ?></dt><dd><?cs var:App.child.name ?></dd>
        <dt><?cs var:L.Journal.iin_label ?></dt><dd><?cs var:App.child.iin ?></dd>
        <dt><?cs var:L.Journal.birth ?></dt><dd><?cs var:App.child.birth ?></dd>
        <dt><?cs var:L.Journal.sex ?></dt><dd><?cs var:App.child.sex ?></dd>
      </dl>
    </section>
    <section>
      <h3><?cs var:L.Journal.application ?></h3>
      <dl class="kv">
        <dt><?cs var:L.Journal.app_number ?></dt><dd><b><?cs var:App.number ?></b></dd>
        <dt><?cs var:L.Journal.created ?></dt><dd><?cs var:App.created ?></dd>
        <dt><?cs var:L.Journal.queued ?></dt><dd><?cs var:App.queued ?></dd>
        <dt><?cs var:L.Journal.district ?></dt><dd><?cs var:App.district ?></dd>
        <dt><?cs var:L.Journal.group_year ?></dt><dd><?cs var:App.groupYear ?></dd>
        <dt><?cs var:L.Journal.language ?></dt><dd><?cs var:App.language ?></dd>
        <dt><?cs var:L.Journal.benefit_label ?></dt><dd><?cs var:App.benefit ?></dd>
        <dt><?cs var:L.Journal.status_label ?></dt><dd><?cs var:App.statusText ?></dd>
        <?cs if:App.archiveReason ?><dt><?cs var:L.Journal.archive_label ?></dt><dd><?cs var:App.archiveReason ?></dd><?cs /if ?>
        <?cs if:App.position ?><dt><?cs var:L.Journal.position ?></dt><dd class="position"><b><?cs var:App.position ?></b> (<?cs var:App.positionCat ?> <?cs var:L.Journal.position_cat ?>)</dd><?cs /if ?>
        <?cs if:subcount(App.prefs) > 0 ?><dt><?cs var:L.Journal.prefs ?></dt><dd><?cs each:p = App.prefs ?><?cs var:p ?><?cs if:!last(p) ?>; <?cs /if ?><?cs /each ?></dd><?cs /if ?>
      </dl>
      <h3><?cs var:L.Journal.referral ?></h3>
      <?cs if:App.ref.number ?>
      <dl class="kv">
        <dt><?cs var:L.Journal.ref_number ?></dt><dd><b><?cs var:App.ref.number ?></b></dd>
        <dt><?cs var:L.Journal.ref_status_label ?></dt><dd><?cs var:App.ref.statusText ?></dd>
        <dt><?cs var:L.Journal.ddo ?></dt><dd><?cs var:App.ref.ddo ?></dd>
        <dt><?cs var:L.Journal.address ?></dt><dd><?cs var:App.ref.address ?></dd>
        <dt><?cs var:L.Journal.issued ?></dt><dd><?cs var:App.ref.issued ?></dd>
        <dt><?cs var:L.Journal.deadline ?></dt><dd><?cs var:App.ref.deadline ?><?cs if:App.ref.expired ?> (<?cs var:L.Journal.expired ?>)<?cs elif:App.ref.status == "issued" ?> (<?cs var:App.ref.daysText ?>)<?cs /if ?></dd>
        <?cs if:App.ref.submitted ?><dt><?cs var:L.Journal.submitted ?></dt><dd><?cs var:App.ref.submitted ?></dd><?cs /if ?>
      </dl>
      <?cs else ?><p class="hint"><?cs var:L.Journal.no_referral ?></p><?cs /if ?>
      <?cs if:App.refusal.label ?>
      <h3><?cs var:L.RefusalReason.title ?></h3>
      <dl class="kv refusal-kv">
        <dt><?cs var:L.RefusalReason.ddo ?></dt><dd><?cs var:App.refusal.ddo ?></dd>
        <dt><?cs var:L.RefusalReason.referral ?></dt><dd><?cs var:App.refusal.referral ?></dd>
        <dt><?cs var:L.RefusalReason.refused_at ?></dt><dd><?cs var:App.refusal.at ?></dd>
        <dt><?cs var:L.RefusalReason.label ?></dt><dd><b class="reason-label"><?cs var:App.refusal.label ?></b></dd>
        <dt><?cs var:L.RefusalReason.explanation ?></dt><dd class="reason-text"><?cs var:App.refusal.text ?></dd>
        <dt><?cs var:L.Journal.status_label ?></dt><dd class="refusal-status"><?cs var:App.refusal.statusText ?></dd>
      </dl>
      <?cs if:App.refusal.status == "pending" ?><p class="hint refusal-next"><?cs var:L.RefusalReason.next ?></p><?cs /if ?>
      <?cs /if ?>
    </section>
  </div>
  <?cs include:"journal_sigs.cs" ?>
<?cs elif:App.tab == "history" ?>
  <?cs if:subcount(App.hist) == 0 ?><p class="hint"><?cs var:L.Journal.h_empty ?></p><?cs else ?>
  <div class="table-wrap"><table class="data history">
    <thead><tr><th scope="col"><?cs var:L.Journal.h_when ?></th><th scope="col"><?cs var:L.Journal.h_who ?></th><th scope="col"><?cs var:L.Journal.h_what ?></th></tr></thead>
    <tbody>
    <?cs each:h = App.hist ?><tr><td class="num" data-label="<?cs var:L.Journal.h_when ?>"><?cs var:h.at ?></td><td data-label="<?cs var:L.Journal.h_who ?>"><?cs var:h.role ?><?cs if:h.who ?> — <?cs var:h.who ?><?cs /if ?></td><td data-label="<?cs var:L.Journal.h_what ?>"><?cs var:h.what ?></td></tr>
    <?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
<?cs else ?>
  <h3><?cs var:L.Journal.attached ?></h3>
  <?cs if:subcount(App.docs.applicant) == 0 ?><p class="hint"><?cs var:L.Journal.d_none ?></p><?cs else ?>
  <div class="table-wrap"><table class="data docs docs-applicant">
    <thead><tr><th scope="col"><?cs var:L.Journal.d_kind ?></th><th scope="col"><?cs var:L.Journal.d_file ?></th><th scope="col"><?cs var:L.Journal.d_date ?></th><th scope="col"></th></tr></thead>
    <tbody>
    <?cs each:d = App.docs.applicant ?><tr<?cs if:d.replaced ?> class="replaced"<?cs /if ?>><td data-label="<?cs var:L.Journal.d_kind ?>"><?cs var:d.kind ?><?cs if:d.replaced ?> <span class="badge badge-warn"><?cs var:d.replacedText ?></span><?cs /if ?></td><td data-label="<?cs var:L.Journal.d_file ?>"><?cs var:d.filename ?> <span class="hint">(<?cs var:d.size ?>)</span></td><td class="num" data-label="<?cs var:L.Journal.d_date ?>"><?cs var:d.created ?></td><td><a class="btn btn-light" href="/journal/doc/<?cs var:d.id ?>"><?cs var:L.Journal.download ?></a></td></tr>
    <?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
  <h3><?cs var:L.Journal.general ?></h3>
  <?cs if:subcount(App.docs.system) == 0 ?><p class="hint"><?cs var:L.Journal.d_none ?></p><?cs else ?>
  <div class="table-wrap"><table class="data docs docs-system">
    <thead><tr><th scope="col"><?cs var:L.Journal.d_kind ?></th><th scope="col"><?cs var:L.Journal.d_number ?></th><th scope="col"><?cs var:L.Journal.d_date ?></th><th scope="col"></th></tr></thead>
    <tbody>
    <?cs each:d = App.docs.system ?><tr><td data-label="<?cs var:L.Journal.d_kind ?>"><?cs var:d.kind ?><?cs if:d.signedText ?> <span class="badge badge-ok"><?cs var:d.signedText ?></span><?cs /if ?></td><td data-label="<?cs var:L.Journal.d_number ?>"><?cs var:d.number ?></td><td class="num" data-label="<?cs var:L.Journal.d_date ?>"><?cs var:d.created ?></td><td><a class="btn btn-light" href="/journal/doc/<?cs var:d.id ?>"><?cs var:L.Journal.download ?></a><?cs if:d.code ?> <a href="/check/<?cs var:d.code ?>"><?cs var:L.Journal.check ?></a><?cs /if ?></td></tr>
    <?cs /each ?></tbody>
  </table></div>
  <?cs /if ?>
<?cs /if ?>
</div>
