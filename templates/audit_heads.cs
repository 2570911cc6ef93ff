<?cs set:Page.title = L.AuditHeads.title ?><?cs set:Page.id = "audit-heads" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # The signed daily heads of the audit chain (audit.h): public. ?>
<h1 class="page-title"><?cs var:L.AuditHeads.title ?></h1>
<p class="lead"><?cs var:L.AuditHeads.lead ?></p>
<p class="actions">
  <a class="btn btn-light" id="heads-csv" href="/audit/heads.csv"><?cs var:L.AuditHeads.csv ?></a>
  <?cs if:HeadsCert ?><a class="btn btn-light" id="heads-cert" href="/audit/cert.pem"><?cs var:L.AuditHeads.cert ?></a><?cs /if ?>
</p>
<?cs if:subcount(Heads) ?>
<div class="table-wrap">
<table class="data heads-table" id="heads">
  <caption class="visually-hidden"><?cs var:L.AuditHeads.title ?></caption>
  <thead><tr><th scope="col"><?cs var:L.AuditHeads.col_day ?></th><th scope="col"><?cs var:L.AuditHeads.col_count ?></th>
    <th scope="col"><?cs var:L.AuditHeads.col_hash ?></th><th scope="col"><?cs var:L.AuditHeads.col_signed ?></th></tr></thead>
  <tbody>
  <?cs each:h = Heads ?><tr>
    <td data-label="<?cs var:L.AuditHeads.col_day ?>"><?cs var:h.day ?></td>
    <td data-label="<?cs var:L.AuditHeads.col_count ?>" class="num"><?cs var:h.count ?></td>
    <td data-label="<?cs var:L.AuditHeads.col_hash ?>"><code class="hash mono"><?cs var:h.hash ?></code></td>
    <td data-label="<?cs var:L.AuditHeads.col_signed ?>"><?cs var:h.signed ?></td>
  </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs else ?>
<p class="empty" id="heads-none"><?cs var:L.AuditHeads.none ?></p>
<?cs /if ?>
<section class="card">
  <h2><?cs var:L.AuditHeads.how_title ?></h2>
  <p><?cs var:L.AuditHeads.how ?></p>
  <pre class="sign-text">kg-audit-head v1
day=YYYY-MM-DD
count=N
hash=…</pre>
  <p><?cs var:L.AuditHeads.how_openssl ?></p>
  <pre class="sign-text">openssl cms -verify -binary -inform DER -in head.p7s -content head.txt -CAfile audit-signing-cert.pem -purpose any -partial_chain -no_check_time</pre>
</section>
<?cs include:"layout/foot.cs" ?>
