<?cs # Shared form pieces. csrf(): the hidden token every POST form carries.
       err(name): the message next to a field, when validation failed. ?>
<?cs def:csrf() ?><input type="hidden" name="csrf" value="<?cs var:Csrf ?>"><?cs /def ?>
<?cs def:err(name) ?><?cs if:Errors.any ?><?cs if:Errors[name] ?><span class="field-error" id="err-<?cs var:name ?>"><?cs var:Errors[name] ?></span><?cs /if ?><?cs /if ?><?cs /def ?>
<?cs # err_alert(name): err() announced by itself, for a form of one or two
       fields that has no form_errors() summary (a search, a choice). ?>
<?cs def:err_alert(name) ?><?cs if:Errors.any ?><?cs if:Errors[name] ?><span role="alert"><?cs call:err(name) ?></span><?cs /if ?><?cs /if ?><?cs /def ?>
<?cs def:form_errors() ?><?cs if:Errors.any ?><div class="alert alert-error" role="alert"><?cs var:L.Err.form ?></div><?cs /if ?><?cs /def ?>
<?cs # Tables (lst.h). sort_th(col, label): a header that sorts by col and
       shows the direction (Sort.<col>.dir is set for the sorted column
       only; one lookup of Sort[col] through with:); pager(): the count and
       the page links; it tests only Pager.some, .back and .fwd, so a
       mold (lib/view.h) of it has three values of shape. err() looks at Errors.any first: a page without
       errors costs one test per field. ?>
<?cs def:sort_th(col, label) ?><?cs with:s = Sort[col] ?><?cs if:s.dir ?><th scope="col" aria-sort="<?cs if:s.dir == "asc" ?>ascending<?cs else ?>descending<?cs /if ?>"><a href="<?cs var:s.href ?>"><?cs var:label ?><span class="sort-ind" aria-hidden="true"><?cs if:s.dir == "asc" ?>▲<?cs else ?>▼<?cs /if ?></span></a></th><?cs else ?><th scope="col"><a href="<?cs var:s.href ?>"><?cs var:label ?><span class="sort-ind" aria-hidden="true">⇅</span></a></th><?cs /if ?><?cs /with ?><?cs /def ?>
<?cs def:pager() ?><nav class="pager" aria-label="<?cs var:L.Pager.label ?>">
  <span class="total"><?cs var:L.Pager.total ?>: <b><?cs var:Pager.total ?></b><?cs if:Pager.some ?> · <?cs var:Pager.from ?>–<?cs var:Pager.to ?><?cs /if ?></span>
  <?cs if:Pager.back ?><a class="btn btn-light" href="<?cs var:Pager.first ?>" rel="first">«</a><?cs /if ?>
  <?cs if:Pager.back ?><a class="btn btn-light" href="<?cs var:Pager.prev ?>" rel="prev"><?cs var:L.Pager.prev ?></a><?cs /if ?>
  <span><?cs var:L.Pager.page ?> <?cs var:Pager.page ?> / <?cs var:Pager.pages ?></span>
  <?cs if:Pager.fwd ?><a class="btn btn-light" href="<?cs var:Pager.next ?>" rel="next"><?cs var:L.Pager.next ?></a><?cs /if ?>
  <?cs if:Pager.fwd ?><a class="btn btn-light" href="<?cs var:Pager.last ?>" rel="last">»</a><?cs /if ?>
</nav><?cs /def ?>
