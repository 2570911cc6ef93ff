// The public pages are never stale and never someone else's (issue 15):
// for each table whose data a cacheable public page shows (/places, /stats,
// /, /district/help, /queue/search), a row changed through the normal
// screens (or kgctl, where no screen changes it) shows on the next pages,
// and a page never carries another request's query string.
//
// Anonymous GETs of these pages may be answered by nginx from a copy kept
// until the end of the second of the clock it was made in (the micro-cache,
// conf/gen-web.sh; a request with a session cookie bypasses it), so never
// more than a second old: after a change, anonymous pages are asked for
// only once settle() has waited 1.2 s. A logged-in person's page
// (a staff member's /places, a citizen's) must show the change at once.
//
// Each page is asked for several times before the change (so that every
// worker has made whatever copies it keeps: two workers per program here)
// and several times after it (each answer must show the change, whichever
// worker gives it). Each test has a district of its own.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

const P = Server.persons();
let srv;
let sup;     // support, logged in
let year;    // this year by the programs' clock (Kazakhstan's calendar)

before(async () => {
  srv = await Server.start({ workers: 2 });
  sup = srv.client();
  srv.login(sup, 'support');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const TIMES = 4;   // how often a page is asked for before and after a change
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
// The micro-cache may answer an anonymous GET from a copy at most 1 s old
// (X-Accel-Expires: @<the second it was made in>: nginx counts whole
// seconds, so a relative "1" would keep a copy made at 10.1 s until
// 11.999 s), so 1.2 s after a change every anonymous page must show it.
const settle = () => sleep(1200);

function anon(district) {
  const c = srv.client();
  if (district) c.cookies.set('district', String(district));
  return c;
}
function person(who, district) {
  const c = srv.client();
  srv.login(c, who);
  if (district) c.cookies.set('district', String(district));
  return c;
}

// Asks for a page n times; each answer must be 200 and pass check.
async function each(c, url, check = () => {}, n = TIMES) {
  let last;
  for (let i = 0; i < n; i++) {
    last = await c.get(url);
    assert.strictEqual(last.status, 200, `${url}: status`);
    check(last, `${url} (answer ${i + 1} of ${n})`);
  }
  return last;
}

// The rows of the places table: { id, mine, cells: [name, year, language,
// total, free, user, kind, date, status] }.
function rows(html) {
  return [...html.matchAll(/<tr( class="mine")? data-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    id: Number(m[2]),
    mine: Boolean(m[1]),
    cells: [...m[3].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((x) => textOf(x[1])),
  }));
}
function row(html, id, what) {
  const r = rows(html).find((x) => x.id === id);
  assert.ok(r, `${what}: record ${id} is listed`);
  return r;
}
const ids = (html) => rows(html).map((x) => x.id);
const COL = { name: 0, total: 3, free: 4, user: 5, status: 8 };

// A cell of a /stats table by its row's first cell (null when no such row).
function cell(html, table, rowName, col) {
  const t = html.match(new RegExp(`<table class="data" id="${table}">([\\s\\S]*?)</table>`));
  if (!t) return null;
  const trs = [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
    .map((c) => c[1].replace(/<[^>]+>/g, '').trim()));
  const r = trs.find((x) => x[0] === rowName);
  return r ? r[col] : null;
}
const num = (html, table, rowName, col) => Number(cell(html, table, rowName, col) || 0);
const queueTotal = (html) => Number(html.match(/data-total="queue">(\d+)</)[1]);
// The month row of «Направления по месяцам» for a time (seconds).
const monthOf = (t) => {
  const d = new Date((t + 5 * 3600) * 1000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};

// Staff publish free places through the add form: «Сохранить», then «ОК».
async function addPlaces(c, data) {
  await c.get('/places/add');
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const ok = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(ok.status, 303, textOf(ok.text).slice(0, 400));
  return srv.sql(`SELECT max(id) AS id FROM free_place WHERE ddo_id = ${Number(data.ddo)}`)[0].id;
}

// Support edits an account's names in /admin/accounts/<id>.
async function rename(who, surname, name) {
  const id = fx.accountId(srv, who);
  const a = srv.sql(`SELECT patronymic, phone, email FROM account WHERE id = ${id}`)[0];
  await sup.get(`/admin/accounts/${id}`);
  const r = await sup.post(`/admin/accounts/${id}`, { surname, name, patronymic: a.patronymic || '', phone: a.phone || '',
    email: a.email || '' });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(srv.sql(`SELECT surname FROM account WHERE id = ${id}`)[0].surname, surname);
}

// Support edits a DDO in /admin/ddo/<id>: its saved data with some changed.
async function editDdo(id, change) {
  const d = srv.sql(`SELECT * FROM ddo WHERE id = ${Number(id)}`)[0];
  await sup.get(`/admin/ddo/${id}`);
  const r = await sup.post(`/admin/ddo/${id}`, {
    name_kk: d.name_kk, name_ru: d.name_ru, address: d.address, phone: d.phone, website: d.website || '', kind: d.kind,
    owner_iin: d.owner_iin, owner_phone: d.owner_phone, owner_email: d.owner_email, district: d.district_id,
    bin: d.bin || '', capacity: d.capacity, active: '1', ...change,
  });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
}

// ---------------------------------------------------------------- account

// A record published by a staff member, and the account's name as the
// «Пользователь» column shows it (surname and initials).
function placeOf(who, D, count) {
  return addPlaces(person(who, D), { ddo: fx.ddoOf(srv, who), language: 'en', year: year - 5, count });
}
const masked = (surname, name, patronymic) => `${surname} ${name[0]}. ${patronymic[0]}.`;

test('a staff member renamed by support shows by the new name in the «Пользователь» column of staff\'s /places at once', async () => {
  const D = 1110;
  const place = await placeOf('staff2', D, 9);
  const s2 = person('staff2', D);
  const viewer = person('staff1', D);   // another staff member: a personal page too
  const old = masked(P.staff2.surname, P.staff2.name, P.staff2.patronymic);
  await each(viewer, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], old, w));
  await each(s2, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], old, w));
  await rename('staff2', 'САРСЕНОВА', 'ГУЛЬНАР');
  const now = masked('САРСЕНОВА', 'ГУЛЬНАР', P.staff2.patronymic);
  await each(viewer, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], now, `staff1's page: ${w}`));
  await each(s2, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], now, `staff2's own page: ${w}`));
});

