// Availability and recovery: a backup that finishes under writes, a busy
// database answered with 503 while the reads go on, SMS handed to the
// gateway at most once, referral PDFs made by any idle worker.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const fx = require('../lib/fixtures');

let srv;
// The public search counts every search in the database (its limits), a
// write that never waits for the lock (rate_note): the search below runs
// with its limits on.
before(async () => {
  srv = await Server.start({ workers: 2 });
});
after(async () => { if (srv) await srv.stop(); });

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const one = (q) => srv.sql(q)[0];
const db = () => path.join(srv.dir, 'kg.db');

// Another process writing to the database all the time (one row per
// transaction) until stopped; resolves with how many rows it wrote.
function writer() {
  const script = `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
n = 0
sys.stdout.write('go\\n'); sys.stdout.flush()
while True:
    c.execute('BEGIN IMMEDIATE')
    c.execute("INSERT INTO rate_event(key, at) VALUES ('backup-load', ?)", (n,))
    c.execute('COMMIT')
    n += 1
    if n % 100 == 0:
        sys.stdout.write('%d\\n' % n); sys.stdout.flush()
`;
  const p = spawn('python3', ['-c', script, db()], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = 0;
  const started = new Promise((res) => p.stdout.on('data', (d) => {
    const nums = String(d).trim().split('\n').map(Number).filter((x) => !Number.isNaN(x));
    if (nums.length) last = nums[nums.length - 1];
    res();
  }));
  return { started, rows: () => last, stop: () => new Promise((res) => { p.on('exit', res); p.kill('SIGKILL'); }) };
}

test('kgctl backup finishes under a constant write load, and its copy is whole and private (0600)', async () => {
  const w = writer();
  await w.started;
  await sleep(300);
  const before = w.rows();
  const out = path.join(srv.dir, 'backups');
  fs.mkdirSync(out);
  const file = path.join(out, 'kg.db');
  let printed;
  let during;
  try {
    printed = srv.kgctl('backup', file).trim();
    await sleep(200);
    during = w.rows() - before;
  } finally {
    await w.stop();
  }
  assert.strictEqual(printed, file);
  assert.ok(during > 50, `the load went on meanwhile (${during} rows)`);
  assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
  const q = (sql) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' }).trim();
  assert.strictEqual(q('PRAGMA integrity_check'), 'ok');
  const tables = (f) => execFileSync('sqlite3', [f, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"],
    { encoding: 'utf8' }).trim();
  assert.strictEqual(tables(file), tables(db()));
  assert.ok(Number(q('SELECT count(*) FROM ddo')) > 0);
  assert.ok(Number(q("SELECT count(*) FROM rate_event WHERE key = 'backup-load'")) >= before);
  assert.strictEqual(fs.readdirSync(out).join(','), 'kg.db', 'no temporary file left');
  // A directory gets a dated backup with the files (backup.test.js); an
  // existing name is never overwritten.
  const dated = srv.kgctl('backup', out).split('\n')[0];
  assert.match(path.basename(dated), /^kg-\d{8}-\d{6}$/);
  assert.throws(() => execFileSync(path.join(BUILD, 'kgctl'), ['backup', file],
    { env: { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf') }, stdio: 'pipe' }));
});

// Holds the database's write lock from another process until released.
async function holdLock() {
  const p = spawn('sqlite3', [db()], { stdio: ['pipe', 'pipe', 'inherit'] });
  const locked = new Promise((res) => p.stdout.on('data', (d) => { if (String(d).includes('locked')) res(); }));
  p.stdin.write("BEGIN IMMEDIATE; INSERT INTO rate_event(key, at) VALUES ('hold', 0); SELECT 'locked';\n");
  await locked;
  return () => new Promise((res) => { p.on('exit', res); p.stdin.end('ROLLBACK;\n'); });
}

test('a write lock held from outside: writes answer 503 with Retry-After (data safe, in both languages), reads go on', async () => {
  const apps = Array.from({ length: 4 }, () => fx.application(srv, { parent: 'parent1' }));
  const c = srv.client();
  srv.login(c, 'parent1');
  await c.get('/queue/my');
  const kk = srv.client({ cookies: { lang: 'kk' } });
  srv.login(kk, 'parent1');
  await kk.get('/queue/my');
  const release = await holdLock();
  let writes;
  let read;
  try {
    const t0 = Date.now();
    writes = [0, 1, 2].map((i) => (i === 2 ? kk : c).post(`/queue/withdraw/${apps[i].id}`, {}));
    await sleep(100);
    const r = await srv.client().get(`/queue/search?q=${encodeURIComponent(apps[3].number)}`);
    read = { status: r.status, ms: Date.now() - t0, text: r.text };
    writes = await Promise.all(writes);
  } finally {
    await release();
  }
  assert.strictEqual(read.status, 200);
  assert.ok(read.ms < 2000, `the search answered after ${read.ms} ms while writes waited for the lock`);
  assert.ok(read.text.includes(apps[3].number));
  for (const w of writes) {
    assert.strictEqual(w.status, 503);
    assert.match(String(w.headers['retry-after']), /^\d+$/);
    assert.strictEqual(w.headers['cache-control'], 'no-store');
  }
  assert.match(writes[0].text, /Сервис занят/);
  assert.match(writes[0].text, /ранее сохраненные данные в сохранности\. Повторите попытку через несколько секунд/);
  assert.match(writes[2].text, /Қызмет бос емес/);
  assert.match(writes[2].text, /деректердің бәрі қауіпсіз/);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM application WHERE id IN (${apps.map((a) => a.id)}) AND status = 'queued'`)[0].n, 4);
  // The lock gone, the same write goes through.
  const again = await c.post(`/queue/withdraw/${apps[0].id}`, {});
  assert.strictEqual(again.status, 303);
});

test('an SMS handed to the gateway is never sent twice: the tick killed before its "sent" mark, the next tick does not send it again', async () => {
  const dir = path.join(srv.dir, 'gw');
  fs.mkdirSync(dir);
  const gw = path.join(dir, 'send');
  const log = path.join(dir, 'sent.log');
  const slow = path.join(dir, 'slow');
  fs.writeFileSync(gw, `#!/bin/sh\necho "$KG_SMS_ID $1" >> '${log}'\n[ -f '${slow}' ] && exec sleep 30\nexit 0\n`, { mode: 0o755 });
  const conf = path.join(dir, 'app.hdf');
  fs.writeFileSync(conf, `#include "${path.join(srv.dir, 'app.hdf')}"\nSms.Gateway = command\nSms.Command = ${gw}\n`
    + 'Sms.CommandTimeoutMs = 60000\n');
  const env = { ...srv.env, KG_CONF: conf };
  const id = one(`INSERT INTO notification(phone, kind, text, created_at) VALUES ('+77015550007', 'test', 'однажды', ${srv.now()})
    RETURNING id`).id;
  fs.writeFileSync(slow, '');
  const tick = spawn(path.join(BUILD, 'kgctl'), ['tick'], { env, detached: true, stdio: 'ignore' });
  for (let i = 0; i < 200 && !(fs.existsSync(log) && fs.readFileSync(log, 'utf8')); i++) await sleep(50);
  assert.ok(fs.existsSync(log), 'the gateway was called');
  process.kill(-tick.pid, 'SIGKILL');   // the tick and its gateway, before the "sent" mark
  await new Promise((res) => (tick.exitCode !== null || tick.signalCode ? res() : tick.on('exit', res)));
  fs.unlinkSync(slow);
  srv.advanceClock(600);   // far past Sms.ClaimSeconds
  execFileSync(path.join(BUILD, 'kgctl'), ['tick'], { env, stdio: 'pipe' });
  execFileSync(path.join(BUILD, 'kgctl'), ['tick'], { env, stdio: 'pipe' });
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  assert.strictEqual(lines.length, 1, 'sent once');
  assert.deepStrictEqual(lines, [`kg-${id}-1 +77015550007`], 'with its hand-over id');
  const row = one(`SELECT state, sent_at, handover_id FROM notification WHERE id = ${id}`);
  assert.strictEqual(row.state, 'unconfirmed');
  assert.strictEqual(row.sent_at, null);
  assert.strictEqual(row.handover_id, `kg-${id}-1`);
});

test('a referral PDF left due by a worker that died is made by the next request to any program', async () => {
  const ddo = fx.ddoInDistrict(srv, 1110);
  const place = fx.freePlace(srv, { ddo, groupYear: 2020, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', groupYear: 2020 });
  const ref = fx.referral(srv, { application: app.id, place });
  srv.sql(`INSERT INTO referral_pdf_due(referral_id, lang, due_at) VALUES (${ref.id}, 'ru', ${srv.now() - 20})`);
  let made = 0;
  for (let i = 0; i < 40 && !made; i++) {
    await srv.client().get(`/stats?i=${i}`);
    made = one(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id} AND kind = 'referral'`).n;
    if (!made) await sleep(100);
  }
  assert.strictEqual(made, 1, 'the PDF was made without the timed command');
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral_pdf_due WHERE referral_id = ${ref.id}`).n, 0);
});

run();
