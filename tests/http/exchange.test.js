// Exchanges of places (issue 17 item 6, lib/domain/transfer.h "Exchange")
// through nginx and the real programs: one parent proposes by the other's
// application number, the other agrees, both DDOs decide in the cabinet
// with a signature; the second acceptance moves both enrollments at once;
// a DDO refusing leaves both children where they were; strangers (another
// parent, another DDO's staff) can neither agree nor decide.
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
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 4;
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }
const where = (k) => one(`SELECT ddo_id, departed_on FROM enrollment WHERE id = ${k.enrollment}`);

// Two children of the same key in kok[0] (parent1) and kok[2] (parent2),
// proposed and agreed. Returns { a, b, id }.
async function agreed(surname) {
  const a = fx.enrolled(srv, { ddo: kok[0], parent: 'parent1', groupYear: year, language: 'ru', surname: `${surname}А` });
  const b = fx.enrolled(srv, { ddo: kok[2], parent: 'parent2', groupYear: year, language: 'ru', surname: `${surname}Б`, staff: 'staff2' });
  const p = await as('parent1').post(`/moves/propose/${a.application.id}`, { number: b.application.number.toLowerCase() });
  assert.strictEqual(p.status, 303, textOf(p.text).slice(0, 300));
  const id = one(`SELECT id FROM exchange WHERE app_a = ${a.application.id} ORDER BY id DESC`).id;
  const g = await as('parent2').post(`/moves/exchange/${id}/agree`, {});
  assert.strictEqual(g.status, 303);
  return { a, b, id };
}

// The DDO's signed decision: the page's form, signed with key.
async function decide(who, ddo, id, decision, key) {
  const c = as(who);
  const page = await c.get(`/moves/exchange/${id}?ddo=${ddo}`);
  assert.strictEqual(page.status, 200, textOf(page.text).slice(0, 300));
  const forms = page.text.match(/<form method="post" action="\/moves\/exchange\/\d+"[\s\S]*?<\/form>/g);
  const form = forms.find((f) => f.includes(`name="decision" value="${decision}"`));
  const f = eds.form(form, `/moves/exchange/${id}`);
  return c.post(`/moves/exchange/${id}`, { ...f.fields, cms: eds.sign(f.text, key) });
}

test('a proposal by number, the other parent agrees; a wrong number, another key and a stranger are refused', async () => {
  const a = fx.enrolled(srv, { ddo: kok[0], parent: 'parent1', groupYear: year, language: 'ru' });
  const b = fx.enrolled(srv, { ddo: kok[2], parent: 'parent2', groupYear: year, language: 'ru', staff: 'staff2' });
  const kz = fx.enrolled(srv, { ddo: kok[2], parent: 'parent3', groupYear: year, language: 'kk', staff: 'staff2' });
  const same = fx.enrolled(srv, { ddo: kok[0], parent: 'parent3', groupYear: year, language: 'ru' });
  const c = as('parent1');
  const cases = [['UO.1999.000001.1', /Нет зачисленного ребенка/], [kz.application.number, /одного года и языка/],
    [same.application.number, /один и тот же детский сад/]];
  for (const [number, msg] of cases) {
    const r = await c.post(`/moves/propose/${a.application.id}`, { number });
    assert.strictEqual(r.status, 422, number);
    assert.match(textOf(r.text), msg);
  }
  // Not one's own application.
  assert.strictEqual((await as('parent3').post(`/moves/propose/${a.application.id}`, { number: b.application.number })).status, 404);
  const sms = srv.sms().length;
  const r = await c.post(`/moves/propose/${a.application.id}`, { number: b.application.number });
  assert.strictEqual(r.status, 303);
  const x = one(`SELECT id, status FROM exchange WHERE app_a = ${a.application.id}`);
  assert.strictEqual(x.status, 'proposed');
  const told = (await fx.smsAfter(srv, sms, 1)).filter((m) => m.includes(b.application.number));
  assert.strictEqual(told.length, 1);
  // Neither the proposer nor a stranger may agree for the other parent.
  assert.strictEqual((await c.post(`/moves/exchange/${x.id}/agree`, {})).status, 404);
  assert.strictEqual((await as('parent3').post(`/moves/exchange/${x.id}/agree`, {})).status, 404);
  assert.strictEqual((await as('parent3').post(`/moves/exchange/${x.id}/cancel`, {})).status, 404);
  // A second proposal for a child in a live exchange is refused.
  const busy = await as('parent3').post(`/moves/propose/${same.application.id}`, { number: b.application.number });
  assert.strictEqual(busy.status, 409);
  assert.match(textOf(busy.text), /уже участвует в другом обмене/);
  const page = await as('parent2').get('/moves');
  assert.match(page.text, new RegExp(`action="/moves/exchange/${x.id}/agree"`));
  assert.strictEqual((await as('parent2').post(`/moves/exchange/${x.id}/agree`, {})).status, 303);
  assert.strictEqual(one(`SELECT status FROM exchange WHERE id = ${x.id}`).status, 'agreed');
  // Either parent may still cancel: then nothing moves.
  assert.strictEqual((await c.post(`/moves/exchange/${x.id}/cancel`, {})).status, 303);
  assert.strictEqual(one(`SELECT status FROM exchange WHERE id = ${x.id}`).status, 'cancelled');
  assert.strictEqual(where(a).ddo_id, kok[0]);
  assert.strictEqual(where(b).ddo_id, kok[2]);
});

