// Vouchers per district (issue 17 item 3, lib/domain/voucher.h) through
// nginx and the real programs: support sets a district's financing in
// /admin; there an offer is a voucher the parent confirms or refuses
// within Voucher.ConsentWorkingDays working days; a confirmed voucher takes
// a place of any DDO of the district with a free place of its key, a
// private one included, even one still in its priority window; not
// confirmed in time, the application is inactive (its date kept, no
// offers), may be restored once within Voucher.RestoreDays and is archived
// after; refused, it is archived. Every step leaves its history, audit
// row and SMS; only the parent of the application may act; the statistics
// count issued, confirmed, lapsed, restored and refused.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let ddoA;       // staff1's state kindergarten in Кокшетау
let priv;       // a private kindergarten of Кокшетау
let year;

before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 50' });
  ddoA = fx.ddoOf(srv, 'staff1');
  priv = fx.ddoInDistrict(srv, 1110, 'private_subsidised');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }

// Staff save a record through the form (review, then «ОК»): its places are
// offered at once (offer_fill), in a voucher district as vouchers.
async function save(g, count = 1) {
  const c = as('staff1');
  const data = { ddo: ddoA, language: g.language, year: g.groupYear, count };
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id, window_until FROM free_place WHERE ddo_id = ${ddoA} ORDER BY id DESC LIMIT 1`).id;
}

// A key of its own per scenario (group year, language 'en').
let age = 0;
function queueOf(parents) {
  const g = { groupYear: year - ++age, language: 'en' };
  const t0 = srv.now() - 10 * 86400;
  return parents.map((parent, i) => ({ ...fx.application(srv, { parent, ...g, queuedAt: t0 + i * 60 }), parent, g }));
}

const voucherOf = (app) => one(`SELECT * FROM voucher WHERE application_id = ${app.id} ORDER BY id DESC LIMIT 1`);
const appOf = (app) => one(`SELECT status, archive_reason, queued_at FROM application WHERE id = ${app.id}`);
const hist = (app, event) => one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = '${event}'`).n;
const auditOk = (action, id) => one(`SELECT count(*) AS n FROM audit WHERE action = '${action}' AND object_id = ${id} AND outcome = 'ok'`).n;

// The SMS about an application's number matching re, waiting a moment (the
// outbox is sent after the response or at the end of the tick).
async function smsOf(number, re, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const found = srv.sms().filter((m) => m.includes(number) && re.test(m));
    if (found.length || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The voucher box of an application on a page, or null.
function box(html, app) {
  const m = html.match(new RegExp(`<section class="card[^"]*voucher" id="voucher-${app.id}"[\\s\\S]*?</section>`));
  return m && m[0];
}

// The clock past a time, then the tick.
function pastAndTick(t) {
  if (srv.now() <= t) srv.advanceClock(t - srv.now() + 1);
  srv.kgctl('tick');
}

test('support sets a district\'s financing in /admin; other roles cannot, a wrong value is refused', async () => {
  const s = as('support');
  const page = await s.get('/admin/districts');
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes('data-district="1110"'));
  assert.match(textOf(page.text), /Государственный заказ/);
  for (const who of ['staff1', 'reviewer1', 'parent1']) {
    assert.strictEqual((await as(who).post('/admin/districts/1110', { financing: 'voucher' })).status, 403, who);
  }
  const bad = await s.post('/admin/districts/1110', { financing: 'cash' });
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /Выберите вид финансирования/);
  assert.strictEqual((await s.post('/admin/districts/9999', { financing: 'voucher' })).status, 404);
  assert.strictEqual(one('SELECT financing FROM district WHERE id = 1110').financing, 'state');
  const ok = await s.post('/admin/districts/1110', { financing: 'voucher' });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(one('SELECT financing FROM district WHERE id = 1110').financing, 'voucher');
  assert.strictEqual(auditOk('district_financing', 1110), 1);
  assert.match((await s.get('/admin/districts')).text, /<option value="voucher" selected>/);
});

let A;   // the consent scenario's applicants

