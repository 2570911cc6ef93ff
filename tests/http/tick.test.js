// `kgctl tick` purges what requests add and nobody needs once it is dead:
// signing challenges (one per signing form shown), one-time codes (one per
// code asked for), rate events, idle sessions and half-done logins. What is
// still alive, or died less than a day ago, stays; a signature keeps the
// bytes that were signed when its challenge is gone; a second tick finds
// nothing to do. The tick runs with --now, so the test moves no clock.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');

const P = Server.persons();
const DAY = 86400;
let srv;
before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

const tick = (at) => srv.kgctl('tick', '--now', String(at));
const count = (sql) => srv.sql(sql)[0].n;

// The EDS tab of the login page: its challenge { nonce, content }.
async function edsTab(c) {
  const r = await c.get('/login?tab=eds');
  assert.strictEqual(r.status, 200);
  return {
    nonce: r.text.match(/name="nonce" value="([^"]+)"/)[1],
    content: Buffer.from(r.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64'),
  };
}

test('challenges: one per signing form shown, deleted a day after they expired; the signature keeps what was signed', async () => {
  const c = srv.client();
  const shown = [await edsTab(c), await edsTab(c), await edsTab(c)];
  const nonces = shown.map((s) => `'${s.nonce}'`).join(',');
  const ours = () => count(`SELECT count(*) AS n FROM challenge WHERE nonce IN (${nonces})`);
  assert.strictEqual(ours(), 3, 'each page view wrote a challenge');
  // The last one is used to log in: a signature with the signed bytes.
  const used = shown[2];
  const v = await c.post('/login/eds', { nonce: used.nonce, cms: fx.cms(used.content, 'parent1-auth') });
  assert.strictEqual(v.status, 303);
  const sig = srv.sql(`SELECT id, hex(content) AS content FROM signature WHERE action = 'login' ORDER BY id DESC LIMIT 1`)[0];
  assert.strictEqual(sig.content, used.content.toString('hex').toUpperCase());
  const expires = srv.sql(`SELECT max(expires_at) AS t FROM challenge WHERE nonce IN (${nonces})`)[0].t;

  // Expired, used, but not a day ago: kept (a form sent again still hears why).
  tick(expires + DAY - 60);
  assert.strictEqual(ours(), 3);
  // One issued just before the next tick is alive and stays.
  const later = expires + DAY + 60;
  srv.sql(`INSERT INTO challenge(nonce, session_id, purpose, action, content, created_at, expires_at)
    VALUES ('fresh-one', 1, 'auth', 'login', X'41', ${later - 10}, ${later + 290})`);
  tick(later);
  assert.strictEqual(ours(), 0, 'a day after their expiry they are gone, used or not');
  assert.strictEqual(count(`SELECT count(*) AS n FROM challenge WHERE nonce = 'fresh-one'`), 1);
  assert.strictEqual(count(`SELECT count(*) AS n FROM challenge WHERE expires_at < ${later - DAY}`), 0);
  const kept = srv.sql(`SELECT hex(content) AS content FROM signature WHERE id = ${sig.id}`)[0];
  assert.strictEqual(kept.content, sig.content, 'the signature still holds the signed bytes');
  // Again: nothing more to delete.
  tick(later);
  assert.strictEqual(count(`SELECT count(*) AS n FROM challenge WHERE nonce = 'fresh-one'`), 1);
});

test('one-time codes: one per code asked for, deleted a day after they expired, used or not', async () => {
  srv.sql('DELETE FROM rate_event');
  const c = srv.client();
  await c.get('/login?tab=otp');
  const r = await c.post('/login/otp', { phone: '8 701 555 00 07', iin: P.parent1.iin });
  assert.strictEqual(r.status, 303);
  await fx.smsAfter(srv, 0, 1);
  const codes = srv.sql(`SELECT id, expires_at FROM otp WHERE phone = '+77015550007' ORDER BY id`);
  assert.ok(codes.length >= 1, 'the request wrote a code');
  const last = codes[codes.length - 1];
  srv.sql(`UPDATE otp SET used_at = ${last.expires_at - 200} WHERE id = ${last.id}`);
  const ours = () => count(`SELECT count(*) AS n FROM otp WHERE id IN (${codes.map((x) => x.id).join(',')})`);
  tick(last.expires_at + DAY - 60);
  assert.strictEqual(ours(), codes.length, 'less than a day after the expiry: kept');
  const later = last.expires_at + DAY + 60;
  srv.sql(`INSERT INTO otp(phone, iin, code_hash, session_id, created_at, expires_at)
    VALUES ('+77015550099', '${P.parent1.iin}', zeroblob(48), 1, ${later - 10}, ${later + 290})`);
  tick(later);
  assert.strictEqual(ours(), 0);
  assert.strictEqual(count(`SELECT count(*) AS n FROM otp WHERE phone = '+77015550099'`), 1, 'a live code stays');
  tick(later);
  assert.strictEqual(count(`SELECT count(*) AS n FROM otp WHERE phone = '+77015550099'`), 1);
});

