// Waiting lists of kindergartens (issue 17 item 4, lib/domain/waitlist.h)
// through nginx and the real programs: a queued application goes on up to
// three DDOs' lists of its district and a fourth is refused; when such a
// DDO publishes a record of the application's group year and language, the
// parent gets an SMS and a notice on «Мои заявления», while the place is
// still offered in queue order; staff see their list's size per group year
// and language; another parent can neither see nor change the lists.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let kok;      // the DDOs of Кокшетау (1110): staff1 has the first two, staff2 the third
let year;
before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 50' });
  kok = srv.sql('SELECT id FROM ddo WHERE district_id = 1110 ORDER BY id').map((r) => r.id);
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 2;
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }
const onLists = (app) => srv.sql(`SELECT ddo_id FROM waitlist WHERE application_id = ${app} ORDER BY ddo_id`).map((r) => r.ddo_id);

// The place-adding form of staff (review, then «ОК»).
async function save(who, data) {
  const c = as(who);
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id FROM free_place WHERE ddo_id = ${Number(data.ddo)} ORDER BY id DESC LIMIT 1`).id;
}

let app;      // parent1's queued application on the lists
test('a queued application goes on up to three lists of its district; a fourth is refused', async () => {
  app = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'kk' });
  const c = as('parent1');
  // The application page leads to its lists.
  assert.match((await c.get(`/queue/app/${app.id}`)).text, new RegExp(`href="/moves/waitlist/${app.id}"`));
  const page = await c.get(`/moves/waitlist/${app.id}`);
  assert.strictEqual(page.status, 200);
  assert.match(textOf(page.text), /Листы ожидания/);
  assert.match(page.text, /<select id="ddo" name="ddo"/);
  for (const d of kok.slice(0, 3)) {
    const r = await c.post(`/moves/waitlist/${app.id}`, { op: 'add', ddo: d });
    assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  }
  assert.deepStrictEqual(onLists(app.id), kok.slice(0, 3));
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'waitlist_added'`).n, 3);
  const fourth = await c.post(`/moves/waitlist/${app.id}`, { op: 'add', ddo: kok[3] });
  assert.strictEqual(fourth.status, 409);
  assert.match(textOf(fourth.text), /уже в трех листах ожидания/);
  assert.deepStrictEqual(onLists(app.id), kok.slice(0, 3));
  // The page offers no fourth choice, and says why.
  const full = await c.get(`/moves/waitlist/${app.id}`);
  assert.doesNotMatch(full.text, /<select id="ddo"/);
  assert.match(textOf(full.text), /уже в трех листах/);
  // The database refuses a fourth too, whatever a screen does.
  assert.throws(() => srv.sql(`INSERT INTO waitlist(application_id, ddo_id, added_at) VALUES (${app.id}, ${kok[3]}, 0)`));
  // Removing one frees a slot; a DDO of another district is refused.
  assert.strictEqual((await c.post(`/moves/waitlist/${app.id}`, { op: 'remove', ddo: kok[2] })).status, 303);
  const other = fx.ddoInDistrict(srv, 1166);
  const bad = await c.post(`/moves/waitlist/${app.id}`, { op: 'add', ddo: other });
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /действующий детский сад района/);
  assert.strictEqual((await c.post(`/moves/waitlist/${app.id}`, { op: 'add', ddo: kok[2] })).status, 303);
  assert.deepStrictEqual(onLists(app.id), kok.slice(0, 3));
  // The page in Kazakh.
  c.cookies.set('lang', 'kk');
  const kk = await c.get(`/moves/waitlist/${app.id}`);
  assert.strictEqual(kk.status, 200);
  assert.match(textOf(kk.text), /Күту парақтары/);
});

test('another parent can neither see nor change the lists; staff cannot use the parent\'s page', async () => {
  const c = as('parent2');
  assert.strictEqual((await c.get(`/moves/waitlist/${app.id}`)).status, 404);
  const r = await c.post(`/moves/waitlist/${app.id}`, { op: 'remove', ddo: kok[0] });
  assert.strictEqual(r.status, 404);
  assert.deepStrictEqual(onLists(app.id), kok.slice(0, 3));
  assert.strictEqual((await as('staff1').get(`/moves/waitlist/${app.id}`)).status, 403);
  const anon = await srv.client().get(`/moves/waitlist/${app.id}`);
  assert.strictEqual(anon.status, 303);
});

