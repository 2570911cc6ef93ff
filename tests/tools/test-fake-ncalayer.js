#!/usr/bin/env node
/*
 * test-fake-ncalayer.js: tests the test PKI, the fake NCALayer and the browser
 * client htdocs/js/ncalayer.js (run in a vm with ws as its WebSocket).
 *
 *   node tests/tools/test-fake-ncalayer.js
 *
 * Uses KG_PKI if set, else a PKI in $TMPDIR/kg-pki (made by pki.sh, idempotent).
 * Starts the fake on free ports, signs challenges through both protocol
 * families, verifies each CMS with `openssl cms -verify -binary -CAfile ca.pem
 * -purpose any`, and checks every mode. Prints "N passed, N failed" last and
 * exits non-zero on any failure. FAKE_NCALAYER_VERBOSE=1 shows the fake's log.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const vm = require('vm');
const { spawn, execFileSync, spawnSync } = require('child_process');
const WebSocket = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const REPO = path.resolve(__dirname, '..', '..');
const PKI = process.env.KG_PKI || path.join(os.tmpdir(), 'kg-pki');
const CA = path.join(PKI, 'ca.pem');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-fake-ncalayer-'));
const VERBOSE = !!process.env.FAKE_NCALAYER_VERBOSE;

const PARENT1_IIN = '900517322416';
const STAFF2_BIN = '050440012343';
const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EKU_EMAIL = '1.3.6.1.5.5.7.3.4';

let passed = 0;
let failed = 0;

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function eq(got, want, what) {
  if (got !== want) throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => {
    t = setTimeout(() => rej(new Error(`timeout: ${what}`)), ms);
  })]).finally(() => clearTimeout(t));
}

async function test(name, fn) {
  try {
    await withTimeout(fn(), 15000, name);
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message}`);
  }
}

/* ------------------------------------------------------------ the fake */

let fake = null;
let fakeErr = '';
let wsUrl = null;
let controlUrl = null;

function startFake(extra = []) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(__dirname, 'fake-ncalayer.js'), '--pki', PKI,
      '--port', '0', '--control-port', '0', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    let buf = '';
    p.stderr.on('data', (b) => {
      const s = b.toString();
      fakeErr += s;
      if (VERBOSE) process.stderr.write(s);
      buf += s;
      const m = buf.match(/listening on (wss:\/\/127\.0\.0\.1:\d+) control (http:\/\/127\.0\.0\.1:\d+)/);
      if (m && !wsUrl) {
        wsUrl = m[1];
        controlUrl = m[2];
        resolve(p);
      }
    });
    p.on('exit', (code) => {
      if (!wsUrl) reject(new Error(`fake exited ${code} before listening: ${buf}`));
    });
  });
}

function control(method, pathAndQuery, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(controlUrl + pathAndQuery, { method }, (res) => {
      let data = '';
      res.on('data', (c) => { data += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(data) }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function setState(s) {
  const r = await control('POST', '/state', s);
  eq(r.status, 200, `control ${JSON.stringify(s)}`);
}

/* A connected socket with the greeting already read; next() awaits a message. */
function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { ca: fs.readFileSync(CA) });
    const inbox = [];
    const waiters = [];
    ws.on('message', (data) => {
      const s = data.toString();
      if (waiters.length) waiters.shift()(s);
      else inbox.push(s);
    });
    ws.on('error', reject);
    ws.next = () => new Promise((res) => {
      if (inbox.length) res(inbox.shift());
      else waiters.push(res);
    });
    ws.ask = async (obj) => {
      ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
      const s = await ws.next();
      try {
        return JSON.parse(s);
      } catch (e) {
        return s;
      }
    };
    ws.on('open', async () => {
      ws.greeting = JSON.parse(await ws.next());
      resolve(ws);
    });
  });
}

function basics(data, { auth = false, attach = false, decode = true, iin = '', bin = '' } = {}) {
  return {
    module: 'kz.gov.pki.knca.basics',
    method: 'sign',
    args: {
      allowedStorages: ['PKCS12'],
      format: 'cms',
      data: decode ? Buffer.from(data).toString('base64') : data,
      signingParams: { decode, encapsulate: attach, digested: false },
      signerParams: { extKeyUsageOids: [auth ? EKU_CLIENT_AUTH : EKU_EMAIL], iin, bin },
      locale: 'ru',
    },
  };
}

function common(data, { auth = false, attach = false, uuid } = {}) {
  const r = {
    module: 'kz.gov.pki.knca.commonUtils',
    method: 'createCAdESFromBase64',
    args: ['PKCS12', auth ? 'AUTHENTICATION' : 'SIGNATURE', Buffer.from(data).toString('base64'), attach],
  };
  if (uuid) r.uuid = uuid;
  return r;
}