test('a staff member renamed by support shows by the new name in the «Пользователь» column of the anonymous /places', async () => {
  const D = 1110;
  const place = await placeOf('staff1', D, 7);
  const a = srv.sql(`SELECT surname, name, patronymic FROM account WHERE iin = '${P.staff1.iin}'`)[0];
  const old = masked(a.surname, a.name, a.patronymic);
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], old, w));
  await rename('staff1', 'ЕРМЕКОВА', 'САУЛЕ');
  await settle();
  const now = masked('ЕРМЕКОВА', 'САУЛЕ', a.patronymic);
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.user], now, `anonymous: ${w}`));
});

// The «Пользователь» filter box: the new name finds the record, the old no longer does.
async function filterCase(who, viewerOf, surname, name, settleFirst) {
  const D = 1110;
  const place = await placeOf(who, D, 8);
  const before = srv.sql(`SELECT surname FROM account WHERE iin = '${P[who].iin}'`)[0].surname.toLowerCase();
  const byOld = `/places?f_user=${encodeURIComponent(before)}`;
  const byNew = `/places?f_user=${encodeURIComponent(surname.toLowerCase())}`;
  const viewer = viewerOf();
  await each(viewer, byOld, (r, w) => assert.ok(ids(r.text).includes(place), w));
  await each(viewer, byNew, (r, w) => assert.ok(!ids(r.text).includes(place), w));
  await rename(who, surname, name);
  if (settleFirst) await settle();
  const c = viewerOf();
  await each(c, byNew, (r, w) => assert.ok(ids(r.text).includes(place), `the new name: ${w}`));
  await each(c, byOld, (r, w) => assert.ok(!ids(r.text).includes(place), `the old name: ${w}`));
}

