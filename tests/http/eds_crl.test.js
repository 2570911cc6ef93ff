// The revocation lists under a running service, through real nginx and the
// real programs: the CRL file (Eds.CrlFile, a copy in the instance's
// folder) is replaced as an operator's refresh would replace it. A file
// that cannot be loaded (garbage, deleted), a CRL older than one loaded
// before, only the root's or only the intermediate's CRL, or a CRL past its
// nextUpdate: every EDS login is refused (fail closed), with its message,
// and a good file brings signatures back.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const UNAVAILABLE = 'Проверка подписей ЭЦП временно недоступна: список отозванных сертификатов не загружен. Повторите позже.';
const NO_CRL = 'Не удалось проверить, не отозван ли сертификат (нет действующего списка отзыва). Повторите позже.';

let srv;
let crl;
before(async () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'kg-crl-'));
  crl = path.join(dir, 'crl.pem');
  fs.copyFileSync(path.join(PKI, 'crl.pem'), crl);
  srv = await Server.start({ conf: `Eds.CrlFile = ${crl}` });
});
after(async () => { if (srv) await srv.stop(); });

// Puts a PKI file (or text) in place of the CRL file: a new file renamed over it.
function put(file, text) {
  fs.writeFileSync(`${crl}.new`, file ? fs.readFileSync(path.join(PKI, file)) : text);
  fs.renameSync(`${crl}.new`, crl);
}

const messageOf = (r) => {
  const m = r.text.match(/<div class="alert alert-error" role="alert" id="login-error">([^<]*)<\/div>/);
  return m ? m[1] : null;
};

// An EDS login by parent1: the answer to the signed challenge.
async function edsLogin() {
  const c = srv.client();
  const page = await c.get('/login?tab=eds');
  assert.strictEqual(page.status, 200);
  const content = Buffer.from(page.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64');
  const nonce = page.text.match(/name="nonce" value="([^"]+)"/)[1];
  const r = await c.post('/login/eds', { nonce, cms: fx.cms(content, 'parent1-auth') });
  return { c, r };
}

async function accepted() {
  const { r } = await edsLogin();
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
}

async function refusedWith(message, outcome) {
  const { c, r } = await edsLogin();
  assert.strictEqual(r.status, 422, textOf(r.text).slice(0, 300));
  assert.strictEqual(messageOf(r), message);
  assert.ok(!fx.sessionAccount(srv, c), 'no logged-in session');
  assert.strictEqual(fx.audit(srv, 'login')[0].outcome, outcome);
}

test('a good CRL: the login by EDS works, and the CRL numbers are recorded', async () => {
  await accepted();
  const rows = srv.sql('SELECT issuer, delta, number FROM eds_crl ORDER BY issuer');
  assert.strictEqual(rows.length, 2, 'the root\'s and the intermediate\'s');
  for (const row of rows) assert.match(row.number, /^0{36}1001$/);
});

test('only the root\'s CRL, or only the intermediate\'s: refused, as no CRL covers the whole chain', async () => {
  put('crl-root.pem');
  await refusedWith(NO_CRL, 'eds_crl');
  put('crl-int.pem');
  await refusedWith(NO_CRL, 'eds_crl');
  put('crl.pem');
  await accepted();
});

test('the CRL file replaced by garbage under the running service: refused, not the last good CRL kept', async () => {
  put(null, '-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n');
  await refusedWith(UNAVAILABLE, 'eds_crl_unavailable');
  assert.match(fx.audit(srv, 'login')[0].details, /unreadable/);
});

test('the CRL file deleted: refused; a good file again: accepted', async () => {
  fs.rmSync(crl);
  await refusedWith(UNAVAILABLE, 'eds_crl_unavailable');
  put('crl.pem');
  await accepted();
});

test('an older CRL (a lower CRL number) is refused: a number never goes back', async () => {
  put('crl-old.pem');
  await refusedWith(UNAVAILABLE, 'eds_crl_unavailable');
  assert.match(fx.audit(srv, 'login')[0].details, /rolled_back/);
  for (const row of srv.sql('SELECT number FROM eds_crl')) assert.match(row.number, /1001$/, 'the record stays');
  put('crl.pem');
  await accepted();
});

test('a stale CRL (nextUpdate passed) is refused over HTTP', async () => {
  put('crl-expired.pem');
  await refusedWith(NO_CRL, 'eds_crl');
});

run();
