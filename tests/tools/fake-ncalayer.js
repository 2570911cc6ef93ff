#!/usr/bin/env node
/*
 * fake-ncalayer.js: a stand-in for NCALayer (the desktop signing app of НУЦ РК)
 * for HTTP and browser tests. It listens on wss://127.0.0.1:<port> with the
 * test PKI's TLS certificate and signs with the test PKI's keys, using
 * `openssl cms -sign -binary -md sha256 [-nodetach]`, the shape NCALayer makes.
 *
 *   node tests/tools/fake-ncalayer.js --pki DIR [--port 13579] [--control-port N]
 *        [--person parent1] [--mode ok] [--no-basics]
 *
 *   --pki DIR         output of tests/tools/pki.sh (required)
 *   --port N          websocket port (default 13579; 0 picks a free one)
 *   --control-port N  control port (default port+1; 0 picks a free one)
 *   --person KEY      whose key is "inserted": a key prefix of the PKI
 *                     (parent1, staff2, staff2-wrongbin, ...); default parent1
 *   --mode MODE       see below; default ok
 *   --no-basics       behave like an old NCALayer without kz.gov.pki.knca.basics
 *
 * When ready it prints one line to stderr:
 *   fake-ncalayer: listening on wss://127.0.0.1:<port> control http://127.0.0.1:<cport>
 * It logs every request it signs (module, key file, mode, length and SHA-256 of
 * the data; never key material) to stderr, and exits 0 on SIGTERM or SIGINT.
 *
 * Protocol (what the real NCALayer does, as far as clients can see):
 *   on connect            -> {"result":{"version":"1.4"}}
 *   "--heartbeat--"       -> "--heartbeat--"
 *   {module:"kz.gov.pki.knca.basics", method:"sign", args:{allowedStorages,
 *    format:"cms", data, signingParams:{decode, encapsulate, digested},
 *    signerParams:{extKeyUsageOids, iin, bin}, locale}}
 *       ok      -> {"status":true,"body":{"result":["<base64 CMS>"]}}
 *       cancel  -> {"status":true,"body":{}}            (no result: the user pressed Cancel)
 *       failure -> {"status":false,"code":"SIGNING_FAILURE"|"INVALID_SIGNING_PARAMS"|...,
 *                   "message":"...","details":""}
 *     decode true: data is base64 of the bytes to sign; false: data's UTF-8 is signed.
 *     encapsulate true: attached CMS. digested true (hash signing) is not supported.
 *     The key kind comes from extKeyUsageOids: 1.3.6.1.5.5.7.3.2 AUTH,
 *     otherwise SIGN. signerParams.iin/bin are logged but not enforced (a real
 *     NCALayer filters keys by them; an attacker's fake would not, and the
 *     server must catch that).
 *   {module:"kz.gov.pki.knca.commonUtils", method:"createCAdESFromBase64",
 *    args:[storage, "AUTHENTICATION"|"SIGNATURE", base64data, attach]}
 *       ok      -> {"code":"200","message":"","responseObject":"<base64 CMS>"}
 *       cancel  -> {"code":"500","message":"action.canceled"}
 *       failure -> {"code":"500","message":"..."}
 *     also getActiveTokens -> {"code":"200","responseObject":[]} (no hardware tokens)
 *   any other module (or basics with --no-basics)
 *       -> {"success":false,"errorCode":"MODULE_NOT_FOUND"}
 *   A "uuid" field of a request is echoed in commonUtils replies, as NCALayer does.
 *
 * Modes (what the "user" and the "key" do):
 *   ok         signs with <person>-auth or <person>-sign, as asked
 *   cancel     the user presses Cancel
 *   wrong_key  signs with the other key of the person (AUTH asked -> SIGN key, and back)
 *   forged     signs with forged-<person>-* (forged-parent1 in the PKI) and attaches
 *              the forged CA chain, as an attacker's NCALayer would
 *   expired    signs with expired-* (parent1's identity, certificate expired)
 *   revoked    signs with revoked-* (parent2's identity, certificate on the CRL)
 *   error      NCALayer fails (SIGNING_FAILURE / code 500)
 *
 * Control interface: HTTP on 127.0.0.1:<control port>, JSON in and out.
 *   GET  /state   -> {"person":"parent1","mode":"ok","basics":true}
 *   POST /state   body {"person":"staff2","mode":"cancel","basics":false} (any subset),
 *                 or the same as a query string (POST /state?person=staff2&mode=ok);
 *                 answers the new state, or 400 {"error":"..."} for an unknown
 *                 mode or a person without keys in the PKI.
 *   GET  /log     -> [{"module","method","keyType","key","mode","attach","bytes","sha256","iin","bin",
 *                   "storages"}...]   (storages: the allowedStorages asked for, null = any)
 *                 every signing request since start or the last reset
 *   POST /reset   -> back to the command-line person and mode, log emptied
 *   e.g. curl -s -X POST 'http://127.0.0.1:13580/state?person=staff1&mode=wrong_key'
 */
