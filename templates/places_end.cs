<?cs # The base after its rows (places.c: places.cs, the rows, then this). ?><?cs include:"layout/macros.cs" ?>
<?cs if:List.district ?>
  <?cs if:List.rows == 0 ?><tr><td colspan="9" class="empty"><?cs var:L.Places.none ?></td></tr><?cs /if ?>
  </tbody>
</table>
</div>
<?cs call:pager() ?>
<?cs /if ?>
<?cs include:"layout/foot.cs" ?>