test('the «Пользователь» filter of staff\'s /places finds a renamed staff member by the new name at once', async () => {
  await filterCase('staff2', () => person('staff1', 1110), 'ТЕМИРОВА', 'ДИНАРА', false);
});

test('the «Пользователь» filter of the anonymous /places finds a renamed staff member by the new name', async () => {
  await filterCase('staff1', () => anon(1110), 'КАИРОВА', 'АЙГУЛЬ', true);
});

// ---------------------------------------------------------------- DDO

test('a DDO renamed by support shows its new name on /places, and the name filter finds it', async () => {
  const D = 1166;
  const ddo = fx.ddoOf(srv, 'staff3');
  const place = fx.freePlace(srv, { ddo, groupYear: year - 3, total: 4, staff: 'staff3', createdAt: srv.now() - 60 });
  const oldName = srv.sql(`SELECT name_ru FROM ddo WHERE id = ${ddo}`)[0].name_ru;
  const newName = 'Ясли-сад «Жаңа Өркен»';
  const byName = `/places?f_name=${encodeURIComponent('жаңа өркен')}`;
  const viewer = person('staff3', D);
  for (const c of [anon(D), viewer]) {
    await each(c, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.name], oldName, w));
    await each(c, byName, (r, w) => assert.ok(!ids(r.text).includes(place), w));
  }
  await editDdo(ddo, { name_ru: newName });
  await each(viewer, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.name], newName, `staff3's page: ${w}`));
  await each(viewer, byName, (r, w) => assert.ok(ids(r.text).includes(place), `staff3's page, the filter: ${w}`));
  await settle();
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.name], newName, `anonymous: ${w}`));
  await each(anon(D), byName, (r, w) => assert.ok(ids(r.text).includes(place), `anonymous, the filter: ${w}`));
});

test('a DDO\'s capacity changed by support shows in the DDOs by kind of /stats', async () => {
  const D = 1134;
  const ddo = fx.ddoInDistrict(srv, D, 'state');
  const label = 'Государственные детские сады (ГДС)';
  const url = `/stats?d=${D}`;
  const was = await each(anon(), url);
  const cap = num(was.text, 't-ddo', label, 2);
  const total = num(was.text, 't-ddo', 'Итого', 2);
  const region = num((await each(anon(), '/stats?d=all')).text, 't-ddo', 'Итого', 2);
  const capacity = srv.sql(`SELECT capacity FROM ddo WHERE id = ${ddo}`)[0].capacity;
  await editDdo(ddo, { capacity: capacity + 17 });
  await settle();
  await each(anon(), url, (r, w) => {
    assert.strictEqual(num(r.text, 't-ddo', label, 2), cap + 17, w);
    assert.strictEqual(num(r.text, 't-ddo', 'Итого', 2), total + 17, w);
  });
  await each(anon(), '/stats?d=all', (r, w) => assert.strictEqual(num(r.text, 't-ddo', 'Итого', 2), region + 17, w));
});

// ---------------------------------------------------------------- free places