'use strict';

const fs = require('fs');
const path = require('path');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { spawn } = require('child_process');
const { WebSocketServer } = require(path.join(__dirname, '..', 'node_modules', 'ws'));

const MODES = ['ok', 'cancel', 'wrong_key', 'forged', 'expired', 'revoked', 'error'];
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const VERSION = '1.4';

function usage(msg) {
  process.stderr.write(`fake-ncalayer: ${msg}\nusage: node fake-ncalayer.js --pki DIR [--port N] ` +
    '[--control-port N] [--person KEY] [--mode MODE] [--no-basics]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { port: 13579, controlPort: null, person: 'parent1', mode: 'ok', basics: true, pki: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const port = (s) => {
      if (!/^\d{1,5}$/.test(s) || Number(s) > 65535) usage(`bad port ${s}`);
      return Number(s);
    };
    if (a === '--pki') o.pki = val();
    else if (a === '--port') o.port = port(val());
    else if (a === '--control-port') o.controlPort = port(val());
    else if (a === '--person') o.person = val();
    else if (a === '--mode') o.mode = val();
    else if (a === '--no-basics') o.basics = false;
    else usage(`unknown argument ${a}`);
  }
  if (!o.pki) usage('--pki DIR is required');
  if (!MODES.includes(o.mode)) usage(`unknown mode ${o.mode}`);
  if (o.controlPort === null) o.controlPort = o.port === 0 ? 0 : o.port + 1;
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const pki = path.resolve(opts.pki);
if (!fs.existsSync(path.join(pki, '.pki-complete'))) usage(`${pki} is not a PKI made by tests/tools/pki.sh`);
const state = { person: opts.person, mode: opts.mode, basics: opts.basics };
let signLog = [];

function log(msg) {
  process.stderr.write(`fake-ncalayer: ${msg}\n`);
}

function pkiFile(name) {
  return path.join(pki, name);
}

function hasKeys(prefix) {
  return ['auth', 'sign'].some((k) => fs.existsSync(pkiFile(`${prefix}-${k}.pem`)));
}

/* The key file prefix (without .pem/.key) the current mode signs with. */
function pickKey(keyType) {
  const kind = keyType === 'auth' ? 'auth' : 'sign';
  const other = kind === 'auth' ? 'sign' : 'auth';
  switch (state.mode) {
    case 'wrong_key': return `${state.person}-${other}`;
    case 'forged':
      return hasKeys(`forged-${state.person}`) ? `forged-${state.person}-${kind}` : `forged-parent1-${kind}`;
    case 'expired': return `expired-${kind}`;
    case 'revoked': return `revoked-${kind}`;
    default: return `${state.person}-${kind}`;
  }
}

/* Runs openssl cms -sign; resolves to the base64 DER CMS. */
function opensslSign(key, data, attach, extraCerts) {
  return new Promise((resolve, reject) => {
    const cert = pkiFile(`${key}.pem`);
    const keyFile = pkiFile(`${key}.key`);
    if (!fs.existsSync(cert) || !fs.existsSync(keyFile)) {
      reject(new Error(`no key ${key} in ${pki}`));
      return;
    }
    const args = ['cms', '-sign', '-binary', '-md', 'sha256', '-signer', cert, '-inkey', keyFile,
      '-outform', 'DER'];
    if (attach) args.push('-nodetach');
    if (extraCerts) args.push('-certfile', extraCerts);
    const p = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    p.stdout.on('data', (b) => out.push(b));
    p.stderr.on('data', (b) => { err += b; });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('base64'));
      else reject(new Error(`openssl cms exited ${code}: ${err.trim().split('\n')[0]}`));
    });
    p.stdin.end(data);
  });
}

/*
 * Signs `data` (a Buffer) as the current state says. Resolves to
 * {cancelled:true}, {error:"..."} or {cms:"<base64>"}.
 */
