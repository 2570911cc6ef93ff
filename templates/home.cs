<?cs set:Page.title = L.Home.title ?><?cs set:Page.id = "home" ?><?cs include:"layout/head.cs" ?>
<h1 class="page-title"><?cs var:L.Site.title ?></h1>
<p class="lead"><?cs var:L.Home.lead ?></p>
<?cs if:!Page.district.code ?>
<div class="notice"><?cs var:L.Home.no_district ?> <a class="btn" href="/district"><?cs var:L.Nav.choose_district ?></a></div>
<?cs /if ?>
<h2 class="visually-hidden"><?cs var:L.Home.tiles ?></h2>
<ul class="tiles tiles-main">
  <li><a class="tile" href="/journal"><span class="tile-icon i-journal" aria-hidden="true"></span><b><?cs var:L.Home.journal ?></b><span><?cs var:L.Home.journal_sub ?></span></a></li>
  <li><a class="tile" href="/places"><span class="tile-icon i-places" aria-hidden="true"></span><b><?cs var:L.Home.places ?></b><span><?cs var:L.Home.places_sub ?></span></a></li>
  <li><a class="tile" href="/cabinet"><span class="tile-icon i-cabinet" aria-hidden="true"></span><b><?cs var:L.Home.cabinet ?></b><span><?cs var:L.Home.cabinet_sub ?></span></a></li>
</ul>
<ul class="tiles tiles-row">
  <li><a class="tile tile-flat" href="/queue/search"><span class="tile-icon i-search" aria-hidden="true"></span><b><?cs var:L.Home.search ?></b><span><?cs var:L.Home.search_sub ?></span></a></li>
  <li><a class="tile tile-flat" href="/queue"><span class="tile-icon i-queue" aria-hidden="true"></span><b><?cs var:L.Home.queue ?></b><span><?cs var:L.Home.queue_sub ?></span></a></li>
  <li><a class="tile tile-flat" href="/stats"><span class="tile-icon i-stats" aria-hidden="true"></span><b><?cs var:L.Home.stats ?></b><span><?cs var:L.Home.stats_sub ?></span></a></li>
</ul>
<?cs if:User.loggedIn ?>
<ul class="tiles tiles-row tiles-more">
  <?cs if:User.role.citizen ?><li><a class="tile tile-flat" href="/enroll"><span class="tile-icon i-docs" aria-hidden="true"></span><b><?cs var:L.Home.enroll ?></b><span><?cs var:L.Home.enroll_sub ?></span></a></li><?cs /if ?>
  <?cs if:User.role.reviewer ?><li><a class="tile tile-flat" href="/review"><span class="tile-icon i-review" aria-hidden="true"></span><b><?cs var:L.Home.review ?></b><span><?cs var:L.Home.review_sub ?></span></a></li><?cs /if ?>
  <?cs if:User.role.support ?><li><a class="tile tile-flat" href="/admin"><span class="tile-icon i-admin" aria-hidden="true"></span><b><?cs var:L.Home.admin ?></b><span><?cs var:L.Home.admin_sub ?></span></a></li><?cs /if ?>
</ul>
<?cs /if ?>
<p class="help-link"><a href="/district/help"><?cs var:L.Home.instructions ?></a></p>
<?cs include:"layout/foot.cs" ?>
