// OCSP (Eds.Ocsp) through real nginx and the real programs, against
// `openssl ocsp` serving the test PKI's intermediate on loopback, spawned
// here: a good answer logs in; revoked (a certificate the CRL does not
// list, so only OCSP can refuse it) and unknown are refused; a responder
// that is down or signs with the wrong key falls back to the CRL under
// `prefer` and is refused under `require`; a current answer is kept until
// its nextUpdate, so a responder going down afterwards changes nothing.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD, freePort } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const REVOKED = 'Сертификат ЭЦП отозван. Получите новый ключ в НУЦ РК.';
const UNKNOWN = 'Национальный удостоверяющий центр не подтверждает этот сертификат (статус неизвестен).';
const NO_OCSP = 'Не удалось проверить статус сертификата в НУЦ РК (OCSP). Повторите позже.';

let port;      // the responder's port (nothing listens there when it is down)
let dir;
let responder; // the running `openssl ocsp`, or null
let require_;  // Eds.Ocsp = require
let prefer;    // Eds.Ocsp = prefer

const serial = (who) => execFileSync('openssl', ['x509', '-in', path.join(PKI, `${who}.pem`), '-noout', '-serial'],
  { encoding: 'utf8' }).trim().replace(/^serial=/, '');

// The intermediate's index with parent2's AUTH certificate revoked (the
// CRL does not list it), and an empty one (every certificate unknown).
function indexes() {
  const lines = fs.readFileSync(path.join(PKI, 'work', 'int', 'index.txt'), 'latin1').split('\n');
  const p2 = serial('parent2-auth');
  const revoked = lines.map((l) => {
    const f = l.split('\t');
    return f[3] === p2 ? ['R', f[1], '250101000000Z,keyCompromise', ...f.slice(3)].join('\t') : l;
  });
  fs.writeFileSync(path.join(dir, 'index.txt'), revoked.join('\n'), 'latin1');
  fs.writeFileSync(path.join(dir, 'empty.txt'), '');
  // as the CA's own: a person has an AUTH and a SIGN certificate of one subject
  for (const f of ['index.txt', 'empty.txt']) fs.writeFileSync(path.join(dir, `${f}.attr`), 'unique_subject = no\n');
}

// Waits for the responder's "waiting for OCSP client connections" (a
// probing connection would hold up the single-threaded responder).
function listening(p) {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${err}`)), 10000);
    p.stderr.on('data', (d) => {
      err += d;
      if (/waiting for OCSP client connections/.test(err)) { clearTimeout(timer); resolve(); }
    });
    p.on('exit', () => { clearTimeout(timer); reject(new Error(`openssl ocsp exited: ${err}`)); });
  });
}

// Starts the responder: index 'index.txt' or 'empty.txt', signer 'ocsp'
// (delegated by the intermediate) or 'ocsp-rogue' (the forged CA's),
// nmin: minutes to nextUpdate (none: no nextUpdate, nothing cached).
async function up(index = 'index.txt', signer = 'ocsp', nmin) {
  await down();
  const args = ['ocsp', '-index', path.join(dir, index), '-port', String(port), '-CA', path.join(PKI, 'int.pem'),
    '-rsigner', path.join(PKI, `${signer}.pem`), '-rkey', path.join(PKI, `${signer}.key`), '-ignore_err'];
  if (nmin) args.push('-nmin', String(nmin));
  responder = spawn('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  await listening(responder);
}

async function down() {
  if (!responder) return;
  const p = responder;
  responder = null;
  await new Promise((resolve) => { p.on('exit', resolve); p.kill('SIGTERM'); });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-ocsp-'));
  port = await freePort();
  indexes();
  const url = `Eds.OcspUrl = http://127.0.0.1:${port}/\nEds.OcspTimeoutMs = 2000`;
  require_ = await Server.start({ conf: `Eds.Ocsp = require\n${url}` });
  prefer = await Server.start({ conf: `Eds.Ocsp = prefer\n${url}` });
});
after(async () => {
  await down();
  for (const s of [require_, prefer]) if (s) await s.stop();
});

const messageOf = (r) => {
  const m = r.text.match(/<div class="alert alert-error" role="alert" id="login-error">([^<]*)<\/div>/);
  return m ? m[1] : null;
};

// An EDS login by a PKI key on a server: the answer to the signed challenge.
async function login(srv, who) {
  const c = srv.client();
  const page = await c.get('/login?tab=eds');
  const content = Buffer.from(page.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64');
  const nonce = page.text.match(/name="nonce" value="([^"]+)"/)[1];
  return c.post('/login/eds', { nonce, cms: fx.cms(content, who) });
}

async function accepted(srv, who) {
  const r = await login(srv, who);
  assert.strictEqual(r.status, 303, `${who}: ${messageOf(r) || textOf(r.text).slice(0, 300)} ${JSON.stringify(fx.audit(srv, 'login')[0])}`);
}

async function refused(srv, who, message, outcome) {
  const r = await login(srv, who);
  assert.strictEqual(r.status, 422, textOf(r.text).slice(0, 300));
  assert.strictEqual(messageOf(r), message);
  assert.strictEqual(fx.audit(srv, 'login')[0].outcome, outcome);
}

test('require: a good answer logs in', async () => {
  await up();
  await accepted(require_, 'parent1-auth');
});

test('require and prefer: a certificate revoked by OCSP only (not on the CRL) is refused', async () => {
  await up();
  await refused(require_, 'parent2-auth', REVOKED, 'eds_revoked');
  assert.match(fx.audit(require_, 'login')[0].details, /OCSP: revoked/);
  await refused(prefer, 'parent2-auth', REVOKED, 'eds_revoked');
});

test('require and prefer: a certificate the responder does not know is refused', async () => {
  await up('empty.txt');
  await refused(require_, 'parent3-auth', UNKNOWN, 'eds_ocsp_unknown');
  await refused(prefer, 'parent3-auth', UNKNOWN, 'eds_ocsp_unknown');
});

test('responder down: require refuses, prefer falls back to the CRL', async () => {
  await down();
  await refused(require_, 'staff1-auth', NO_OCSP, 'eds_ocsp');
  assert.match(fx.audit(require_, 'login')[0].details, /no answer/);
  await accepted(prefer, 'staff1-auth');
  // and the CRL still decides under prefer
  const r = await login(prefer, 'revoked-auth');
  assert.strictEqual(r.status, 422);
  assert.strictEqual(messageOf(r), REVOKED);
});

test('an answer signed by the wrong key: require refuses, prefer falls back to the CRL', async () => {
  await up('index.txt', 'ocsp-rogue');
  await refused(require_, 'staff2-auth', NO_OCSP, 'eds_ocsp');
  assert.match(fx.audit(require_, 'login')[0].details, /not signed by the CA/);
  await accepted(prefer, 'staff2-auth');
});

test('an answer is kept until its nextUpdate: the responder going down afterwards changes nothing', async () => {
  await up('index.txt', 'ocsp', 5);
  await accepted(require_, 'reviewer1-auth');
  await down();
  await accepted(require_, 'reviewer1-auth');
  await refused(require_, 'reviewer2-auth', NO_OCSP, 'eds_ocsp');
  require_.advanceClock(6 * 60);     // past nextUpdate: asked again, and the responder is down
  await refused(require_, 'reviewer1-auth', NO_OCSP, 'eds_ocsp');
});

run();