test('both DDOs accept with their signatures: both enrollments move at once', async () => {
  const { a, b, id } = await agreed('ОБМЕНОВ');
  // The cabinet lists it for each DDO.
  const s1 = as('staff1');
  await s1.post('/cabinet/ddo', { ddo: kok[0] });
  assert.match((await s1.get('/cabinet')).text, new RegExp(`data-exchange="${id}"`));
  const r1 = await decide('staff1', kok[0], id, 'accept', 'staff1-sign');
  assert.strictEqual(r1.status, 303, textOf(r1.text).slice(0, 300));
  // One acceptance moves nothing.
  assert.strictEqual(where(a).ddo_id, kok[0]);
  assert.strictEqual(where(b).ddo_id, kok[2]);
  assert.strictEqual(one(`SELECT status FROM exchange WHERE id = ${id}`).status, 'agreed');
  const sms = srv.sms().length;
  const r2 = await decide('staff2', kok[2], id, 'accept', 'staff2-sign');
  assert.strictEqual(r2.status, 303, textOf(r2.text).slice(0, 300));
  assert.deepStrictEqual(where(a), { ddo_id: kok[2], departed_on: null });
  assert.deepStrictEqual(where(b), { ddo_id: kok[0], departed_on: null });
  const x = one(`SELECT status, a_sig, b_sig FROM exchange WHERE id = ${id}`);
  assert.strictEqual(x.status, 'done');
  assert.strictEqual(one(`SELECT count(*) AS n FROM signature WHERE id IN (${x.a_sig}, ${x.b_sig}) AND method = 'eds' AND object_type = 'exchange'`).n, 2);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id IN (${a.application.id}, ${b.application.id}) AND event = 'exchange_done'`).n, 2);
  assert.strictEqual((await fx.smsAfter(srv, sms, 2)).filter((m) => /обмен местами выполнен/.test(m)).length, 2);
  // Each DDO's list of enrolled children shows its new child.
  const list = await s1.get('/cabinet');
  assert.match(textOf(list.text), /ОБМЕНОВБ/);
  assert.doesNotMatch(textOf(list.text), /ОБМЕНОВА /);
});

test('one DDO refusing leaves both children where they were', async () => {
  const { a, b, id } = await agreed('ОТКАЗОВ');
  assert.strictEqual((await decide('staff1', kok[0], id, 'accept', 'staff1-sign')).status, 303);
  const sms = srv.sms().length;
  const r = await decide('staff2', kok[2], id, 'refuse', 'staff2-sign');
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  assert.strictEqual(one(`SELECT status FROM exchange WHERE id = ${id}`).status, 'refused');
  assert.strictEqual(where(a).ddo_id, kok[0]);
  assert.strictEqual(where(b).ddo_id, kok[2]);
  assert.strictEqual((await fx.smsAfter(srv, sms, 2)).filter((m) => /отклонил обмен/.test(m)).length, 2);
  // Nothing more can be decided on it.
  assert.strictEqual((await as('staff1').get(`/moves/exchange/${id}?ddo=${kok[0]}`)).text.includes('name="decision"'), false);
});

test('a child that left meanwhile: the second acceptance moves nothing', async () => {
  const { a, b, id } = await agreed('УШЕДШИЙ');
  assert.strictEqual((await decide('staff1', kok[0], id, 'accept', 'staff1-sign')).status, 303);
  const c = as('staff2');
  const page = await c.get(`/moves/exchange/${id}?ddo=${kok[2]}`);
  const form = page.text.match(/<form method="post" action="\/moves\/exchange\/\d+"[\s\S]*?<\/form>/g).find((f) => f.includes('value="accept"'));
  const f = eds.form(form, `/moves/exchange/${id}`);
  const sig = fx.fixtureSignature(srv, 'staff2', 'departure', 'enrollment', b.enrollment);
  srv.sql(`UPDATE enrollment SET departed_on = '2020-01-01', departure_reason = 'x', departure_signature_id = ${sig}, departed_at = ${srv.now()} WHERE id = ${b.enrollment}`);
  const r = await c.post(`/moves/exchange/${id}`, { ...f.fields, cms: eds.sign(f.text, 'staff2-sign') });
  assert.strictEqual(r.status, 409);
  assert.strictEqual(where(a).ddo_id, kok[0]);
  assert.strictEqual(where(b).ddo_id, kok[2]);
  assert.strictEqual(one(`SELECT status FROM exchange WHERE id = ${id}`).status, 'agreed');
});

test('a stranger cannot decide: another DDO\'s staff, a DDO not of the exchange, a parent, a wrong key', async () => {
  const { a, b, id } = await agreed('ЧУЖОЙ');
  assert.strictEqual((await as('staff3').get(`/moves/exchange/${id}?ddo=${kok[0]}`)).status, 404);
  assert.strictEqual((await as('staff3').post(`/moves/exchange/${id}`, { ddo: kok[0], decision: 'accept', nonce: 'A'.repeat(43), cms: 'x' })).status, 404);
  // staff1 works at kok[1] too, which is not a side of this exchange.
  assert.strictEqual((await as('staff1').get(`/moves/exchange/${id}?ddo=${kok[1]}`)).status, 404);
  // staff1 is not staff of kok[2].
  assert.strictEqual((await as('staff1').get(`/moves/exchange/${id}?ddo=${kok[2]}`)).status, 404);
  for (const who of ['parent1', 'parent2', 'reviewer1']) {
    assert.strictEqual((await as(who).get(`/moves/exchange/${id}?ddo=${kok[0]}`)).status, 403, who);
  }
  // Signed by someone else's key: refused, nothing recorded.
  const r = await decide('staff1', kok[0], id, 'accept', 'staff2-sign');
  assert.strictEqual(r.status, 422);
  assert.strictEqual(one(`SELECT a_sig FROM exchange WHERE id = ${id}`).a_sig, null);
  assert.strictEqual(where(a).ddo_id, kok[0]);
  assert.strictEqual(where(b).ddo_id, kok[2]);
  // The page in Kazakh.
  const kk = as('staff1');
  kk.cookies.set('lang', 'kk');
  assert.match(textOf((await kk.get(`/moves/exchange/${id}?ddo=${kok[0]}`)).text), /Орын алмасу/);
});

run();