test('in a voucher district an offer is a voucher: «Подтвердить согласие» / «Отказаться», an SMS in the account\'s language, and its place cannot be taken before consent', async () => {
  A = queueOf(['parent1', 'parent2']);
  srv.sql(`UPDATE account SET lang = 'kk' WHERE id = ${A[0].parentId}`);
  const rec = await save(A[0].g);
  A.rec = rec;
  const v = voucherOf(A[0]);
  assert.ok(v, 'a voucher was issued');
  assert.strictEqual(v.status, 'issued');
  assert.strictEqual(v.district_id, 1110);
  const offer = one(`SELECT id, status, until FROM offer WHERE application_id = ${A[0].id}`);
  assert.strictEqual(offer.id, v.offer_id);
  assert.strictEqual(offer.until, v.consent_until);
  // Two working days: at least a day and a half, at most two weeks.
  assert.ok(v.consent_until - v.issued_at > 36 * 3600 && v.consent_until - v.issued_at < 14 * 86400);
  assert.strictEqual(hist(A[0], 'voucher_issued'), 1);
  assert.strictEqual(auditOk('voucher_issue', v.id), 1);
  // The SMS is the voucher's, in Kazakh (the account's language), not the offer's.
  const sms = await smsOf(A[0].number, /ваучер/);
  assert.strictEqual(sms.length, 1, srv.sms().join('\n'));
  assert.match(sms[0], /ваучер берілді/);
  assert.strictEqual(srv.sms().filter((m) => m.includes(A[0].number) && /предложено место/.test(m)).length, 0);
  // The page: the voucher's actions instead of the offer's.
  const c = as('parent1');
  for (const url of ['/queue/my', `/queue/app/${A[0].id}`]) {
    const r = await c.get(url);
    assert.strictEqual(r.status, 200);
    const b = box(r.text, A[0]);
    assert.ok(b, url);
    assert.ok(b.includes(`action="/queue/voucher/${A[0].id}/confirm"`));
    assert.ok(b.includes(`href="/queue/voucher/${A[0].id}/refuse"`));
    assert.ok(!r.text.includes(`id="offer-${A[0].id}"`), 'no offer box');
    assert.ok(!r.text.includes(`/queue/offer/${A[0].id}/decline`));
  }
  const kk = srv.client();
  srv.login(kk, 'parent1');
  kk.cookies.set('lang', 'kk');
  assert.match(textOf(box((await kk.get(`/queue/app/${A[0].id}`)).text, A[0]) || ''), /Келісімді растау/);
  assert.match(textOf(box((await c.get(`/queue/app/${A[0].id}`)).text, A[0])), /Подтвердить согласие[\s\S]*Отказаться/);
  // Before consent the offered place cannot be taken, and the choice says why.
  const list = await c.get(`/places/choose?application=${A[0].id}`);
  assert.match(textOf(list.text), /Сначала подтвердите согласие на ваучер/);
  assert.ok(!list.text.includes(`data-place="${rec}"`));
  assert.strictEqual((await c.post('/places/choose', { application: A[0].id, place: rec })).status, 409);
  // Nor is it declined as an offer.
  assert.strictEqual((await c.post(`/queue/offer/${A[0].id}/decline`, {})).status, 409);
  assert.strictEqual(appOf(A[0]).status, 'queued');
});

test('only the parent of the application answers a voucher: another parent gets 404, staff and reviewers 403', async () => {
  const id = A[0].id;
  for (const path of [`/queue/voucher/${id}/confirm`, `/queue/voucher/${id}/refuse`, `/queue/app/${id}/restore`]) {
    assert.strictEqual((await as('parent2').post(path, {})).status, 404, path);
    assert.strictEqual((await as('staff1').post(path, {})).status, 403, path);
    assert.strictEqual((await as('reviewer1').post(path, {})).status, 403, path);
    assert.strictEqual((await as('support').post(path, {})).status, 403, path);
  }
  assert.strictEqual((await as('parent2').get(`/queue/voucher/${id}/refuse`)).status, 404);
  // Without the CSRF token nothing happens.
  assert.strictEqual((await as('parent1').post(`/queue/voucher/${id}/confirm`, {}, { csrf: false })).status, 403);
  assert.strictEqual(voucherOf(A[0]).status, 'issued');
  assert.strictEqual(appOf(A[0]).status, 'queued');
});

