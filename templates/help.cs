<?cs set:Page.title = L.Help.title ?><?cs set:Page.id = "help" ?><?cs include:"layout/head.cs" ?>
<h1 class="page-title"><?cs var:L.Help.title ?></h1>
<p class="lead"><?cs var:L.Help.lead ?></p>
<div class="faq-cols">
<section class="faq">
  <h2><?cs var:L.Help.parents ?></h2>
  <details><summary><?cs var:L.Help.q1 ?></summary><p><?cs var:L.Help.a1 ?></p></details>
  <details><summary><?cs var:L.Help.q2 ?></summary><p><?cs var:L.Help.a2 ?></p></details>
  <details><summary><?cs var:L.Help.q3 ?></summary><p><?cs var:L.Help.a3 ?></p></details>
  <details><summary><?cs var:L.Help.q4 ?></summary><p><?cs var:L.Help.a4 ?></p></details>
  <details><summary><?cs var:L.Help.q5 ?></summary><p><?cs var:L.Help.a5 ?></p></details>
  <details><summary><?cs var:L.Help.q6 ?></summary><p><?cs var:L.Help.a6 ?></p></details>
</section>
<section class="faq">
  <h2><?cs var:L.Help.staff ?></h2>
  <details><summary><?cs var:L.Help.q7 ?></summary><p><?cs var:L.Help.a7 ?></p></details>
  <details><summary><?cs var:L.Help.q8 ?></summary><p><?cs var:L.Help.a8 ?></p></details>
  <details><summary><?cs var:L.Help.q9 ?></summary><p><?cs var:L.Help.a9 ?></p></details>
  <details><summary><?cs var:L.Help.q10 ?></summary><p><?cs var:L.Help.a10 ?></p></details>
  <details><summary><?cs var:L.Help.q11 ?></summary><p><?cs var:L.Help.a11 ?></p></details>
</section>
</div>
<p class="notice"><?cs var:L.Help.support ?> <a href="tel:<?cs var:Site.SupportPhone ?>"><?cs var:Site.SupportPhone ?></a></p>
<?cs include:"layout/foot.cs" ?>
