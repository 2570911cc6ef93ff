<?cs if:TransferFreed > 0 ?>
<div class="warning-box transfer-freed" role="note"><?cs var:L.Transfer.cab_freed ?> <b class="transfer-freed-count"><?cs var:TransferFreed ?></b>. <a href="/places"><?cs var:L.Cabinet.freed_link ?></a></div>
<?cs /if ?>
<?cs if:subcount(Exchanges) > 0 ?>
<section class="card exchanges" id="exchanges" aria-labelledby="ex-h">
  <h2 id="ex-h"><?cs var:L.ExchangeUi.cab_title ?></h2>
  <div class="table-wrap">
  <table class="data exchange-table">
    <thead><tr><th scope="col"><?cs var:L.ExchangeUi.col_out ?></th><th scope="col"><?cs var:L.ExchangeUi.col_in ?></th><th scope="col"><?cs var:L.ExchangeUi.col_other ?></th><th scope="col"><?cs var:L.ExchangeUi.col_year ?></th><th scope="col"><span class="visually-hidden"><?cs var:L.ExchangeUi.open ?></span></th></tr></thead>
    <tbody>
    <?cs each:x = Exchanges ?>
      <tr data-exchange="<?cs var:x.id ?>"><td data-label="<?cs var:L.ExchangeUi.col_out ?>"><?cs var:x.child ?></td><td data-label="<?cs var:L.ExchangeUi.col_in ?>"><?cs var:x.childIn ?></td><td data-label="<?cs var:L.ExchangeUi.col_other ?>"><?cs var:x.other ?></td><td data-label="<?cs var:L.ExchangeUi.col_year ?>"><?cs var:x.year ?></td>
        <td data-label=""><?cs if:x.decided ?><span class="badge badge-ok"><?cs var:L.ExchangeUi.accepted_wait ?></span><?cs else ?><a class="btn" href="/moves/exchange/<?cs var:x.id ?>?ddo=<?cs var:Ddo.id ?>"><?cs var:L.ExchangeUi.open ?></a><?cs /if ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
</section>
<?cs /if ?>
<section class="card waitsizes" id="waitlist" aria-labelledby="wl-h">
  <h2 id="wl-h"><?cs var:L.Waitlist.cab_title ?></h2>
  <p class="hint"><?cs var:L.Waitlist.cab_hint ?></p>
  <?cs if:subcount(WaitSizes) > 0 ?>
  <div class="table-wrap">
  <table class="data waitsize-table">
    <thead><tr><th scope="col"><?cs var:L.Waitlist.cab_year ?></th><th scope="col"><?cs var:L.Waitlist.cab_language ?></th><th scope="col" class="num"><?cs var:L.Waitlist.cab_n ?></th></tr></thead>
    <tbody>
    <?cs each:w = WaitSizes ?>
      <tr data-year="<?cs var:w.year ?>" data-language="<?cs var:w.language ?>"><td data-label="<?cs var:L.Waitlist.cab_year ?>"><?cs var:w.year ?></td><td data-label="<?cs var:L.Waitlist.cab_language ?>"><?cs var:L.Waitlist.lang[w.language] ?></td><td class="num wl-size" data-label="<?cs var:L.Waitlist.cab_n ?>"><?cs var:w.n ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs else ?><p class="muted"><?cs var:L.Waitlist.cab_none ?></p><?cs /if ?>
</section>
