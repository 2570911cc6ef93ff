// A place given back by a confirmed refusal is offered on (issue 16 item 2,
// lib/domain/offer.h; lib/domain/decide.c gives the place back), through
// nginx and the real programs, every step on the real screens: staff save
// a record; the first applicant in the queue takes the offer; the parent
// uploads the forms and signs the contract with EDS; the DDO refuses with
// EDS; the education department confirms the refusal with EDS. During the
// record's window the returned place is offered at once, in the same
// transaction (no `kgctl tick`), to the next applicant in queue order: not
// to the refused child, although it is back first in the queue, since it
// has had this record's offer. After the window the returned place is in
// free choice and nobody is offered it.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');
const files = require('../lib/files');

let srv;
let ddo;
let year;

before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 50' });
  ddo = fx.ddoOf(srv, 'staff1');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who, method) { const c = srv.client(); srv.login(c, who, method); return c; }

// Three ordinary applicants of a key no seed uses (language 'en'), one per
// parent, in this queue order.
function queueOf(age) {
  const g = { groupYear: year - age, language: 'en' };
  const t0 = srv.now() - 10 * 86400;
  return ['parent1', 'parent2', 'parent3'].map((parent, i) => {
    const a = fx.application(srv, { parent, ...g, queuedAt: t0 + i * 60 });
    return { ...a, parent, g };
  });
}

