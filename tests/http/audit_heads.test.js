// The published heads of the audit chain (issue 18 item 4,
// lib/domain/audit.h): the tick signs the day's head with the service's
// key, /audit/heads shows it and its CSV carries the signature, which
// OpenSSL verifies with the certificate /audit/cert.pem publishes; `kgctl
// audit-verify --heads FILE` checks the log against heads someone saved,
// and fails once one audit row is edited in the database, even when the
// editor recomputes every later hash so that the chain alone looks intact.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let dir;
before(async () => {
  srv = await Server.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-heads-'));
});
after(async () => {
  if (srv) await srv.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// kgctl's exit status and output, whatever the status.
function kgctl(...args) {
  try {
    return { status: 0, out: srv.kgctl(...args) };
  } catch (e) {
    return { status: e.status, out: `${e.stdout || ''}${e.stderr || ''}` };
  }
}

const parse = (csv) => csv.trim().split('\r\n').slice(1).map((l) => {
  const [day, count, hash, signedAt, cms] = l.split(';');
  return { day, count: Number(count), hash, signedAt, cms };
});
const textOfHead = (h) => `kg-audit-head v1\nday=${h.day}\ncount=${h.count}\nhash=${h.hash}\n`;

test('the tick publishes a signed head once a day; the page and the CSV show it', async () => {
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM audit_head')[0].n, 0);
  srv.kgctl('tick');
  srv.kgctl('tick');   // once a day: the second tick of the day adds nothing
  const rows = srv.sql('SELECT day, count, hex(hash) AS hash FROM audit_head');
  assert.strictEqual(rows.length, 1);
  const last = srv.sql('SELECT count(*) AS n, (SELECT hex(hash) FROM audit ORDER BY id DESC LIMIT 1) AS h FROM audit')[0];
  assert.ok(rows[0].count >= 1 && rows[0].count <= last.n);
  const page = await srv.client().get('/audit/heads');
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes(rows[0].hash.toLowerCase()), 'the hash is on the page');
  assert.match(textOf(page.text), new RegExp(rows[0].day));
  const kk = srv.client();
  kk.cookies.set('lang', 'kk');
  assert.match(textOf((await kk.get('/audit/heads')).text), /Аудит журналының жарияланған бастары/);
  const csv = await srv.client().get('/audit/heads.csv');
  assert.strictEqual(csv.status, 200);
  assert.match(csv.headers['content-type'], /text\/csv/);
  const [h] = parse(csv.text);
  assert.deepStrictEqual([h.day, h.count, h.hash], [rows[0].day, rows[0].count, rows[0].hash.toLowerCase()]);
});

test('the signature of a head verifies with openssl and the published certificate; another text does not', async () => {
  const [h] = parse((await srv.client().get('/audit/heads.csv')).text);
  const cert = await srv.client().get('/audit/cert.pem');
  assert.strictEqual(cert.status, 200);
  fs.writeFileSync(path.join(dir, 'cert.pem'), cert.text);
  fs.writeFileSync(path.join(dir, 'head.p7s'), Buffer.from(h.cms, 'base64'));
  fs.writeFileSync(path.join(dir, 'head.txt'), textOfHead(h));
  const verify = (content) => {
    try {
      execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'head.p7s'),
        '-content', content, '-CAfile', path.join(dir, 'cert.pem'), '-purpose', 'any', '-out', '/dev/null'],
      { stdio: 'pipe' });
      return true;
    } catch (e) { return false; }
  };
  assert.ok(verify(path.join(dir, 'head.txt')), 'the head verifies');
  fs.writeFileSync(path.join(dir, 'other.txt'), textOfHead({ ...h, count: h.count + 1 }));
  assert.ok(!verify(path.join(dir, 'other.txt')), 'another count does not');
});

