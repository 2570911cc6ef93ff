<?cs set:Page.title = L.Voucher.admin_nav ?><?cs set:Page.id = "admin-districts" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"admin_nav.cs" ?>
<?cs # Districts and their financing (lib/domain/voucher.h): state, or
       per-capita vouchers, where every offer is a voucher to confirm. ?>
<p class="lead"><?cs var:L.Voucher.admin_lead ?></p>
<div class="table-wrap">
<table class="data" id="district-financing">
  <thead><tr><th scope="col"><?cs var:L.Admin.district ?></th><th scope="col"><?cs var:L.Voucher.financing ?></th></tr></thead>
  <tbody>
  <?cs each:d = Admin.districts ?>
    <tr data-district="<?cs var:d.id ?>"><td data-label="<?cs var:L.Admin.district ?>"><?cs var:d.name ?></td>
      <td data-label="<?cs var:L.Voucher.financing ?>">
        <form method="post" action="/admin/districts/<?cs var:d.id ?>" class="inline-form">
          <?cs call:csrf() ?>
          <label class="visually-hidden" for="fin-<?cs var:d.id ?>"><?cs var:L.Voucher.financing ?>: <?cs var:d.name ?></label>
          <select id="fin-<?cs var:d.id ?>" name="financing">
            <option value="state"<?cs if:d.financing == "state" ?> selected<?cs /if ?>><?cs var:L.Voucher.fin.state ?></option>
            <option value="voucher"<?cs if:d.financing == "voucher" ?> selected<?cs /if ?>><?cs var:L.Voucher.fin.voucher ?></option>
          </select>
          <button type="submit"><?cs var:L.Voucher.save ?></button>
        </form>
      </td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs include:"layout/foot.cs" ?>