test('free places added by staff show on /places (anonymous and staff) and in the places of /stats', async () => {
  const D = 1110;
  const s1 = person('staff1', D);
  const viewer = person('staff2', D);
  const url = `/stats?d=${D}`;
  await each(anon(D), '/places');
  await each(s1, '/places');
  await each(viewer, '/places');
  const was = await each(anon(), url);
  const waiting = [1, 2, 3].map((i) => num(was.text, 't-places', 'Ожидает', i));
  const region = num((await each(anon(), '/stats?d=all')).text, 't-places', 'Итого', 2);
  const place = await addPlaces(s1, { ddo: fx.ddoOf(srv, 'staff1'), language: 'kk', year: year - 4, count: 6 });
  await each(s1, '/places', (r, w) => {
    const x = row(r.text, place, `staff1's page: ${w}`);
    assert.ok(x.mine, w);
    assert.deepStrictEqual([x.cells[COL.total], x.cells[COL.free]], ['6', '6'], w);
  });
  await each(viewer, '/places', (r, w) => assert.ok(!row(r.text, place, `staff2's page: ${w}`).mine, w));
  await settle();
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, `anonymous: ${w}`).cells[COL.free], '6', w));
  await each(anon(), url, (r, w) => assert.deepStrictEqual([1, 2, 3].map((i) => num(r.text, 't-places', 'Ожидает', i)),
    [waiting[0] + 1, waiting[1] + 6, waiting[2] + 6], w));
  await each(anon(), '/stats?d=all', (r, w) => assert.strictEqual(num(r.text, 't-places', 'Итого', 2), region + 6, w));
});

// ---------------------------------------------------------------- referrals

