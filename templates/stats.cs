<?cs set:Page.title = L.Stats.title ?><?cs set:Page.id = "stats" ?><?cs include:"layout/head.cs" ?>
<?cs # bar_chart(c, title, labels, snames): an SVG chart drawn from the geometry
       stats.c computed (c.grid, c.bars.N.s.K, c.legend); labels translates the
       bar codes (raw when absent), snames the series codes. Colours come from
       the classes in site.css. ?>
<?cs def:bar_chart(c, title, labels, snames) ?>
<figure class="chart-box">
  <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 <?cs var:c.w ?> <?cs var:c.h ?>" width="<?cs var:c.w ?>" height="<?cs var:c.h ?>" role="img" aria-label="<?cs var:title ?>">
    <title><?cs var:title ?></title>
    <?cs each:g = c.grid ?><line class="grid" x1="<?cs var:c.x0 ?>" x2="<?cs var:c.x1 ?>" y1="<?cs var:g.y ?>" y2="<?cs var:g.y ?>"/><text class="axis" x="<?cs var:c.tx ?>" y="<?cs var:g.ty ?>" text-anchor="end"><?cs var:g.label ?></text>
    <?cs /each ?>
    <?cs each:b = c.bars ?><?cs each:s = b.s ?><?cs if:s.value > 0 ?><rect class="<?cs var:s.cls ?>" x="<?cs var:s.x ?>" y="<?cs var:s.y ?>" width="<?cs var:s.w ?>" height="<?cs var:s.h ?>"><title><?cs if:labels[b.label] ?><?cs var:labels[b.label] ?><?cs else ?><?cs var:b.label ?><?cs /if ?> — <?cs var:snames[s.code] ?>: <?cs var:s.value ?></title></rect><?cs /if ?><?cs /each ?>
    <text class="xlab" x="<?cs var:b.lx ?>" y="<?cs var:b.ly ?>" text-anchor="middle"><?cs if:labels[b.label] ?><?cs var:labels[b.label] ?><?cs else ?><?cs var:b.label ?><?cs /if ?></text><?cs if:b.ty ?><text class="bar-total" x="<?cs var:b.lx ?>" y="<?cs var:b.ty ?>" text-anchor="middle"><?cs var:b.total ?></text><?cs /if ?>
    <?cs /each ?>
  </svg>
  <figcaption class="legend"><?cs each:l = c.legend ?><span class="legend-item"><svg class="legend-key" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"><rect class="<?cs var:l.cls ?>" width="12" height="12"/></svg> <?cs var:snames[l.code] ?></span> <?cs /each ?></figcaption>
</figure>
<?cs /def ?>
<?cs def:csv_link(table) ?><a class="btn btn-light csv" href="/stats/csv/<?cs var:table ?>?d=<?cs var:Stats.d ?>" download><?cs var:L.Stats.csv ?></a><?cs /def ?>
<h1 class="page-title"><?cs var:L.Stats.title ?></h1>
<p class="lead"><?cs if:Stats.scope ?><?cs var:Stats.scope_name ?><?cs else ?><?cs var:L.Stats.region ?><?cs /if ?></p>
<form class="stats-scope" method="get" action="/stats">
  <label for="d"><?cs var:L.Stats.scope ?></label>
  <select id="d" name="d">
    <option value="all"<?cs if:!Stats.scope ?> selected<?cs /if ?>><?cs var:L.Stats.region ?></option>
    <?cs each:d = Districts ?><option value="<?cs var:d.code ?>"<?cs if:Stats.scope == d.code ?> selected<?cs /if ?>><?cs var:d.name ?></option>
    <?cs /each ?>
  </select>
  <button type="submit"><?cs var:L.Stats.show ?></button>
</form>

