<?cs set:Page.title = L.Home.title ?><?cs set:Page.id = "home" ?><?cs include:"layout/head.cs" ?>
<?cs # The home page (seed 000, figures 8, 16, 24): the service tiles. A
       visitor sees the six tiles of figure 8 (those that need a login say
       so); a logged-in person sees the tiles of what their role does first,
       then the public ones, and no tile that would only answer 403. ?>
<?cs def:tile(href, icon, title, sub, cls) ?><li><a class="tile<?cs if:cls ?> <?cs var:cls ?><?cs /if ?>" href="<?cs var:href ?>"><span class="tile-icon i-<?cs var:icon ?>" aria-hidden="true"></span><b><?cs var:title ?></b><span><?cs var:sub ?></span><?cs if:!User.loggedIn && string.find(cls, "tile-login") >= 0 ?><em class="tile-note"><?cs var:L.Life.home.login_needed ?></em><?cs /if ?></a></li><?cs /def ?>
<h1 class="page-title"><?cs var:L.Site.title ?></h1>
<p class="lead"><?cs var:L.Home.lead ?></p>
<?cs if:!Page.district.code ?>
<div class="notice notice-district"><span><?cs var:L.Home.no_district ?></span> <a class="btn" href="/district"><?cs var:L.Nav.choose_district ?></a></div>
<?cs /if ?>
<h2 class="visually-hidden"><?cs var:L.Home.tiles ?></h2>
<?cs if:!User.loggedIn ?>
<ul class="tiles tiles-main">
  <?cs call:tile("/journal", "journal", L.Home.journal, L.Home.journal_sub, "tile-login") ?>
  <?cs call:tile("/places", "places", L.Home.places, L.Home.places_sub, "") ?>
  <?cs call:tile("/cabinet", "cabinet", L.Home.cabinet, L.Home.cabinet_sub, "tile-login") ?>
</ul>
<ul class="tiles tiles-row">
  <?cs call:tile("/queue/search", "search", L.Home.search, L.Home.search_sub, "tile-flat") ?>
  <?cs call:tile("/queue", "queue", L.Home.queue, L.Home.queue_sub, "tile-flat tile-login") ?>
  <?cs call:tile("/stats", "stats", L.Home.stats, L.Home.stats_sub, "tile-flat") ?>
</ul>
<p class="login-hint"><a class="btn" href="/login"><?cs var:L.Life.home.login ?></a> <span><?cs var:L.Life.home.login_lead ?></span></p>
<?cs else ?>
<p class="role-lead"><?cs var:L.Life.home.your ?></p>
<ul class="tiles tiles-main tiles-role">
  <?cs if:User.role.citizen ?>
  <?cs call:tile("/queue", "queue", L.Home.queue, L.Home.queue_sub, "") ?>
  <?cs call:tile("/queue/my", "journal", L.Life.home.my, L.Life.home.my_sub, "") ?>
  <?cs call:tile("/places/choose", "places", L.Life.home.choose, L.Life.home.choose_sub, "") ?>
  <?cs call:tile("/enroll", "docs", L.Home.enroll, L.Home.enroll_sub, "") ?>
  <?cs /if ?>
  <?cs if:User.role.staff ?>
  <?cs call:tile("/journal", "journal", L.Home.journal, L.Home.journal_sub, "") ?><?cs set:Home.journalShown = 1 ?>
  <?cs call:tile("/places", "places", L.Home.places, L.Life.home.places_staff_sub, "") ?>
  <?cs call:tile("/cabinet", "cabinet", L.Home.cabinet, L.Home.cabinet_sub, "") ?>
  <?cs /if ?>
  <?cs if:User.role.reviewer ?><?cs call:tile("/review", "review", L.Home.review, L.Home.review_sub, "") ?><?cs /if ?>
  <?cs if:User.role.support ?><?cs call:tile("/admin", "admin", L.Home.admin, L.Home.admin_sub, "") ?><?cs /if ?>
  <?cs if:!Home.journalShown ?><?cs call:tile("/journal", "journal", L.Home.journal, L.Home.journal_sub, "") ?><?cs /if ?>
</ul>
<h2 class="tiles-title"><?cs var:L.Life.home.public ?></h2>
<ul class="tiles tiles-row">
  <?cs call:tile("/queue/search", "search", L.Home.search, L.Home.search_sub, "tile-flat") ?>
  <?cs if:!User.role.staff ?><?cs call:tile("/places", "places", L.Home.places, L.Home.places_sub, "tile-flat") ?><?cs /if ?>
  <?cs call:tile("/stats", "stats", L.Home.stats, L.Home.stats_sub, "tile-flat") ?>
</ul>
<?cs /if ?>
<p class="help-link"><a href="/district/help"><?cs var:L.Home.instructions ?></a></p>
<?cs include:"layout/foot.cs" ?>