test('a confirmed voucher takes a place of any DDO of the district, a private one still in its window included; the 5-working-day deadline runs from the referral', async () => {
  const c = as('parent1');
  const before = srv.sms().length;
  const r = await c.post(`/queue/voucher/${A[0].id}/confirm`, {});
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, '/queue/my');
  const v = voucherOf(A[0]);
  assert.strictEqual(v.status, 'confirmed');
  assert.ok(v.confirmed_at && v.choose_until > v.confirmed_at);
  assert.strictEqual(one(`SELECT until FROM offer WHERE id = ${v.offer_id}`).until, v.choose_until);
  assert.strictEqual(hist(A[0], 'voucher_confirmed'), 1);
  assert.strictEqual(auditOk('voucher_confirm', v.id), 1);
  assert.strictEqual((await smsOf(A[0].number, /келісім расталды/)).length, 1);
  assert.ok(srv.sms().length > before);
  // A second confirmation is refused: it no longer waits for one.
  const again = await c.post(`/queue/voucher/${A[0].id}/confirm`, {});
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /Ваучер больше не ожидает ответа/);
  // A private kindergarten's record, still in its priority window and
  // offered to nobody: the voucher may take it, an applicant without one may not.
  const recP = fx.freePlace(srv, { ddo: priv, groupYear: A[0].g.groupYear, language: 'en', total: 1, createdAt: srv.now() - 60, windowUntil: srv.now() + 5 * 86400 });
  const other = as('parent2');
  assert.strictEqual((await other.post('/places/choose', { application: A[1].id, place: recP })).status, 409);
  const page = await c.get(`/queue/app/${A[0].id}`);
  assert.match(textOf(box(page.text, A[0])), /Согласие на ваучер подтверждено/);
  const list = await c.get(`/places/choose?application=${A[0].id}`);
  assert.strictEqual(list.status, 200);
  assert.match(textOf(list.text), /Ваучер подтвержден/);
  assert.ok(list.text.includes(`data-place="${recP}"`), 'the private record is a choice');
  assert.ok(list.text.includes(`data-place="${A.rec}"`), 'the offered record is a choice');
  assert.match(textOf(list.text), /Частные детские сады/);
  const conf = await c.get(`/places/choose/confirm?application=${A[0].id}&place=${recP}`);
  assert.strictEqual(conf.status, 200);
  const take = await c.post('/places/choose', { application: A[0].id, place: recP });
  assert.strictEqual(take.status, 303, textOf(take.text).slice(0, 300));
  const ref = one(`SELECT ddo_id, issued_at, deadline_at FROM referral WHERE application_id = ${A[0].id}`);
  assert.strictEqual(ref.ddo_id, priv);
  const days = (ref.deadline_at - ref.issued_at) / 86400;
  assert.ok(days > 4 && days < 14, `deadline ${days} days`);
  assert.strictEqual(appOf(A[0]).status, 'referred');
  assert.strictEqual(voucherOf(A[0]).status, 'used');
  assert.strictEqual(hist(A[0], 'voucher_used'), 1);
  // The voucher's offer of the state record lapsed and its place passed on
  // at once: to the next applicant, as a voucher again.
  assert.strictEqual(one(`SELECT status FROM offer WHERE id = ${v.offer_id}`).status, 'lapsed');
  assert.strictEqual(voucherOf(A[1]).status, 'issued');
  assert.strictEqual(one(`SELECT application_id FROM offer WHERE place_id = ${A.rec} AND status = 'open'`).application_id, A[1].id);
});

let B;   // the lapse scenario

