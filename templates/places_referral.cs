<?cs set:Page.title = L.Places.referral_title ?><?cs set:Page.id = "places-referral" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # A citizen's referral: number, DDO, deadline, the PDF. ?>
<h1 class="page-title"><?cs var:L.Places.referral_title ?> № <span id="ref-number"><?cs var:Ref.number ?></span></h1>
<section class="card">
  <dl class="kv">
    <dt><?cs var:L.Places.referral_number ?></dt><dd><?cs var:Ref.number ?></dd>
    <dt><?cs var:L.Places.ref_status ?></dt><dd id="ref-status"><?cs var:Ref.statusText ?></dd>
    <dt><?cs var:L.Places.app_number ?></dt><dd><?cs var:Ref.application ?> (<?cs var:Ref.appStatusText ?>)</dd>
    <dt><?cs var:L.Places.child ?></dt><dd><?cs var:Ref.child ?></dd>
    <dt><?cs var:L.Places.ddo ?></dt><dd id="ref-ddo"><?cs var:Ref.ddo ?></dd>
    <dt><?cs var:L.Places.address ?></dt><dd><?cs var:Ref.address ?></dd>
    <dt><?cs var:L.Places.col_kind ?></dt><dd><?cs var:Ref.kind ?></dd>
    <dt><?cs var:L.Places.ddo_phone ?></dt><dd><?cs var:Ref.phone ?></dd>
    <dt><?cs var:L.Places.year ?></dt><dd><?cs var:Ref.year ?></dd>
    <dt><?cs var:L.Places.language ?></dt><dd><?cs var:Ref.lang ?></dd>
    <dt><?cs var:L.Places.issued ?></dt><dd><?cs var:Ref.issued ?></dd>
    <dt><?cs var:L.Places.deadline ?></dt><dd id="ref-deadline"><?cs var:Ref.deadline ?><?cs if:Ref.daysLeft ?> — <?cs var:Ref.daysLeft ?><?cs /if ?></dd>
  </dl>
  <p class="actions">
    <?cs if:Ref.pdf ?><a class="btn" id="ref-pdf" href="/places/referral/<?cs var:Ref.id ?>/pdf"><?cs var:L.Places.pdf ?></a><?cs elif:Ref.pdfPending ?><span class="muted" id="ref-pdf-pending"><?cs var:L.RefPdf.pending ?></span><?cs /if ?>
    <?cs if:Ref.status == "issued" ?><a class="btn btn-light" href="/enroll"><?cs var:L.Places.to_enroll ?></a><?cs /if ?>
  </p>
  <?cs if:Ref.status == "issued" ?><p class="warning-box"><?cs var:L.Places.next_steps ?></p><?cs /if ?>
  <?cs if:Ref.benefitHint ?><p class="warning-box benefit-pending" id="ref-benefit"><?cs var:Ref.benefitHint ?></p><?cs /if ?>
</section>
<p><a href="/places/choose"><?cs var:L.Places.back_to_apps ?></a></p>
<?cs include:"layout/foot.cs" ?>
