<?cs # One row of the base (places.c fill_rows): a mold (lib/view.h) per
       language, highlight and status, filled once per record, language and
       highlight, and kept with the record (lib/plist.h). Only Row.mine and
       Row.status may be tested; the rest is text. ?>
<tr<?cs if:Row.mine ?> class="mine"<?cs /if ?> data-id="<?cs var:Row.id ?>"><td><?cs var:Row.name ?></td><td class="num"><?cs var:Row.year ?></td><td><?cs var:Row.lang ?></td><td class="num"><?cs var:Row.total ?></td><td class="num"><?cs var:Row.free ?></td><td><?cs var:Row.user ?></td><td><?cs var:Row.kind ?></td><td><?cs var:Row.date ?></td><td><span class="badge <?cs if:Row.status == "waiting" ?>badge-warn<?cs elif:Row.status == "free_choice" ?>badge-ok<?cs /if ?>"><?cs var:Row.status_text ?></span><?cs if:Row.status == "waiting" ?><br><small><?cs var:Row.window ?></small><?cs /if ?></td></tr>
