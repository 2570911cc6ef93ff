/*
 * queue.js: small progressive enhancements of the registration form
 * (/queue); the form works the same without it.
 *   - the child's IIN: as soon as it has 12 digits, the birth date and the
 *     sex it encodes are shown in #iin-info (texts from its data-born,
 *     data-sex, data-m, data-f attributes); the server checks everything
 *     again;
 *   - the district: choosing another one reloads the three DDO lists from
 *     the select's data-ddos URL (JSON [{id, label}], the request's
 *     language), keeping each list's first "none" option, and hides the
 *     «show the district's DDOs» button (action=district) that does it
 *     without the script;
 *   - the benefit document field is shown only when a benefit is chosen.
 * No text for users lives here.
 */
(function () {
  'use strict';

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* YYMMDD C ...: C = 1..6 gives the century (1800s/1900s/2000s) and sex. */
  function iinInfo(iin) {
    if (!/^\d{12}$/.test(iin)) return null;
    const c = Number(iin[6]);
    if (c < 1 || c > 6) return null;
    const century = c <= 2 ? 1800 : c <= 4 ? 1900 : 2000;
    const y = century + Number(iin.slice(0, 2));
    const m = Number(iin.slice(2, 4));
    const d = Number(iin.slice(4, 6));
    const dt = new Date(Date.UTC(y, m - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
    return { birth: pad(d) + '.' + pad(m) + '.' + y, male: c % 2 === 1 };
  }

  function setupIin(form) {
    const input = form.querySelector('#child_iin');
    const out = form.querySelector('#iin-info');
    if (!input || !out) return;
    input.addEventListener('input', function () {
      const info = iinInfo(input.value.trim());
      if (!info) { out.textContent = ''; return; }
      out.textContent = '';
      out.append(out.dataset.born + ': ');
      const b = document.createElement('b');
      b.textContent = info.birth;
      out.append(b, ', ' + out.dataset.sex + ': ');
      const s = document.createElement('b');
      s.textContent = info.male ? out.dataset.m : out.dataset.f;
      out.append(s);
    });
  }

  function setupDistrict(form) {
    const district = form.querySelector('#district');
    if (!district || !district.dataset.ddos) return;
    /* The lists follow the district by themselves: no button for it. */
    const show = form.querySelector('#district-show');
    if (show) show.hidden = true;
    district.addEventListener('change', function () {
      const selects = form.querySelectorAll('select.ddo-select');
      const fill = function (items) {
        selects.forEach(function (sel) {
          const none = sel.options[0];
          sel.textContent = '';
          sel.append(none);
          items.forEach(function (it) {
            const o = document.createElement('option');
            o.value = String(it.id);
            o.textContent = it.label;
            sel.append(o);
          });
          sel.value = '';
        });
      };
      if (!district.value) { fill([]); return; }
      fetch(district.dataset.ddos + '?district=' + encodeURIComponent(district.value), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(fill)
        .catch(function () { fill([]); });
    });
  }

  function setupBenefit(form) {
    const doc = form.querySelector('#benefit-doc');
    if (!doc) return;
    const radios = form.querySelectorAll('input[name="benefit"]');
    const update = function () {
      const chosen = form.querySelector('input[name="benefit"]:checked');
      doc.hidden = !chosen || chosen.value === 'none';
    };
    radios.forEach(function (r) { r.addEventListener('change', update); });
    update();
  }

  document.addEventListener('DOMContentLoaded', function () {
    const form = document.querySelector('form.queue-form');
    if (!form) return;
    setupIin(form);
    setupDistrict(form);
    setupBenefit(form);
  });
})();