<section class="card stats-section" id="queue">
  <h2><?cs var:L.Stats.queue_title ?></h2>
  <p class="hint"><?cs var:L.Stats.queue_lead ?> <b data-total="queue"><?cs var:Stats.queue.total.total ?></b></p>
  <h3><?cs var:L.Stats.by_year ?></h3>
  <?cs call:bar_chart(Stats.queue.chart_years, L.Stats.by_year, Stats.nolabels, L.Stats.cat) ?>
  <div class="table-wrap"><table class="data" id="t-queue-years">
    <thead><tr><th scope="col"><?cs var:L.Stats.col_year ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.out_of_turn ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.first_priority ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.none ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.total ?></th></tr></thead>
    <tbody><?cs each:y = Stats.queue.years ?><tr><th scope="row"><?cs var:y.code ?></th><td class="num" data-label="<?cs var:L.Stats.cat.out_of_turn ?>"><?cs var:y.out_of_turn ?></td><td class="num" data-label="<?cs var:L.Stats.cat.first_priority ?>"><?cs var:y.first_priority ?></td><td class="num" data-label="<?cs var:L.Stats.cat.none ?>"><?cs var:y.none ?></td><td class="num" data-label="<?cs var:L.Stats.cat.total ?>"><b><?cs var:y.total ?></b></td></tr>
    <?cs /each ?></tbody>
    <tfoot><tr><th scope="row"><?cs var:L.Stats.total ?></th><td class="num" data-label="<?cs var:L.Stats.cat.out_of_turn ?>"><?cs var:Stats.queue.total.out_of_turn ?></td><td class="num" data-label="<?cs var:L.Stats.cat.first_priority ?>"><?cs var:Stats.queue.total.first_priority ?></td><td class="num" data-label="<?cs var:L.Stats.cat.none ?>"><?cs var:Stats.queue.total.none ?></td><td class="num" data-label="<?cs var:L.Stats.cat.total ?>"><b><?cs var:Stats.queue.total.total ?></b></td></tr></tfoot>
  </table></div>
  <p><?cs call:csv_link("queue_years") ?></p>
  <h3><?cs var:L.Stats.by_language ?></h3>
  <?cs call:bar_chart(Stats.queue.chart_langs, L.Stats.by_language, L.Queue.lang, L.Stats.cat) ?>
  <div class="table-wrap"><table class="data" id="t-queue-languages">
    <thead><tr><th scope="col"><?cs var:L.Stats.col_language ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.out_of_turn ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.first_priority ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.none ?></th><th scope="col" class="num"><?cs var:L.Stats.cat.total ?></th></tr></thead>
    <tbody><?cs each:y = Stats.queue.langs ?><tr><th scope="row"><?cs var:L.Queue.lang[y.code] ?></th><td class="num" data-label="<?cs var:L.Stats.cat.out_of_turn ?>"><?cs var:y.out_of_turn ?></td><td class="num" data-label="<?cs var:L.Stats.cat.first_priority ?>"><?cs var:y.first_priority ?></td><td class="num" data-label="<?cs var:L.Stats.cat.none ?>"><?cs var:y.none ?></td><td class="num" data-label="<?cs var:L.Stats.cat.total ?>"><b><?cs var:y.total ?></b></td></tr>
    <?cs /each ?></tbody>
  </table></div>
  <p><?cs call:csv_link("queue_languages") ?></p>
</section>

<section class="card stats-section" id="places">
  <h2><?cs var:L.Stats.places_title ?></h2>
  <p class="hint"><?cs var:L.Stats.places_lead ?></p>
  <?cs call:bar_chart(Stats.places.chart, L.Stats.places_title, L.Stats.place, L.Stats.place_series) ?>
  <div class="table-wrap"><table class="data" id="t-places">
    <thead><tr><th scope="col"><?cs var:L.Stats.col_status ?></th><th scope="col" class="num"><?cs var:L.Stats.col_records ?></th><th scope="col" class="num"><?cs var:L.Stats.col_places ?></th><th scope="col" class="num"><?cs var:L.Stats.col_free ?></th></tr></thead>
    <tbody><?cs each:p = Stats.places.rows ?><tr><th scope="row"><?cs var:L.Stats.place[p.code] ?></th><td class="num" data-label="<?cs var:L.Stats.col_records ?>"><?cs var:p.records ?></td><td class="num" data-label="<?cs var:L.Stats.col_places ?>"><?cs var:p.places ?></td><td class="num" data-label="<?cs var:L.Stats.col_free ?>"><?cs var:p.free ?></td></tr>
    <?cs /each ?></tbody>
    <tfoot><tr><th scope="row"><?cs var:L.Stats.total ?></th><td class="num" data-label="<?cs var:L.Stats.col_records ?>"><?cs var:Stats.places.total.records ?></td><td class="num" data-label="<?cs var:L.Stats.col_places ?>"><?cs var:Stats.places.total.places ?></td><td class="num" data-label="<?cs var:L.Stats.col_free ?>"><?cs var:Stats.places.total.free ?></td></tr></tfoot>
  </table></div>
  <p><?cs call:csv_link("places") ?></p>
</section>

