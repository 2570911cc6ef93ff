<?cs set:Page.title = L.Queue.my_title ?><?cs set:Page.id = "queue-my" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Queue.my_title ?></h1>
<p class="lead"><?cs var:L.Queue.my_lead ?></p>
<p class="actions"><a class="btn" href="/queue"><?cs var:L.Queue.new ?></a> <a class="btn btn-light" href="/journal"><?cs var:L.Queue.journal ?></a> <a class="btn btn-light" href="/moves"><?cs var:L.Queue.moves_link ?></a></p>
<?cs include:"queue/offer.cs" ?><?cs each:a = Apps ?><?cs if:a.offer.place && !a.voucher.live ?><p class="offer-of"><b><?cs var:a.number ?></b> — <?cs var:a.surname ?> <?cs var:a.name ?></p><?cs call:offer_box(a) ?><?cs /if ?><?cs /each ?>
<?cs include:"queue/voucher.cs" ?><?cs each:a = Apps ?><?cs if:a.voucher.live || a.voucher.inactive ?><p class="offer-of"><b><?cs var:a.number ?></b> — <?cs var:a.surname ?> <?cs var:a.name ?></p><?cs call:voucher_box(a) ?><?cs /if ?><?cs /each ?>
<?cs each:a = Apps ?><?cs each:n = a.wl ?><div class="notice wl-notice" role="status" data-number="<?cs var:a.number ?>"><b><?cs var:a.number ?></b> — <?cs var:a.surname ?> <?cs var:a.name ?>. <?cs var:L.Waitlist.notice ?>: <b class="wl-ddo"><?cs var:n.ddo ?></b>, <?cs var:n.year ?>, <?cs var:L.Waitlist.lang[n.language] ?>, <?cs var:L.Waitlist.notice_free ?> <?cs var:n.free ?> (<?cs var:n.at ?>). <?cs var:L.Waitlist.notice_order ?></div><?cs /each ?><?cs /each ?>
<?cs if:subcount(Apps) == 0 ?>
<p class="notice"><?cs var:L.Queue.my_none ?></p>
<?cs else ?>
<div class="table-wrap">
<table class="data my-apps">
  <thead><tr>
    <th scope="col"><?cs var:L.Queue.col_number ?></th><th scope="col"><?cs var:L.Queue.col_child ?></th>
    <th scope="col"><?cs var:L.Queue.col_district ?></th><th scope="col" class="num"><?cs var:L.Queue.col_year ?></th>
    <th scope="col"><?cs var:L.Queue.col_date ?></th><th scope="col"><?cs var:L.Queue.col_status ?></th>
    <th scope="col" class="num"><?cs var:L.Queue.col_position ?></th><th scope="col"><?cs var:L.Queue.col_actions ?></th>
  </tr></thead>
  <tbody>
  <?cs each:a = Apps ?>
    <tr data-number="<?cs var:a.number ?>">
      <td data-label="<?cs var:L.Queue.col_number ?>"><a href="/queue/app/<?cs var:a.id ?>"><?cs var:a.number ?></a></td>
      <td data-label="<?cs var:L.Queue.col_child ?>"><?cs var:a.surname ?> <?cs var:a.name ?> <?cs var:a.patronymic ?></td>
      <td data-label="<?cs var:L.Queue.col_district ?>"><?cs var:a.district ?></td>
      <td class="num" data-label="<?cs var:L.Queue.col_year ?>"><?cs var:a.group_year ?></td>
      <td data-label="<?cs var:L.Queue.col_date ?>"><?cs var:a.queued_at ?></td>
      <td data-label="<?cs var:L.Queue.col_status ?>"><?cs var:L.Queue.status[a.status] ?><?cs if:a.archive_reason ?><br><small><?cs var:L.Queue.archived[a.archive_reason] ?></small><?cs /if ?><?cs if:a.refusal.label ?><div class="refusal-reason"><small><?cs var:L.RefusalReason.label ?>: <b class="reason-label"><?cs var:a.refusal.label ?></b>. <span class="reason-text"><?cs var:a.refusal.text ?></span></small><br><small class="refusal-next"><?cs var:L.RefusalReason.next_short ?></small></div><?cs /if ?><?cs if:a.benefitCheck.until ?><div class="benefit-pending"><small><b><?cs var:L.BenefitCheck.status ?></b> <?cs var:a.benefitCheck.until ?></small></div><?cs /if ?></td>
      <td class="num" data-label="<?cs var:L.Queue.col_position ?>"><?cs if:a.pos.queued ?><?cs var:a.pos.overall ?><?cs else ?>—<?cs /if ?></td>
      <td data-label="<?cs var:L.Queue.col_actions ?>"><a href="/queue/app/<?cs var:a.id ?>"><?cs var:L.Queue.open ?></a><?cs if:a.status == "queued" ?> · <a href="/places/choose?application=<?cs var:a.id ?>"><?cs var:L.Life.my.choose ?></a> · <a href="/moves/waitlist/<?cs var:a.id ?>"><?cs var:L.Waitlist.link ?></a> · <a href="/queue/withdraw/<?cs var:a.id ?>"><?cs var:L.Queue.withdraw ?></a><?cs elif:a.status == "referred" ?> · <a href="/enroll"><?cs var:L.Life.my.enroll ?></a><?cs /if ?></td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs if:subcount(Guardians) > 0 ?>
<h2 id="guardian-requests"><?cs var:L.Guardian.my_title ?></h2>
<p class="hint"><?cs var:L.Guardian.my_lead ?></p>
<div class="table-wrap">
<table class="data guardian-requests">
  <thead><tr><th scope="col"><?cs var:L.Guardian.col_number ?></th><th scope="col"><?cs var:L.Queue.col_child ?></th>
    <th scope="col"><?cs var:L.Guardian.col_created ?></th><th scope="col"><?cs var:L.Queue.col_status ?></th></tr></thead>
  <tbody>
  <?cs each:g = Guardians ?>
    <tr data-request="<?cs var:g.id ?>" class="guardian-<?cs var:g.status ?>">
      <td data-label="<?cs var:L.Guardian.col_number ?>"><?cs var:g.id ?></td>
      <td data-label="<?cs var:L.Queue.col_child ?>"><?cs var:g.child ?><br><small><?cs var:g.iin ?></small></td>
      <td data-label="<?cs var:L.Guardian.col_created ?>"><?cs var:g.created ?></td>
      <td data-label="<?cs var:L.Queue.col_status ?>"><span class="guardian-status"><?cs var:L.Guardian.status[g.status] ?></span><?cs if:g.decided ?> <small><?cs var:g.decided ?></small><?cs /if ?>
        <?cs if:g.status == "confirmed" ?><br><small><?cs var:L.Guardian.queued_as ?> <b><?cs var:g.number ?></b></small><?cs /if ?>
        <?cs if:g.status == "refused" ?><br><small><?cs var:L.Guardian.reason ?>: <span class="guardian-reason"><?cs var:g.reason ?></span></small><?cs /if ?></td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
