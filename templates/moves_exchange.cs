<?cs set:Page.title = L.ExchangeUi.ddo_title ?><?cs set:Page.id = "moves-exchange" ?><?cs set:Page.scripts.0 = "/js/ncalayer.js" ?><?cs include:"layout/head.cs" ?><?cs include:"layout/macros.cs" ?><?cs include:"decide/macros.cs" ?>
<p class="crumbs"><a href="/cabinet#exchanges"><?cs var:L.ExchangeUi.to_cabinet ?></a></p>
<h1 class="page-title"><?cs var:L.ExchangeUi.ddo_title ?> № <?cs var:Ex.id ?></h1>
<?cs if:Alert ?><div class="alert alert-error" role="alert" id="alert"><?cs var:Alert ?></div><?cs /if ?>
<section class="card exchange-card">
  <dl class="kv">
    <dt><?cs var:L.ExchangeUi.col_out ?></dt><dd class="ex-out"><?cs var:Ex.out ?></dd>
    <dt><?cs var:L.ExchangeUi.col_in ?></dt><dd class="ex-in"><?cs var:Ex.in ?></dd>
    <dt><?cs var:L.ExchangeUi.col_other ?></dt><dd><?cs var:Ex.other ?></dd>
    <dt><?cs var:L.ExchangeUi.col_year ?></dt><dd><?cs var:Ex.year ?>, <?cs var:L.Waitlist.lang[Ex.language] ?></dd>
    <dt><?cs var:L.ExchangeUi.col_status ?></dt><dd class="ex-status"><?cs var:L.ExchangeUi.status[Ex.status] ?><?cs if:Ex.decided && Ex.status == "agreed" ?> — <?cs var:L.ExchangeUi.accepted_wait ?><?cs /if ?></dd>
  </dl>
  <?cs if:Ex.canDecide ?>
  <div class="actions">
    <form method="post" action="/moves/exchange/<?cs var:Ex.id ?>" class="inline ex-accept" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:SignAccept.challenge ?>"<?cs if:Ex.bin ?> data-eds-bin="<?cs var:Ex.bin ?>"<?cs /if ?><?cs call:eds_msgs() ?>>
      <?cs call:csrf() ?>
      <input type="hidden" name="ddo" value="<?cs var:Ex.ddo ?>">
      <input type="hidden" name="decision" value="accept">
      <input type="hidden" name="nonce" value="<?cs var:SignAccept.nonce ?>">
      <button type="submit" class="btn btn-ok"><?cs var:L.ExchangeUi.accept ?></button>
      <span class="eds-status" data-eds-status role="status"></span>
    </form>
    <form method="post" action="/moves/exchange/<?cs var:Ex.id ?>" class="inline ex-refuse" data-eds data-eds-purpose="sign" data-eds-challenge="<?cs var:SignRefuse.challenge ?>"<?cs if:Ex.bin ?> data-eds-bin="<?cs var:Ex.bin ?>"<?cs /if ?><?cs call:eds_msgs() ?>>
      <?cs call:csrf() ?>
      <input type="hidden" name="ddo" value="<?cs var:Ex.ddo ?>">
      <input type="hidden" name="decision" value="refuse">
      <input type="hidden" name="nonce" value="<?cs var:SignRefuse.nonce ?>">
      <button type="submit" class="btn btn-danger"><?cs var:L.ExchangeUi.refuse ?></button>
      <span class="eds-status" data-eds-status role="status"></span>
    </form>
  </div>
  <details class="sign-text-box"><summary><?cs var:L.Decide.sign_text ?></summary><pre class="sign-text"><?cs var:SignAccept.text ?></pre></details>
  <p class="hint"><?cs var:L.ExchangeUi.ddo_hint ?></p>
  <?cs /if ?>
</section>
<?cs include:"layout/foot.cs" ?>
