/*
 * places.js — small progressive enhancements of the free places base
 * (/places) and of the choice of a place; every page works without it.
 *
 *  - select[data-search]: a search box above the DDO list of the add form
 *    (figure 10) that hides the options that do not contain the text;
 *  - the filter row of the table: a drop-down or the date picker applies
 *    the filter at once (without the script: the «Найти» button);
 *  - form buttons with data-once: a second click while the first submit is
 *    on its way sends nothing (the server refuses a repeat anyway).
 * No inline script anywhere (CSP: script-src 'self').
 */
(function () {
  'use strict';

  function fold(s) { return String(s).toLocaleLowerCase(); }

  function searchable(select) {
    var box = document.createElement('input');
    box.type = 'search';
    box.className = 'select-search';
    box.placeholder = select.getAttribute('data-search') || '';
    box.setAttribute('aria-label', box.placeholder);
    box.setAttribute('aria-controls', select.id);
    var none = document.createElement('span');
    none.className = 'hint';
    none.hidden = true;
    none.textContent = select.getAttribute('data-none') || '';
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(none, select.nextSibling);
    box.addEventListener('input', function () {
      var q = fold(box.value.trim());
      var shown = 0;
      var first = null;
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        if (!o.value) continue;
        var match = !q || fold(o.textContent).indexOf(q) >= 0;
        o.hidden = !match;
        o.disabled = !match;
        if (match) { shown++; if (!first) first = o; }
      }
      none.hidden = shown > 0;
      if (q && shown === 1 && first) select.value = first.value;
    });
  }

  function autoFilter() {
    var form = document.getElementById('pf');
    if (!form) return;
    var inputs = document.querySelectorAll('select[form="pf"], input[type="date"][form="pf"]');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].addEventListener('change', function () {
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
    }
  }

  function once() {
    var buttons = document.querySelectorAll('button[data-once]');
    for (var i = 0; i < buttons.length; i++) {
      var form = buttons[i].form;
      if (!form || form.kgOnce) continue;
      form.kgOnce = true;
      form.addEventListener('submit', function (e) {
        if (this.kgSent) { e.preventDefault(); return; }
        this.kgSent = true;
      });
    }
  }

  function start() {
    var selects = document.querySelectorAll('select[data-search]');
    for (var i = 0; i < selects.length; i++) searchable(selects[i]);
    autoFilter();
    once();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
