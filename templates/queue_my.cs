<?cs set:Page.title = L.Queue.my_title ?><?cs set:Page.id = "queue-my" ?><?cs include:"layout/head.cs" ?>
<h1 class="page-title"><?cs var:L.Queue.my_title ?></h1>
<p class="lead"><?cs var:L.Queue.my_lead ?></p>
<p class="actions"><a class="btn" href="/queue"><?cs var:L.Queue.new ?></a> <a class="btn btn-light" href="/journal"><?cs var:L.Queue.journal ?></a></p>
<?cs if:subcount(Apps) == 0 ?>
<p class="notice"><?cs var:L.Queue.my_none ?></p>
<?cs else ?>
<div class="table-wrap">
<table class="data my-apps">
  <thead><tr>
    <th scope="col"><?cs var:L.Queue.col_number ?></th><th scope="col"><?cs var:L.Queue.col_child ?></th>
    <th scope="col"><?cs var:L.Queue.col_district ?></th><th scope="col" class="num"><?cs var:L.Queue.col_year ?></th>
    <th scope="col"><?cs var:L.Queue.col_date ?></th><th scope="col"><?cs var:L.Queue.col_status ?></th>
    <th scope="col" class="num"><?cs var:L.Queue.col_position ?></th><th scope="col"><?cs var:L.Queue.col_actions ?></th>
  </tr></thead>
  <tbody>
  <?cs each:a = Apps ?>
    <tr data-number="<?cs var:a.number ?>">
      <td><a href="/queue/app/<?cs var:a.id ?>"><?cs var:a.number ?></a></td>
      <td><?cs var:a.surname ?> <?cs var:a.name ?> <?cs var:a.patronymic ?></td>
      <td><?cs var:a.district ?></td>
      <td class="num"><?cs var:a.group_year ?></td>
      <td><?cs var:a.queued_at ?></td>
      <td><?cs var:L.Queue.status[a.status] ?><?cs if:a.archive_reason ?><br><small><?cs var:L.Queue.archived[a.archive_reason] ?></small><?cs /if ?></td>
      <td class="num"><?cs if:a.pos.queued ?><?cs var:a.pos.overall ?><?cs else ?>—<?cs /if ?></td>
      <td><a href="/queue/app/<?cs var:a.id ?>"><?cs var:L.Queue.open ?></a><?cs if:a.status == "queued" ?> · <a href="/places/choose?application=<?cs var:a.id ?>"><?cs var:L.Life.my.choose ?></a> · <a href="/queue/withdraw/<?cs var:a.id ?>"><?cs var:L.Queue.withdraw ?></a><?cs elif:a.status == "referred" ?> · <a href="/enroll"><?cs var:L.Life.my.enroll ?></a><?cs /if ?></td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