async function doSign(module, method, keyType, data, attach, signer, storages) {
  const sha = crypto.createHash('sha256').update(data).digest('hex').slice(0, 16);
  const entry = {
    module, method, keyType, key: null, mode: state.mode, attach: !!attach,
    bytes: data.length, sha256: sha, iin: signer.iin || '', bin: signer.bin || '',
    storages: storages || null,
  };
  signLog.push(entry);
  if (state.mode === 'cancel') {
    log(`${module}.${method} ${keyType} mode=cancel: user pressed Cancel`);
    return { cancelled: true };
  }
  if (state.mode === 'error') {
    log(`${module}.${method} ${keyType} mode=error: failing`);
    return { error: 'simulated NCALayer failure' };
  }
  const key = pickKey(keyType);
  entry.key = key;
  const extra = state.mode === 'forged' ? pkiFile('forged-chain.pem') : null;
  log(`${module}.${method} ${keyType} key=${key} mode=${state.mode} attach=${!!attach} ` +
    `bytes=${data.length} sha256=${sha}` +
    (signer.iin ? ` asked-iin=${signer.iin}` : '') + (signer.bin ? ` asked-bin=${signer.bin}` : ''));
  try {
    return { cms: await opensslSign(key, data, attach, extra) };
  } catch (e) {
    log(`signing failed: ${e.message}`);
    return { error: e.message };
  }
}

/* NCALayer sends booleans, some clients send "true"/"false" strings. */
function truthy(v) {
  return v === true || v === 'true';
}

function isBase64(s) {
  return typeof s === 'string' && /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(s);
}

async function handleBasics(req) {
  const fail = (code, message) => ({ status: false, code, message, details: '' });
  if (req.method !== 'sign') return fail('INVOCATION_ERROR', `unknown method ${req.method}`);
  const a = req.args;
  if (!a || typeof a !== 'object' || Array.isArray(a)) return fail('INVALID_SIGNING_PARAMS', 'args must be an object');
  if (a.format !== 'cms') return fail('INVALID_SIGNING_PARAMS', `format ${a.format} not supported by the fake`);
  const sp = a.signingParams || {};
  const signer = a.signerParams || {};
  if (truthy(sp.digested)) return fail('INVALID_SIGNING_PARAMS', 'digested signing not supported by the fake');
  const items = Array.isArray(a.data) ? a.data : [a.data];
  const oids = Array.isArray(signer.extKeyUsageOids) ? signer.extKeyUsageOids : [];
  const keyType = oids.includes(OID_CLIENT_AUTH) ? 'auth' : 'sign';
  const results = [];
  for (const item of items) {
    if (typeof item !== 'string') return fail('INVALID_SIGNING_PARAMS', 'data must be a string');
    if (truthy(sp.decode) && !isBase64(item)) return fail('INVALID_SIGNING_PARAMS', 'data is not base64');
    const bytes = truthy(sp.decode) ? Buffer.from(item, 'base64') : Buffer.from(item, 'utf8');
    const r = await doSign('basics', 'sign', keyType, bytes, truthy(sp.encapsulate), signer,
      Array.isArray(a.allowedStorages) ? a.allowedStorages : null);
    if (r.cancelled) return { status: true, body: {} };
    if (r.error) return fail('SIGNING_FAILURE', r.error);
    results.push(r.cms);
  }
  return { status: true, body: { result: results } };
}

async function handleCommonUtils(req) {
  const withUuid = (o) => (req.uuid !== undefined ? { ...o, uuid: req.uuid } : o);
  const fail = (message) => withUuid({ code: '500', message });
  const a = Array.isArray(req.args) ? req.args : [];
  if (req.method === 'getActiveTokens') return withUuid({ code: '200', message: '', responseObject: [] });
  if (req.method !== 'createCAdESFromBase64') return fail(`unknown method ${req.method}`);
  const [storage, keyKind, b64, attach] = a;
  if (typeof storage !== 'string') return fail('storage expected');
  if (keyKind !== 'AUTHENTICATION' && keyKind !== 'SIGNATURE') return fail(`bad key type ${keyKind}`);
  if (!isBase64(b64)) return fail('data is not base64');
  const r = await doSign('commonUtils', 'createCAdESFromBase64', keyKind === 'AUTHENTICATION' ? 'auth' : 'sign',
    Buffer.from(b64, 'base64'), truthy(attach), {}, [storage]);
  if (r.cancelled) return fail('action.canceled');
  if (r.error) return fail(r.error);
  return withUuid({ code: '200', message: '', responseObject: r.cms });
}