test('a matching record of a listed DDO tells the parent by SMS and on «Мои заявления»; the place still goes in queue order', async () => {
  // An earlier applicant of the same key, on no list: first in the queue.
  const first = fx.application(srv, { parent: 'parent3', groupYear: year, language: 'kk', queuedAt: srv.now() - 30 * 86400 });
  // Another of the list with another language: not told.
  const ru = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'ru' });
  srv.sql(`INSERT INTO waitlist(application_id, ddo_id, added_at) VALUES (${ru.id}, ${kok[0]}, ${srv.now()})`);
  const before = srv.sms().length;
  const place = await save('staff1', { ddo: kok[0], language: 'kk', year, count: 1 });
  const sms = await fx.smsAfter(srv, before, 2);
  const mine = sms.filter((m) => m.includes(app.number));
  assert.strictEqual(mine.length, 1, sms.join('\n'));
  assert.match(mine[0], /листе ожидания/);
  assert.ok(!sms.some((m) => m.includes(ru.number)), 'another language is not told');
  assert.strictEqual(one(`SELECT count(*) AS n FROM waitlist_notice WHERE application_id = ${app.id} AND place_id = ${place}`).n, 1);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'sms_waitlist'`).n, 1);
  // The one place is offered to the first in the queue, not to the list.
  assert.deepStrictEqual(srv.sql(`SELECT application_id FROM offer WHERE place_id = ${place}`).map((r) => r.application_id), [first.id]);
  const my = await as('parent1').get('/queue/my');
  const notice = my.text.match(new RegExp(`<div class="notice wl-notice"[^>]*data-number="${app.number.replace(/\./g, '\\.')}">[\\s\\S]*?</div>`));
  assert.ok(notice, 'the notice is on «Мои заявления»');
  assert.match(textOf(notice[0]), /Лист ожидания: опубликованы свободные места/);
  const name = one(`SELECT name_ru FROM ddo WHERE id = ${kok[0]}`).name_ru;
  assert.ok(textOf(notice[0]).includes(name));
  // Another parent's page shows nothing of it.
  assert.doesNotMatch((await as('parent2').get('/queue/my')).text, /wl-notice/);
  // A record of a DDO the application is not listed at tells nobody on this list.
  const b2 = srv.sms().length;
  await save('staff1', { ddo: kok[1], language: 'en', year, count: 1 });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!srv.sms().slice(b2).some((m) => m.includes(app.number)));
});

test('staff see the size of their DDO\'s list per group year and language, and only their own', async () => {
  const c = as('staff1');
  await c.post('/cabinet/ddo', { ddo: kok[0] });
  const r = await c.get('/cabinet');
  assert.strictEqual(r.status, 200);
  const row = (html, lang) => (html.match(new RegExp(`<tr data-year="${year}" data-language="${lang}">[\\s\\S]*?</tr>`)) || [''])[0];
  assert.match(textOf(row(r.text, 'kk')), new RegExp(`${year}.*казахский.*1`));
  assert.match(textOf(row(r.text, 'ru')), new RegExp(`${year}.*русский.*1`));
  // The third DDO is staff2's: its list has app alone; staff1 has no view of it.
  const s2 = as('staff2');
  const r2 = await s2.get('/cabinet');
  assert.match(r2.text, new RegExp(`data-year="${year}" data-language="kk"`));
  assert.doesNotMatch(r2.text, new RegExp(`data-year="${year}" data-language="ru"`));
  // Staff of another district's DDO see nothing of these lists.
  const r3 = await as('staff3').get('/cabinet');
  assert.strictEqual(r3.status, 200);
  assert.doesNotMatch(r3.text, new RegExp(`data-year="${year}"`));
  // An application that leaves the queue leaves every list.
  const w = await as('parent1').post(`/queue/withdraw/${app.id}`, {});
  assert.strictEqual(w.status, 303);
  assert.deepStrictEqual(onLists(app.id), []);
});

run();
