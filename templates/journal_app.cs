<?cs set:Page.title = App.number ?><?cs set:Page.id = "journal-app" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<p class="help-link"><a href="/journal">← <?cs var:L.Journal.back ?></a></p>
<h1 class="page-title"><?cs var:L.Journal.application ?> <?cs var:App.number ?> <span class="badge status-<?cs var:App.status ?>"><?cs var:App.statusText ?></span></h1>
<section class="card app-card">
<?cs include:"journal_tabs.cs" ?>
</section>
<?cs include:"layout/foot.cs" ?>
