<?cs set:Page.title = L.Cabinet.refuse_title ?><?cs set:Page.id = "cabinet-refuse" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<p class="crumbs"><a href="/cabinet"><?cs var:L.Cabinet.title ?></a></p>
<h1 class="page-title"><?cs var:L.Cabinet.processing ?>: <?cs var:L.Cabinet.refuse_title ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card processing">
  <?cs call:ref_kv(Ref) ?>
  <?cs if:Ref.state ?>
  <div class="alert alert-warn ref-state" role="status"><?cs var:Ref.state ?></div>
  <p><a class="btn btn-light" href="/cabinet?by=number&amp;q=<?cs var:url_escape(Ref.number) ?>#result"><?cs var:L.Nav.back ?></a></p>
  <?cs elif:Step == "1" ?>
  <form method="post" action="/cabinet/card/<?cs var:Ref.id ?>" class="card-form">
    <?cs call:csrf() ?>
    <button type="submit" class="btn btn-light"><?cs var:L.Cabinet.card ?></button>
  </form>
  <form method="post" action="/cabinet/refuse/<?cs var:Ref.id ?>" class="refuse-form">
    <?cs call:csrf() ?>
    <?cs call:form_errors() ?>
    <fieldset class="reason-choice" role="radiogroup" aria-required="true"<?cs if:Errors.reason_code ?> aria-invalid="true" aria-describedby="err-reason_code"<?cs /if ?>>
      <legend><?cs var:L.Cabinet.reason ?> *</legend>
      <?cs each:c = Reasons ?><label class="radio"><input type="radio" name="reason_code" value="<?cs var:c.code ?>" required<?cs if:Query.reason_code == c.code ?> checked<?cs /if ?>> <?cs var:c.label ?></label>
      <?cs /each ?><?cs call:err("reason_code") ?>
    </fieldset>
    <div class="field">
      <label for="reason"><?cs var:L.RefusalReason.explanation ?> *</label>
      <textarea id="reason" name="reason" maxlength="1000" required<?cs if:Errors.reason ?> aria-invalid="true" aria-describedby="err-reason"<?cs /if ?>><?cs var:Query.reason ?></textarea>
      <?cs call:err("reason") ?>
      <span class="hint"><?cs var:L.RefusalReason.explanation_hint ?> <?cs var:L.Cabinet.reason_hint ?></span>
    </div>
    <div class="actions">
      <button type="submit" class="btn btn-danger"><?cs var:L.Cabinet.refuse ?></button>
      <a class="btn btn-light" href="/cabinet?by=number&amp;q=<?cs var:url_escape(Ref.number) ?>#result"><?cs var:L.Cabinet.cancel ?></a>
    </div>
  </form>
  <?cs else ?>
  <dl class="kv"><dt><?cs var:L.Cabinet.reason ?></dt><dd class="reason-label"><?cs var:ReasonLabel ?></dd>
    <dt><?cs var:L.RefusalReason.explanation ?></dt><dd class="reason-text"><?cs var:Reason ?></dd></dl>
  <p><?cs var:L.Decide.check_text ?></p>
  <pre class="sign-text"><?cs var:Sign.text ?></pre>
  <form method="post" action="/cabinet/refuse/<?cs var:Ref.id ?>" class="refuse-sign" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:Sign.challenge ?>"<?cs if:Ref.bin ?> data-eds-bin="<?cs var:Ref.bin ?>"<?cs /if ?><?cs call:eds_msgs() ?>>
    <?cs call:csrf() ?>
    <input type="hidden" name="reason_code" value="<?cs var:ReasonCode ?>">
    <input type="hidden" name="reason" value="<?cs var:Reason ?>">
    <input type="hidden" name="nonce" value="<?cs var:Sign.nonce ?>">
    <div class="actions">
      <button type="submit" class="btn btn-danger"><?cs var:L.Cabinet.refuse_sign ?></button>
      <a class="btn btn-light" href="/cabinet?by=number&amp;q=<?cs var:url_escape(Ref.number) ?>#result"><?cs var:L.Cabinet.cancel ?></a>
      <span class="eds-status" data-eds-status role="status"></span>
    </div>
  </form>
  <?cs /if ?>
  <?cs call:note(L.Cabinet.note_refuse) ?>
</section>
<?cs include:"layout/foot.cs" ?>
