<?cs set:Page.title = L.Enroll.title ?><?cs set:Page.id = "enroll" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs set:Page.scripts.1 = "/js/countdown.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Enroll.title ?></h1>
<div class="warning-box" role="note"><?cs var:L.Enroll.warning ?></div>
<p class="help-link"><a href="/enroll?help=1"><?cs var:L.Enroll.show_help ?></a> · <a href="/journal"><?cs var:L.Enroll.to_journal ?></a></p>
<?cs if:Enroll.error ?><div class="alert alert-error" role="alert"><?cs var:Enroll.error ?></div><?cs /if ?>
<h2><?cs var:L.Enroll.referrals ?></h2>
<?cs if:Enroll.count == 0 ?>
<p class="notice"><?cs var:L.Enroll.none ?> <a class="btn btn-light" href="/journal"><?cs var:L.Enroll.to_journal ?></a></p>
<?cs else ?>
<p class="lead"><?cs var:L.Enroll.open_hint ?></p>
<?cs each:ref = Refs ?>
<details class="card ref ref-<?cs var:ref.state ?>" id="ref-<?cs var:ref.id ?>"<?cs if:ref.open ?> open<?cs /if ?>>
  <summary><span class="ref-child"><?cs var:ref.child.name ?></span>
    <span class="ref-sub"><?cs var:L.Enroll.referral ?> № <?cs var:ref.number ?> · <?cs var:ref.ddo.name ?></span>
    <span class="badge <?cs if:ref.state == "open" ?>badge-blue<?cs elif:ref.state == "signed" ?>badge-ok<?cs else ?>badge-err<?cs /if ?>"><?cs var:ref.statusText ?></span></summary>
  <div class="ref-body">
    <div class="row2">
      <section>
        <h3><?cs var:L.Enroll.child ?></h3>
        <dl class="kv">
          <dt><?cs var:L.Enroll.child_name ?></dt><dd><?cs var:ref.child.name ?></dd>
          <dt><?cs var:L.Enroll.iin ?></dt><dd><?cs var:ref.child.iin ?></dd>
          <dt><?cs var:L.Enroll.birth ?></dt><dd><?cs var:ref.child.birth ?></dd>
          <dt><?cs var:L.Enroll.sex ?></dt><dd><?cs var:ref.child.sex ?></dd>
          <dt><?cs var:L.Enroll.application ?></dt><dd><a href="/journal/<?cs var:ref.app.id ?>"><?cs var:ref.app.number ?></a></dd>
          <dt><?cs var:L.Enroll.group_year ?></dt><dd><?cs var:ref.app.groupYear ?></dd>
          <dt><?cs var:L.Enroll.language ?></dt><dd><?cs var:ref.app.language ?></dd>
        </dl>
      </section>
      <section>
        <h3><?cs var:L.Enroll.referral ?></h3>
        <dl class="kv">
          <dt><?cs var:L.Enroll.referral_number ?></dt><dd><b><?cs var:ref.number ?></b></dd>
          <dt><?cs var:L.Enroll.ddo ?></dt><dd><?cs var:ref.ddo.name ?></dd>
          <dt><?cs var:L.Enroll.address ?></dt><dd><?cs var:ref.ddo.address ?></dd>
          <dt><?cs var:L.Enroll.phone ?></dt><dd><?cs var:ref.ddo.phone ?></dd>
          <dt><?cs var:L.Enroll.issued ?></dt><dd><?cs var:ref.issued ?></dd>
          <dt><?cs var:L.Enroll.deadline ?></dt><dd class="deadline"><?cs var:ref.deadline ?><?cs if:ref.state == "open" ?> — <b><?cs var:ref.daysText ?></b><?cs /if ?></dd>
        </dl>
      </section>
    </div>
    <?cs if:ref.error ?><div class="alert alert-error" role="alert"><?cs var:ref.error ?></div><?cs /if ?>
    <?cs if:ref.state == "expired" ?><div class="alert alert-error" role="alert"><?cs var:L.Enroll.expired ?></div><?cs /if ?>
    <?cs if:ref.state == "closed" ?><div class="alert alert-error" role="alert"><?cs var:L.Enroll.closed ?></div><?cs /if ?>
    <?cs if:ref.state == "benefit" ?><div class="warning-box benefit-pending" role="note"><?cs var:ref.benefitHint ?></div><?cs /if ?>
    <?cs if:ref.state == "signed" ?><div class="alert alert-ok" role="status"><?cs var:L.Enroll.submitted ?><?cs if:ref.signed.at ?>: <?cs var:ref.signed.at ?> (<?cs var:ref.signed.method ?>)<?cs /if ?></div><?cs /if ?>

    <h3><?cs var:L.Enroll.documents ?></h3>
    <?cs if:ref.state == "open" ?><p class="notice"><?cs var:L.Enroll.quality ?></p>
    <p class="hint"><?cs var:Enroll.formats ?></p><?cs /if ?>
    <ul class="forms">
    <?cs each:f = ref.forms ?>
      <li class="form-doc" id="doc-<?cs var:ref.id ?>-<?cs var:f.kind ?>">
        <div class="form-doc-head"><b><?cs var:f.label ?></b> <span class="hint"><?cs var:f.what ?></span></div>
        <div class="form-doc-file"><?cs if:f.docId ?><span class="badge badge-ok"><?cs var:L.Enroll.uploaded ?></span> <a href="/journal/doc/<?cs var:f.docId ?>"><?cs var:f.filename ?></a> <span class="hint">(<?cs var:f.size ?>, <?cs var:f.uploaded ?>)</span><?cs else ?><span class="badge badge-warn"><?cs var:L.Enroll.not_uploaded ?></span><?cs /if ?></div>
        <?cs if:ref.state == "open" ?>
        <form class="upload" method="post" action="/enroll/<?cs var:ref.id ?>/upload" enctype="multipart/form-data">
          <?cs call:csrf() ?>
          <input type="hidden" name="kind" value="<?cs var:f.kind ?>">
          <label for="file-<?cs var:ref.id ?>-<?cs var:f.kind ?>" class="visually-hidden"><?cs var:L.Enroll.choose ?>: <?cs var:f.label ?></label>
          <input type="file" id="file-<?cs var:ref.id ?>-<?cs var:f.kind ?>" name="file" accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png" required<?cs if:f.error ?> aria-invalid="true" aria-describedby="err-<?cs var:ref.id ?>-<?cs var:f.kind ?>"<?cs /if ?>>
          <button type="submit" class="btn btn-light"><?cs if:f.docId ?><?cs var:L.Enroll.replace ?><?cs else ?><?cs var:L.Enroll.upload ?><?cs /if ?></button>
          <?cs if:f.error ?><span class="field-error" id="err-<?cs var:ref.id ?>-<?cs var:f.kind ?>" role="alert"><?cs var:f.error ?></span><?cs /if ?>
        </form>
        <?cs /if ?>
      </li>
    <?cs /each ?>
    </ul>

    <h3><?cs var:L.Enroll.contract ?></h3>
    <?cs if:ref.contract.id ?>
    <p class="contract-link"><a href="/journal/doc/<?cs var:ref.contract.id ?>" class="btn btn-light"><?cs var:ref.contract.link ?></a></p>
    <?cs elif:ref.state == "open" ?><p class="hint"><?cs var:L.Enroll.contract_wait ?></p><?cs /if ?>

    <?cs if:ref.state == "open" ?>
    <p class="notice"><?cs var:L.Enroll.contract_note ?></p>
    <?cs if:ref.sign.signError ?><div class="alert alert-error" role="alert"><?cs var:ref.sign.signError ?></div><?cs /if ?>
    <?cs if:!ref.sign.ready ?><p class="hint need-forms"><?cs var:L.Enroll.need_forms ?></p><?cs /if ?>
    <?cs if:ref.sign.mode == "otp" ?>
      <p class="hint"><?cs var:ref.sign.hint ?></p>
      <?cs if:ref.sign.ready ?>
      <form method="post" action="/enroll/<?cs var:ref.id ?>/code" class="inline code-form">
        <?cs call:csrf() ?>
        <button type="submit" class="btn btn-light" id="get-code-<?cs var:ref.id ?>"><?cs var:L.Enroll.get_code ?></button>
      </form>
      <?cs if:ref.sign.waitText ?><p class="notice code-wait" role="status" data-countdown="<?cs var:ref.sign.wait ?>" data-countdown-text="<?cs var:L.Otp.wait ?>" data-countdown-done="<?cs var:L.Otp.wait_over ?>" data-countdown-button="get-code-<?cs var:ref.id ?>"><?cs var:ref.sign.waitText ?></p><?cs /if ?>
      <?cs /if ?>
      <form method="post" action="/enroll/<?cs var:ref.id ?>/sign" class="form sign-form">
        <?cs call:csrf() ?>
        <div class="field"><label class="check"><input type="checkbox" name="agree" value="1" required<?cs if:ref.sign.agreeError ?> aria-invalid="true"<?cs /if ?>> <?cs var:L.Enroll.agree ?></label>
          <?cs if:ref.sign.agreeError ?><span class="field-error" role="alert"><?cs var:ref.sign.agreeError ?></span><?cs /if ?></div>
        <div class="field"><label for="code-<?cs var:ref.id ?>"><?cs var:L.Enroll.code ?></label>
          <input type="text" id="code-<?cs var:ref.id ?>" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}"<?cs if:ref.sign.codeError ?> aria-invalid="true"<?cs /if ?>>
          <?cs if:ref.sign.codeError ?><span class="field-error" role="alert"><?cs var:ref.sign.codeError ?></span><?cs /if ?></div>
        <?cs if:ref.sign.text ?><details class="sign-text"><summary><?cs var:L.Enroll.sign_text ?></summary><pre><?cs var:ref.sign.text ?></pre></details><?cs /if ?>
        <div class="actions"><button type="submit" class="btn btn-ok"><?cs var:L.Enroll.sign ?></button></div>
      </form>
    <?cs else ?>
      <form method="post" action="/enroll/<?cs var:ref.id ?>/sign" class="form sign-form"<?cs if:ref.sign.challenge ?> data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:ref.sign.challenge ?>" data-eds-iin="<?cs var:Me.iin ?>" data-msg-working="<?cs var:L.Eds.working ?>" data-msg-not-running="<?cs var:L.Eds.not_running ?>" data-msg-cancelled="<?cs var:L.Eds.cancelled ?>" data-msg-wrong-key="<?cs var:L.Eds.wrong_key ?>" data-msg-failed="<?cs var:L.Eds.failed ?>"<?cs /if ?>>
        <?cs call:csrf() ?>
        <?cs if:ref.sign.nonce ?><input type="hidden" name="nonce" value="<?cs var:ref.sign.nonce ?>"><?cs /if ?>
        <div class="field"><label class="check"><input type="checkbox" name="agree" value="1" required<?cs if:ref.sign.agreeError ?> aria-invalid="true"<?cs /if ?>> <?cs var:L.Enroll.agree ?></label>
          <?cs if:ref.sign.agreeError ?><span class="field-error" role="alert"><?cs var:ref.sign.agreeError ?></span><?cs /if ?></div>
        <?cs if:ref.sign.text ?><details class="sign-text"><summary><?cs var:L.Enroll.sign_text ?></summary><pre><?cs var:ref.sign.text ?></pre></details><?cs /if ?>
        <p class="hint"><?cs var:L.Enroll.eds_hint ?></p>
        <p class="eds-status" data-eds-status role="status"></p>
        <div class="actions"><button type="submit" class="btn btn-ok"><?cs var:L.Enroll.sign ?></button></div>
      </form>
    <?cs /if ?>
    <?cs /if ?>
  </div>
</details>
<?cs /each ?>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
