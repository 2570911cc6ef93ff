<?cs # The end of the base's table and its pager (places.c fill_tail): a
       mold (lib/view.h) per language, roles and the tests of pager() and
       List.empty; the figures and links are text. ?><?cs include:"layout/macros.cs" ?>
<?cs if:List.empty ?><tr><td colspan="9" class="empty"><?cs var:L.Places.none ?></td></tr><?cs /if ?>
  </tbody>
</table>
</div>
<?cs call:pager() ?>
