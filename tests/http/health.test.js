// What a hosting team runs the service with, through real nginx and the
// real programs: /healthz (200, or 503 naming the failing check: the CRL
// replaced by garbage, a tick not run for longer than its limit, an SMS
// stuck in the outbox; refused from an address outside KG_HEALTH_ALLOW),
// the programs' log entries (route, status, duration and the request id
// the response carries as X-Request-Id) and `kgctl passwd` reading the
// password from a pipe.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD, TOP } = require('../lib/server');
const vg = require('../lib/valgrind');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const P = Server.persons();
const TICK_MAX = 300;
const OUTBOX_MAX = 900;

let srv;
let crl;
before(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-health-'));
  crl = path.join(dir, 'crl.pem');
  fs.copyFileSync(path.join(PKI, 'crl.pem'), crl);
  // Free space is checked against 1 MB: the test machine's disk is not the subject.
  srv = await Server.start({ conf: `Eds.CrlFile = ${crl}\nHealth.MinFreeMB = 1\nLog.Journal = off` });
  srv.kgctl('tick');
});
after(async () => { if (srv) await srv.stop(); });

async function health(opts) {
  const r = await srv.client(opts).get('/healthz');
  let body = null;
  if (r.status === 200 || r.status === 503) body = JSON.parse(r.text);
  return { r, body };
}

async function healthy() {
  const { r, body } = await health();
  assert.strictEqual(r.status, 200, r.text);
  assert.deepStrictEqual(body, {
    status: 'ok',
    checks: { database: { ok: true }, crl: { ok: true }, disk: { ok: true }, outbox: { ok: true }, tick: { ok: true } },
  });
}

// 503, with only `check` failing, its detail matching `why`.
async function failing(check, why) {
  const { r, body } = await health();
  assert.strictEqual(r.status, 503, r.text);
  assert.strictEqual(r.headers['content-type'], 'application/json');
  assert.strictEqual(body.status, 'fail');
  for (const [name, c] of Object.entries(body.checks)) {
    if (name === check) {
      assert.strictEqual(c.ok, false);
      assert.match(c.detail, why);
    } else {
      assert.deepStrictEqual(c, { ok: true }, `${name}: ${c.detail}`);
    }
  }
}

test('a healthy service: 200 with every check ok, JSON, never cached', async () => {
  const { r } = await health();
  assert.strictEqual(r.status, 200);
  assert.strictEqual(r.headers['content-type'], 'application/json');
  assert.strictEqual(r.headers['cache-control'], 'no-store');
  assert.ok(!r.headers['x-accel-expires'], 'not kept by nginx');
  await healthy();
});

test('the CRL file replaced by garbage: 503 naming the CRL; a good file brings 200 back', async () => {
  fs.writeFileSync(`${crl}.new`, 'not a CRL\n');
  fs.renameSync(`${crl}.new`, crl);
  await failing('crl', /^unreadable/);
  fs.copyFileSync(path.join(PKI, 'crl.pem'), `${crl}.new`);
  fs.renameSync(`${crl}.new`, crl);
  await healthy();
});

test('the tick not completed for longer than Health.TickMaxAgeSeconds: 503 naming the tick; a tick brings 200 back', async () => {
  srv.advanceClock(TICK_MAX - 30);
  await healthy();
  srv.advanceClock(60);
  await failing('tick', /last completed \d+ s ago, above Health\.TickMaxAgeSeconds 300/);
  srv.kgctl('tick');
  await healthy();
});

test('an SMS waiting longer than Health.OutboxMaxAgeSeconds: 503 naming the outbox; an unconfirmed one does not count', async () => {
  const now = srv.now();
  const add = (age, state) => srv.sql(`INSERT INTO notification(phone, kind, text, created_at, state)
    VALUES ('+77015550001', 'test', 'health test', ${now - age}, '${state}') RETURNING id`)[0].id;
  const young = add(OUTBOX_MAX - 60, 'queued');
  const unconfirmed = add(OUTBOX_MAX + 600, 'unconfirmed');
  await healthy();
  const old = add(OUTBOX_MAX + 60, 'queued');
  await failing('outbox', /an SMS has waited \d+ s to be sent, above Health\.OutboxMaxAgeSeconds 900/);
  srv.sql(`UPDATE notification SET state = 'sent', sent_at = ${now} WHERE id IN (${young}, ${old})`);
  await healthy();
  srv.sql(`DELETE FROM notification WHERE id = ${unconfirmed}`);
});

