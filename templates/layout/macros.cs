<?cs # Shared form pieces. csrf(): the hidden token every POST form carries.
       err(name): the message next to a field, when validation failed. ?>
<?cs def:csrf() ?><input type="hidden" name="csrf" value="<?cs var:Csrf ?>"><?cs /def ?>
<?cs def:err(name) ?><?cs if:Errors[name] ?><span class="field-error" id="err-<?cs var:name ?>"><?cs var:Errors[name] ?></span><?cs /if ?><?cs /def ?>
<?cs def:form_errors() ?><?cs if:Errors.any ?><div class="alert alert-error" role="alert"><?cs var:L.Err.form ?></div><?cs /if ?><?cs /def ?>
