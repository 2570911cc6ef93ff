<?cs set:Page.title = L.Places.title ?><?cs set:Page.id = "places" ?><?cs set:Page.scripts.0 = "/js/places.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # «База свободных мест в ДДО» (seed 000, figures 9–15): the part above
       the table; places.c writes the table after it (fill_table), then
       places_end.cs ends the page. Add.open: the form of figures 10–14;
       Add.confirm: the confirmation of figure 15. ?>
<h1 class="page-title"><?cs var:L.Places.title ?></h1>
<p class="lead"><?cs var:List.lead ?></p>
<?cs if:Add.alert ?><div class="alert alert-error" role="alert"><?cs var:Add.alert ?></div><?cs /if ?>

<?cs if:Staff ?>
<?cs if:Add.confirm ?>
<section class="card confirm places-confirm" id="confirm" aria-labelledby="confirm-title">
  <h2 id="confirm-title"><?cs var:L.Places.confirm_title ?></h2>
  <p class="warning-box"><?cs var:L.Places.warning ?></p>
  <p><?cs var:L.Places.confirm_lead ?></p>
  <dl class="kv">
    <dt><?cs var:L.Places.ddo ?></dt><dd id="confirm-ddo"><?cs var:Add.ddoName ?></dd>
    <dt><?cs var:L.Places.language ?></dt><dd id="confirm-language"><?cs var:Add.langName ?></dd>
    <dt><?cs var:L.Places.year ?></dt><dd id="confirm-year"><?cs var:Query.year ?></dd>
    <dt><?cs var:L.Places.count ?></dt><dd id="confirm-count"><?cs var:Query.count ?></dd>
  </dl>
  <form method="post" action="/places/add" class="actions">
    <?cs call:csrf() ?>
    <input type="hidden" name="ddo" value="<?cs var:Query.ddo ?>">
    <input type="hidden" name="language" value="<?cs var:Query.language ?>">
    <input type="hidden" name="year" value="<?cs var:Query.year ?>">
    <input type="hidden" name="count" value="<?cs var:Query.count ?>">
    <input type="hidden" name="token" value="<?cs var:Add.token ?>">
    <button class="btn btn-ok" type="submit" name="step" value="save" data-once><?cs var:L.Places.ok ?></button>
    <button class="btn btn-light" type="submit" name="step" value="back"><?cs var:L.Places.cancel ?></button>
  </form>
</section>
<?cs elif:Add.open ?>
<section class="card places-add" id="add" aria-labelledby="add-title">
  <h2 id="add-title"><?cs var:L.Places.add_title ?></h2>
  <p class="warning-box add-warning"><?cs var:L.Places.warning ?></p>
  <?cs call:form_errors() ?>
  <form method="post" action="/places/add" class="places-add-form" novalidate>
    <?cs call:csrf() ?>
    <div class="row2">
      <div class="field">
        <label for="f-ddo"><?cs var:L.Places.ddo ?>:</label>
        <select id="f-ddo" name="ddo" data-search="<?cs var:L.Places.ddo_search ?>" data-none="<?cs var:L.Places.ddo_search_none ?>"<?cs if:Errors.ddo ?> aria-invalid="true" aria-describedby="err-ddo"<?cs /if ?>>
          <option value=""><?cs var:L.Places.ddo_choose ?></option>
          <?cs each:d = Ddos ?><option value="<?cs var:d.id ?>"<?cs if:Query.ddo == d.id ?> selected<?cs /if ?>><?cs var:d.name ?> — <?cs var:d.kind ?></option>
          <?cs /each ?>
        </select>
        <?cs call:err("ddo") ?>
      </div>
      <div class="field">
        <label for="f-language"><?cs var:L.Places.language ?>:</label>
        <select id="f-language" name="language"<?cs if:Errors.language ?> aria-invalid="true" aria-describedby="err-language"<?cs /if ?>>
          <option value=""><?cs var:L.Places.choose ?></option>
          <option value="kk"<?cs if:Query.language == "kk" ?> selected<?cs /if ?>><?cs var:L.Places.Lang.kk ?></option>
          <option value="ru"<?cs if:Query.language == "ru" ?> selected<?cs /if ?>><?cs var:L.Places.Lang.ru ?></option>
          <option value="en"<?cs if:Query.language == "en" ?> selected<?cs /if ?>><?cs var:L.Places.Lang.en ?></option>
        </select>
        <?cs call:err("language") ?>
      </div>
      <div class="field">
        <label for="f-count"><?cs var:L.Places.count ?>:</label>
        <input id="f-count" name="count" type="number" min="1" max="<?cs var:MaxPerRecord ?>" step="1" inputmode="numeric" value="<?cs var:Query.count ?>"<?cs if:Errors.count ?> aria-invalid="true" aria-describedby="err-count"<?cs /if ?>>
        <?cs call:err("count") ?>
      </div>
      <div class="field">
        <label for="f-year"><?cs var:L.Places.year ?>:</label>
        <select id="f-year" name="year"<?cs if:Errors.year ?> aria-invalid="true" aria-describedby="err-year"<?cs /if ?>>
          <option value=""><?cs var:L.Places.choose ?></option>
          <?cs each:y = Years ?><option value="<?cs var:y ?>"<?cs if:Query.year == y ?> selected<?cs /if ?>><?cs var:y ?></option>
          <?cs /each ?>
        </select>
        <?cs call:err("year") ?>
      </div>
    </div>
    <div class="actions">
      <button class="btn" type="submit" name="step" value="review"><?cs var:L.Places.save ?></button>
      <a class="btn btn-light" href="/places"><?cs var:L.Places.cancel ?></a>
    </div>
  </form>
</section>
<?cs /if ?>
<?cs # The reminder of seed 000, 4.4: open when children departed since a
       DDO last added places (Departed.any, places.c), folded (one line)
       when none did. ?>
<?cs if:subcount(Ddos) > 0 ?>
<details class="card places-departed"<?cs if:Departed.any ?> open<?cs /if ?>>
  <summary><h2 id="departed-title"><?cs var:L.Places.departed_title ?><?cs if:!Departed.any ?>: <span class="muted"><?cs var:L.Life.places.none_departed ?></span><?cs /if ?></h2></summary>
  <ul>
  <?cs each:d = Ddos ?><li data-departed="<?cs var:d.departed ?>"><b><?cs var:d.name ?></b>: <?cs var:d.departedText ?></li>
  <?cs /each ?>
  </ul>
  <p class="alert alert-warn"><?cs var:L.Places.departed_note ?></p>
</details>
<?cs /if ?>
<?cs /if ?>

<?cs if:subcount(MyApps) > 0 ?>
<section class="card places-myapps" aria-labelledby="myapps-title">
  <h2 id="myapps-title"><?cs var:L.Places.my_apps ?></h2>
  <p><?cs var:L.Places.my_apps_lead ?></p>
  <ul>
  <?cs each:a = MyApps ?><li><a href="/places/choose?application=<?cs var:a.id ?>"><?cs var:a.number ?> — <?cs var:a.child ?> (<?cs var:a.year ?>)</a></li>
  <?cs /each ?>
  </ul>
</section>
<?cs /if ?>

<?cs if:!List.district ?>
<div class="notice"><?cs var:L.Places.no_district ?> <a class="btn" href="/district?next=/places"><?cs var:L.Nav.choose_district ?></a></div>
<?cs /if ?>
