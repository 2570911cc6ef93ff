<?cs # The base's tools and its table's head (places.c fill_head): a mold
       (lib/view.h) per language, roles, sorted column and direction. It
       tests only Staff, List.sorted and Sort.<col>.dir (sort_th); the links,
       the filters' values and each option's " selected" (Selected.<filter>.<value>)
       are text. A field's error (err) makes the page render whole. ?><?cs include:"layout/macros.cs" ?>
<div class="table-tools">
  <span><?cs var:L.Places.district ?>: <b><?cs var:List.districtName ?></b><?cs if:Staff ?> · <span class="mine-key"><?cs var:L.Places.mine ?></span><?cs /if ?></span>
  <span class="actions">
    <button class="btn btn-light" type="submit" form="pf"><?cs var:L.Places.filter ?></button>
    <a class="btn btn-light" href="/places"><?cs var:L.Places.reset ?></a>
    <?cs if:Staff ?><a class="btn btn-add" id="add-places" href="/places/add#add" title="<?cs var:L.Places.add ?>" aria-label="<?cs var:L.Places.add ?>">+</a><?cs /if ?>
  </span>
</div>
<form id="pf" method="get" action="/places" class="visually-hidden"><?cs if:List.sorted ?><input type="hidden" name="sort" value="<?cs var:Query.sort ?>"><input type="hidden" name="dir" value="<?cs var:Query.dir ?>"><?cs /if ?></form>
<div class="table-wrap">
<table class="data places-table">
  <thead>
    <tr>
      <?cs call:sort_th("name", L.Places.col_name) ?>
      <?cs call:sort_th("year", L.Places.col_year) ?>
      <?cs call:sort_th("lang", L.Places.col_lang) ?>
      <?cs call:sort_th("total", L.Places.col_total) ?>
      <?cs call:sort_th("free", L.Places.col_free) ?>
      <?cs call:sort_th("user", L.Places.col_user) ?>
      <?cs call:sort_th("kind", L.Places.col_kind) ?>
      <?cs call:sort_th("date", L.Places.col_date) ?>
      <?cs call:sort_th("status", L.Places.col_status) ?>
    </tr>
    <tr class="filters">
      <th><input form="pf" type="search" name="f_name" value="<?cs var:Query.f_name ?>" aria-label="<?cs var:L.Places.search ?>: <?cs var:L.Places.col_name ?>"></th>
      <th><input form="pf" type="search" name="f_year" inputmode="numeric" value="<?cs var:Query.f_year ?>" aria-label="<?cs var:L.Places.search ?>: <?cs var:L.Places.col_year ?>"><?cs call:err("f_year") ?></th>
      <th><select form="pf" name="f_lang" aria-label="<?cs var:L.Places.col_lang ?>">
        <option value=""><?cs var:L.Places.all ?></option>
        <option value="kk"<?cs var:Selected.f_lang.kk ?>><?cs var:L.Places.Lang.kk ?></option>
        <option value="ru"<?cs var:Selected.f_lang.ru ?>><?cs var:L.Places.Lang.ru ?></option>
        <option value="en"<?cs var:Selected.f_lang.en ?>><?cs var:L.Places.Lang.en ?></option>
      </select></th>
      <th><input form="pf" type="search" name="f_total" inputmode="numeric" value="<?cs var:Query.f_total ?>" aria-label="<?cs var:L.Places.search ?>: <?cs var:L.Places.col_total ?>"><?cs call:err("f_total") ?></th>
      <th><input form="pf" type="search" name="f_free" inputmode="numeric" value="<?cs var:Query.f_free ?>" aria-label="<?cs var:L.Places.search ?>: <?cs var:L.Places.col_free ?>"><?cs call:err("f_free") ?></th>
      <th><input form="pf" type="search" name="f_user" value="<?cs var:Query.f_user ?>" aria-label="<?cs var:L.Places.search ?>: <?cs var:L.Places.col_user ?>"></th>
      <th><select form="pf" name="f_kind" aria-label="<?cs var:L.Places.col_kind ?>">
        <option value=""><?cs var:L.Places.all ?></option>
        <option value="state"<?cs var:Selected.f_kind.state ?>><?cs var:L.Places.Kind.state ?></option>
        <option value="private_subsidised"<?cs var:Selected.f_kind.private_subsidised ?>><?cs var:L.Places.Kind.private_subsidised ?></option>
        <option value="mini_centre"<?cs var:Selected.f_kind.mini_centre ?>><?cs var:L.Places.Kind.mini_centre ?></option>
      </select></th>
      <th><input form="pf" type="date" name="f_date" value="<?cs var:Query.f_date ?>" aria-label="<?cs var:L.Places.col_date ?>"><?cs call:err("f_date") ?></th>
      <th><select form="pf" name="f_status" aria-label="<?cs var:L.Places.col_status ?>">
        <option value=""><?cs var:L.Places.all ?></option>
        <option value="waiting"<?cs var:Selected.f_status.waiting ?>><?cs var:L.Places.Status.waiting ?></option>
        <option value="free_choice"<?cs var:Selected.f_status.free_choice ?>><?cs var:L.Places.Status.free_choice ?></option>
        <option value="exhausted"<?cs var:Selected.f_status.exhausted ?>><?cs var:L.Places.Status.exhausted ?></option>
      </select></th>
    </tr>
  </thead>
  <tbody>
