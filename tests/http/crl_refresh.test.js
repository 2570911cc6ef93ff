// conf/crl-refresh.sh as an operator's cron runs it against a running
// service: the root's and the intermediate's CRLs are fetched over HTTP
// (here from a loopback server holding the test PKI's files, in PEM and
// DER), checked and put in place of Eds.CrlFile by a rename; a CRL that is
// not one, not signed by the trusted CA, stale, or older than the one in
// place leaves the file as it was, and the service goes on signing.
'use strict';

const assert = require('assert');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD, TOP } = require('../lib/server');
const fx = require('../lib/fixtures');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const SCRIPT = path.join(TOP, 'conf', 'crl-refresh.sh');

let srv;
let web;
let base;
let crl;
const files = {};
before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-crlr-'));
  crl = path.join(dir, 'crl.pem');
  fs.copyFileSync(path.join(PKI, 'crl-old.pem'), crl);   // an older refresh's lists
  for (const f of ['crl-root.pem', 'crl-int.pem', 'crl-old.pem', 'crl-expired.pem', 'ca.pem', 'forged-root.pem']) {
    files[`/${f}`] = fs.readFileSync(path.join(PKI, f));
  }
  files['/int.crl'] = execFileSync('openssl', ['crl', '-in', path.join(PKI, 'crl-int.pem'), '-outform', 'DER']);
  files['/garbage.crl'] = Buffer.from('not a CRL\n');
  web = http.createServer((req, res) => {
    const body = files[req.url];
    res.writeHead(body ? 200 : 404);
    res.end(body || '');
  });
  await new Promise((res) => web.listen(0, '127.0.0.1', res));
  base = `http://127.0.0.1:${web.address().port}`;
  srv = await Server.start({ conf: `Eds.CrlFile = ${crl}` });
});
after(async () => {
  if (srv) await srv.stop();
  if (web) web.close();
});

// The script, run while this process serves its files (so not spawnSync).
function refresh(...names) {
  return new Promise((resolve) => {
    const p = spawn(SCRIPT, [path.join(PKI, 'ca.pem'), crl, ...names.map((n) => base + n)]);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const numbers = () => execFileSync('sh', ['-c', `awk '/BEGIN X509 CRL/{n++} {print > ("${crl}." n)}' ${crl}; for f in ${crl}.[0-9]*; do openssl crl -in $f -noout -crlnumber; rm $f; done`],
  { encoding: 'utf8' }).trim().split('\n').sort();

async function edsLogin() {
  const c = srv.client();
  const page = await c.get('/login?tab=eds');
  const content = Buffer.from(page.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64');
  const nonce = page.text.match(/name="nonce" value="([^"]+)"/)[1];
  return c.post('/login/eds', { nonce, cms: fx.cms(content, 'parent1-auth') });
}

test('the root\'s CRL (PEM) and the intermediate\'s (DER) are fetched, checked and put in place; signing goes on', async () => {
  assert.deepStrictEqual(numbers(), ['crlNumber=0x1000', 'crlNumber=0x1000']);
  const r = await refresh('/crl-root.pem', '/int.crl');
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /holds 2 CRL\(s\)/);
  assert.deepStrictEqual(numbers(), ['crlNumber=0x1001', 'crlNumber=0x1001']);
  assert.strictEqual((await edsLogin()).status, 303);
});

test('a bad list leaves the file as it was: not a CRL, not the CA\'s, stale, older, unreachable', async () => {
  const before = fs.readFileSync(crl, 'utf8');
  const cases = [
    [['/crl-root.pem', '/garbage.crl'], /garbage\.crl is not a CRL/],
    [['/crl-root.pem', '/ca.pem'], /ca\.pem is not a CRL/],
    [['/crl-expired.pem'], /is stale/],
    [['/crl-old.pem'], /CRL number 1000, lower than 1001/],
    [['/missing.crl'], /could not be fetched/],
  ];
  for (const [names, why] of cases) {
    const r = await refresh(...names);
    assert.strictEqual(r.status, 1, names.join(' '));
    assert.match(r.stderr, why, names.join(' '));
    assert.match(r.stderr, /is unchanged/);
    assert.strictEqual(fs.readFileSync(crl, 'utf8'), before, names.join(' '));
  }
  assert.strictEqual((await edsLogin()).status, 303);
});

test('a CRL signed by another CA (one made here, with the same name as the root) is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-crlf-'));
  const subject = execFileSync('openssl', ['crl', '-in', path.join(PKI, 'crl-root.pem'), '-noout', '-issuer', '-nameopt', 'compat'],
    { encoding: 'utf8' }).trim().replace(/^issuer=/, '');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'ca.key'),
    '-out', path.join(dir, 'ca.pem'), '-days', '30', '-subj', subject], { stdio: 'pipe' });
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'crlnumber'), '2000\n');
  fs.writeFileSync(path.join(dir, 'ca.cnf'), `[ca]\ndefault_ca=x\n[x]\ndatabase=${dir}/index.txt\ncrlnumber=${dir}/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n`);
  execFileSync('openssl', ['ca', '-gencrl', '-config', path.join(dir, 'ca.cnf'), '-keyfile', path.join(dir, 'ca.key'),
    '-cert', path.join(dir, 'ca.pem'), '-out', path.join(dir, 'forged.crl')], { stdio: 'pipe' });
  files['/forged.crl'] = fs.readFileSync(path.join(dir, 'forged.crl'));
  const before = fs.readFileSync(crl, 'utf8');
  const r = await refresh('/forged.crl');
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /not signed by a certificate of/);
  assert.strictEqual(fs.readFileSync(crl, 'utf8'), before);
});

run();
