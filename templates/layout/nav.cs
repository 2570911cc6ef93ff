<?cs # The main menu under the header: the screens the visitor's role can
       use, the current one marked. Section: which entry Page.id belongs to. ?>
<?cs set:Nav.cur = Page.id ?>
<?cs if:string.slice(Page.id, 0, 5) == "admin" ?><?cs set:Nav.cur = "admin" ?>
<?cs elif:Page.id == "queue-app" || Page.id == "queue-withdraw" ?><?cs set:Nav.cur = "queue-my" ?>
<?cs elif:Page.id == "places-referral" ?><?cs set:Nav.cur = "places-choose" ?>
<?cs elif:Page.id == "journal-app" ?><?cs set:Nav.cur = "journal" ?>
<?cs elif:Page.id == "cabinet-refuse" || Page.id == "departure" ?><?cs set:Nav.cur = "cabinet" ?>
<?cs elif:Page.id == "review-confirm" ?><?cs set:Nav.cur = "review" ?>
<?cs /if ?>
<?cs def:navlink(href, id, label) ?><li><a href="<?cs var:href ?>"<?cs if:Nav.cur == id ?> aria-current="page"<?cs /if ?>><?cs var:label ?></a></li><?cs /def ?>
<nav class="mainnav" aria-label="<?cs var:L.Life.nav.label ?>">
  <ul class="wrap mainnav-in">
    <?cs call:navlink("/", "home", L.Nav.home) ?>
    <?cs if:User.role.citizen ?>
    <?cs call:navlink("/queue", "queue", L.Life.nav.queue) ?>
    <?cs call:navlink("/queue/my", "queue-my", L.Life.nav.my) ?>
    <?cs call:navlink("/places/choose", "places-choose", L.Life.nav.choose) ?>
    <?cs call:navlink("/enroll", "enroll", L.Life.nav.enroll) ?>
    <?cs /if ?>
    <?cs if:User.role.staff ?>
    <?cs call:navlink("/places", "places", L.Life.nav.places) ?>
    <?cs call:navlink("/cabinet", "cabinet", L.Life.nav.cabinet) ?>
    <?cs /if ?>
    <?cs if:User.role.reviewer ?><?cs call:navlink("/review", "review", L.Life.nav.review) ?><?cs /if ?>
    <?cs if:User.role.support ?><?cs call:navlink("/admin", "admin", L.Life.nav.admin) ?><?cs /if ?>
    <?cs if:User.loggedIn ?><?cs call:navlink("/journal", "journal", L.Life.nav.journal) ?><?cs /if ?>
    <?cs if:!User.loggedIn ?><?cs call:navlink("/queue", "queue", L.Life.nav.queue) ?><?cs /if ?>
    <?cs # A citizen's own screens fill the menu; the public ones are on the home page. ?>
    <?cs if:!User.role.citizen ?>
    <?cs call:navlink("/queue/search", "search", L.Life.nav.search) ?>
    <?cs if:!User.loggedIn || User.role.reviewer ?><?cs call:navlink("/places", "places", L.Life.nav.places) ?><?cs /if ?>
    <?cs call:navlink("/stats", "stats", L.Life.nav.stats) ?>
    <?cs /if ?>
    <?cs if:!User.loggedIn ?><?cs call:navlink("/district/help", "help", L.Nav.help) ?><?cs /if ?>
  </ul>
</nav>
