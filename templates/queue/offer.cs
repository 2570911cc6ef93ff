<?cs # An open offer of a place (lib/domain/offer.h) of application a:
       a.offer.place, ddo, address, year, language, until; the way to take
       it (the choice's confirmation page) and to decline it. ?>
<?cs def:offer_box(a) ?><?cs if:a.offer.place && !a.voucher.live ?>
<section class="card offer" id="offer-<?cs var:a.id ?>" data-place="<?cs var:a.offer.place ?>">
  <h2><?cs var:L.Offer.title ?></h2>
  <p><?cs var:L.Offer.lead ?></p>
  <dl class="kv">
    <dt><?cs var:L.Offer.ddo ?></dt><dd class="offer-ddo"><?cs var:a.offer.ddo ?></dd>
    <dt><?cs var:L.Offer.address ?></dt><dd><?cs var:a.offer.address ?></dd>
    <dt><?cs var:L.Offer.year ?></dt><dd><?cs var:a.offer.year ?></dd>
    <dt><?cs var:L.Offer.language ?></dt><dd><?cs var:L.Queue.lang[a.offer.language] ?></dd>
    <dt><?cs var:L.Offer.until ?></dt><dd class="offer-until"><?cs var:a.offer.until ?></dd>
  </dl>
  <p class="actions">
    <a class="btn" href="/places/choose/confirm?application=<?cs var:a.id ?>&amp;place=<?cs var:a.offer.place ?>"><?cs var:L.Offer.accept ?></a>
    <a class="btn btn-danger" href="/queue/offer/<?cs var:a.id ?>/decline"><?cs var:L.Offer.decline ?></a>
  </p>
</section>
<?cs /if ?><?cs /def ?>
