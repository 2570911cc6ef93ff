<?cs set:Page.title = L.District.title ?><?cs set:Page.id = "district" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<h1 class="page-title"><?cs var:L.District.title ?></h1>
<p class="lead"><?cs var:L.District.lead ?></p>
<form method="post" action="/district" class="district-form">
  <?cs call:csrf() ?>
  <?cs if:Query.next ?><input type="hidden" name="next" value="<?cs var:Query.next ?>"><?cs /if ?>
  <?cs call:err_alert("code") ?>
  <h2><?cs var:L.District.cities ?></h2>
  <ul class="district-list">
  <?cs each:d = Districts ?><?cs if:d.kind == "city" ?>
    <li><button type="submit" name="code" value="<?cs var:d.code ?>"<?cs if:d.code == Page.district.code ?> aria-current="true"<?cs /if ?>><?cs var:d.name ?><?cs if:d.code == Page.district.code ?> <small>— <?cs var:L.District.current ?></small><?cs /if ?></button></li>
  <?cs /if ?><?cs /each ?>
  </ul>
  <h2><?cs var:L.District.districts ?></h2>
  <ul class="district-list">
  <?cs each:d = Districts ?><?cs if:d.kind == "district" ?>
    <li><button type="submit" name="code" value="<?cs var:d.code ?>"<?cs if:d.code == Page.district.code ?> aria-current="true"<?cs /if ?>><?cs var:d.name ?><?cs if:d.code == Page.district.code ?> <small>— <?cs var:L.District.current ?></small><?cs /if ?></button></li>
  <?cs /if ?><?cs /each ?>
  </ul>
</form>
<?cs include:"layout/foot.cs" ?>
