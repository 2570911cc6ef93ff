<?cs # The queue position of an application (lib/queue.h, struct queue_pos):
       pos(p) with p.queued, p.overall, p.in_category, p.total, p.ahead.<category>;
       cat is the application's own category (application.benefit). ?>
<?cs def:queue_pos(p, cat) ?><?cs if:p.queued ?>
<dl class="kv queue-pos">
  <dt><?cs var:L.Queue.overall ?></dt><dd><b class="pos-big" data-pos="overall"><?cs var:p.overall ?></b> <span class="muted">(<?cs var:L.Queue.of ?>: <?cs var:p.total ?>)</span></dd>
  <dt><?cs var:L.Queue.in_category ?></dt><dd><b data-pos="in-category"><?cs var:p.in_category ?></b> <span class="muted">(<?cs var:L.Benefit.cat[cat] ?>)</span></dd>
</dl>
<table class="data pos-ahead">
  <caption><?cs var:L.Queue.ahead ?></caption>
  <thead><tr><th scope="col"><?cs var:L.Queue.category ?></th><th scope="col" class="num"><?cs var:L.Queue.ahead_col ?></th></tr></thead>
  <tbody>
    <tr><td data-label="<?cs var:L.Queue.category ?>"><?cs var:L.Benefit.cat.out_of_turn ?></td><td class="num" data-label="<?cs var:L.Queue.ahead_col ?>" data-ahead="out_of_turn"><?cs var:p.ahead.out_of_turn ?></td></tr>
    <tr><td data-label="<?cs var:L.Queue.category ?>"><?cs var:L.Benefit.cat.first_priority ?></td><td class="num" data-label="<?cs var:L.Queue.ahead_col ?>" data-ahead="first_priority"><?cs var:p.ahead.first_priority ?></td></tr>
    <tr><td data-label="<?cs var:L.Queue.category ?>"><?cs var:L.Benefit.cat.none ?></td><td class="num" data-label="<?cs var:L.Queue.ahead_col ?>" data-ahead="none"><?cs var:p.ahead.none ?></td></tr>
  </tbody>
</table>
<?cs else ?>
<p class="notice"><?cs var:L.Queue.not_in_queue ?></p>
<?cs /if ?><?cs /def ?>
