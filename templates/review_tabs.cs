<?cs # The tabs of /review: refusals of DDOs, benefits to confirm,
       applications of representatives the register does not show.
       ReviewTab is the chosen one; ReviewCount.<tab> the pending counts. ?>
<nav class="tabs" aria-label="<?cs var:L.Review.tabs ?>">
  <a href="/review"<?cs if:ReviewTab == "refusals" ?> aria-current="page"<?cs /if ?>><?cs var:L.Review.tab_refusals ?><?cs if:ReviewCount.refusals ?> (<?cs var:ReviewCount.refusals ?>)<?cs /if ?></a>
  <a href="/review/benefits"<?cs if:ReviewTab == "benefits" ?> aria-current="page"<?cs /if ?>><?cs var:L.Review.tab_benefits ?><?cs if:ReviewCount.benefits ?> (<?cs var:ReviewCount.benefits ?>)<?cs /if ?></a>
  <a href="/review/guardians"<?cs if:ReviewTab == "guardians" ?> aria-current="page"<?cs /if ?>><?cs var:L.Review.tab_guardians ?><?cs if:ReviewCount.guardians ?> (<?cs var:ReviewCount.guardians ?>)<?cs /if ?></a>
</nav>
