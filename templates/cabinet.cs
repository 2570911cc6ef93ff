<?cs set:Page.title = L.Cabinet.title ?><?cs set:Page.id = "cabinet" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<h1 class="page-title"><?cs var:L.Cabinet.title ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>

<section class="card ddo-card" aria-labelledby="ddo-h">
  <h2 id="ddo-h"><?cs var:L.Cabinet.ddos ?></h2>
  <?cs if:DDOcount == 0 ?>
  <p class="alert alert-warn"><?cs var:L.Cabinet.no_ddo ?></p>
  <?cs elif:DDOcount == 1 ?>
  <p class="ddo-one"><b><?cs var:Ddo.name ?></b> · <?cs var:DDOs.0.kind ?></p>
  <?cs else ?>
  <form method="post" action="/cabinet/ddo" class="ddo-choice">
    <?cs call:csrf() ?>
    <select name="ddo" aria-label="<?cs var:L.Cabinet.ddos ?>"<?cs if:Errors.ddo ?> aria-invalid="true" aria-describedby="err-ddo"<?cs /if ?>>
      <option value=""><?cs var:L.Cabinet.choose ?></option>
      <?cs each:d = DDOs ?><option value="<?cs var:d.id ?>"<?cs if:d.current ?> selected<?cs /if ?>><?cs var:d.name ?></option><?cs /each ?>
    </select>
    <button type="submit"><?cs var:L.Cabinet.add ?></button>
    <?cs call:err("ddo") ?>
  </form>
  <?cs if:!Ddo.id ?>
  <h3><?cs var:L.Cabinet.choose ?></h3>
  <div class="table-wrap">
  <table class="data ddo-table">
    <thead><tr><th scope="col"><?cs var:L.Cabinet.ddo_name ?></th><th scope="col"><?cs var:L.Cabinet.ddo_kind ?></th><th scope="col"><span class="visually-hidden"><?cs var:L.Cabinet.select ?></span></th></tr></thead>
    <tbody>
    <?cs each:d = DDOs ?>
      <tr><td data-label="<?cs var:L.Cabinet.ddo_name ?>"><?cs var:d.name ?></td><td data-label="<?cs var:L.Cabinet.ddo_kind ?>"><?cs var:d.kind ?></td>
        <td><form method="post" action="/cabinet/ddo" class="inline"><?cs call:csrf() ?><input type="hidden" name="ddo" value="<?cs var:d.id ?>"><button type="submit" class="btn btn-light"><?cs var:L.Cabinet.select ?></button></form></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
  <?cs /if ?>
</section>

<?cs if:Ddo.id ?>
<?cs if:Freed > 0 ?>
<div class="warning-box freed" role="note"><?cs var:L.Cabinet.freed ?> <b class="freed-count"><?cs var:Freed ?></b>. <?cs var:L.Cabinet.freed_hint ?> <a href="/places"><?cs var:L.Cabinet.freed_link ?></a></div>
<?cs /if ?>