// Staff save a record of one place through the form (review, then «ОК»).
async function save(g) {
  const c = as('staff1');
  const data = { ddo, language: g.language, year: g.groupYear, count: 1 };
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id, window_until FROM free_place WHERE ddo_id = ${ddo} ORDER BY id DESC LIMIT 1`);
}

const offersOf = (place) => srv.sql(`SELECT application_id, status FROM offer WHERE place_id = ${place} ORDER BY id`);

// The offer box of an application on its parent's «Мои заявления», or null.
async function offerSeen(app) {
  const r = await as(app.parent).get('/queue/my');
  assert.strictEqual(r.status, 200);
  const box = r.text.match(new RegExp(`<section class="card offer" id="offer-${app.id}"[\\s\\S]*?</section>`));
  return box && box[0];
}

// The parent takes the offer: «Получить направление», the confirmation,
// the referral. Returns { id, number }.
async function takeOffer(app, place) {
  const box = await offerSeen(app);
  assert.ok(box, 'the offer is on «Мои заявления»');
  const href = eds.unescape(box.match(/href="(\/places\/choose\/confirm[^"]+)"/)[1]);
  assert.strictEqual(href, `/places/choose/confirm?application=${app.id}&place=${place}`);
  const c = as(app.parent);
  assert.strictEqual((await c.get(href)).status, 200);
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const id = Number(r.location.match(/\/places\/referral\/(\d+)/)[1]);
  return { id, number: one(`SELECT number FROM referral WHERE id = ${id}`).number };
}

// The parent uploads the three forms and signs the contract with EDS.
async function submitDocs(app, ref) {
  const c = as(app.parent, 'eds');
  await c.get('/enroll');
  assert.strictEqual((await c.post('/enroll/ok', { read: 1 })).status, 303);
  for (const kind of ['form065', 'form027', 'form052_2']) {
    const r = await c.upload(`/enroll/${ref.id}/upload`, { kind }, { file: { name: `${kind}.pdf`, type: 'application/pdf', data: files.pdf(kind) } });
    assert.strictEqual(r.status, 303, `${kind}: ${textOf(r.text).slice(0, 300)}`);
  }
  const page = await c.get(`/enroll?open=${ref.id}`);
  const s = page.text.slice(page.text.indexOf(`id="ref-${ref.id}"`));
  const challenge = Buffer.from(eds.unescape(s.match(/data-eds-challenge="([^"]+)"/)[1]), 'base64');
  const nonce = s.match(/name="nonce" value="([^"]+)"/)[1];
  const r = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce, cms: fx.cms(challenge, `${app.parent}-sign`) });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'docs_submitted');
}

// staff1 refuses the referral with a reason, signed; returns the refusal's id.
async function refuse(ref) {
  const c = as('staff1');
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'incomplete_documents', reason: 'Форма №027 нечитаема' });
  assert.strictEqual(step2.status, 200, textOf(step2.text).slice(0, 400));
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  const r = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  return one(`SELECT id FROM refusal WHERE referral_id = ${ref.id}`).id;
}

// reviewer1 confirms the refusal, signed.
async function confirmRefusal(id) {
  const c = as('reviewer1');
  const step2 = await c.post(`/review/${id}`, { decision: 'confirm', comment: 'Документ действительно нечитаем' });
  assert.strictEqual(step2.status, 200, textOf(step2.text).slice(0, 400));
  const f = eds.form(step2.text, `/review/${id}`);
  const r = await c.post(`/review/${id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(one(`SELECT status FROM refusal WHERE id = ${id}`).status, 'confirmed');
}

// The SMS messages about an application's number that say «предложено место».
async function offerSms(number, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const found = srv.sms().filter((m) => m.includes(number) && /предложено место/.test(m));
    if (found.length || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a refusal confirmed during the record\'s window offers the returned place at once to the next applicant in queue order', async () => {
  const [a1, a2, a3] = queueOf(1);
  const rec = await save(a1.g);
  assert.deepStrictEqual(offersOf(rec.id), [{ application_id: a1.id, status: 'open' }]);
  const ref = await takeOffer(a1, rec.id);
  assert.deepStrictEqual(offersOf(rec.id), [{ application_id: a1.id, status: 'accepted' }]);
  await submitDocs(a1, ref);
  const refusal = await refuse(ref);
  assert.strictEqual(one(`SELECT free FROM free_place WHERE id = ${rec.id}`).free, 0, 'the place is held while the refusal is reviewed');
  assert.strictEqual(offersOf(rec.id).length, 1);
  assert.ok(srv.now() < rec.window_until, 'still in the window');

  await confirmRefusal(refusal);
  // The refused child is back first in the queue, and the place is back on its record...
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${a1.id}`).status, 'queued');
  assert.deepStrictEqual(one(`SELECT free, status FROM free_place WHERE id = ${rec.id}`), { free: 1, status: 'waiting' });
  // ...and offered in the same step to the next applicant who has not had this record's offer: a2.
  assert.deepStrictEqual(offersOf(rec.id), [{ application_id: a1.id, status: 'accepted' }, { application_id: a2.id, status: 'open' }]);
  assert.strictEqual((await offerSms(a2.number)).length, 1);
  assert.deepStrictEqual(await offerSms(a3.number, 0), []);
  const box = await offerSeen(a2);
  assert.ok(box, 'a2\'s parent sees the offer');
  assert.match(textOf(box), /Вам предложено место/);
  assert.strictEqual(await offerSeen(a1), null, 'the refused child is not offered the record again');
  assert.strictEqual(await offerSeen(a3), null);
  const ddoName = one(`SELECT name_ru FROM ddo WHERE id = ${ddo}`).name_ru;
  const hist = textOf((await as(a2.parent).get(`/journal/${a2.id}?tab=history`)).text);
  assert.ok(hist.includes(`Предложено место в ${ddoName}`), hist.slice(0, 1500));
  // Only a2 may take it during the window; a2 does.
  const other = await as(a3.parent).post('/places/choose', { application: a3.id, place: rec.id });
  assert.strictEqual(other.status, 409);
  await takeOffer(a2, rec.id);
  assert.strictEqual(one(`SELECT free FROM free_place WHERE id = ${rec.id}`).free, 0);
  assert.deepStrictEqual(offersOf(rec.id).map((o) => o.status), ['accepted', 'accepted']);
});

test('a refusal confirmed after the record\'s window returns the place to free choice, offered to nobody', async () => {
  const [b1, b2] = queueOf(2);
  const rec = await save(b1.g);
  const ref = await takeOffer(b1, rec.id);
  await submitDocs(b1, ref);
  const refusal = await refuse(ref);
  srv.advanceClock(rec.window_until - srv.now() + 60);
  srv.kgctl('tick');
  await confirmRefusal(refusal);
  assert.deepStrictEqual(one(`SELECT free, status FROM free_place WHERE id = ${rec.id}`), { free: 1, status: 'free_choice' });
  srv.kgctl('tick');
  assert.deepStrictEqual(offersOf(rec.id), [{ application_id: b1.id, status: 'accepted' }]);
  assert.strictEqual(await offerSeen(b2), null);
  // Anyone queued for the key takes it in free choice.
  const list = await as(b2.parent).get(`/places/choose?application=${b2.id}`);
  assert.ok(list.text.includes(`data-place="${rec.id}"`));
  const r = await as(b2.parent).post('/places/choose', { application: b2.id, place: rec.id });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
});

run();