/* ------------------------------------------------------------- openssl */

let nfile = 0;

/*
 * openssl cms -verify of a base64 CMS. Returns {ok, content, signer:{subject, eku, pem}}.
 * content: the detached content to verify against, or null for attached.
 */
function verifyCms(b64, content) {
  const n = nfile++;
  const inFile = path.join(TMP, `cms${n}.der`);
  const outFile = path.join(TMP, `out${n}`);
  const signerFile = path.join(TMP, `signer${n}.pem`);
  fs.writeFileSync(inFile, Buffer.from(b64, 'base64'));
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', inFile, '-CAfile', CA,
    '-purpose', 'any', '-out', outFile, '-signer', signerFile];
  if (content !== null) {
    const c = path.join(TMP, `content${n}`);
    fs.writeFileSync(c, content);
    args.push('-content', c);
  }
  const r = spawnSync('openssl', args);
  const res = { ok: r.status === 0, stderr: r.stderr.toString() };
  if (!res.ok) {
    /* the signer certificate even when the chain is not trusted */
    spawnSync('openssl', ['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', inFile,
      '-out', outFile, '-signer', signerFile, ...(content !== null ? ['-content', path.join(TMP, `content${n}`)] : [])]);
  }
  if (fs.existsSync(outFile)) res.content = fs.readFileSync(outFile);
  if (fs.existsSync(signerFile)) {
    res.signer = {
      pem: fs.readFileSync(signerFile, 'utf8'),
      text: execFileSync('openssl', ['x509', '-in', signerFile, '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus',
        '-ext', 'extendedKeyUsage']).toString(),
    };
  }
  return res;
}

/* Is the PEM certificate `pem` the one in the PKI file? */
function samePem(pem, file) {
  const a = new crypto.X509Certificate(pem);
  const b = new crypto.X509Certificate(fs.readFileSync(path.join(PKI, file)));
  return a.raw.equals(b.raw);
}

function isAuthCert(text) {
  return /TLS Web Client Authentication/.test(text) && !/E-mail Protection/.test(text);
}

function isSignCert(text) {
  return /E-mail Protection/.test(text) && !/TLS Web Client Authentication/.test(text);
}

/* ------------------------------------------------- the browser client */

const clientSource = fs.readFileSync(path.join(REPO, 'htdocs', 'js', 'ncalayer.js'), 'utf8');

/* Loads ncalayer.js in a fresh context whose <meta name=kg-ncalayer> is url. */
function loadClient(url) {
  const ca = fs.readFileSync(CA);
  class BrowserLikeWebSocket extends WebSocket {
    constructor(u) {
      super(u, { ca });
    }
  }
  const document = {
    readyState: 'complete',
    documentElement: { lang: 'ru' },
    querySelector: (sel) => (sel === 'meta[name="kg-ncalayer"]' ? { getAttribute: () => url } : null),
    querySelectorAll: () => [],
    addEventListener() {},
  };
  const window = {};
  vm.runInContext(clientSource, vm.createContext({ window, document, WebSocket: BrowserLikeWebSocket, atob }),
    { filename: 'ncalayer.js' });
  return window.KG.ncalayer;
}

async function clientCode(promise) {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return e.code;
  }
}

/* ---------------------------------------------------------------- tests */