test('not confirmed in time: the application is inactive with its date, gets no offers, and its place passes on', async () => {
  B = queueOf(['parent2', 'parent3']);
  await save(B[0].g);
  const v = voucherOf(B[0]);
  assert.strictEqual(v.status, 'issued');
  const queuedAt = appOf(B[0]).queued_at;
  // Just before the deadline nothing lapses.
  srv.advanceClock(v.consent_until - srv.now() - 5);
  srv.kgctl('tick');
  assert.strictEqual(voucherOf(B[0]).status, 'issued');
  pastAndTick(v.consent_until);
  const w = voucherOf(B[0]);
  assert.strictEqual(w.status, 'lapsed');
  assert.ok(w.restore_until - w.lapsed_at === 28 * 86400);
  const a = appOf(B[0]);
  assert.strictEqual(a.status, 'inactive');
  assert.strictEqual(a.archive_reason, null);
  assert.strictEqual(a.queued_at, queuedAt);
  assert.strictEqual(hist(B[0], 'voucher_lapsed'), 1);
  assert.strictEqual(auditOk('voucher_lapse', w.id), 1);
  assert.strictEqual((await smsOf(B[0].number, /не подтверждено в срок/)).length, 1);
  // The place went on to the next applicant (as a voucher).
  assert.strictEqual(voucherOf(B[1]).status, 'issued');
  // While inactive: no offer of a new record, and no place taken.
  const rec2 = await save(B[0].g);
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE place_id = ${rec2}`).n, 0);
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE application_id = ${B[0].id} AND status = 'open'`).n, 0);
  const c = as('parent2');
  assert.strictEqual((await c.post('/places/choose', { application: B[0].id, place: rec2 })).status, 409);
  B.rec2 = rec2;
  // The status reads «Неактивно»; the page offers the restore once.
  const page = await c.get(`/queue/app/${B[0].id}`);
  assert.match(textOf(page.text), /Неактивно/);
  const b = box(page.text, B[0]);
  assert.ok(b && b.includes(`action="/queue/app/${B[0].id}/restore"`), 'the restore button');
});

test('the parent restores an inactive application once; after a second lapse a second restore is refused', async () => {
  const queuedAt = appOf(B[0]).queued_at;
  assert.strictEqual((await as('parent3').post(`/queue/app/${B[0].id}/restore`, {})).status, 404);
  assert.strictEqual((await as('staff1').post(`/queue/app/${B[0].id}/restore`, {})).status, 403);
  let c = as('parent2');
  const r = await c.post(`/queue/app/${B[0].id}/restore`, {});
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  const a = appOf(B[0]);
  assert.strictEqual(a.status, 'queued');
  assert.strictEqual(a.queued_at, queuedAt);
  const first = one(`SELECT * FROM voucher WHERE application_id = ${B[0].id} ORDER BY id LIMIT 1`);
  assert.ok(first.restored_at);
  assert.strictEqual(hist(B[0], 'voucher_restored'), 1);
  assert.strictEqual(auditOk('voucher_restore', B[0].id), 1);
  assert.strictEqual((await smsOf(B[0].number, /восстановлено в очереди/)).length, 1);
  // Back in the queue it is offered the waiting record at once, as a voucher.
  const v2 = voucherOf(B[0]);
  assert.notStrictEqual(v2.id, first.id);
  assert.strictEqual(v2.status, 'issued');
  assert.strictEqual(one(`SELECT place_id FROM offer WHERE id = ${v2.offer_id}`).place_id, B.rec2);
  // Not confirmed again: inactive again, and the restore is refused.
  pastAndTick(v2.consent_until);
  assert.strictEqual(appOf(B[0]).status, 'inactive');
  c = as('parent2');   // a new session: the clock moved past the old one's idle time
  const page = await c.get(`/queue/app/${B[0].id}`);
  assert.ok(!page.text.includes(`action="/queue/app/${B[0].id}/restore"`), 'no restore button');
  assert.match(textOf(box(page.text, B[0])), /восстановить его можно только один раз/);
  const again = await c.post(`/queue/app/${B[0].id}/restore`, {});
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /Заявление уже восстанавливали: восстановить его можно только один раз/);
  assert.strictEqual(appOf(B[0]).status, 'inactive');
});

