// Uploads are bounded (issue 21, item 6): a referral keeps the current
// file of each form, plus a replaced one only while a signature names it;
// the daily sweep (kgctl tick's files job) removes the other replaced
// files; uploads per referral in 24 hours (Upload.PerReferralPerDay) and
// the bytes a referral's stored files take (Upload.MaxBytesPerReferral)
// are limited, with a message at the form.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

const DAY = 86400;
let srv;
before(async () => {
  srv = await Server.start({ conf: 'Upload.PerReferralPerDay = 5\nUpload.MaxBytesPerReferral = 60000' });
});
after(async () => { if (srv) await srv.stop(); });

const tick = (at) => srv.kgctl('tick', '--now', String(at));
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const stored = (h) => fs.existsSync(path.join(srv.dir, 'files', h.slice(0, 2), h));
const pdf = (label, pad = 0) => files.pdf(label, pad);

function newReferral() {
  const app = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: 2021 });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1'), groupYear: 2021, total: 1 });
  return fx.referral(srv, { application: app.id, place, deadlineAt: srv.now() + 20 * DAY });
}

async function parent() {
  const c = srv.client();
  srv.login(c, 'parent1', 'eds');
  await c.get('/enroll');
  assert.strictEqual((await c.post('/enroll/ok', { read: 1 })).status, 303);
  return c;
}

async function upload(c, refId, kind, data) {
  await c.get(`/enroll?open=${refId}`);
  return c.upload(`/enroll/${refId}/upload`, { kind }, { file: { name: `${kind}.pdf`, type: 'application/pdf', data } });
}

test('the sweep removes replaced files, keeping the current ones and those a signature names', async () => {
  const ref = newReferral();
  const c = await parent();
  const v1 = pdf('form065 first'), v2 = pdf('form065 second'), v3 = pdf('form065 third'), f027 = pdf('form027');
  for (const [kind, data] of [['form065', v1], ['form065', v2], ['form065', v3], ['form027', f027]]) {
    const r = await upload(c, ref.id, kind, data);
    assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  }
  for (const f of [v1, v2, v3, f027]) assert.ok(stored(sha(f)));
  // A signed text that names the second version (as a contract's names its forms).
  srv.sql(`INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, otp_phone, signed_at)
    VALUES (${fx.accountId(srv, 'parent1')}, 'otp', 'action', 'contract', 'referral', ${ref.id},
    CAST('form065 sha256 ${sha(v2)}' AS BLOB), '+77015550007', ${srv.now()})`);
  // Within a day nothing goes (a file may be counted on by an upload in flight).
  tick(Math.floor(Date.now() / 1000) + 3600);
  assert.ok(stored(sha(v1)));
  tick(Math.floor(Date.now() / 1000) + 2 * DAY);
  assert.ok(!stored(sha(v1)), 'a replaced file no signature names is removed');
  assert.ok(stored(sha(v2)), 'a replaced file a signature names stays');
  assert.ok(stored(sha(v3)) && stored(sha(f027)), 'the current files stay');
  // The rows stay: the journal lists what was replaced.
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id} AND origin = 'applicant'`)[0].n, 4);
});

test('uploads per referral are limited in any 24 hours (Upload.PerReferralPerDay)', async () => {
  const ref = newReferral();
  const c = await parent();
  for (let i = 0; i < 5; i++) assert.strictEqual((await upload(c, ref.id, 'form065', pdf(`day ${i}`))).status, 303, `upload ${i + 1}`);
  const r = await upload(c, ref.id, 'form065', pdf('day 5'));
  assert.strictEqual(r.status, 429);
  assert.match(textOf(r.text), /Для этого направления за сутки загружено слишком много файлов/);
  assert.ok(!stored(sha(pdf('day 5'))), 'a refused file is not stored');
  // Another referral is not affected; a day later this one is open again.
  const other = newReferral();
  assert.strictEqual((await upload(c, other.id, 'form065', pdf('other'))).status, 303);
  srv.advanceClock(DAY + 1);
  const d = await parent();   // the session above has expired meanwhile
  assert.strictEqual((await upload(d, ref.id, 'form065', pdf('day 6'))).status, 303);
});

test('a referral\'s stored files are limited in bytes (Upload.MaxBytesPerReferral); the sweep frees what was replaced', async () => {
  const ref = newReferral();
  const c = await parent();
  const big = (label) => pdf(label, 15000);
  for (const kind of ['form065', 'form027', 'form052_2']) assert.strictEqual((await upload(c, ref.id, kind, big(kind))).status, 303);
  // Replacing 065 with a small file keeps the big one until the sweep ...
  assert.strictEqual((await upload(c, ref.id, 'form065', pdf('small'))).status, 303);
  // ... so another big replacement would pass 60,000 bytes.
  const again = big('form027 again');
  const r = await upload(c, ref.id, 'form027', again);
  assert.strictEqual(r.status, 429);
  assert.match(textOf(r.text), /Файлы этого направления занимают слишком много места/);
  // After the sweep the replaced 065 is gone, and the replacement fits.
  tick(Math.floor(Date.now() / 1000) + 4 * DAY);
  assert.ok(!stored(sha(big('form065'))));
  const d = await parent();   // the tick ended the session above (its clock is days ahead)
  assert.strictEqual((await upload(d, ref.id, 'form027', again)).status, 303);
});

run();
