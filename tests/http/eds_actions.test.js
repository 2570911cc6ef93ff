// Signed actions through real nginx and the real programs: a challenge is
// good for one try. A refused signature of «Принять в ДДО», «Отказать»,
// the departure, the review of a refusal and the parent's contract uses
// its challenge up (as the login does), so that a correct signature over
// the same challenge afterwards is refused too, with a message that asks
// for a fresh signature; the page offers a new challenge.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');
const eds = require('../lib/edsform');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const DAY = 86400;
const AGAIN = /Эта подпись больше не действует: подпишите еще раз\./;
const USED = /Эта подпись уже была использована/;

let srv;
let ddo1;
before(async () => {
  srv = await Server.start();
  ddo1 = fx.ddoOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

const one = (sql) => srv.sql(sql)[0];
const used = (nonce) => one(`SELECT used_at FROM challenge WHERE nonce = '${nonce}'`).used_at;
const signatures = () => one('SELECT count(*) AS n FROM signature').n;

async function as(who, method) {
  const c = srv.client();
  srv.login(c, who, method);
  return c;
}

function aReferral(status = 'docs_submitted') {
  const app = fx.application(srv, {});
  const place = fx.freePlace(srv, { ddo: ddo1, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, status });
  fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  return ref;
}

// The first reason of the refusal form's list, if it has one.
const reasonCode = (html) => (html.match(/name="reason_code" value="([a-z_]+)"/) || [])[1];

// Posts a wrong signature (another person's key) over the form's challenge,
// then the right one over the same challenge: both refused, the second as
// used, nothing signed; the message asks for a fresh signature.
async function failThenRight(c, url, f, extra = {}, key = 'staff1-sign') {
  const before = signatures();
  const wrong = await c.post(url, { ...f.fields, ...extra, cms: eds.sign(f.text, 'staff2-sign') });
  assert.strictEqual(wrong.status, 422, textOf(wrong.text).slice(0, 300));
  assert.match(textOf(wrong.text), /Ключ ЭЦП принадлежит другому человеку/);
  assert.match(textOf(wrong.text), AGAIN);
  assert.ok(used(f.nonce), 'the refused try used the challenge up');
  const right = await c.post(url, { ...f.fields, ...extra, cms: eds.sign(f.text, key) });
  assert.notStrictEqual(right.status, 303, 'the same challenge signed right is refused');
  assert.match(textOf(right.text), USED);
  assert.strictEqual(signatures(), before, 'nothing signed');
  return right;
}

test('«Принять в ДДО»: a refused signature uses the challenge up', async () => {
  const ref = aReferral();
  const c = await as('staff1');
  await c.post('/cabinet/ddo', { ddo: ddo1 });
  const f = eds.form((await c.get(`/cabinet?by=number&q=${ref.number}`)).text, '/cabinet/accept');
  const r = await failThenRight(c, '/cabinet/accept', f);
  const g = eds.form(r.text, '/cabinet/accept');
  assert.notStrictEqual(g.nonce, f.nonce, 'a new challenge is offered');
  const ok = await c.post('/cabinet/accept', { ...g.fields, cms: eds.sign(g.text, 'staff1-sign') });
  assert.strictEqual(ok.status, 303, 'the fresh one is accepted');
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'enrolled');
});

test('«Отказать»: a refused signature uses the challenge up', async () => {
  const ref = aReferral();
  const c = await as('staff1');
  const step1 = await c.get(`/cabinet/refuse/${ref.id}`);
  const code = reasonCode(step1.text);
  const body = { reason: 'Форма 027 нечитаема' };
  if (code) body.reason_code = code;
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, body);
  assert.strictEqual(step2.status, 200, textOf(step2.text).slice(0, 300));
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  await failThenRight(c, `/cabinet/refuse/${ref.id}`, f);
  assert.strictEqual(one(`SELECT count(*) AS n FROM refusal WHERE referral_id = ${ref.id}`).n, 0);
});