async function main() {
  execFileSync('bash', [path.join(__dirname, 'pki.sh'), PKI], { stdio: 'inherit' });
  fake = await startFake();
  const challenge = 'kg-login:5d1e0c2a:2026-01-05T10:00:00Z';

  await test('greets with a version on connect', async () => {
    const ws = await open();
    assert(ws.greeting.result && typeof ws.greeting.result.version === 'string', 'no version');
    ws.close();
  });

  await test('echoes the heartbeat', async () => {
    const ws = await open();
    eq(await ws.ask('--heartbeat--'), '--heartbeat--', 'heartbeat');
    ws.close();
  });

  await test('basics signs detached with the SIGN key', async () => {
    const ws = await open();
    const r = await ws.ask(basics(challenge, { attach: false }));
    ws.close();
    eq(r.status, true, 'status');
    assert(Array.isArray(r.body.result) && r.body.result.length === 1, 'result is not a one-element array');
    const v = verifyCms(r.body.result[0], challenge);
    assert(v.ok, `openssl cms -verify failed: ${v.stderr}`);
    assert(v.signer.text.includes(`serialNumber=IIN${PARENT1_IIN}`), 'not parent1');
    assert(isSignCert(v.signer.text), 'not a SIGN certificate');
  });

  await test('basics signs attached with the AUTH key', async () => {
    const ws = await open();
    const r = await ws.ask(basics(challenge, { auth: true, attach: true }));
    ws.close();
    const v = verifyCms(r.body.result[0], null);
    assert(v.ok, `openssl cms -verify failed: ${v.stderr}`);
    eq(v.content.toString(), challenge, 'attached content');
    assert(isAuthCert(v.signer.text), 'not an AUTH certificate');
  });

  await test('basics with decode false signs the UTF-8 text', async () => {
    const text = 'Принять в ДДО: UO.2026.000011.1';
    const ws = await open();
    const r = await ws.ask(basics(text, { attach: true, decode: false }));
    ws.close();
    const v = verifyCms(r.body.result[0], null);
    assert(v.ok, v.stderr);
    eq(v.content.toString('utf8'), text, 'content');
  });

  await test('basics refuses what the fake cannot do', async () => {
    const ws = await open();
    const req = basics(challenge);
    req.args.format = 'xml';
    const r = await ws.ask(req);
    ws.close();
    eq(r.status, false, 'status');
    eq(r.code, 'INVALID_SIGNING_PARAMS', 'code');
  });

  await test('commonUtils createCAdESFromBase64 AUTHENTICATION attached', async () => {
    const ws = await open();
    const r = await ws.ask(common(challenge, { auth: true, attach: true, uuid: 'u-1' }));
    ws.close();
    eq(r.code, '200', 'code');
    eq(r.uuid, 'u-1', 'uuid echoed');
    const v = verifyCms(r.responseObject, null);
    assert(v.ok, v.stderr);
    eq(v.content.toString(), challenge, 'content');
    assert(isAuthCert(v.signer.text), 'not an AUTH certificate');
  });

  await test('commonUtils createCAdESFromBase64 SIGNATURE detached', async () => {
    const ws = await open();
    const r = await ws.ask(common(challenge, { auth: false, attach: false }));
    ws.close();
    eq(r.code, '200', 'code');
    const v = verifyCms(r.responseObject, challenge);
    assert(v.ok, v.stderr);
    assert(isSignCert(v.signer.text), 'not a SIGN certificate');
  });

  await test('cancel mode answers like NCALayer when the user presses Cancel', async () => {
    await setState({ mode: 'cancel' });
    const ws = await open();
    const b = await ws.ask(basics(challenge));
    const c = await ws.ask(common(challenge));
    ws.close();
    await setState({ mode: 'ok' });
    eq(b.status, true, 'basics status');
    eq(JSON.stringify(b.body), '{}', 'basics body');
    eq(c.code, '500', 'commonUtils code');
    eq(c.message, 'action.canceled', 'commonUtils message');
  });

  await test('error mode fails', async () => {
    await setState({ mode: 'error' });
    const ws = await open();
    const b = await ws.ask(basics(challenge));
    const c = await ws.ask(common(challenge));
    ws.close();
    await setState({ mode: 'ok' });
    eq(b.status, false, 'basics status');
    eq(b.code, 'SIGNING_FAILURE', 'basics code');
    eq(c.code, '500', 'commonUtils code');
  });

  await test('wrong_key mode signs with the other key', async () => {
    await setState({ mode: 'wrong_key' });
    const ws = await open();
    const b = await ws.ask(basics(challenge, { auth: false, attach: true }));
    const c = await ws.ask(common(challenge, { auth: true, attach: true }));
    ws.close();
    await setState({ mode: 'ok' });
    const vb = verifyCms(b.body.result[0], null);
    const vc = verifyCms(c.responseObject, null);
    assert(vb.ok && vc.ok, 'verify failed');
    assert(isAuthCert(vb.signer.text), 'SIGN asked: expected the AUTH certificate');
    assert(isSignCert(vc.signer.text), 'AUTH asked: expected the SIGN certificate');
  });

  await test('person can be switched (staff2, employee with BIN)', async () => {
    await setState({ person: 'staff2' });
    const ws = await open();
    const r = await ws.ask(basics(challenge, { attach: true }));
    ws.close();
    await setState({ person: 'parent1' });
    const v = verifyCms(r.body.result[0], null);
    assert(v.ok, v.stderr);
    assert(v.signer.text.includes(`OU=BIN${STAFF2_BIN}`), `no BIN in ${v.signer.text}`);
    assert(v.signer.text.includes('1.2.398.3.3.4.1.2.5'), 'no employee OID');
  });

  await test('forged mode signs with a CA that is not trusted', async () => {
    await setState({ mode: 'forged' });
    const ws = await open();
    const r = await ws.ask(basics(challenge, { attach: true }));
    ws.close();
    await setState({ mode: 'ok' });
    const v = verifyCms(r.body.result[0], null);
    assert(!v.ok, 'a forged signature verified against ca.pem');
    assert(v.signer.text.includes(`serialNumber=IIN${PARENT1_IIN}`), 'forged cert should claim parent1');
    assert(samePem(v.signer.pem, 'forged-parent1-sign.pem'), 'not the forged certificate');
  });

  await test('expired and revoked modes use those certificates', async () => {
    for (const mode of ['expired', 'revoked']) {
      await setState({ mode });
      const ws = await open();
      const r = await ws.ask(basics(challenge, { auth: true, attach: true }));
      ws.close();
      const v = verifyCms(r.body.result[0], null);
      assert(v.signer && samePem(v.signer.pem, `${mode}-auth.pem`), `${mode}: not ${mode}-auth.pem`);
    }
    await setState({ mode: 'ok' });
    const log = (await control('GET', '/log')).body;
    const keys = log.map((e) => e.key);
    assert(keys.includes('expired-auth') && keys.includes('revoked-auth'), `log: ${keys}`);
  });

  await test('unknown modules, and basics when switched off, are MODULE_NOT_FOUND', async () => {
    const ws = await open();
    const u = await ws.ask({ module: 'kz.digiflow.mobile.extensions', method: 'getVersion' });
    eq(u.errorCode, 'MODULE_NOT_FOUND', 'unknown module');
    await setState({ basics: false });
    const b = await ws.ask(basics(challenge));
    const c = await ws.ask(common(challenge, { attach: true }));
    ws.close();
    await setState({ basics: true });
    eq(b.errorCode, 'MODULE_NOT_FOUND', 'basics off');
    eq(c.code, '200', 'commonUtils still works');
  });

  await test('control refuses unknown modes and persons', async () => {
    eq((await control('POST', '/state?mode=bogus')).status, 400, 'mode');
    eq((await control('POST', '/state', { person: 'nobody' })).status, 400, 'person');
    eq((await control('POST', '/state?person=staff2-wrongbin')).status, 200, 'wrongbin person');
    const r = await control('POST', '/reset');
    eq(r.body.person, 'parent1', 'reset person');
    eq((await control('GET', '/log')).body.length, 0, 'log after reset');
  });

  /* the browser client against the fake */
  const client = () => loadClient(wsUrl);
  const b64 = Buffer.from(challenge).toString('base64');

  await test('client signs for login through basics', async () => {
    const cms = await client().sign({ dataB64: b64, purpose: 'auth', attach: false });
    const v = verifyCms(cms, challenge);
    assert(v.ok, v.stderr);
    assert(isAuthCert(v.signer.text), 'not AUTH');
    const last = (await control('GET', '/log')).body.pop();
    eq(last.module, 'basics', 'module used');
  });

  await test('client falls back to commonUtils on an old NCALayer', async () => {
    await setState({ basics: false });
    const cms = await client().sign({ dataB64: b64, purpose: 'sign', attach: true });
    await setState({ basics: true });
    const v = verifyCms(cms, null);
    assert(v.ok, v.stderr);
    eq(v.content.toString(), challenge, 'content');
    assert(isSignCert(v.signer.text), 'not SIGN');
    const last = (await control('GET', '/log')).body.pop();
    eq(last.module, 'commonUtils', 'module used');
  });

  await test('client error codes: cancelled, wrong_key, failed', async () => {
    for (const [mode, want] of [['cancel', 'cancelled'], ['wrong_key', 'wrong_key'], ['error', 'failed']]) {
      await setState({ mode });
      eq(await clientCode(client().sign({ dataB64: b64, purpose: 'sign' })), want, `basics ${mode}`);
      await setState({ basics: false });
      eq(await clientCode(client().sign({ dataB64: b64, purpose: 'auth' })), want, `commonUtils ${mode}`);
      await setState({ basics: true });
    }
    await setState({ mode: 'ok' });
  });

  await test('client says not_running when nothing listens', async () => {
    const dead = wsUrl.replace(/:\d+$/, ':1');
    eq(await clientCode(loadClient(dead).sign({ dataB64: b64, purpose: 'auth' })), 'not_running', 'code');
  });

  await test('the fake never logs key material', async () => {
    assert(!/PRIVATE KEY|BEGIN/.test(fakeErr), 'key material in the log');
    assert(/key=parent1-sign/.test(fakeErr), 'signing not logged');
  });

  await test('the fake exits 0 on SIGTERM', async () => {
    const code = await new Promise((resolve) => {
      fake.on('exit', (c, sig) => resolve(sig || c));
      fake.kill('SIGTERM');
    });
    fake = null;
    eq(code, 0, 'exit code');
  });
}

main().catch((e) => {
  failed++;
  console.log(`not ok - harness: ${e.stack || e.message}`);
}).finally(() => {
  if (fake) fake.kill('SIGTERM');
  fs.rmSync(TMP, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