<section class="card stats-section" id="referrals">
  <h2><?cs var:L.Stats.referrals_title ?></h2>
  <p class="hint"><?cs var:L.Stats.referrals_lead ?></p>
  <?cs call:bar_chart(Stats.referrals.chart, L.Stats.referrals_title, Stats.nolabels, L.Stats.ref) ?>
  <div class="table-wrap"><table class="data" id="t-referrals">
    <thead><tr><th scope="col"><?cs var:L.Stats.col_month ?></th><th scope="col" class="num"><?cs var:L.Stats.ref.issued ?></th><th scope="col" class="num"><?cs var:L.Stats.ref.enrolled ?></th><th scope="col" class="num"><?cs var:L.Stats.ref.refused ?></th><th scope="col" class="num"><?cs var:L.Stats.ref.annulled ?></th></tr></thead>
    <tbody><?cs each:m = Stats.referrals.rows ?><tr><th scope="row"><?cs var:m.code ?></th><td class="num" data-label="<?cs var:L.Stats.ref.issued ?>"><?cs var:m.issued ?></td><td class="num" data-label="<?cs var:L.Stats.ref.enrolled ?>"><?cs var:m.enrolled ?></td><td class="num" data-label="<?cs var:L.Stats.ref.refused ?>"><?cs var:m.refused ?></td><td class="num" data-label="<?cs var:L.Stats.ref.annulled ?>"><?cs var:m.annulled ?></td></tr>
    <?cs /each ?></tbody>
    <tfoot><tr><th scope="row"><?cs var:L.Stats.total ?></th><td class="num" data-label="<?cs var:L.Stats.ref.issued ?>"><?cs var:Stats.referrals.total.issued ?></td><td class="num" data-label="<?cs var:L.Stats.ref.enrolled ?>"><?cs var:Stats.referrals.total.enrolled ?></td><td class="num" data-label="<?cs var:L.Stats.ref.refused ?>"><?cs var:Stats.referrals.total.refused ?></td><td class="num" data-label="<?cs var:L.Stats.ref.annulled ?>"><?cs var:Stats.referrals.total.annulled ?></td></tr></tfoot>
  </table></div>
  <p><?cs call:csv_link("referrals") ?></p>
</section>

<section class="card stats-section" id="ddo">
  <h2><?cs var:L.Stats.ddo_title ?></h2>
  <?cs call:bar_chart(Stats.ddo.chart, L.Stats.ddo_title, L.Queue.kind, L.Stats.ddo_series) ?>
  <div class="table-wrap"><table class="data" id="t-ddo">
    <thead><tr><th scope="col"><?cs var:L.Stats.col_kind ?></th><th scope="col" class="num"><?cs var:L.Stats.col_count ?></th><th scope="col" class="num"><?cs var:L.Stats.col_capacity ?></th></tr></thead>
    <tbody><?cs each:k = Stats.ddo.rows ?><tr><th scope="row"><?cs var:L.Queue.kind_long[k.code] ?></th><td class="num" data-label="<?cs var:L.Stats.col_count ?>"><?cs var:k.count ?></td><td class="num" data-label="<?cs var:L.Stats.col_capacity ?>"><?cs var:k.capacity ?></td></tr>
    <?cs /each ?></tbody>
    <tfoot><tr><th scope="row"><?cs var:L.Stats.total ?></th><td class="num" data-label="<?cs var:L.Stats.col_count ?>"><?cs var:Stats.ddo.total.count ?></td><td class="num" data-label="<?cs var:L.Stats.col_capacity ?>"><?cs var:Stats.ddo.total.capacity ?></td></tr></tfoot>
  </table></div>
  <p><?cs call:csv_link("ddo") ?></p>
</section>

<section class="card stats-section" id="vouchers">
  <h2><?cs var:L.Voucher.stats_title ?></h2>
  <p class="hint"><?cs var:L.Voucher.stats_lead ?></p>
  <div class="table-wrap"><table class="data" id="t-vouchers">
    <thead><tr><th scope="col"><?cs var:L.Voucher.stats_col ?></th><th scope="col" class="num"><?cs var:L.Stats.col_count ?></th></tr></thead>
    <tbody><?cs each:k = Stats.vouchers ?><tr data-code="<?cs name:k ?>"><th scope="row"><?cs var:L.Voucher.stats[name(k)] ?></th><td class="num" data-label="<?cs var:L.Stats.col_count ?>"><?cs var:k ?></td></tr>
    <?cs /each ?></tbody>
  </table></div>
</section>
<?cs include:"layout/foot.cs" ?>
