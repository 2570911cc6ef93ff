<?cs set:Page.title = L.Proto.title ?><?cs set:Page.id = "places-protocol" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # The distribution protocol of a free-place record (protocol.h): public, no names. ?>
<h1 class="page-title"><?cs var:L.Proto.title ?> № <span id="proto-record"><?cs var:Rec.id ?></span></h1>
<p class="lead"><?cs var:L.Proto.lead ?></p>
<section class="card">
  <dl class="kv">
    <dt><?cs var:L.Places.ddo ?></dt><dd id="proto-ddo"><?cs var:Rec.name ?></dd>
    <dt><?cs var:L.Places.district ?></dt><dd><?cs var:Rec.district ?></dd>
    <dt><?cs var:L.Places.year ?></dt><dd id="proto-year"><?cs var:Rec.year ?></dd>
    <dt><?cs var:L.Places.language ?></dt><dd><?cs var:Rec.lang ?></dd>
    <dt><?cs var:L.Proto.places ?></dt><dd id="proto-places"><?cs var:Rec.freeText ?></dd>
    <dt><?cs var:L.Proto.created ?></dt><dd><?cs var:Rec.created ?></dd>
    <dt><?cs var:L.Places.col_status ?></dt><dd><?cs var:Rec.status_text ?><?cs if:Rec.window ?> (<?cs var:Rec.window ?>)<?cs /if ?></dd>
  </dl>
  <p class="actions">
    <a class="btn btn-light" id="proto-csv" href="/places/protocol/<?cs var:Rec.id ?>.csv">CSV</a>
    <a class="btn btn-light" id="proto-json" href="/places/protocol/<?cs var:Rec.id ?>.json">JSON</a>
    <a class="btn btn-light" id="proto-month" href="/places/protocols?district=<?cs var:Rec.districtCode ?>&amp;month=<?cs var:Rec.month ?>"><?cs var:L.Proto.month_file ?></a>
  </p>
</section>
<?cs if:subcount(Events) ?>
<div class="table-wrap">
<table class="data protocol-table" id="proto-events">
  <caption class="visually-hidden"><?cs var:L.Proto.caption ?></caption>
  <thead><tr>
    <th scope="col">№</th><th scope="col"><?cs var:L.Proto.col_time ?></th><th scope="col"><?cs var:L.Proto.col_event ?></th>
    <th scope="col"><?cs var:L.Proto.col_offer ?></th><th scope="col"><?cs var:L.Proto.col_number ?></th>
    <th scope="col"><?cs var:L.Proto.col_category ?></th><th scope="col"><?cs var:L.Proto.col_position ?></th>
  </tr></thead>
  <tbody>
  <?cs each:e = Events ?><tr data-event="<?cs var:e.event ?>">
    <td data-label="№" class="num"><?cs var:e.no ?></td>
    <td data-label="<?cs var:L.Proto.col_time ?>"><?cs var:e.time ?></td>
    <td data-label="<?cs var:L.Proto.col_event ?>"><?cs var:e.eventText ?></td>
    <td data-label="<?cs var:L.Proto.col_offer ?>" class="num"><?cs if:e.offerNo ?><?cs var:e.offerNo ?><?cs else ?>—<?cs /if ?></td>
    <td data-label="<?cs var:L.Proto.col_number ?>" class="masked"><?cs var:e.number ?></td>
    <td data-label="<?cs var:L.Proto.col_category ?>" data-category="<?cs var:e.category ?>"><?cs var:e.categoryText ?></td>
    <td data-label="<?cs var:L.Proto.col_position ?>" class="num"><?cs if:e.position ?><?cs var:e.position ?><?cs else ?>—<?cs /if ?></td>
  </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs else ?>
<p class="empty" id="proto-none"><?cs var:L.Proto.none ?></p>
<?cs /if ?>
<section class="card">
  <h2><?cs var:L.Proto.how_title ?></h2>
  <p><?cs var:L.Proto.how ?></p>
  <p class="hint"><?cs var:L.Proto.privacy ?></p>
</section>
<p><a href="/places"><?cs var:L.Proto.back ?></a></p>
<?cs include:"layout/foot.cs" ?>