async function handleMessage(text) {
  if (text === '--heartbeat--') return text;
  let req;
  try {
    req = JSON.parse(text);
  } catch (e) {
    log('unparsable request ignored');
    return null;
  }
  if (req === null || typeof req !== 'object') return null;
  if (req.module === 'kz.gov.pki.knca.basics' && state.basics) return handleBasics(req);
  if (req.module === 'kz.gov.pki.knca.commonUtils') return handleCommonUtils(req);
  log(`module ${req.module} not found`);
  return { success: false, errorCode: 'MODULE_NOT_FOUND' };
}

/* ------------------------------------------------------------ servers */

const tlsServer = https.createServer({
  cert: fs.readFileSync(pkiFile('ncalayer-tls.pem')),
  key: fs.readFileSync(pkiFile('ncalayer-tls.key')),
}, (req, res) => {
  res.writeHead(426, { 'content-type': 'text/plain' });
  res.end('websocket only\n');
});
const wss = new WebSocketServer({ server: tlsServer });

wss.on('connection', (ws) => {
  let queue = Promise.resolve();	/* one request at a time per socket, like NCALayer's dialog */
  ws.send(JSON.stringify({ result: { version: VERSION } }));
  ws.on('message', (raw) => {
    queue = queue.then(async () => {
      const reply = await handleMessage(raw.toString('utf8'));
      if (reply !== null && ws.readyState === ws.OPEN) {
        ws.send(typeof reply === 'string' ? reply : JSON.stringify(reply));
      }
    }).catch((e) => log(`internal error: ${e.message}`));
  });
  ws.on('error', (e) => log(`socket error: ${e.message}`));
});

function sendJson(res, code, obj) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(obj)}\n`);
}

function applyState(changes) {
  const next = { ...state };
  if (changes.person !== undefined) {
    if (typeof changes.person !== 'string' || !/^[a-z0-9-]+$/.test(changes.person) || !hasKeys(changes.person)) {
      return `no keys for person ${changes.person} in ${pki}`;
    }
    next.person = changes.person;
  }
  if (changes.mode !== undefined) {
    if (!MODES.includes(changes.mode)) return `unknown mode ${changes.mode}; one of ${MODES.join(', ')}`;
    next.mode = changes.mode;
  }
  if (changes.basics !== undefined) next.basics = truthy(changes.basics);
  Object.assign(state, next);
  log(`state: person=${state.person} mode=${state.mode} basics=${state.basics}`);
  return null;
}

const controlServer = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  let body = '';
  req.on('data', (c) => {
    body += c;
    if (body.length > 65536) req.destroy();
  });
  req.on('end', () => {
    if (req.method === 'GET' && url.pathname === '/state') return sendJson(res, 200, state);
    if (req.method === 'GET' && url.pathname === '/log') return sendJson(res, 200, signLog);
    if (req.method === 'POST' && url.pathname === '/reset') {
      signLog = [];
      applyState({ person: opts.person, mode: opts.mode, basics: opts.basics });
      return sendJson(res, 200, state);
    }
    if (req.method === 'POST' && url.pathname === '/state') {
      let changes = Object.fromEntries(url.searchParams);
      if (body.trim() !== '') {
        try {
          changes = { ...changes, ...JSON.parse(body) };
        } catch (e) {
          return sendJson(res, 400, { error: 'body is not JSON' });
        }
      }
      const err = applyState(changes);
      return err ? sendJson(res, 400, { error: err }) : sendJson(res, 200, state);
    }
    return sendJson(res, 404, { error: 'GET /state, POST /state, GET /log, POST /reset' });
  });
});

function shutdown(sig) {
  log(`${sig}: stopping`);
  for (const c of wss.clients) c.terminate();
  wss.close();
  tlsServer.close();
  controlServer.close();
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

if (!hasKeys(state.person)) usage(`no keys for person ${state.person} in ${pki}`);

tlsServer.on('error', (e) => { log(`websocket server: ${e.message}`); process.exit(1); });
controlServer.on('error', (e) => { log(`control server: ${e.message}`); process.exit(1); });
tlsServer.listen(opts.port, '127.0.0.1', () => {
  controlServer.listen(opts.controlPort, '127.0.0.1', () => {
    log(`listening on wss://127.0.0.1:${tlsServer.address().port} ` +
      `control http://127.0.0.1:${controlServer.address().port}`);
  });
});
