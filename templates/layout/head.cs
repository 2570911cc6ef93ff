<?cs # The header and menu; every page includes it first and layout/foot.cs last. ?><!DOCTYPE html>
<html lang="<?cs var:Page.lang ?>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><?cs if:Page.title ?><?cs var:Page.title ?> — <?cs /if ?><?cs var:L.Site.short ?></title>
<link rel="stylesheet" href="/css/site.css">
<link rel="icon" href="/favicon.ico">
<meta name="kg-ncalayer" content="<?cs var:Site.ncalayer ?>">
<?cs each:s = Page.scripts ?><script src="<?cs var:s ?>" defer></script>
<?cs /each ?></head>
<body class="page-<?cs var:Page.id ?>">
<a class="skip" href="#main"><?cs var:L.Site.skip ?></a>
<header class="top">
  <div class="bar wrap">
    <a class="brand" href="/">
      <img src="/img/logo.svg" alt="" width="44" height="44">
      <span class="brand-text"><b><?cs var:Site.Name ?></b><span><?cs var:L.Site.portal ?> · <?cs var:L.Site.region ?></span></span>
    </a>
    <div class="tools">
      <span class="support"><span class="support-label"><?cs var:L.Site.support ?>:</span> <a href="tel:<?cs var:Site.SupportPhone ?>"><?cs var:Site.SupportPhone ?></a></span>
      <nav class="langs" aria-label="<?cs var:L.Nav.language ?>">
        <a href="<?cs var:Page.langHref.kk ?>" lang="kk"<?cs if:Page.lang == "kk" ?> aria-current="true"<?cs /if ?>><?cs var:L.Nav.lang_kk ?></a>
        <a href="<?cs var:Page.langHref.ru ?>" lang="ru"<?cs if:Page.lang == "ru" ?> aria-current="true"<?cs /if ?>><?cs var:L.Nav.lang_ru ?></a>
      </nav>
      <?cs if:User.loggedIn ?>
      <span class="who"><span class="user" title="<?cs var:User.iinMasked ?>"><?cs var:User.name ?></span>
        <span class="roles"><?cs if:User.role.citizen ?><span><?cs var:L.Life.role.citizen ?></span><?cs /if ?><?cs if:User.role.staff ?><span><?cs var:L.Life.role.staff ?></span><?cs /if ?><?cs if:User.role.reviewer ?><span><?cs var:L.Life.role.reviewer ?></span><?cs /if ?><?cs if:User.role.support ?><span><?cs var:L.Life.role.support ?></span><?cs /if ?></span></span>
      <form class="inline" method="post" action="/logout">
        <input type="hidden" name="csrf" value="<?cs var:Csrf ?>">
        <button class="btn btn-light" type="submit"><?cs var:L.Nav.logout ?></button>
      </form>
      <?cs else ?>
      <a class="btn btn-light" href="/login?next=<?cs var:Page.pathEsc ?>"><?cs var:L.Nav.login ?></a>
      <?cs /if ?>
    </div>
  </div>
  <div class="subbar">
    <div class="wrap subbar-in">
      <a class="service" href="/"><?cs var:L.Site.title ?></a>
      <span class="district-pick"><?cs if:Page.district.code ?><?cs var:L.Nav.district ?>: <b><?cs var:Page.district.name ?></b>
        <a href="/district?next=<?cs var:Page.pathEsc ?>"><?cs var:L.Nav.change_district ?></a><?cs else ?>
        <a href="/district?next=<?cs var:Page.pathEsc ?>"><?cs var:L.Nav.choose_district ?></a><?cs /if ?></span>
    </div>
  </div>
  <?cs include:"layout/nav.cs" ?>
</header>
<?cs if:Page.freeze ?><div class="alert alert-warn freeze-banner" role="note"><div class="wrap"><?cs var:Page.freeze ?></div></div><?cs /if ?>
<?cs if:Site.Demo == "1" ?><div class="demo-banner"><div class="wrap"><?cs var:L.Site.demo ?></div></div><?cs /if ?>
<main id="main" class="wrap" tabindex="-1">
<?cs if:Flash.text ?><div class="flash" role="status"><?cs var:Flash.text ?><?cs if:Flash.arg ?> <b><?cs var:Flash.arg ?></b><?cs /if ?></div><?cs /if ?>
<?cs if:Session.ended.text ?><div class="alert alert-warn session-ended" role="status"><?cs var:Session.ended.text ?> <a href="<?cs var:Session.ended.href ?>"><?cs var:L.Lang19.login_again ?></a></div><?cs /if ?>