test('from an address outside KG_HEALTH_ALLOW (127.0.0.1 ::1 by default): refused by nginx and by Apache', async () => {
  const r = await srv.client({ localAddress: '127.0.0.2' }).get('/healthz');
  assert.strictEqual(r.status, 403);
  // The other pages answer that address as any.
  assert.strictEqual((await srv.client({ localAddress: '127.0.0.2' }).get('/')).status, 200);
  // Apache (the same snippet's Require ip): the same answers.
  const { Client } = require('../lib/client');
  const apache = await srv.startApache();
  assert.strictEqual((await new Client(apache).get('/healthz')).status, 200);
  assert.strictEqual((await new Client(apache, { localAddress: '127.0.0.2' }).get('/healthz')).status, 403);
  // The deploy snippets carry the setting's addresses, then deny the rest.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-health-web-'));
  execFileSync(path.join(TOP, 'conf', 'gen-web.sh'), ['deploy', '/usr', out],
    { env: { ...process.env, KG_TOP: TOP, KG_HEALTH_ALLOW: '10.1.2.3 192.168.0.0/24' } });
  const nginx = fs.readFileSync(path.join(out, 'kg-nginx-server.conf'), 'utf8');
  const loc = nginx.match(/location = \/healthz \{[^}]*\}/)[0];
  assert.match(loc, /allow 10\.1\.2\.3;\s+allow 192\.168\.0\.0\/24;\s+deny all;/);
  assert.doesNotMatch(loc, /127\.0\.0\.1/);
  const apacheConf = fs.readFileSync(path.join(out, 'kg-apache.conf'), 'utf8');
  assert.match(apacheConf, /<Location "\/healthz">\s+Require ip 10\.1\.2\.3 192\.168\.0\.0\/24\s+<\/Location>/);
  const bad = spawnSync(path.join(TOP, 'conf', 'gen-web.sh'), ['deploy', '/usr', out],
    { env: { ...process.env, KG_TOP: TOP, KG_HEALTH_ALLOW: '10.1.2.3; include /etc/passwd' } });
  assert.notStrictEqual(bad.status, 0, 'a value that is not an address is refused');
  fs.rmSync(out, { recursive: true, force: true });
});

// The log entry of the request with this id (written once the response
// has left: waited for).
async function logLine(id) {
  for (let i = 0; i < 50; i++) {
    const line = srv.logs().split('\n').find((l) => l.includes(`request_id=${id}`));
    if (line) return line;
    await new Promise((res) => setTimeout(res, 50));
  }
  return null;
}

test('every request has its id in X-Request-Id and a log line with its route, status and duration', async () => {
  const c = srv.client();
  const r = await c.get(`/journal/doc/${P.parent1.iin}`);   // a path with an IIN: a route pattern in the log
  const id = r.headers['x-request-id'];
  assert.match(id, /^[a-z]{20}$/);
  const line = await logLine(id);
  assert.ok(line, 'a line with the request id');
  assert.match(line, new RegExp(`^kg-journal\\[\\d+\\] info: GET \\S+ route=\\S+ status=${r.status} duration_ms=\\d+ request_id=${id}$`));
  assert.ok(!line.includes(P.parent1.iin), 'no IIN');

  const h = await srv.client().get('/healthz');
  const hid = h.headers['x-request-id'];
  assert.notStrictEqual(hid, id, 'one id per request');
  assert.match(await logLine(hid), new RegExp(`info: GET /healthz route=/healthz status=200 duration_ms=\\d+ request_id=${hid}$`));
  // An unknown path: no route, the path is not logged.
  const u = await c.get(`/nowhere/${P.parent1.iin}`);
  assert.strictEqual(u.status, 404);
  assert.match(await logLine(u.headers['x-request-id']), / info: GET - status=404 duration_ms=\d+ request_id=[a-z]{20}$/);
});

test('kgctl passwd reads the password from standard input when it is not a terminal', async () => {
  const kgctl = path.join(BUILD, 'kgctl');
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf') };
  const set = spawnSync(kgctl, ['passwd', P.staff1.iin], { env, input: 'piped-secret-42\n' });
  assert.strictEqual(set.status, 0, String(set.stderr));
  const c = srv.client();
  await c.get('/login?tab=iin');
  const r = await c.post('/login/password', { iin: P.staff1.iin, password: 'piped-secret-42' });
  assert.strictEqual(r.status, 303, 'the piped password logs in');
  const short = spawnSync(kgctl, ['passwd', P.staff1.iin], { env, input: 'short\n' });
  assert.strictEqual(short.status, 2);
  const none = spawnSync(kgctl, ['passwd', P.staff1.iin], { env, input: '' });
  assert.strictEqual(none.status, 2);
  assert.match(String(none.stderr), /no password/);
});

// Last: the health program under valgrind (its pool is taken down), healthy
// and failing in turn, the CRL reloaded each time: nothing leaks.
function round() {
  const c = srv.client();
  const put = (text) => { fs.writeFileSync(`${crl}.new`, text); fs.renameSync(`${crl}.new`, crl); };
  return [
    () => c.get('/healthz'),
    () => { put('not a CRL\n'); return c.get('/healthz'); },
    () => { put(fs.readFileSync(path.join(PKI, 'crl.pem'))); return c.get('/healthz'); },
  ];
}
vg.leakTests(() => srv, 'health', round, { n: 12, times: 3, statuses: [200, 503] });

run();
