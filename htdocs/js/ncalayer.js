/*
 * ncalayer.js: signing through NCALayer (wss://127.0.0.1:13579) from the browser.
 *
 * API: KG.ncalayer.sign({dataB64, purpose: 'auth'|'sign', iin, bin, attach, storage})
 *   -> Promise<base64 CMS>. Rejects with an Error whose .code is
 *      not_running  NCALayer is not running (the socket does not open)
 *      cancelled    the user closed NCALayer's dialog
 *      wrong_key    the returned signature is by the other key kind (AUTH for SIGN
 *                   or back): a hint to the user only; the server decides
 *      failed       anything else (NCALayer error, connection lost, bad reply)
 *   It asks kz.gov.pki.knca.basics first and, when that module is unknown (old
 *   NCALayer), kz.gov.pki.knca.commonUtils createCAdESFromBase64.
 *
 * Forms: every <form data-eds> is signed before it is sent:
 *   data-eds-challenge  base64 of the exact bytes to sign (from the server)
 *   data-eds-purpose    auth | sign
 *   data-eds-iin, data-eds-bin   optional: NCALayer shows only matching keys
 *   data-eds-attach     "false" for a detached CMS (default: attached)
 *   data-eds-storage, or a checked <input name="eds_storage"> in the form:
 *                       the key storage to offer (PKCS12 = a file on the computer,
 *                       AKKZIDCardStore = the ID card, AKKaztokenStore = Kaztoken);
 *                       none: NCALayer offers every storage
 *   data-msg-working, data-msg-not-running, data-msg-cancelled,
 *   data-msg-wrong-key, data-msg-failed: the texts to show, on the
 *     [data-eds-status] element or on the form; the element also gets
 *     data-eds-state = working|not_running|cancelled|wrong_key|failed.
 *   On success the CMS goes into <input type=hidden name=cms> (created if
 *   missing) and the form is submitted for real (with the button pressed).
 * URL: <meta name="kg-ncalayer" content="wss://127.0.0.1:PORT">, else the default.
 * No text for users lives here: every message comes from the page.
 */
