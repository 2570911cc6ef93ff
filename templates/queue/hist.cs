<?cs # Why the queue number moved and the likely wait (domain/qhist.h,
       cgi-bin/qhist_view.h): queue_hist(h) with h = Hist:
       h.shown; h.action, h.q (the search's number, carried by the form), h.base
       (the links' page and query); h.from, h.to (the period); h.counts.<reason>,
       h.any, h.net, h.cut; h.list.kind, .total, .shown, .rows.N.{at,number,category};
       h.days.N.{date,pos,delta} newest first; h.started; h.wait.{queued,enough,lo,hi,
       total,need,min}. Other applications appear only masked: number, category, date. ?>
<?cs def:hist_reason(h, kind) ?><?cs if:h.counts[kind] > 0 ?><li data-reason="<?cs var:kind ?>"><?cs var:L.QHist.r[kind] ?>: <a href="<?cs var:h.base ?>from=<?cs var:url_escape(h.from) ?>&amp;to=<?cs var:url_escape(h.to) ?>&amp;events=<?cs var:kind ?>#hist-list" data-count="<?cs var:kind ?>"><?cs var:h.counts[kind] ?></a></li><?cs /if ?><?cs /def ?>
<?cs # queue_hist_link(number): the search result's way to its history. ?>
<?cs def:queue_hist_link(number) ?><p class="actions"><a class="btn btn-light qhist-open" href="/queue/search?q=<?cs var:url_escape(number) ?>&amp;hist=1#hist"><?cs var:L.QHist.open ?></a></p><?cs /def ?>
<?cs def:queue_hist(h) ?><?cs if:h.shown ?>
<section class="card qhist" id="hist">
  <h2><?cs var:L.QHist.wait_title ?></h2>
  <?cs if:h.wait.enough ?>
  <p class="qhist-wait" data-wait-lo="<?cs var:h.wait.lo ?>" data-wait-hi="<?cs var:h.wait.hi ?>"><?cs var:L.QHist.wait_pace ?> — <b><?cs if:h.wait.lo == h.wait.hi ?><?cs var:h.wait.lo ?><?cs else ?><?cs var:h.wait.lo ?>–<?cs var:h.wait.hi ?><?cs /if ?> <?cs var:L.QHist.months ?></b></p>
  <?cs elif:h.wait.queued ?>
  <p class="qhist-wait" data-wait="none"><?cs var:L.QHist.wait_none ?></p>
  <?cs else ?>
  <p class="qhist-wait notice" data-wait="not-queued"><?cs var:L.QHist.wait_not_queued ?></p>
  <?cs /if ?>
  <?cs if:h.wait.queued ?><p class="hint"><?cs var:L.QHist.wait_figures ?>: <?cs var:h.wait.total ?>; <?cs var:L.QHist.wait_need ?>: <?cs var:h.wait.need ?>.</p><?cs /if ?>
  <details class="qhist-method"><summary><?cs var:L.QHist.method_title ?></summary><p><?cs var:L.QHist.method ?> <?cs var:L.QHist.method_min ?> <?cs var:h.wait.min ?>.</p></details>

  <h2><?cs var:L.QHist.title ?></h2>
  <form class="form qhist-period" method="get" action="<?cs var:h.action ?>#hist">
    <?cs if:h.q ?><input type="hidden" name="q" value="<?cs var:h.q ?>"><input type="hidden" name="hist" value="1"><?cs /if ?>
    <div class="field">
      <label for="hist-from"><?cs var:L.QHist.from ?></label>
      <input type="text" id="hist-from" name="from" value="<?cs var:h.from ?>" inputmode="numeric" maxlength="10" placeholder="<?cs var:L.QHist.date_hint ?>"<?cs if:Errors.from ?> aria-invalid="true" aria-describedby="err-from"<?cs /if ?>>
      <?cs call:err_alert("from") ?>
    </div>
    <div class="field">
      <label for="hist-to"><?cs var:L.QHist.to ?></label>
      <input type="text" id="hist-to" name="to" value="<?cs var:h.to ?>" inputmode="numeric" maxlength="10" placeholder="<?cs var:L.QHist.date_hint ?>"<?cs if:Errors.to ?> aria-invalid="true" aria-describedby="err-to"<?cs /if ?>>
      <?cs call:err_alert("to") ?>
    </div>
    <button type="submit"><?cs var:L.QHist.show ?></button>
  </form>
  <p class="qhist-summary"><?cs var:L.QHist.period_from ?> <?cs var:h.from ?> <?cs var:L.QHist.period_to ?> <?cs var:h.to ?><?cs if:L.QHist.period_end ?> <?cs var:L.QHist.period_end ?><?cs /if ?>:<?cs if:!h.any ?> <?cs var:L.QHist.none ?><?cs /if ?></p>
  <?cs if:h.any ?>
  <ul class="qhist-reasons">
    <?cs call:hist_reason(h, "referred") ?><?cs call:hist_reason(h, "withdrawn") ?><?cs call:hist_reason(h, "left") ?>
    <?cs call:hist_reason(h, "benefit_ahead") ?><?cs call:hist_reason(h, "entered_ahead") ?>
    <?cs call:hist_reason(h, "recat_ahead") ?><?cs call:hist_reason(h, "recat_behind") ?>
  </ul>
  <p class="hint"><?cs var:L.QHist.net ?>: <b data-net="<?cs var:h.net ?>"><?cs if:h.net > 0 ?>+<?cs /if ?><?cs var:h.net ?></b></p>
  <?cs /if ?>
  <?cs if:h.cut ?><p class="alert alert-warn"><?cs var:L.QHist.cut ?></p><?cs /if ?>
  <?cs if:h.list.kind ?>
  <table class="data qhist-list" id="hist-list">
    <caption><?cs var:L.QHist.r[h.list.kind] ?> (<?cs var:h.list.total ?>)<?cs if:h.list.shown ?> — <?cs var:L.QHist.list_first ?> <?cs var:h.list.shown ?><?cs /if ?></caption>
    <thead><tr><th scope="col"><?cs var:L.QHist.col_at ?></th><th scope="col"><?cs var:L.QHist.col_number ?></th><th scope="col"><?cs var:L.QHist.col_category ?></th></tr></thead>
    <tbody>
    <?cs each:e = h.list.rows ?><tr><td data-label="<?cs var:L.QHist.col_at ?>"><?cs var:e.at ?></td><td data-label="<?cs var:L.QHist.col_number ?>" class="masked"><?cs var:e.number ?></td><td data-label="<?cs var:L.QHist.col_category ?>"><?cs var:L.Benefit.cat[e.category] ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <?cs /if ?>

  <table class="data qhist-days">
    <caption><?cs var:L.QHist.days_title ?></caption>
    <thead><tr><th scope="col"><?cs var:L.QHist.col_day ?></th><th scope="col" class="num"><?cs var:L.QHist.col_pos ?></th><th scope="col" class="num"><?cs var:L.QHist.col_change ?></th></tr></thead>
    <tbody>
    <?cs each:d = h.days ?><tr><td data-label="<?cs var:L.QHist.col_day ?>"><?cs var:d.date ?></td><td class="num" data-label="<?cs var:L.QHist.col_pos ?>" data-day-pos="<?cs var:d.pos ?>"><?cs if:d.pos > 0 ?><?cs var:d.pos ?><?cs else ?><?cs var:L.QHist.not_queued ?><?cs /if ?></td><td class="num" data-label="<?cs var:L.QHist.col_change ?>"><?cs var:d.delta ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  <p class="hint"><?cs var:L.QHist.days_hint ?><?cs if:h.started ?> <?cs var:L.QHist.started ?> <?cs var:h.started ?>.<?cs /if ?></p>
</section>
<?cs /if ?><?cs /def ?>
