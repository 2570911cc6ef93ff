// /metrics through real nginx and the real programs: requests by program,
// route and status summed over the workers, histograms whose counts add
// up, a refused signature by its reason, the gauges read from the
// database, and a client outside KG_METRICS_ALLOW refused by nginx and by
// Apache (the deploy snippets carry the setting).
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, TOP } = require('../lib/server');

let srv;
// A short wait for a lock: the busy test's refusal comes quickly.
before(async () => { srv = await Server.start({ conf: 'Log.Journal = off\nDb.BusyTimeoutMs = 300', workers: 2 }); });
after(async () => { if (srv) await srv.stop(); });

// { 'name{labels}': number } of every sample, and the text.
async function scrape(opts) {
  const r = await srv.client(opts).get('/metrics');
  assert.strictEqual(r.status, 200, r.text.slice(0, 300));
  const samples = {};
  for (const line of r.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-z_]+(?:\{.*\})?) (\S+)$/);
    assert.ok(m, `a sample line: ${line}`);
    samples[m[1]] = Number(m[2]);
  }
  return { r, samples };
}

const series = (name, labels) =>
  `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const val = (s, name, labels) => s[series(name, labels)] || 0;

test('Prometheus text, never cached; every program\'s workers are summed', async () => {
  const { r, samples } = await scrape();
  assert.strictEqual(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  assert.strictEqual(r.headers['cache-control'], 'no-store');
  assert.match(r.text, /^# TYPE kg_requests_total counter$/m);
  assert.match(r.text, /^# TYPE kg_request_duration_seconds histogram$/m);
  // Two workers per program here, each its own file.
  assert.strictEqual(samples['kg_metrics_files{program="login"}'], 2);
  assert.strictEqual(samples['kg_metrics_files{program="metrics"}'], 2);
  for (const g of ['kg_referrals_today{event="issued"}', 'kg_referrals_today{event="annulled"}',
    'kg_database_bytes{file="db"}', 'kg_files_bytes', 'kg_tick_age_seconds']) {
    assert.ok(g in samples, g);
  }
  assert.ok(samples['kg_database_bytes{file="db"}'] > 0);
});

test('requests appear by route and status, and the histogram\'s counts add up', async () => {
  const before0 = (await scrape()).samples;
  const c = srv.client();
  for (let i = 0; i < 5; i++) assert.strictEqual((await c.get('/login')).status, 200);
  assert.strictEqual((await c.get('/login/no-such-page')).status, 404);
  assert.strictEqual((await c.post('/login/password', { iin: '1', password: 'x' }, { csrf: 'wrong' })).status, 403);
  const { samples } = await scrape();
  const d = (labels) => val(samples, 'kg_requests_total', labels) - val(before0, 'kg_requests_total', labels);
  assert.strictEqual(d({ program: 'login', method: 'GET', route: '/login', code: '200' }), 5);
  assert.strictEqual(d({ program: 'login', method: '-', route: '-', code: '404' }), 1);
  assert.strictEqual(d({ program: 'login', method: 'POST', route: '/login/password', code: '403' }), 1);
  // For every route: buckets never decrease, +Inf = _count = its requests.
  const routes = new Set(Object.keys(samples).filter((k) => k.startsWith('kg_request_duration_seconds_count'))
    .map((k) => k.slice(k.indexOf('{') + 1, -1)));
  assert.ok(routes.has('program="login",method="GET",route="/login"'));
  for (const lab of routes) {
    const count = samples[`kg_request_duration_seconds_count{${lab}}`];
    const buckets = Object.keys(samples).filter((k) => k.startsWith(`kg_request_duration_seconds_bucket{${lab},le=`))
      .map((k) => samples[k]);
    assert.strictEqual(buckets.length, 10, lab);
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], lab);
    assert.strictEqual(buckets[buckets.length - 1], count, lab);
    const requests = Object.keys(samples).filter((k) => k.startsWith(`kg_requests_total{${lab},code=`))
      .reduce((n, k) => n + samples[k], 0);
    assert.strictEqual(requests, count, lab);
    assert.ok(samples[`kg_request_duration_seconds_sum{${lab}}`] >= 0);
  }
});

test('a refused signature appears by its reason', async () => {
  const key = { program: 'login', result: 'format' };
  const before0 = val((await scrape()).samples, 'kg_signatures_total', key);
  const c = srv.client();
  const page = await c.get('/login?tab=eds');
  const nonce = page.text.match(/name="nonce" value="([^"]+)"/)[1];
  const r = await c.post('/login/eds', { nonce, cms: 'aGVsbG8gd29ybGQ=' });
  assert.strictEqual(r.status, 422);
  assert.strictEqual(val((await scrape()).samples, 'kg_signatures_total', key), before0 + 1);
});

test('a one-time code sent is counted; one for a pair not in БМГ (none sent) is not', async () => {
  const P = Server.persons();
  const key = { program: 'login' };
  const s0 = val((await scrape()).samples, 'kg_otp_sent_total', key);
  const ask = async (phone) => {
    const c = srv.client();
    await c.get('/login?tab=otp');
    assert.strictEqual((await c.post('/login/otp', { phone, iin: P.parent1.iin })).status, 303);
  };
  await ask(P.parent1.phone);
  assert.strictEqual(val((await scrape()).samples, 'kg_otp_sent_total', key), s0 + 1);
  await ask('+77015550077');
  assert.strictEqual(val((await scrape()).samples, 'kg_otp_sent_total', key), s0 + 1);
});

// Holds the database's write lock from another process until released.
async function holdLock() {
  const p = spawn('sqlite3', [path.join(srv.dir, 'kg.db')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const locked = new Promise((res) => p.stdout.on('data', (d) => { if (String(d).includes('locked')) res(); }));
  p.stdin.write("BEGIN IMMEDIATE; INSERT INTO rate_event(key, at) VALUES ('hold', 0); SELECT 'locked';\n");
  await locked;
  return () => new Promise((res) => { p.on('exit', res); p.stdin.end('ROLLBACK;\n'); });
}

test('a write lock held from outside: the wait and the refusal are counted', async () => {
  const waits = { program: 'login' };
  const s0 = (await scrape()).samples;
  const release = await holdLock();
  let r;
  try {
    r = await srv.client().get('/login');   // a new visitor's session: a write
  } finally {
    await release();
  }
  assert.strictEqual(r.status, 503);
  const s1 = (await scrape()).samples;
  assert.ok(val(s1, 'kg_db_lock_waits_total', waits) >= val(s0, 'kg_db_lock_waits_total', waits) + 1);
  assert.strictEqual(val(s1, 'kg_db_busy_total', waits), val(s0, 'kg_db_busy_total', waits) + 1);
  assert.strictEqual(val(s1, 'kg_requests_total', { program: 'login', method: 'GET', route: '/login', code: '503' }),
    val(s0, 'kg_requests_total', { program: 'login', method: 'GET', route: '/login', code: '503' }) + 1);
});

test('pages nginx answers from its page cache are counted per program, each hit once', async () => {
  const before0 = (await scrape()).samples;
  const c = srv.client();   // no session: the public page is kept for a second
  let hits = 0;
  for (let i = 0; i < 12; i++) {
    const r = await c.get('/stats');
    assert.strictEqual(r.status, 200);
    if (/HIT|STALE|UPDATING/.test(String(r.headers['x-cache']))) hits++;
  }
  assert.ok(hits > 0, 'some answers came from the cache (the test would prove nothing otherwise)');
  const { r, samples } = await scrape();
  assert.match(r.text, /^# TYPE kg_cache_hits_total counter$/m);
  const key = 'kg_cache_hits_total{program="stats"}';
  assert.strictEqual((samples[key] || 0) - (before0[key] || 0), hits);
  // The counted bytes are freed; the count stays.
  const tally = path.join(srv.dir, 'run', 'metrics', 'stats.hits');
  assert.ok(fs.statSync(tally).size >= hits);
  assert.strictEqual((await scrape()).samples[key], samples[key]);
});

test('gauges: the SMS outbox by state and the time since the last tick', async () => {
  const now = srv.now();
  srv.sql(`INSERT INTO notification(phone, kind, text, created_at, state)
    VALUES ('+77015550001', 'test', 'metrics test', ${now}, 'queued')`);
  const queued = (await scrape()).samples['kg_sms_outbox{state="queued"}'];
  assert.ok(queued >= 1, String(queued));
  srv.kgctl('tick');   // sends it
  const { samples } = await scrape();
  assert.strictEqual(samples['kg_sms_outbox{state="queued"}'] || 0, queued - 1);
  assert.ok(samples['kg_tick_age_seconds'] >= 0 && samples['kg_tick_age_seconds'] < 60, String(samples['kg_tick_age_seconds']));
  srv.advanceClock(120);
  const later = (await scrape()).samples;
  assert.ok(later['kg_tick_age_seconds'] >= 120, String(later['kg_tick_age_seconds']));
  srv.sql("DELETE FROM notification WHERE text = 'metrics test'");
});

test('from an address outside KG_METRICS_ALLOW (127.0.0.1 ::1 by default): refused by nginx and by Apache', async () => {
  assert.strictEqual((await srv.client({ localAddress: '127.0.0.2' }).get('/metrics')).status, 403);
  const { Client } = require('../lib/client');
  const apache = await srv.startApache();
  assert.strictEqual((await new Client(apache).get('/metrics')).status, 200);
  assert.strictEqual((await new Client(apache, { localAddress: '127.0.0.2' }).get('/metrics')).status, 403);
  // The deploy snippets carry the setting's addresses, then deny the rest.
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-metrics-web-'));
  execFileSync(path.join(TOP, 'conf', 'gen-web.sh'), ['deploy', '/usr', out],
    { env: { ...process.env, KG_TOP: TOP, KG_METRICS_ALLOW: '10.1.2.3 192.168.0.0/24' } });
  const nginx = fs.readFileSync(path.join(out, 'kg-nginx-server.conf'), 'utf8');
  assert.match(nginx, /location = \/metrics \{[^}]*allow 10\.1\.2\.3;\s*allow 192\.168\.0\.0\/24;\s*deny all;\s*\}/);
  assert.match(nginx, /location = \/healthz \{[^}]*allow 127\.0\.0\.1;\s*allow ::1;\s*deny all;\s*\}/, 'healthz keeps its own');
  const apacheConf = fs.readFileSync(path.join(out, 'kg-apache.conf'), 'utf8');
  assert.match(apacheConf, /<Location "\/metrics">\s*Require ip 10\.1\.2\.3 192\.168\.0\.0\/24\s*<\/Location>/);
  fs.rmSync(out, { recursive: true, force: true });
});

run();