test('not restored within Voucher.RestoreDays: archived with the reason voucher_lapsed', async () => {
  // B[1]'s voucher lapsed with the clock moves above: inactive, never restored.
  assert.strictEqual(appOf(B[1]).status, 'inactive');
  const w = voucherOf(B[1]);
  // A day before the end: still restorable, nothing archived.
  srv.advanceClock(w.restore_until - srv.now() - 86400);
  srv.kgctl('tick');
  assert.strictEqual(appOf(B[1]).status, 'inactive');
  assert.ok(box((await as('parent3').get(`/queue/app/${B[1].id}`)).text, B[1]).includes('/restore"'));
  pastAndTick(Math.max(w.restore_until, voucherOf(B[0]).restore_until));
  for (const app of [B[1], B[0]]) {
    const a = appOf(app);
    assert.strictEqual(a.status, 'archived');
    assert.strictEqual(a.archive_reason, 'voucher_lapsed');
    assert.strictEqual(hist(app, 'voucher_archived'), 1);
    assert.strictEqual(auditOk('voucher_archive', app.id), 1);
    assert.strictEqual((await smsOf(app.number, /перенесено в архив/)).length, 1);
  }
  // Too late to restore: the restore is refused and nothing changes.
  const late = await as('parent3').post(`/queue/app/${B[1].id}/restore`, {});
  assert.strictEqual(late.status, 409);
  assert.strictEqual(appOf(B[1]).status, 'archived');
  assert.match(textOf((await as('parent3').get(`/queue/app/${B[1].id}`)).text), /не восстановлено в срок/);
  // A second tick changes nothing.
  const n = one('SELECT count(*) AS n FROM history').n;
  srv.kgctl('tick');
  assert.strictEqual(one('SELECT count(*) AS n FROM history').n, n);
});

test('refusing the voucher, after a confirmation step, archives the application and passes the place on', async () => {
  const C = queueOf(['parent3', 'parent1']);
  const rec = await save(C[0].g);
  const v = voucherOf(C[0]);
  assert.strictEqual(v.status, 'issued');
  assert.strictEqual((await as('parent1').get(`/queue/voucher/${C[0].id}/refuse`)).status, 404);
  for (const who of ['staff1', 'reviewer1']) {
    assert.strictEqual((await as(who).post(`/queue/voucher/${C[0].id}/refuse`, {})).status, 403, who);
  }
  const c = as('parent3');
  const page = await c.get(`/queue/voucher/${C[0].id}/refuse`);
  assert.strictEqual(page.status, 200);
  assert.match(textOf(page.text), /заявление будет снято с очереди/);
  const r = await c.post(`/queue/voucher/${C[0].id}/refuse`, {});
  assert.strictEqual(r.status, 303);
  const a = appOf(C[0]);
  assert.strictEqual(a.status, 'archived');
  assert.strictEqual(a.archive_reason, 'voucher_refused');
  const w = voucherOf(C[0]);
  assert.strictEqual(w.status, 'refused');
  assert.ok(w.refused_at);
  assert.strictEqual(one(`SELECT status FROM offer WHERE id = ${v.offer_id}`).status, 'lapsed');
  assert.strictEqual(hist(C[0], 'voucher_refused'), 1);
  assert.strictEqual(auditOk('voucher_refuse', v.id), 1);
  assert.strictEqual((await smsOf(C[0].number, /отказались от ваучера/)).length, 1);
  assert.match(textOf((await c.get(`/queue/app/${C[0].id}`)).text), /заявитель отказался от ваучера/);
  // The journal's history tells each step.
  assert.match(textOf((await c.get(`/journal/${C[0].id}`)).text), /Причина архивации заявитель отказался от ваучера/);
  const j = textOf((await c.get(`/journal/${C[0].id}?tab=history`)).text);
  assert.match(j, /Выдан ваучер на место в .+: подтвердить согласие до \d\d\.\d\d\.\d{4}/);
  assert.match(j, /Заявитель отказался от ваучера на место в .+: заявление в архиве/);
  assert.match(j, /Отправлено SMS о ваучере/);
  // The place passed on at once.
  assert.strictEqual(one(`SELECT application_id FROM offer WHERE place_id = ${rec} AND status = 'open'`).application_id, C[1].id);
  // Refusing again is refused.
  assert.strictEqual((await c.post(`/queue/voucher/${C[0].id}/refuse`, {})).status, 409);
});