test('a place a citizen takes lowers the free count on /places and shows in /stats (free places, referrals issued)', async () => {
  const D = 1164;
  const g = { groupYear: year - 3, language: 'ru' };
  const ddo = fx.ddoInDistrict(srv, D, 'state');
  // In free choice (its priority window ended an hour ago): anyone may take it.
  const place = fx.freePlace(srv, { ddo, ...g, total: 3, createdAt: srv.now() - 7200 });
  const app = fx.application(srv, { parent: 'parent1', district: D, ...g });
  const c = person('parent1', D);
  const url = `/stats?d=${D}`;
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '3', w));
  await each(c, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '3', w));
  const was = await each(anon(), url);
  const free = num(was.text, 't-places', 'В свободном выборе', 3);
  const issued = num(was.text, 't-referrals', monthOf(srv.now()), 1);
  await c.get(`/places/choose?application=${app.id}`);
  const took = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(took.status, 303, textOf(took.text).slice(0, 400));
  assert.match(took.location, /^\/places\/referral\/\d+$/);
  await each(c, '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '2', `the citizen's page: ${w}`));
  await settle();
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '2', `anonymous: ${w}`));
  await each(anon(), url, (r, w) => {
    assert.strictEqual(num(r.text, 't-places', 'В свободном выборе', 3), free - 1, w);
    assert.strictEqual(num(r.text, 't-referrals', monthOf(srv.now()), 1), issued + 1, w);
  });
});

test('a referral annulled at its deadline by `kgctl tick` gives its place back on /places and shows in /stats', async () => {
  const D = 1136;
  const g = { groupYear: year - 2, language: 'kk' };
  const ddo = fx.ddoInDistrict(srv, D, 'state');
  const place = fx.freePlace(srv, { ddo, ...g, total: 2, createdAt: srv.now() - 7200 });
  const app = fx.application(srv, { parent: 'parent2', district: D, ...g });
  // The deadline is still ahead for the screens (they annul what they read
  // past it); the timed job is run as if a minute after it.
  const deadline = srv.now() + 60;
  const ref = fx.referral(srv, { application: app.id, place, deadlineAt: deadline });
  const url = `/stats?d=${D}`;
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '1', w));
  const was = await each(anon(), url);
  const free = num(was.text, 't-places', 'В свободном выборе', 3);
  const annulled = num(was.text, 't-referrals', monthOf(deadline + 60), 4);
  srv.kgctl('tick', '--now', String(deadline + 60));
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'annulled');
  await settle();
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.free], '2', w));
  await each(anon(), url, (r, w) => {
    assert.strictEqual(num(r.text, 't-places', 'В свободном выборе', 3), free + 1, w);
    assert.strictEqual(num(r.text, 't-referrals', monthOf(deadline + 60), 4), annulled + 1, w);
  });
});

// ---------------------------------------------------------------- applications

test('an application a citizen registers in /queue counts at once in the queue of /stats', async () => {
  const D = 1132;
  const c = person('parent3', D);
  const url = `/stats?d=${D}`;
  const was = await each(anon(), url);
  const total = queueTotal(was.text);
  const ofYear = num(was.text, 't-queue-years', String(year - 3), 4);
  const ofLang = num(was.text, 't-queue-languages', 'русский', 4);
  const region = queueTotal((await each(anon(), '/stats?d=all')).text);
  await c.get('/queue');
  const r = await c.post('/queue', fx.gbdForForm(srv, c, {
    child_iin: fx.iin(`${year - 3}-05-17`, 'F', 7301), child_surname: 'Смагулова', child_name: 'Аружан', child_patronymic: '',
    phone: P.parent3.phone, email: '', district: String(D), language: 'ru', benefit: 'none', action: 'save',
  }));
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 600));
  await settle();
  await each(anon(), url, (x, w) => {
    assert.strictEqual(queueTotal(x.text), total + 1, w);
    assert.strictEqual(num(x.text, 't-queue-years', String(year - 3), 4), ofYear + 1, w);
    assert.strictEqual(num(x.text, 't-queue-languages', 'русский', 4), ofLang + 1, w);
  });
  await each(anon(), '/stats?d=all', (x, w) => assert.strictEqual(queueTotal(x.text), region + 1, w));
});

// ---------------------------------------------------------------- time

test('a priority window that ends moves its record to free choice on /places and /stats with no write', async () => {
  const D = 1138;
  const ddo = fx.ddoInDistrict(srv, D, 'state');
  const until = srv.now() + 2;
  const place = fx.freePlace(srv, { ddo, groupYear: year - 1, total: 2, createdAt: srv.now() - 60, windowUntil: until });
  const url = `/stats?d=${D}`;
  await each(anon(D), '/places', (r, w) => assert.match(row(r.text, place, w).cells[COL.status], /^Ожидает/, w));
  const was = await each(anon(), url);
  const waiting = num(was.text, 't-places', 'Ожидает', 1);
  const choice = num(was.text, 't-places', 'В свободном выборе', 1);
  assert.ok(waiting >= 1);
  // The window includes its last second; then the micro-cache's second.
  await sleep((until + 1 - srv.now()) * 1000 + 1200);
  await each(anon(D), '/places', (r, w) => assert.strictEqual(row(r.text, place, w).cells[COL.status], 'В свободном выборе', w));
  await each(anon(), url, (r, w) => {
    assert.strictEqual(num(r.text, 't-places', 'Ожидает', 1), waiting - 1, w);
    assert.strictEqual(num(r.text, 't-places', 'В свободном выборе', 1), choice + 1, w);
  });
});

// ---------------------------------------------------------------- query strings

// Someone's link with a query string of its own (a campaign tag, say) is
// followed often; later visitors of the plain address must not get the
// language links (or anything else) of that query.
async function neverCarries(c, url, tagged) {
  await each(c, tagged, () => {}, 12);   // both workers, each more than once
  await each(c, url, (r, w) => assert.doesNotMatch(r.text, /promo/, `${w} carries another request's query string`), 6);
}

test('/stats?d=… never carries the query string another request of the page had', async () => {
  const D = 1140;
  fx.application(srv, { district: D, groupYear: year - 2 });   // any change of the data
  await neverCarries(anon(), `/stats?d=${D}`, `/stats?d=${D}&promo=X`);
  const c = anon();
  c.cookies.set('lang', 'kk');
  await neverCarries(c, `/stats?d=${D}`, `/stats?d=${D}&promo=Y`);
});

test('the home page never carries the query string another request of it had', async () => {
  await neverCarries(anon(), '/', '/?promo=X');
  await neverCarries(anon(1170), '/', '/?promo=Z');
});

for (const [url, district] of [['/district/help', 0], ['/places', 1168], ['/queue/search', 0]]) {
  test(`${url} never carries the query string another request of it had`, async () => {
    await neverCarries(anon(district), url, `${url}?promo=X`);
  });
}

test('the programs logged no error', async () => {
  assert.doesNotMatch(srv.logs(), /\b(ERROR|error:)\b/);
});

run();