test('rate events, idle sessions and half-done logins go too; the live ones stay', async () => {
  srv.sql('DELETE FROM rate_event');
  const c = srv.client();
  // A code asked for: rate events (per phone, IIN, address, session).
  await c.get('/login?tab=otp');
  assert.strictEqual((await c.post('/login/otp', { phone: '8 701 555 00 08', iin: P.parent2.iin })).status, 303);
  const events = count('SELECT count(*) AS n FROM rate_event');
  assert.ok(events >= 3, `rate events written (${events})`);
  // An EDS login verified but never confirmed: a half-done login.
  const e = srv.client();
  const ch = await edsTab(e);
  assert.strictEqual((await e.post('/login/eds', { nonce: ch.nonce, cms: fx.cms(ch.content, 'parent1-auth') })).status, 303);
  assert.strictEqual(count('SELECT count(*) AS n FROM login_pending'), 1);
  const anon = count('SELECT count(*) AS n FROM session WHERE account_id IS NULL');
  assert.ok(anon >= 2, 'the visitors have anonymous sessions');
  // A logged-in session that is in use at the time of the tick.
  const now = srv.now();
  const later = now + DAY + 60;
  const live = srv.client();
  srv.login(live, 'parent3');
  srv.sql(`UPDATE session SET seen_at = ${later - 60}, expires_at = ${later + 3600} WHERE csrf = '${live.csrf}'`);
  srv.sql(`INSERT INTO rate_event(key, at) VALUES ('live-key', ${later - 30})`);

  tick(now + 60);
  assert.strictEqual(count('SELECT count(*) AS n FROM rate_event'), events + 1, 'a minute later nothing is purged');
  assert.strictEqual(count('SELECT count(*) AS n FROM login_pending'), 1);
  tick(later);
  assert.strictEqual(count('SELECT count(*) AS n FROM rate_event'), 1);
  assert.strictEqual(count(`SELECT count(*) AS n FROM rate_event WHERE key = 'live-key'`), 1);
  assert.strictEqual(count('SELECT count(*) AS n FROM login_pending'), 0);
  assert.strictEqual(count('SELECT count(*) AS n FROM session WHERE account_id IS NULL'), 0);
  assert.strictEqual(count(`SELECT count(*) AS n FROM session WHERE csrf = '${live.csrf}'`), 1, 'a session in use stays');
  // Idempotent, and quiet: a second tick changes nothing.
  const all = () => srv.sql(`SELECT (SELECT count(*) FROM rate_event) AS r, (SELECT count(*) FROM session) AS s,
    (SELECT count(*) FROM challenge) AS c, (SELECT count(*) FROM otp) AS o, (SELECT count(*) FROM login_pending) AS l`)[0];
  const once = all();
  tick(later);
  assert.deepStrictEqual(all(), once);
});

test('stored files no document names go a day after they were written, in a sweep once a day', async () => {
  const fs = require('fs');
  const crypto = require('crypto');
  const orphan = (text, ageDays) => {
    const sha = crypto.createHash('sha256').update(text).digest('hex');
    const dir = `${srv.dir}/files/${sha.slice(0, 2)}`;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/${sha}`, text);
    const t = Date.now() / 1000 - ageDays * DAY;
    fs.utimesSync(`${dir}/${sha}`, t, t);
    return `${dir}/${sha}`;
  };
  // A benefit document an applicant uploaded two days ago: named, stays.
  const named = orphan('%PDF- an uploaded document', 2);
  const app = fx.application(srv, {});
  srv.sql(`INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, created_at)
    VALUES (${app.id}, 'benefit', 'applicant', '${named.split('/').pop()}', 26, 'application/pdf', 'b.pdf', ${srv.now()})`);
  const first = orphan('left by a failed transaction', 2);
  const now = Math.floor(Date.now() / 1000);
  tick(now);
  assert.ok(!fs.existsSync(first), 'an orphan two days old is gone');
  assert.ok(fs.existsSync(named), 'a named file stays');
  assert.strictEqual(count(`SELECT count(*) AS n FROM job_last WHERE name = 'files' AND at = ${now}`), 1);
  // Within the day the sweep does not run again; after it, it does.
  const second = orphan('another one', 2);
  tick(now + 3600);
  assert.ok(fs.existsSync(second));
  tick(now + DAY + 1);
  assert.ok(!fs.existsSync(second));
});

run();