(function () {
  'use strict';

  const DEFAULT_URL = 'wss://127.0.0.1:13579';
  const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
  const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
  /* DER of those two OIDs, to recognise the key kind inside the returned CMS */
  const DER_CLIENT_AUTH = '\x06\x08\x2b\x06\x01\x05\x05\x07\x03\x02';
  const DER_EMAIL_PROTECTION = '\x06\x08\x2b\x06\x01\x05\x05\x07\x03\x04';

  function failure(code, detail) {
    const e = new Error(detail ? code + ': ' + detail : code);
    e.code = code;
    return e;
  }

  function layerUrl() {
    const meta = document.querySelector('meta[name="kg-ncalayer"]');
    return (meta && meta.getAttribute('content')) || DEFAULT_URL;
  }

  function locale() {
    const lang = (document.documentElement && document.documentElement.lang) || '';
    return /^kk/.test(lang) ? 'kk' : /^en/.test(lang) ? 'en' : 'ru';
  }

  /* Opens the socket; resolves to {ask(request) -> Promise<reply>, close()}. */
  function connect(url) {
    return new Promise((resolve, reject) => {
      let ws;
      let opened = false;
      let waiter = null;
      try {
        ws = new WebSocket(url);
      } catch (e) {
        reject(failure('not_running', e.message));
        return;
      }
      ws.onmessage = (ev) => {
        if (ev.data === '--heartbeat--') return;
        let msg;
        try {
          msg = JSON.parse(ev.data);
        } catch (e) {
          msg = null;
        }
        /* the greeting {"result":{"version":...}} is not a reply */
        if (msg && msg.result && msg.result.version && !('status' in msg) && !('code' in msg)) return;
        if (waiter) {
          const w = waiter;
          waiter = null;
          if (msg && typeof msg === 'object') w.resolve(msg);
          else w.reject(failure('failed', 'unreadable reply'));
        }
      };
      ws.onopen = () => {
        opened = true;
        resolve({
          ask(request) {
            return new Promise((res, rej) => {
              waiter = { resolve: res, reject: rej };
              ws.send(JSON.stringify(request));
            });
          },
          close() {
            ws.close();
          },
        });
      };
      ws.onerror = () => {}; /* onclose follows and says what it means */
      ws.onclose = () => {
        if (!opened) {
          reject(failure('not_running'));
        } else if (waiter) {
          const w = waiter;
          waiter = null;
          w.reject(failure('failed', 'connection closed'));
        }
      };
    });
  }

  function basicsRequest(o, purpose) {
    return {
      module: 'kz.gov.pki.knca.basics',
      method: 'sign',
      args: {
        allowedStorages: o.storage ? [o.storage] : null, /* null: any storage */
        format: 'cms',
        data: o.dataB64,
        signingParams: { decode: true, encapsulate: o.attach !== false, digested: false },
        signerParams: {
          extKeyUsageOids: [purpose === 'auth' ? EKU_CLIENT_AUTH : EKU_EMAIL_PROTECTION],
          iin: o.iin || '',
          bin: o.bin || '',
        },
        locale: locale(),
      },
    };
  }

  function commonUtilsRequest(o, purpose) {
    return {
      module: 'kz.gov.pki.knca.commonUtils',
      method: 'createCAdESFromBase64',
      args: [o.storage || 'PKCS12', purpose === 'auth' ? 'AUTHENTICATION' : 'SIGNATURE', o.dataB64, o.attach !== false],
    };
  }

  function moduleMissing(r) {
    return r.errorCode === 'MODULE_NOT_FOUND' || (r.status === false && r.code === 'MODULE_NOT_FOUND');
  }

  function fromBasics(r) {
    if (r.status !== true) throw failure('failed', String(r.code || 'status false'));
    const result = r.body && r.body.result;
    if (result === undefined || result === null) throw failure('cancelled'); /* NCALayer's way of saying Cancel */
    const cms = Array.isArray(result) ? result[0] : result;
    if (typeof cms !== 'string' || cms === '') throw failure('failed', 'no signature in reply');
    return cms;
  }

  function fromCommonUtils(r) {
    if (r.code === '200' && typeof r.responseObject === 'string' && r.responseObject !== '') return r.responseObject;
    if (r.message === 'action.canceled') throw failure('cancelled');
    throw failure('failed', String(r.code) + ' ' + String(r.message || ''));
  }

  /* The key kind is in the signer certificate's EKU, inside the CMS. */
  function checkKeyKind(cms, purpose) {
    let der;
    try {
      der = atob(cms.replace(/\s+/g, ''));
    } catch (e) {
      throw failure('failed', 'signature is not base64');
    }
    const auth = der.indexOf(DER_CLIENT_AUTH) >= 0;
    const sign = der.indexOf(DER_EMAIL_PROTECTION) >= 0;
    if ((purpose === 'auth' && sign && !auth) || (purpose === 'sign' && auth && !sign)) {
      throw failure('wrong_key');
    }
    return cms;
  }

  async function sign(o) {
    if (!o || typeof o.dataB64 !== 'string' || o.dataB64 === '') throw failure('failed', 'nothing to sign');
    const purpose = o.purpose === 'auth' ? 'auth' : 'sign';
    const layer = await connect(layerUrl());
    try {
      let reply = await layer.ask(basicsRequest(o, purpose));
      if (moduleMissing(reply)) {
        reply = await layer.ask(commonUtilsRequest(o, purpose));
        return checkKeyKind(fromCommonUtils(reply), purpose);
      }
      return checkKeyKind(fromBasics(reply), purpose);
    } finally {
      layer.close();
    }
  }

  /* ------------------------------------------------------------- forms */

  const MESSAGE_ATTR = {
    working: 'data-msg-working',
    not_running: 'data-msg-not-running',
    cancelled: 'data-msg-cancelled',
    wrong_key: 'data-msg-wrong-key',
    failed: 'data-msg-failed',
  };

  function show(form, state) {
    const box = form.querySelector('[data-eds-status]');
    if (!box) return;
    const attr = MESSAGE_ATTR[state] || MESSAGE_ATTR.failed;
    box.textContent = box.getAttribute(attr) || form.getAttribute(attr) || '';
    box.setAttribute('data-eds-state', state);
  }

  function setBusy(form, busy) {
    if (busy) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
    form.querySelectorAll('button, input[type="submit"]').forEach((b) => {
      b.disabled = busy;
    });
  }

  async function signForm(form, submitter) {
    setBusy(form, true);
    show(form, 'working');
    const chosen = form.querySelector('input[name="eds_storage"]:checked');
    let cms;
    try {
      cms = await sign({
        storage: chosen ? chosen.value : form.getAttribute('data-eds-storage') || '',
        dataB64: form.getAttribute('data-eds-challenge') || '',
        purpose: form.getAttribute('data-eds-purpose'),
        iin: form.getAttribute('data-eds-iin') || '',
        bin: form.getAttribute('data-eds-bin') || '',
        attach: form.getAttribute('data-eds-attach') !== 'false',
      });
    } catch (e) {
      setBusy(form, false);
      show(form, MESSAGE_ATTR[e.code] ? e.code : 'failed');
      return;
    }
    let input = form.querySelector('input[name="cms"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'cms';
      form.appendChild(input);
    }
    input.value = cms;
    setBusy(form, false);
    form.kgEdsSigned = true; /* lets the next submit event through */
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
    form.kgEdsSigned = false; /* if validation stopped it, sign again next time */
  }

  function bindForm(form) {
    form.addEventListener('submit', (ev) => {
      if (form.kgEdsSigned) return;
      ev.preventDefault();
      if (form.hasAttribute('aria-busy')) return;
      const s = ev.submitter;
      signForm(form, s && s.form === form ? s : null);
    });
  }

  function bindAll() {
    document.querySelectorAll('form[data-eds]').forEach(bindForm);
  }

  window.KG = window.KG || {};
  window.KG.ncalayer = { sign, bindForm };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', bindAll);
  } else {
    bindAll();
  }
})();
