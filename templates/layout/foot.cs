</main>
<footer class="foot">
  <div class="wrap foot-in">
    <span><?cs var:L.Site.footer ?></span>
    <span><a href="/district/help"><?cs var:L.Nav.help ?></a> · <?cs var:L.Site.support ?>: <a href="tel:<?cs var:Site.SupportPhone ?>"><?cs var:Site.SupportPhone ?></a></span>
  </div>
</footer>
</body>
</html>