<?cs include:"cabinet_moves.cs" ?>
<section class="card processing" id="result" aria-labelledby="proc-h">
  <h2 id="proc-h"><?cs var:L.Cabinet.processing ?></h2>
  <form method="get" action="/cabinet" class="search-row">
    <fieldset class="switch">
      <legend><?cs var:L.Cabinet.search_by ?></legend>
      <input type="radio" id="by-iin" name="by" value="iin"<?cs if:Query.by != "number" ?> checked<?cs /if ?>><label for="by-iin"><?cs var:L.Cabinet.by_iin ?></label>
      <input type="radio" id="by-number" name="by" value="number"<?cs if:Query.by == "number" ?> checked<?cs /if ?>><label for="by-number"><?cs var:L.Cabinet.by_number ?></label>
    </fieldset>
    <input type="text" name="q" value="<?cs var:Query.q ?>" maxlength="40" inputmode="numeric" autocomplete="off" aria-label="<?cs var:L.Cabinet.q_label ?>" placeholder="<?cs var:L.Cabinet.q_placeholder ?>"<?cs if:Errors.q ?> aria-invalid="true" aria-describedby="err-q"<?cs /if ?>>
    <button type="submit"><?cs var:L.Cabinet.search ?></button>
  </form>
  <?cs call:err_alert("by") ?><?cs call:err_alert("q") ?>

  <?cs if:Ref.id ?>
  <div class="ref-result">
    <?cs call:ref_kv(Ref) ?>
    <?cs if:Ref.status == "must_enroll" ?>
    <div class="alert alert-warn must-enroll"><?cs var:L.Cabinet.must_enroll ?><?cs if:Ref.reviewComment ?> <?cs var:L.Cabinet.review_comment ?>: «<?cs var:Ref.reviewComment ?>»<?cs /if ?></div>
    <?cs /if ?>
    <h3><?cs var:L.Cabinet.documents ?></h3>
    <?cs call:docs(Ref.docs) ?>
    <?cs if:Ref.state ?><div class="alert alert-warn ref-state" role="status"><?cs var:Ref.state ?></div><?cs /if ?>
    <div class="actions ref-actions">
      <form method="post" action="/cabinet/card/<?cs var:Ref.id ?>" class="inline">
        <?cs call:csrf() ?>
        <button type="submit" class="btn btn-light"><?cs var:L.Cabinet.card ?></button>
      </form>
      <?cs if:Ref.canAccept ?>
      <form method="post" action="/cabinet/accept" class="inline accept-form" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:Sign.challenge ?>"<?cs if:Ref.bin ?> data-eds-bin="<?cs var:Ref.bin ?>"<?cs /if ?><?cs call:eds_msgs() ?>>
        <?cs call:csrf() ?>
        <input type="hidden" name="ref" value="<?cs var:Ref.id ?>">
        <input type="hidden" name="nonce" value="<?cs var:Sign.nonce ?>">
        <button type="submit" class="btn btn-ok"><?cs var:L.Cabinet.accept ?></button>
        <span class="eds-status" data-eds-status role="status"></span>
      </form>
      <?cs /if ?>
      <?cs if:Ref.canRefuse ?><a class="btn btn-danger" href="/cabinet/refuse/<?cs var:Ref.id ?>"><?cs var:L.Cabinet.refuse ?></a><?cs /if ?>
    </div>
    <?cs if:Ref.canAccept ?>
    <details class="sign-text-box"><summary><?cs var:L.Decide.sign_text ?></summary><pre class="sign-text"><?cs var:Sign.text ?></pre></details>
    <?cs /if ?>
  </div>
  <?cs /if ?>
  <?cs call:note(L.Cabinet.note_accept) ?>
  <?cs call:note(L.Cabinet.note_refuse) ?>
</section>

<section class="card waiting" aria-labelledby="wait-h">
  <h2 id="wait-h"><?cs var:L.Cabinet.waiting ?></h2>
  <?cs if:subcount(Waiting) > 0 ?>
  <div class="table-wrap">
  <table class="data waiting-table">
    <thead><tr>
      <th scope="col"><?cs var:L.Cabinet.col_ref ?></th><th scope="col"><?cs var:L.Cabinet.col_iin ?></th>
      <th scope="col"><?cs var:L.Cabinet.col_name ?></th><th scope="col"><?cs var:L.Cabinet.col_year ?></th>
      <th scope="col"><?cs var:L.Decide.f.submitted ?></th><th scope="col"><?cs var:L.Decide.f.status ?></th><th scope="col"><span class="visually-hidden"><?cs var:L.Cabinet.open ?></span></th>
    </tr></thead>
    <tbody>
    <?cs each:w = Waiting ?>
      <tr class="<?cs if:w.status == "must_enroll" ?>must<?cs /if ?>"><td data-label="<?cs var:L.Cabinet.col_ref ?>"><?cs var:w.number ?></td><td data-label="<?cs var:L.Cabinet.col_iin ?>"><?cs var:w.iin ?></td><td data-label="<?cs var:L.Cabinet.col_name ?>"><?cs var:w.fio ?></td><td data-label="<?cs var:L.Cabinet.col_year ?>"><?cs var:w.year ?></td><td data-label="<?cs var:L.Decide.f.submitted ?>"><?cs var:w.submitted ?></td>
        <td data-label="<?cs var:L.Decide.f.status ?>"><span class="badge <?cs if:w.status == "must_enroll" ?>badge-err<?cs elif:w.status == "refused" ?>badge-blue<?cs else ?>badge-warn<?cs /if ?>"><?cs var:w.statusLabel ?></span></td>
        <td><a href="/cabinet?by=number&amp;q=<?cs var:url_escape(w.number) ?>#result"><?cs var:L.Cabinet.open ?></a></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs else ?><p class="muted"><?cs var:L.Cabinet.waiting_none ?></p><?cs /if ?>
</section>

