<?cs # The signed decisions of the application (proof.h): the CMS and the signed text, to check with OpenSSL. ?>
<?cs if:subcount(App.sigs) ?>
  <section class="signed-decisions" id="sigs">
    <h3><?cs var:L.Proof.title ?></h3>
    <div class="table-wrap"><table class="data sigs">
      <thead><tr><th scope="col"><?cs var:L.Proof.col_kind ?></th><th scope="col"><?cs var:L.Proof.col_signed ?></th><th scope="col"><?cs var:L.Proof.col_files ?></th></tr></thead>
      <tbody>
      <?cs each:s = App.sigs ?><tr data-kind="<?cs var:s.kind ?>">
        <td data-label="<?cs var:L.Proof.col_kind ?>"><?cs var:s.kindText ?></td>
        <td data-label="<?cs var:L.Proof.col_signed ?>"><?cs var:s.signed ?></td>
        <td data-label="<?cs var:L.Proof.col_files ?>"><?cs if:s.eds ?><a class="sig-cms" href="/journal/sig/<?cs var:s.id ?>.p7s"><?cs var:L.Proof.cms ?></a> · <?cs /if ?><a class="sig-text" href="/journal/sig/<?cs var:s.id ?>.txt"><?cs var:L.Proof.text ?></a></td>
      </tr>
      <?cs /each ?></tbody>
    </table></div>
    <p class="hint"><?cs var:L.Proof.how ?></p>
  </section>
<?cs /if ?>
