/*
 * login.js: the resend countdown of the one-time code form (/login, tab
 * «По одноразовому коду»). The server renders the seconds left in
 * data-countdown on the resend button (disabled while above 0) and the
 * sentence with {n} in data-countdown-text on the hint; this script counts
 * down every second and enables the button at zero. Without it the page
 * works the same: the server refuses an early resend with the seconds left.
 */
(function () {
  'use strict';

  function start(button) {
    let left = parseInt(button.getAttribute('data-countdown'), 10);
    if (!(left > 0)) return;
    const hint = document.getElementById('otp-wait');
    const text = hint ? hint.getAttribute('data-countdown-text') : null;
    const timer = setInterval(() => {
      left -= 1;
      if (left <= 0) {
        clearInterval(timer);
        button.disabled = false;
        button.setAttribute('data-countdown', '0');
        if (hint) hint.hidden = true;
        return;
      }
      button.setAttribute('data-countdown', String(left));
      if (hint && text) hint.textContent = text.replace('{n}', String(left));
    }, 1000);
  }

  function init() {
    document.querySelectorAll('button[data-countdown]').forEach(start);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
