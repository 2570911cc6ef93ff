<?cs # The main menu under the header: the screens the visitor's role can
       use, the current one marked (Nav.cur: which entry Page.id belongs to).
       Written out rather than through a macro: every page renders it. ?>
<?cs set:Nav.cur = Page.id ?>
<?cs if:string.slice(Page.id, 0, 5) == "admin" ?><?cs set:Nav.cur = "admin" ?>
<?cs elif:Page.id == "queue-app" || Page.id == "queue-withdraw" ?><?cs set:Nav.cur = "queue-my" ?>
<?cs elif:Page.id == "places-referral" ?><?cs set:Nav.cur = "places-choose" ?>
<?cs elif:Page.id == "journal-app" ?><?cs set:Nav.cur = "journal" ?>
<?cs elif:Page.id == "cabinet-refuse" || Page.id == "departure" ?><?cs set:Nav.cur = "cabinet" ?>
<?cs elif:Page.id == "review-confirm" ?><?cs set:Nav.cur = "review" ?>
<?cs /if ?>
<nav class="mainnav" aria-label="<?cs var:L.Life.nav.label ?>">
  <ul class="wrap mainnav-in">
    <li><a href="/"<?cs if:Nav.cur == "home" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.home ?></a></li>
    <?cs if:User.role.citizen ?>
    <li><a href="/queue"<?cs if:Nav.cur == "queue" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.queue ?></a></li>
    <li><a href="/queue/my"<?cs if:Nav.cur == "queue-my" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.my ?></a></li>
    <li><a href="/places/choose"<?cs if:Nav.cur == "places-choose" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.choose ?></a></li>
    <li><a href="/enroll"<?cs if:Nav.cur == "enroll" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.enroll ?></a></li>
    <?cs /if ?>
    <?cs if:User.role.staff ?>
    <li><a href="/places"<?cs if:Nav.cur == "places" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.places ?></a></li>
    <li><a href="/cabinet"<?cs if:Nav.cur == "cabinet" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.cabinet ?></a></li>
    <?cs /if ?>
    <?cs if:User.role.reviewer ?><li><a href="/review"<?cs if:Nav.cur == "review" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.review ?></a></li><?cs /if ?>
    <?cs if:User.role.support ?><li><a href="/admin"<?cs if:Nav.cur == "admin" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.admin ?></a></li><?cs /if ?>
    <?cs if:User.loggedIn ?><li><a href="/journal"<?cs if:Nav.cur == "journal" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.journal ?></a></li><?cs /if ?>
    <?cs if:!User.loggedIn ?><li><a href="/queue"<?cs if:Nav.cur == "queue" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.queue ?></a></li><?cs /if ?>
    <?cs # A citizen's own screens fill the menu; the public ones are on the home page. ?>
    <?cs if:!User.role.citizen ?>
    <li><a href="/queue/search"<?cs if:Nav.cur == "search" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.search ?></a></li>
    <?cs if:!User.loggedIn || User.role.reviewer ?><li><a href="/places"<?cs if:Nav.cur == "places" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.places ?></a></li><?cs /if ?>
    <li><a href="/stats"<?cs if:Nav.cur == "stats" ?> aria-current="page"<?cs /if ?>><?cs var:L.Life.nav.stats ?></a></li>
    <?cs /if ?>
    <?cs if:!User.loggedIn ?><li><a href="/district/help"<?cs if:Nav.cur == "help" ?> aria-current="page"<?cs /if ?>><?cs var:L.Nav.help ?></a></li><?cs /if ?>
  </ul>
</nav>