test('a confirmed voucher not used by its choose deadline expires: the application stays queued with its date', async () => {
  const E = queueOf(['parent2']);
  await save(E[0].g);
  const c = as('parent2');
  assert.strictEqual((await c.post(`/queue/voucher/${E[0].id}/confirm`, {})).status, 303);
  const v = voucherOf(E[0]);
  assert.strictEqual(v.status, 'confirmed');
  srv.advanceClock(v.choose_until - srv.now() - 5);
  srv.kgctl('tick');
  assert.strictEqual(voucherOf(E[0]).status, 'confirmed');
  pastAndTick(v.choose_until);
  assert.strictEqual(voucherOf(E[0]).status, 'expired');
  assert.strictEqual(one(`SELECT status FROM offer WHERE id = ${v.offer_id}`).status, 'lapsed');
  const a = appOf(E[0]);
  assert.strictEqual(a.status, 'queued');
  assert.strictEqual(hist(E[0], 'voucher_expired'), 1);
  assert.strictEqual(auditOk('voucher_expire', v.id), 1);
  assert.strictEqual((await smsOf(E[0].number, /Срок выбора детского сада/)).length, 1);
  // Its right is over: no voucher box, and the page no longer offers the choice by voucher.
  assert.ok(!box((await as('parent2').get(`/queue/app/${E[0].id}`)).text, E[0]));
});

test('a voucher whose application is withdrawn before an answer ends void; the application stays withdrawn', async () => {
  const W = queueOf(['parent1']);
  await save(W[0].g);
  const v = voucherOf(W[0]);
  const c = as('parent1');
  assert.strictEqual((await c.post(`/queue/withdraw/${W[0].id}`, {})).status, 303);
  assert.strictEqual(one(`SELECT status FROM offer WHERE id = ${v.offer_id}`).status, 'lapsed');
  assert.ok(!box((await c.get(`/queue/app/${W[0].id}`)).text, W[0]), 'no voucher box on a withdrawn application');
  assert.strictEqual((await c.post(`/queue/voucher/${W[0].id}/confirm`, {})).status, 409);
  pastAndTick(v.consent_until);
  assert.strictEqual(voucherOf(W[0]).status, 'void');
  assert.deepStrictEqual(appOf(W[0]).status + appOf(W[0]).archive_reason, 'archivedwithdrawn');
});

test('a state district is unchanged: an offer there is an offer, with no voucher', async () => {
  await as('support').post('/admin/districts/1110', { financing: 'state' });
  const D = queueOf(['parent1']);
  const rec = await save(D[0].g);
  assert.strictEqual(one(`SELECT count(*) AS n FROM voucher WHERE application_id = ${D[0].id}`).n, 0);
  assert.strictEqual(one(`SELECT application_id FROM offer WHERE place_id = ${rec} AND status = 'open'`).application_id, D[0].id);
  const r = await as('parent1').get(`/queue/app/${D[0].id}`);
  assert.ok(r.text.includes(`id="offer-${D[0].id}"`));
  assert.ok(!box(r.text, D[0]));
  await as('support').post('/admin/districts/1110', { financing: 'voucher' });
});

test('the statistics count vouchers issued, confirmed, lapsed, restored and refused', async () => {
  const t = one(`SELECT count(*) AS issued, count(confirmed_at) AS confirmed, count(lapsed_at) AS lapsed,
    count(restored_at) AS restored, count(refused_at) AS refused FROM voucher WHERE district_id = 1110`);
  assert.ok(t.issued >= 7 && t.confirmed === 2 && t.lapsed >= 3 && t.restored === 1 && t.refused === 1, JSON.stringify(t));
  for (const d of ['1110', 'all']) {
    const r = await srv.client().get(`/stats?d=${d}`);
    assert.strictEqual(r.status, 200);
    const table = r.text.match(/<table class="data" id="t-vouchers">[\s\S]*?<\/table>/)[0];
    for (const k of ['issued', 'confirmed', 'lapsed', 'restored', 'refused']) {
      const m = table.match(new RegExp(`data-code="${k}"[\\s\\S]*?<td[^>]*>(\\d+)</td>`));
      assert.ok(m, k);
      assert.strictEqual(Number(m[1]), t[k], `${d} ${k}`);
    }
  }
  const other = await srv.client().get('/stats?d=1166');
  assert.match(other.text, /data-code="issued"[\s\S]*?<td[^>]*>0<\/td>/);
});

run();
