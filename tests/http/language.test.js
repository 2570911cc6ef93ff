// The person's language through nginx and the real programs: a first visit
// follows Accept-Language (and the page cache keeps a copy per language),
// the choice is kept with the account and wins after login, the SMS to a
// parent are in the parent's language whatever the group's; and a page asked
// with a session that ended says so, with a login that comes back to it.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

const P = Server.persons();
const PASSWORD = 'demo-kg-2026';
let srv;
let year;
before(async () => {
  srv = await Server.start();
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const langOf = (r) => (r.text.match(/<html lang="(\w+)">/) || [])[1];
const acctLang = (who) => one(`SELECT lang FROM account WHERE id = ${fx.accountId(srv, who)}`).lang;
const visitor = (al, cookies = {}) => {
  const c = srv.client({ cookies });
  return { get: (path) => c.get(path, { headers: al === null ? {} : { 'Accept-Language': al } }), c };
};

async function passwordLogin(c, who, next, headers = {}) {
  srv.sql('DELETE FROM rate_event');
  await c.get('/login?tab=iin', { headers });
  return c.post('/login/password', { iin: P[who].iin, password: PASSWORD, ...(next ? { next } : {}) }, { headers });
}

// ------------------------------------------------------------ Accept-Language

test('a first visit follows Accept-Language (kk or ru, by q-value); anything else is App.DefaultLang', async () => {
  const cases = [
    ['kk', 'kk'], ['kk-KZ,ru;q=0.5', 'kk'], ['ru', 'ru'], ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'], ['en', 'ru'],
    ['en-US,en;q=0.9,kk;q=0.8,ru;q=0.7', 'kk'], ['ru;q=0.4,kk;q=0.6', 'kk'], ['kk;q=0,ru;q=0.1', 'ru'], [null, 'ru'],
  ];
  for (const [al, want] of cases) {
    const r = await visitor(al).get('/login');
    assert.strictEqual(r.status, 200);
    assert.strictEqual(langOf(r), want, `Accept-Language: ${al}`);
  }
  const kk = await visitor('kk').get('/login');
  assert.match(textOf(kk.text), /Кіру/);
});

test('a lang cookie wins over Accept-Language', async () => {
  assert.strictEqual(langOf(await visitor('kk', { lang: 'ru' }).get('/login')), 'ru');
  assert.strictEqual(langOf(await visitor('ru', { lang: 'kk' }).get('/login')), 'kk');
  // A cookie that names no language of the site is no choice.
  assert.strictEqual(langOf(await visitor('kk', { lang: 'en' }).get('/login')), 'kk');
});

test('the page cache keeps a copy per language: another Accept-Language is never served a cached page', async () => {
  await sleep(1200);
  const kk = [];
  for (let i = 0; i < 3; i++) kk.push(await visitor('kk-KZ,kk;q=0.9').get('/'));
  for (const r of kk) assert.strictEqual(langOf(r), 'kk');
  assert.strictEqual(kk[2].headers['x-cache'], 'HIT', 'the page is kept (the test would prove nothing otherwise)');
  assert.match(kk[0].headers.vary, /Accept-Language/);
  for (const [al, want] of [['ru', 'ru'], ['en', 'ru'], ['ru', 'ru'], ['ru;q=0.5,kk', 'kk'], ['kk', 'kk'], [null, 'ru'], ['kk;q=0', 'ru']]) {
    const r = await visitor(al).get('/');
    assert.strictEqual(langOf(r), want, `Accept-Language: ${al} (X-Cache ${r.headers['x-cache']})`);
  }
  // With a lang cookie the header does not matter, and the page says so.
  const cookie = await visitor('kk', { lang: 'ru' }).get('/');
  assert.strictEqual(langOf(cookie), 'ru');
  assert.doesNotMatch(cookie.headers.vary, /Accept-Language/);
});

test('Apache\'s page cache keeps a copy per Accept-Language (Vary)', async () => {
  const base = await srv.startApache();
  const { Client } = require('../lib/client');
  const get = (al) => new Client(base).get('/stats', { headers: { 'Accept-Language': al } });
  const kk = [await get('kk'), await get('kk'), await get('kk')];
  for (const r of kk) assert.strictEqual(langOf(r), 'kk');
  assert.ok(kk.some((r) => /HIT/.test(String(r.headers['x-cache']))), 'the page is kept (the test would prove nothing otherwise)');
  assert.strictEqual(langOf(await get('ru')), 'ru');
  assert.strictEqual(langOf(await get('en')), 'ru');
});

// ------------------------------------------------------------ the account's language

test('the language is kept with the account: at login from the page, on a switch, and it wins after login', async () => {
  srv.sql(`UPDATE account SET lang = '' WHERE id = ${fx.accountId(srv, 'staff1')}`);
  const a = srv.client();
  const r = await passwordLogin(a, 'staff1', '/cabinet', { 'Accept-Language': 'kk' });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(acctLang('staff1'), 'kk', 'kept at login from the page\'s language');
  // Another browser, with a Russian cookie: at login the account's language
  // wins, and the cookie follows it.
  const b = srv.client({ cookies: { lang: 'ru' } });
  assert.strictEqual((await passwordLogin(b, 'staff1', '/cabinet')).status, 303);
  assert.strictEqual(b.cookies.get('lang'), 'kk');
  assert.strictEqual(langOf(await b.get('/cabinet')), 'kk');
  assert.strictEqual(acctLang('staff1'), 'kk');
  // A switch while logged in changes the account: the next login is Russian.
  const s = await b.get('/cabinet?lang=ru');
  assert.strictEqual(s.status, 303);
  assert.strictEqual(acctLang('staff1'), 'ru');
  const c = srv.client({ cookies: { lang: 'kk' } });
  assert.strictEqual((await passwordLogin(c, 'staff1', '/cabinet')).status, 303);
  assert.strictEqual(langOf(await c.get('/cabinet')), 'ru');
});

// ------------------------------------------------------------ SMS

// parent1 uses Russian, parent2 Kazakh (switched on the site while logged in).
async function speaker(who, lang) {
  const c = srv.client();
  srv.login(c, who);
  assert.strictEqual((await c.get(`/?lang=${lang}`)).status, 303);
  assert.strictEqual(acctLang(who), lang);
  return c;
}
const notification = (app, kind) => srv.sql(`SELECT text FROM notification WHERE application_id = ${app} AND kind = '${kind}' ORDER BY id DESC`)[0];

test('the referral SMS is in the parent\'s language, not the group\'s', async () => {
  const [ddo] = fx.ddosOf(srv, 'staff1');
  const ru = await speaker('parent1', 'ru');
  const kkGroup = { groupYear: year - 6, language: 'kk' };
  const place1 = fx.freePlace(srv, { ddo, ...kkGroup, total: 1 });
  const app1 = fx.application(srv, { parent: 'parent1', ...kkGroup });
  const r1 = await ru.post('/places/choose', { application: app1.id, place: place1 });
  assert.strictEqual(r1.status, 303, textOf(r1.text).slice(0, 300));
  assert.match(notification(app1.id, 'referral').text, /^AKMOLA\.KZ: выдано направление №/);

  const kk = await speaker('parent2', 'kk');
  const ruGroup = { groupYear: year - 6, language: 'ru' };
  const place2 = fx.freePlace(srv, { ddo, ...ruGroup, total: 1 });
  const app2 = fx.application(srv, { parent: 'parent2', ...ruGroup });
  const r2 = await kk.post('/places/choose', { application: app2.id, place: place2 });
  assert.strictEqual(r2.status, 303, textOf(r2.text).slice(0, 300));
  assert.match(notification(app2.id, 'referral').text, /жолдама берілді/);
});

test('the offer and annulment SMS (timed jobs) are in the parent\'s language', async () => {
  const [ddo] = fx.ddosOf(srv, 'staff1');
  await speaker('parent1', 'ru');
  const g = { groupYear: year - 7, language: 'kk' };
  const app = fx.application(srv, { parent: 'parent1', ...g });
  fx.freePlace(srv, { ddo, ...g, total: 1, createdAt: srv.now() - 60, windowUntil: srv.now() + 3600 });
  srv.kgctl('tick');
  assert.match(notification(app.id, 'offer').text, /предложено место/);

  const g2 = { groupYear: year - 1, language: 'kk' };
  const app2 = fx.application(srv, { parent: 'parent1', ...g2 });
  const place = fx.freePlace(srv, { ddo, ...g2, total: 1 });
  fx.referral(srv, { application: app2.id, place, issuedAt: srv.now() - 10 * 86400, deadlineAt: srv.now() - 60 });
  srv.kgctl('tick');
  assert.match(notification(app2.id, 'annulled').text, /аннулировано/);
});

// ------------------------------------------------------------ an ended session

test('a public page asked with a session that ended by idleness says so, and the login returns to it', async () => {
  const c = srv.client();
  srv.login(c, 'staff1');
  const fine = await c.get('/places');
  assert.doesNotMatch(fine.text, /session-ended/);
  srv.advanceClock(31 * 60);
  try {
    const r = await c.get('/places');
    assert.strictEqual(r.status, 200);
    const t = textOf(r.text);
    assert.match(t, /Сеанс завершен из-за долгого бездействия: на сайте не было ваших действий 30 мин\. Войдите снова — откроется та же страница\. Войти снова/);
    assert.match(r.text, /<a href="\/login\?next=%2Fplaces&amp;expired=1">Войти снова<\/a>/);
    assert.strictEqual(r.headers['cache-control'], 'no-store');
    // Once told, the cookie is gone: the next page is a visitor's.
    assert.doesNotMatch((await c.get('/places')).text, /session-ended/);
    const login = await c.get('/login?next=%2Fplaces&expired=1');
    assert.match(textOf(login.text), /не было ваших действий 30 мин\./);
    const back = await passwordLogin(c, 'staff1', '/places');
    assert.strictEqual(back.status, 303);
    assert.strictEqual(back.location, '/places');
  } finally {
    srv.advanceClock(-31 * 60);
  }
});

test('a session past Session.MaxHours, in Kazakh: the page and the login say why; a staff page goes to the login', async () => {
  const c = srv.client({ cookies: { lang: 'kk' } });
  srv.login(c, 'staff1');
  srv.sql(`UPDATE account SET lang = '' WHERE id = ${fx.accountId(srv, 'staff1')}`);
  srv.sql(`UPDATE session SET expires_at = ${srv.now() - 1} WHERE csrf = '${c.csrf}'`);
  const r = await c.get('/stats');
  assert.match(textOf(r.text), /Сеанс аяқталды: жүйеге кіргеннен бері 12 сағат өтті/);
  assert.match(r.text, /href="\/login\?next=%2Fstats&amp;expired=2">Қайта кіру<\/a>/);
  const d = srv.client();
  srv.login(d, 'staff1');
  srv.sql(`UPDATE session SET expires_at = ${srv.now() - 1} WHERE csrf = '${d.csrf}'`);
  const staffPage = await d.get('/cabinet');
  assert.strictEqual(staffPage.location, '/login?next=%2Fcabinet&expired=2');
  assert.match(textOf((await d.get(staffPage.location)).text), /Сеанс завершен: с момента входа прошло 12 ч/);
});

test('a visitor is not told of a session: no cookie, or their own (anonymous) one expired; an unknown cookie is told plainly', async () => {
  assert.doesNotMatch((await srv.client().get('/places')).text, /session-ended/);
  const v = srv.client();
  await v.get('/district');
  assert.ok(v.cookies.get('kg_sid'), 'an anonymous session for the form');
  srv.advanceClock(3 * 3600);
  try {
    assert.doesNotMatch((await v.get('/places')).text, /session-ended/);
  } finally {
    srv.advanceClock(-3 * 3600);
  }
  const gone = srv.client({ cookies: { kg_sid: 'y'.repeat(43) } });
  const g = await gone.get('/places');
  assert.match(textOf(g.text), /Сеанс завершен\. Если вы входили в систему, войдите снова/);
});

test('a logged-in session that ended stays a day for its message; kgctl tick purges it then', async () => {
  const c = srv.client();
  srv.login(c, 'parent3');
  const id = () => srv.sql(`SELECT count(*) AS n FROM session WHERE csrf = '${c.csrf}'`)[0].n;
  srv.kgctl('tick', '--now', String(srv.now() + 3600));
  assert.strictEqual(id(), 1, 'an hour after its end the row stays');
  srv.kgctl('tick', '--now', String(srv.now() + 2 * 86400));
  assert.strictEqual(id(), 0);
});

run();
