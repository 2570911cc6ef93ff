// The August transfer period (issue 17 item 2) through nginx and the real
// programs, with the programs' clock moved into August: every page shows
// the banner with the dates (in both languages); staff cannot add free
// places and citizens cannot choose one, told the dates; support withdraws
// a published record nobody got a referral for, with a reason: it stays in
// the base, shown as withdrawn, its open offer lapses, and the database
// refuses to change it again; a record with a referral cannot be
// withdrawn; nobody else can withdraw.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let aug;      // the year of the coming August
let ddo;      // staff1's DDO (Кокшетау, 1110)

const localDate = (t) => new Date((t + 5 * 3600) * 1000);
const one = (q) => srv.sql(q)[0];

before(async () => {
  srv = await Server.start({ workers: 2 });
  ddo = fx.ddoOf(srv, 'staff1');
  const d = localDate(srv.now());
  aug = d.getUTCMonth() >= 7 ? d.getUTCFullYear() + 1 : d.getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

// Moves the programs' clock to day of month (local 11:00).
function moveTo(year, month, day) {
  srv.advanceClock(Date.UTC(year, month - 1, day, 6, 0, 0) / 1000 - srv.now());
}
function anon(lang) {
  const c = srv.client();
  c.cookies.set('district', '1110');
  if (lang) c.cookies.set('lang', lang);
  return c;
}
const banner = (html) => (html.match(/<div class="alert alert-warn freeze-banner"[^>]*><div class="wrap">([^<]*)<\/div>/) || [])[1];

test('outside the period no banner; in August every page shows it with the dates, in Russian and Kazakh', async () => {
  assert.strictEqual(banner((await anon().get('/')).text), undefined);
  moveTo(aug, 8, 10);
  const ru = await anon().get('/');
  assert.strictEqual(banner(ru.text), `Переходный период с 01.08.${aug} по 31.08.${aug}: новые свободные места не публикуются, выбор мест и выдача направлений приостановлены.`);
  const kkClient = anon();
  assert.strictEqual((await kkClient.get('/?lang=kk')).status, 303);
  const kk = await kkClient.get('/places');
  assert.match(kk.text, /<html lang="kk">/);
  assert.strictEqual(banner(kk.text), `01.08.${aug} бастап 31.08.${aug} дейін өтпелі кезең: жаңа бос орындар жарияланбайды, орын таңдау және жолдама беру тоқтатылған.`);
  const staff = srv.client();
  srv.login(staff, 'staff1');
  assert.ok(banner((await staff.get('/cabinet')).text), 'a logged-in page too');
});

test('staff cannot add free places in the period: refused with the dates, nothing saved', async () => {
  const c = srv.client();
  srv.login(c, 'staff1');
  await c.get('/places/add');
  const before = one('SELECT count(*) AS n FROM free_place').n;
  const form = { ddo, year: aug - 3, language: 'ru', count: 2 };
  for (const step of ['review', 'save']) {
    const r = await c.post('/places/add', { ...form, step, token: 'x'.repeat(43) });
    assert.strictEqual(r.status, 409, step);
    assert.ok(textOf(r.text).includes(`Переходный период с 01.08.${aug} по 31.08.${aug}: добавлять свободные места нельзя. Добавьте их после 31.08.${aug}.`), step);
  }
  assert.strictEqual(one('SELECT count(*) AS n FROM free_place').n, before);
});

test('a citizen cannot choose a place in the period: refused with the dates, no referral', async () => {
  const app = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: aug - 3 });
  const place = fx.freePlace(srv, { ddo, groupYear: aug - 3, total: 2 });
  const c = srv.client();
  srv.login(c, 'parent1');
  const msg = `Переходный период с 01.08.${aug} по 31.08.${aug}: выбор мест и выдача направлений приостановлены. Выберите место после 31.08.${aug}.`;
  const confirm = await c.get(`/places/choose/confirm?application=${app.id}&place=${place}`);
  assert.strictEqual(confirm.status, 409);
  assert.ok(textOf(confirm.text).includes(msg));
  await c.get(`/places/choose?application=${app.id}`);
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 409);
  assert.ok(textOf(r.text).includes(msg));
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral WHERE application_id = ${app.id}`).n, 0);
  assert.strictEqual(one(`SELECT free FROM free_place WHERE id = ${place}`).free, 2);
});

test('no offers are made in the period: a record still in its window offers nobody until the period ends', async () => {
  const y = aug - 4;
  const app = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: y });
  const place = fx.freePlace(srv, { ddo, groupYear: y, total: 1, createdAt: srv.now() - 60, windowUntil: srv.now() + 40 * 86400 });
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE place_id = ${place}`).n, 0, 'none in August');
  moveTo(aug, 9, 1);
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT application_id AS a FROM offer WHERE place_id = ${place} AND status = 'open'`).a, app.id,
    'offered once the period is over');
  moveTo(aug, 8, 10);
});

test('support withdraws a record without referrals, with a reason: shown as withdrawn, never deleted', async () => {
  const y = aug - 2;
  const app = fx.application(srv, { parent: 'parent2', district: 1110, groupYear: y });
  const free = fx.freePlace(srv, { ddo, groupYear: y, total: 3, windowUntil: srv.now() + 86400 });
  srv.sql(`INSERT INTO offer(place_id, application_id, category, offered_at, until) VALUES (${free}, ${app.id}, 'none', ${srv.now() - 60}, ${srv.now() + 86400})`);
  const taken = fx.freePlace(srv, { ddo, groupYear: y, total: 2 });
  const holder = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: y });
  fx.referral(srv, { application: holder.id, place: taken });

  const sup = srv.client();
  srv.login(sup, 'support');
  const list = await sup.get('/admin/places?district=1110');
  assert.strictEqual(list.status, 200);
  assert.match(list.text, new RegExp(`action="/admin/places/${free}/withdraw"`));
  assert.ok(!list.text.includes(`data-id="${taken}"`), 'a record with a referral is not offered for withdrawal');

  const noReason = await sup.post(`/admin/places/${free}/withdraw`, { reason: '' });
  assert.strictEqual(noReason.status, 422);
  assert.match(noReason.text, /id="err-reason"/);
  assert.strictEqual(one(`SELECT withdrawn_at AS w FROM free_place WHERE id = ${free}`).w, null);

  const r = await sup.post(`/admin/places/${free}/withdraw`, { reason: 'Группа закрыта на ремонт' });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, '/admin/places?district=1110');
  const row = one(`SELECT free, total, status, withdrawn_reason AS reason, withdrawn_at IS NOT NULL AS w,
    withdrawn_by = (SELECT id FROM account WHERE iin = '${Server.persons().support.iin}') AS by FROM free_place WHERE id = ${free}`);
  assert.deepStrictEqual(row, { free: 0, total: 3, status: 'exhausted', reason: 'Группа закрыта на ремонт', w: 1, by: 1 });
  // Its open offer lapsed, with the history row; the audit has the withdrawal.
  assert.strictEqual(one(`SELECT status FROM offer WHERE place_id = ${free}`).status, 'lapsed');
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'offer_cancelled'`).n, 1);
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'place_withdraw' AND object_id = ${free} AND outcome = 'ok'`).n, 1);
  // Shown as withdrawn: to support, and in the base itself.
  const again = await sup.get('/admin/places?district=1110');
  assert.match(textOf(again.text.match(new RegExp(`<tr data-id="${free}"[\\s\\S]*?</tr>`))[0]), /Отозвано.*Группа закрыта на ремонт/);
  const base = await anon().get('/places');
  const baseRow = base.text.match(new RegExp(`<tr[^>]*data-id="${free}">([\\s\\S]*?)</tr>`));
  assert.ok(baseRow, 'still in the base');
  assert.match(textOf(baseRow[1]), /Отозвано/);
  // The database keeps it as it is.
  assert.throws(() => srv.sql(`UPDATE free_place SET free = 1 WHERE id = ${free}`), /withdrawn free-place record cannot change/);
  assert.throws(() => srv.sql(`UPDATE free_place SET withdrawn_reason = 'другая' WHERE id = ${free}`), /may be withdrawn, once/);
  assert.throws(() => srv.sql(`DELETE FROM free_place WHERE id = ${free}`), /cannot be deleted/);
  // Twice: no.
  const twice = await sup.post(`/admin/places/${free}/withdraw`, { reason: 'ещё раз' });
  assert.strictEqual(twice.status, 404);
});

test('a record with a referral cannot be withdrawn', async () => {
  const y = aug - 4;
  const taken = fx.freePlace(srv, { ddo, groupYear: y, total: 2 });
  const holder = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: y });
  fx.referral(srv, { application: holder.id, place: taken });
  const sup = srv.client();
  srv.login(sup, 'support');
  await sup.get('/admin/places?district=1110');
  const r = await sup.post(`/admin/places/${taken}/withdraw`, { reason: 'Ошибка публикации' });
  assert.strictEqual(r.status, 409);
  assert.ok(textOf(r.text).includes('По этой записи уже выдано направление: отозвать ее нельзя.'));
  assert.strictEqual(one(`SELECT withdrawn_at AS w, free FROM free_place WHERE id = ${taken}`).w, null);
  // Nor behind the screen's back.
  assert.throws(() => srv.sql(`UPDATE free_place SET free = 0, withdrawn_at = 1, withdrawn_by = 1, withdrawn_reason = 'x' WHERE id = ${taken}`),
    /only a record without referrals/);
});

test('citizen, staff and reviewer cannot see or withdraw', async () => {
  const free = fx.freePlace(srv, { ddo, groupYear: aug - 5, total: 1 });
  for (const who of ['parent1', 'staff1', 'reviewer1']) {
    const c = srv.client();
    srv.login(c, who);
    assert.strictEqual((await c.get('/admin/places?district=1110')).status, 403, who);
    assert.strictEqual((await c.post(`/admin/places/${free}/withdraw`, { reason: 'не моё' })).status, 403, `${who} POST`);
  }
  assert.strictEqual(one(`SELECT withdrawn_at AS w FROM free_place WHERE id = ${free}`).w, null);
});

test('after 31 August the banner is gone and places are added again', async () => {
  moveTo(aug, 9, 1);
  assert.strictEqual(banner((await anon().get('/')).text), undefined);
  const c = srv.client();
  srv.login(c, 'staff1');
  await c.get('/places/add');
  const r = await c.post('/places/add', { ddo, year: aug - 3, language: 'ru', count: 1, step: 'review' });
  assert.strictEqual(r.status, 200);
  assert.ok(!textOf(r.text).includes('Переходный период'));
});

run();