// Recomputes the hash chain as an attacker who rewrote a row would
// (audit.c row_hash: SHA-256 of the previous hash and the fields joined by 0x1F).
function rechain() {
  const rows = srv.sql(`SELECT id, at, coalesce(actor_id, 0) AS actor, actor_role, ip, action, object_type,
    coalesce(object_id, 0) AS oid, outcome, details FROM audit ORDER BY id`);
  let prev = Buffer.alloc(32);
  const sets = [];
  for (const r of rows) {
    const s = [r.at, r.actor, r.actor_role, r.ip, r.action, r.object_type, r.oid, r.outcome, r.details].join('\x1f');
    const h = crypto.createHash('sha256').update(prev).update(Buffer.from(s, 'utf8')).digest();
    sets.push(`UPDATE audit SET prev_hash = X'${prev.toString('hex')}', hash = X'${h.toString('hex')}' WHERE id = ${r.id};`);
    prev = h;
  }
  // The hash column is UNIQUE: clear them first.
  srv.sql(`UPDATE audit SET hash = randomblob(32); ${sets.join('\n')}`);
}

test('audit-verify --heads passes on the log as published, fails once one row is edited', async () => {
  // Some activity between the two heads: withdrawals are audited.
  for (let i = 0; i < 3; i++) {
    const app = fx.application(srv, {});
    const c = srv.client();
    srv.login(c, 'parent1');
    assert.strictEqual((await c.post(`/queue/withdraw/${app.id}`, {})).status, 303);
  }
  // A second day, a second head, over more rows.
  srv.advanceClock(86400);
  srv.kgctl('tick');
  // A fresh copy (nginx keeps public pages for a second).
  const fresh = srv.client({ headers: { 'Cache-Control': 'no-cache' } });
  const csvText = (await fresh.get('/audit/heads.csv')).text;
  assert.strictEqual(parse(csvText).length, 2);
  const file = path.join(dir, 'heads.csv');
  fs.writeFileSync(file, csvText);
  let v = kgctl('audit-verify', '--heads', file);
  assert.strictEqual(v.status, 0, v.out);
  assert.match(v.out, /matches 2 saved heads/);

  // A saved head whose text was altered fails its signature.
  const [newest, oldest] = parse(csvText);
  const forged = csvText.replace(`${oldest.day};${oldest.count};`, `${oldest.day};${oldest.count - 1};`);
  fs.writeFileSync(path.join(dir, 'forged.csv'), forged);
  v = kgctl('audit-verify', '--heads', path.join(dir, 'forged.csv'));
  assert.notStrictEqual(v.status, 0);
  assert.match(v.out, /signature INVALID/);

  // Someone edits one row of the log in the database (the triggers forbid
  // it, so they are dropped first, as an attacker with the file would).
  srv.sql('DROP TRIGGER audit_no_update');
  srv.sql(`UPDATE audit SET details = 'nothing happened' WHERE id = (SELECT min(id) FROM audit)`);
  v = kgctl('audit-verify', '--heads', file);
  assert.notStrictEqual(v.status, 0);
  assert.match(v.out, /does NOT match/);
  assert.notStrictEqual(kgctl('audit-verify').status, 0, 'the chain alone shows the edit too');

  // The editor then recomputes every hash: the chain alone looks intact,
  // but the heads saved before still expose the rewrite.
  rechain();
  assert.strictEqual(kgctl('audit-verify').status, 0, 'a recomputed chain passes the plain check');
  v = kgctl('audit-verify', '--heads', file);
  assert.notStrictEqual(v.status, 0, v.out);
  assert.match(v.out, /does NOT match/);
  assert.ok(newest.count > oldest.count, 'the second head covers more rows');
});

test('a file that is not the heads CSV is refused with its line', async () => {
  const bad = path.join(dir, 'bad.csv');
  fs.writeFileSync(bad, 'day;count;hash;signed_at;cms\r\n2026-01-01;x;00;1;AAAA\r\n');
  const v = kgctl('audit-verify', '--heads', bad);
  assert.strictEqual(v.status, 2);
  assert.match(v.out, /line 2/);
});

run();
