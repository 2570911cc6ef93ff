/*
 * countdown.js: the seconds left before a new one-time code may be asked
 * (login by code, the contract's code). The server renders the sentence
 * with the seconds in the element and, on it:
 *   data-countdown="N"           the seconds left;
 *   data-countdown-text="...{n}" the sentence to refresh every second;
 *   data-countdown-done="..."    the sentence at zero (else it is hidden);
 *   data-countdown-button="id"   a button kept disabled until zero.
 * Without the script the page is the same static sentence and the button
 * stays usable: the server answers an early request with the seconds left.
 * No text for users lives here.
 */
(function () {
  'use strict';

  function start(el) {
    let left = parseInt(el.getAttribute('data-countdown'), 10);
    if (!(left > 0)) return;
    const text = el.getAttribute('data-countdown-text');
    const done = el.getAttribute('data-countdown-done');
    const id = el.getAttribute('data-countdown-button');
    const button = id ? document.getElementById(id) : null;
    if (button) button.disabled = true;
    const timer = setInterval(function () {
      left -= 1;
      el.setAttribute('data-countdown', String(left));
      if (left > 0) {
        if (text) el.textContent = text.replace('{n}', String(left));
        return;
      }
      clearInterval(timer);
      if (button) button.disabled = false;
      if (done) el.textContent = done;
      else el.hidden = true;
    }, 1000);
  }

  function init() {
    document.querySelectorAll('[data-countdown]').forEach(start);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