<section class="card enrolled" id="enrolled" aria-labelledby="enr-h">
  <h2 id="enr-h"><?cs var:L.Cabinet.enrolled ?></h2>
  <form id="flt" method="get" action="/cabinet#enrolled">
    <input type="hidden" name="sort" value="<?cs var:Sort.cur ?>">
    <input type="hidden" name="dir" value="<?cs var:Sort.curDir ?>">
  </form>
  <details class="filter-fold"<?cs if:Query.f_iin || Query.f_name || Query.f_app || Query.f_ref || Query.f_year ?> open<?cs /if ?>><summary><?cs var:L.Phone.filter ?></summary></details>
  <div class="table-wrap">
  <table class="data enrolled-table">
    <thead>
      <tr><?cs call:sort_th("iin", L.Cabinet.col_iin) ?><?cs call:sort_th("name", L.Cabinet.col_name) ?><?cs call:sort_th("app", L.Cabinet.col_app) ?><?cs call:sort_th("ref", L.Cabinet.col_ref) ?><?cs call:sort_th("year", L.Cabinet.col_year) ?><th scope="col"><?cs var:L.Cabinet.col_action ?></th></tr>
      <tr class="filters">
        <th data-label="<?cs var:L.Cabinet.col_iin ?>"><input form="flt" type="search" name="f_iin" value="<?cs var:Query.f_iin ?>" maxlength="12" inputmode="numeric" aria-label="<?cs var:L.Cabinet.filter ?>: <?cs var:L.Cabinet.col_iin ?>"<?cs if:Errors.f_iin ?> aria-invalid="true" aria-describedby="err-f_iin"<?cs /if ?>><?cs call:err("f_iin") ?></th>
        <th data-label="<?cs var:L.Cabinet.col_name ?>"><input form="flt" type="search" name="f_name" value="<?cs var:Query.f_name ?>" maxlength="100" aria-label="<?cs var:L.Cabinet.filter ?>: <?cs var:L.Cabinet.col_name ?>"<?cs if:Errors.f_name ?> aria-invalid="true" aria-describedby="err-f_name"<?cs /if ?>><?cs call:err("f_name") ?></th>
        <th data-label="<?cs var:L.Cabinet.col_app ?>"><input form="flt" type="search" name="f_app" value="<?cs var:Query.f_app ?>" maxlength="40" aria-label="<?cs var:L.Cabinet.filter ?>: <?cs var:L.Cabinet.col_app ?>"<?cs if:Errors.f_app ?> aria-invalid="true" aria-describedby="err-f_app"<?cs /if ?>><?cs call:err("f_app") ?></th>
        <th data-label="<?cs var:L.Cabinet.col_ref ?>"><input form="flt" type="search" name="f_ref" value="<?cs var:Query.f_ref ?>" maxlength="10" inputmode="numeric" aria-label="<?cs var:L.Cabinet.filter ?>: <?cs var:L.Cabinet.col_ref ?>"<?cs if:Errors.f_ref ?> aria-invalid="true" aria-describedby="err-f_ref"<?cs /if ?>><?cs call:err("f_ref") ?></th>
        <th data-label="<?cs var:L.Cabinet.col_year ?>"><input form="flt" type="search" name="f_year" value="<?cs var:Query.f_year ?>" maxlength="4" inputmode="numeric" aria-label="<?cs var:L.Cabinet.filter ?>: <?cs var:L.Cabinet.col_year ?>"<?cs if:Errors.f_year ?> aria-invalid="true" aria-describedby="err-f_year"<?cs /if ?>><?cs call:err("f_year") ?></th>
        <th><button form="flt" type="submit" class="btn btn-light"><?cs var:L.Cabinet.apply ?></button></th>
      </tr>
    </thead>
    <tbody>
    <?cs each:e = Enrolled ?>
      <tr><td data-label="<?cs var:L.Cabinet.col_iin ?>"><?cs var:e.iin ?></td><td data-label="<?cs var:L.Cabinet.col_name ?>"><?cs var:e.fio ?></td><td data-label="<?cs var:L.Cabinet.col_app ?>"><?cs var:e.app ?></td><td data-label="<?cs var:L.Cabinet.col_ref ?>"><?cs var:e.ref ?></td><td data-label="<?cs var:L.Cabinet.col_year ?>"><?cs var:e.year ?></td>
        <td><a class="btn btn-light departed-link" href="/departure/<?cs var:e.id ?>"><?cs var:L.Cabinet.departed ?></a><?cs if:e.sig > 0 ?> <small class="sig-files"><a class="sig-cms" href="/journal/sig/<?cs var:e.sig ?>.p7s"><?cs var:L.Proof.cms ?></a> · <a class="sig-text" href="/journal/sig/<?cs var:e.sig ?>.txt"><?cs var:L.Proof.text ?></a></small><?cs /if ?></td></tr>
    <?cs /each ?>
    <?cs if:subcount(Enrolled) == 0 ?><tr><td colspan="6" class="muted"><?cs var:L.Cabinet.enrolled_none ?></td></tr><?cs /if ?>
    </tbody>
  </table>
  <?cs call:pager() ?>
  </div>
</section>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