test('the departure: a refused signature uses the challenge up', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1, enrolledAt: srv.now() - 30 * DAY });
  const c = await as('staff1');
  const d = new Date((srv.now() + 5 * 3600 - 2 * DAY) * 1000);
  const day = `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
  const step2 = await c.post(`/departure/${k.enrollment}`, { date: day, reason: 'Переезд' });
  assert.strictEqual(step2.status, 200, textOf(step2.text).slice(0, 300));
  const f = eds.form(step2.text, `/departure/${k.enrollment}`);
  await failThenRight(c, `/departure/${k.enrollment}`, f);
  assert.strictEqual(one(`SELECT departed_on FROM enrollment WHERE id = ${k.enrollment}`).departed_on, null);
});

test('the review of a refusal: a refused signature uses the challenge up', async () => {
  const ref = aReferral();
  const s = await as('staff1');
  const step1 = await s.get(`/cabinet/refuse/${ref.id}`);
  const code = reasonCode(step1.text);
  const body = { reason: 'Нет справки 065' };
  if (code) body.reason_code = code;
  const sf = eds.form((await s.post(`/cabinet/refuse/${ref.id}`, body)).text, `/cabinet/refuse/${ref.id}`);
  assert.strictEqual((await s.post(`/cabinet/refuse/${ref.id}`, { ...sf.fields, cms: eds.sign(sf.text, 'staff1-sign') })).status, 303);
  const id = one(`SELECT id FROM refusal WHERE referral_id = ${ref.id}`).id;
  const c = await as('reviewer1');
  const page = await c.post(`/review/${id}`, { decision: 'confirm', comment: 'Согласен' });
  assert.strictEqual(page.status, 200, textOf(page.text).slice(0, 300));
  const f = eds.form(page.text, `/review/${id}`);
  const before = signatures();
  const wrong = await c.post(`/review/${id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer2-sign') });
  assert.strictEqual(wrong.status, 422);
  assert.match(textOf(wrong.text), AGAIN);
  assert.ok(used(f.nonce));
  const right = await c.post(`/review/${id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(right.status, 422);
  assert.match(textOf(right.text), USED);
  assert.strictEqual(signatures(), before);
  assert.strictEqual(one(`SELECT status FROM refusal WHERE id = ${id}`).status, 'pending');
});

// openssl cms -sign over bytes (the contract's challenge is not always UTF-8 clean to pass as a string).
function cmsOf(content, key) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-cms-'));
  try {
    fs.writeFileSync(path.join(dir, 'in'), content);
    execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-nodetach', '-in', path.join(dir, 'in'),
      '-signer', path.join(PKI, `${key}.pem`), '-inkey', path.join(PKI, `${key}.key`), '-outform', 'DER',
      '-out', path.join(dir, 'out')]);
    return fs.readFileSync(path.join(dir, 'out')).toString('base64');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the contract: a refused signature uses the challenge up', async () => {
  const app = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: 2021 });
  const place = fx.freePlace(srv, { ddo: ddo1, groupYear: 2021, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place });
  const c = await as('parent1', 'eds');
  await c.get('/enroll');
  assert.strictEqual((await c.post('/enroll/ok', { read: 1 })).status, 303);
  for (const kind of ['form065', 'form027', 'form052_2']) {
    const u = await c.upload(`/enroll/${ref.id}/upload`, { kind },
      { file: { name: `${kind}.pdf`, type: 'application/pdf', data: files.pdf(kind) } });
    assert.strictEqual(u.status, 303, `${kind}: ${textOf(u.text).slice(0, 200)}`);
  }
  const page = await c.get(`/enroll?open=${ref.id}`);
  const sec = page.text.slice(page.text.indexOf(`id="ref-${ref.id}"`));
  const content = Buffer.from(sec.match(/data-eds-challenge="([^"]+)"/)[1], 'base64');
  const nonce = sec.match(/name="nonce" value="([^"]+)"/)[1];
  const before = signatures();
  const wrong = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce, cms: cmsOf(content, 'parent2-sign') });
  assert.strictEqual(wrong.status, 422);
  assert.match(textOf(wrong.text), AGAIN);
  assert.ok(used(nonce));
  const right = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce, cms: cmsOf(content, 'parent1-sign') });
  assert.strictEqual(right.status, 422);
  assert.match(textOf(right.text), USED);
  assert.strictEqual(signatures(), before);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'issued');
});

run();
