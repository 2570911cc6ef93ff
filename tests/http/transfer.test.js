// Transfers of enrolled children (issue 17 item 5, lib/domain/transfer.h)
// through nginx and the real programs: the parent of an enrolled child asks
// for a transfer to other DDOs of the district; the request is offered a
// place of an asked DDO in its category (after out-of-turn, before the
// ordinary applicants by default); when the new DDO accepts the child with
// its signature, the old enrollment ends with «перевод» in the same
// transaction and the old DDO is reminded to publish the freed place; other
// parents and other roles are refused.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

let srv;
let kok;      // Кокшетау's DDOs: staff1 has [0] and [1], staff2 [2]
let year;
before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 50' });
  kok = srv.sql('SELECT id FROM ddo WHERE district_id = 1110 ORDER BY id').map((r) => r.id);
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 3;
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }

async function save(who, data) {
  const c = as(who);
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id FROM free_place WHERE ddo_id = ${Number(data.ddo)} ORDER BY id DESC LIMIT 1`).id;
}

let k;        // parent1's child enrolled at kok[0]
let request;  // its transfer request
test('the parent of an enrolled child applies for a transfer; the child stays enrolled', async () => {
  k = fx.enrolled(srv, { ddo: kok[0], parent: 'parent1', groupYear: year, language: 'kk', surname: 'ПЕРЕВОДОВ' });
  const c = as('parent1');
  const page = await c.get('/moves');
  assert.strictEqual(page.status, 200);
  assert.match(textOf(page.text), /ПЕРЕВОДОВ/);
  assert.match(page.text, new RegExp(`action="/moves/transfer/${k.application.id}"`));
  // The current DDO is not among the choices.
  const form = page.text.match(new RegExp(`<form method="post" action="/moves/transfer/${k.application.id}"[\\s\\S]*?</form>`))[0];
  assert.doesNotMatch(form, new RegExp(`<option value="${kok[0]}"`));
  assert.match(form, new RegExp(`<option value="${kok[2]}"`));
  const none = await c.post(`/moves/transfer/${k.application.id}`, {});
  assert.strictEqual(none.status, 422);
  assert.match(textOf(none.text), /Выберите хотя бы один детский сад/);
  const same = await c.post(`/moves/transfer/${k.application.id}`, { ddo1: kok[0] });
  assert.strictEqual(same.status, 422);
  const r = await c.post(`/moves/transfer/${k.application.id}`, { ddo1: kok[2], ddo2: kok[1] });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  request = one(`SELECT id, number, status, benefit, ddo1, ddo2, transfer_of FROM application WHERE transfer_of = ${k.application.id}`);
  assert.strictEqual(request.status, 'queued');
  assert.strictEqual(request.ddo1, kok[2]);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${k.application.id}`).status, 'enrolled');
  assert.strictEqual(one(`SELECT departed_on FROM enrollment WHERE id = ${k.enrollment}`).departed_on, null);
  // One pending request per child.
  const again = await c.post(`/moves/transfer/${k.application.id}`, { ddo1: kok[1] });
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /уже подано/);
  const shown = await c.get('/moves');
  assert.match(textOf(shown.text), new RegExp(`Подано заявление на перевод: ${request.number.replace(/\./g, '\\.')}`));
  c.cookies.set('lang', 'kk');
  assert.match(textOf((await c.get('/moves')).text), /Ауыстыру және алмасу/);
});

test('another parent and other roles cannot apply for someone else\'s child', async () => {
  const other = fx.enrolled(srv, { ddo: kok[1], parent: 'parent2', groupYear: year, language: 'kk' });
  const c = as('parent2');
  assert.strictEqual((await c.post(`/moves/transfer/${k.application.id}`, { ddo1: kok[1] })).status, 404);
  assert.doesNotMatch((await c.get('/moves')).text, /ПЕРЕВОДОВ/);
  for (const who of ['staff1', 'reviewer1', 'support']) {
    assert.strictEqual((await as(who).post(`/moves/transfer/${other.application.id}`, { ddo1: kok[2] })).status, 403, who);
    assert.strictEqual((await as(who).get('/moves')).status, 403, who);
  }
  assert.strictEqual(one(`SELECT count(*) AS n FROM application WHERE transfer_of = ${other.application.id}`).n, 0);
});

test('the request is offered a place of an asked DDO in the category «перевод», before an earlier ordinary applicant', async () => {
  const ordinary = fx.application(srv, { parent: 'parent3', groupYear: year, language: 'kk', queuedAt: srv.now() - 40 * 86400 });
  const place = await save('staff2', { ddo: kok[2], language: 'kk', year, count: 1 });
  const offers = srv.sql(`SELECT application_id, category FROM offer WHERE place_id = ${place}`);
  assert.deepStrictEqual(offers, [{ application_id: request.id, category: 'transfer' }]);
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE application_id = ${ordinary.id} AND status = 'open'`).n, 0);
  k.place = place;
});

test('accepted at the new DDO: the old enrollment ends with «перевод» and the old DDO is reminded', async () => {
  // The parent took the place and submitted the documents (their own screens' tests cover that).
  const ref = fx.referral(srv, { application: request.id, place: k.place, status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: request.id, referral: ref.id });
  const c = as('staff2');
  const page = await c.get(`/cabinet?by=number&q=${ref.number}`);
  const f = eds.form(page.text, '/cabinet/accept');
  const sms = srv.sms().length;
  const r = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff2-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const old = one(`SELECT departed_on, departure_reason, departed_by, departure_signature_id FROM enrollment WHERE id = ${k.enrollment}`);
  assert.strictEqual(old.departure_reason, 'перевод');
  assert.ok(old.departed_on);
  assert.strictEqual(old.departed_by, fx.accountId(srv, 'staff2'));
  assert.strictEqual(one(`SELECT status, archive_reason FROM application WHERE id = ${k.application.id}`).status, 'departed');
  const now = one(`SELECT e.ddo_id, a.status FROM enrollment e JOIN application a ON a.id = e.application_id
    WHERE e.child_id = ${k.application.childId} AND e.departed_on IS NULL`);
  assert.deepStrictEqual(now, { ddo_id: kok[2], status: 'enrolled' });
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${k.application.id} AND event = 'transfer_departed'`).n, 1);
  // The old DDO's staff are told by SMS and see the reminder in the cabinet.
  const told = (await fx.smsAfter(srv, sms, 2)).filter((m) => /освободилось место/.test(m));
  assert.strictEqual(told.length, 1, told.join('\n'));
  assert.match(told[0], /ПЕРЕВОДОВ|РЕБЁНОК/);
  const s1 = as('staff1');
  await s1.post('/cabinet/ddo', { ddo: kok[0] });
  const cab = await s1.get('/cabinet');
  assert.match(textOf(cab.text), /Переведены в другие детские сады после последней публикации мест: 1/);
  // The parent's page shows the child at the new DDO and no pending request.
  const mv = await as('parent1').get('/moves');
  const name = one(`SELECT name_ru FROM ddo WHERE id = ${kok[2]}`).name_ru;
  assert.ok(textOf(mv.text).includes(name));
  assert.doesNotMatch(textOf(mv.text), /Подано заявление на перевод/);
  // The child may ask for another transfer from there.
  const again = await as('parent1').post(`/moves/transfer/${request.id}`, { ddo1: kok[0] });
  assert.strictEqual(again.status, 303);
});

run();
