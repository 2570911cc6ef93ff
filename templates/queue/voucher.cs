<?cs # The voucher of application a (lib/domain/voucher.h), a.voucher.*:
       waiting for consent (pending: confirm or refuse), confirmed (choosing:
       choose any kindergarten of the district), or the application inactive
       (restore once, within the period). Needs layout/macros.cs. ?>
<?cs def:voucher_box(a) ?><?cs if:a.voucher.pending ?>
<section class="card offer voucher" id="voucher-<?cs var:a.id ?>" data-state="pending">
  <h2><?cs var:L.Voucher.title ?></h2>
  <p><?cs var:L.Voucher.lead ?></p>
  <dl class="kv">
    <dt><?cs var:L.Offer.ddo ?></dt><dd class="offer-ddo"><?cs var:a.voucher.ddo ?></dd>
    <dt><?cs var:L.Offer.address ?></dt><dd><?cs var:a.voucher.address ?></dd>
    <dt><?cs var:L.Voucher.consent_until ?></dt><dd class="voucher-until"><?cs var:a.voucher.until ?></dd>
  </dl>
  <p class="hint"><?cs var:L.Voucher.consent_hint ?></p>
  <form method="post" action="/queue/voucher/<?cs var:a.id ?>/confirm" class="actions">
    <?cs call:csrf() ?>
    <button class="btn btn-ok" type="submit" data-once><?cs var:L.Voucher.confirm ?></button>
    <a class="btn btn-danger" href="/queue/voucher/<?cs var:a.id ?>/refuse"><?cs var:L.Voucher.refuse ?></a>
  </form>
</section>
<?cs elif:a.voucher.choosing ?>
<section class="card offer voucher" id="voucher-<?cs var:a.id ?>" data-state="confirmed">
  <h2><?cs var:L.Voucher.confirmed_title ?></h2>
  <p><?cs var:L.Voucher.confirmed_lead ?></p>
  <dl class="kv">
    <dt><?cs var:L.Voucher.offered_ddo ?></dt><dd class="offer-ddo"><?cs var:a.voucher.ddo ?></dd>
    <dt><?cs var:L.Voucher.choose_until ?></dt><dd class="voucher-until"><?cs var:a.voucher.until ?></dd>
  </dl>
  <p class="actions">
    <a class="btn" href="/places/choose?application=<?cs var:a.id ?>"><?cs var:L.Voucher.choose ?></a>
    <a class="btn btn-danger" href="/queue/voucher/<?cs var:a.id ?>/refuse"><?cs var:L.Voucher.refuse ?></a>
  </p>
</section>
<?cs elif:a.voucher.inactive ?>
<section class="card voucher" id="voucher-<?cs var:a.id ?>" data-state="inactive">
  <h2><?cs var:L.Voucher.inactive_title ?></h2>
  <?cs if:a.voucher.restorable ?>
  <p><?cs var:L.Voucher.inactive_lead ?></p>
  <dl class="kv"><dt><?cs var:L.Voucher.restore_until ?></dt><dd class="voucher-restore-until"><?cs var:a.voucher.restore_until ?></dd></dl>
  <form method="post" action="/queue/app/<?cs var:a.id ?>/restore" class="actions">
    <?cs call:csrf() ?>
    <button class="btn btn-ok" type="submit" data-once><?cs var:L.Voucher.restore ?></button>
  </form>
  <?cs elif:a.voucher.restored_once ?>
  <p class="alert alert-warn"><?cs var:L.Voucher.err_restored_once ?></p>
  <?cs else ?>
  <p class="alert alert-warn"><?cs var:L.Voucher.err_restore_over ?></p>
  <?cs /if ?>
</section>
<?cs /if ?><?cs /def ?>
