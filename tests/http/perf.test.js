// The performance paths through nginx and the real programs: nginx keeps
// public pages for a second (conf/gen-web.sh), for the right visitor only
// and under the right key; work after the response waits for an idle
// moment but is done.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let ddoA;

before(async () => {
  srv = await Server.start({ workers: 1 });
  [ddoA] = fx.ddosOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

const anon = (cookies = {}) => srv.client({ cookies });

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
// The micro-cache keeps a page until the end of the second it was made in.
const VALIDITY_MS = 1200;

// Waits for the start of the next wall-clock second (nginx's validity is
// to the end of the second a page was made in): the requests that follow
// then share one second even on a loaded machine.
const nextSecond = () => sleep(1000 - (Date.now() % 1000) + 20);

test('nginx keeps an anonymous public page for a second: the same page, marked, for GET and HEAD', async () => {
  await sleep(VALIDITY_MS);
  await nextSecond();
  // Kept from its second request on (a URL asked once is never stored).
  const first = await anon().get('/');
  const second = await anon().get('/');
  const third = await anon().get('/');
  assert.strictEqual(first.status, 200);
  assert.notStrictEqual(first.headers['x-cache'], 'HIT');    // MISS, or EXPIRED for an old copy
  assert.notStrictEqual(second.headers['x-cache'], 'HIT');
  assert.strictEqual(third.headers['x-cache'], 'HIT');
  assert.strictEqual(third.text, first.text);
  for (const r of [first, third]) {
    assert.match(r.headers['content-security-policy'], /default-src 'self'; script-src 'self'/);
    assert.strictEqual(r.headers['x-frame-options'], 'DENY');
    assert.strictEqual(r.headers['cache-control'], 'public, s-maxage=1');
    assert.match(r.headers.vary, /Cookie/);
    assert.strictEqual(r.headers['x-accel-expires'], undefined, 'nginx keeps its own header');
  }
  const head = await anon().get('/', { method: 'HEAD' });
  assert.strictEqual(head.status, 200);
  assert.strictEqual(head.body.length, 0);
  // A page that is not public is never kept, nor marked.
  const login = await anon().get('/login');
  assert.strictEqual(login.headers['cache-control'], 'no-store');
  assert.notStrictEqual((await anon().get('/login')).headers['x-cache'], 'HIT');
});

test('the key is the whole URL with its query string, the language and the district', async () => {
  await sleep(VALIDITY_MS);
  const ru = await anon().get('/');
  const kk = await anon({ lang: 'kk' }).get('/');
  assert.match(kk.text, /<html lang="kk">/);
  assert.match(ru.text, /<html lang="ru">/);
  const d = await anon({ district: '1110' }).get('/');
  assert.match(textOf(d.text), /Кокшетау/);
  assert.doesNotMatch(textOf((await anon().get('/')).text), /Район: Кокшетау|Кокшетау.*Сменить/);
  // Another query string is another page: its links never reach this one.
  await anon().get('/stats?d=1110&promo=X');
  await anon().get('/stats?d=1110&promo=X');
  const plain = await anon().get('/stats?d=1110');
  assert.doesNotMatch(plain.text, /promo/);
  // ?lang=kk switches the language (a redirect with the cookie), never kept.
  const sw = await anon().get('/?lang=kk');
  assert.strictEqual(sw.status, 303);
  assert.match(sw.headers['set-cookie'].join(';'), /lang=kk/);
});

test('a session, an expired session or a flash message always reach the program', async () => {
  await anon().get('/');
  const cached = await anon().get('/');
  const c = srv.client();
  srv.login(c, 'parent1');
  const mine = await c.get('/');
  assert.strictEqual(mine.headers['x-cache'], 'BYPASS');
  assert.strictEqual(mine.headers['cache-control'], 'no-store');
  assert.notStrictEqual(mine.text, cached.text);
  assert.match(mine.text, /action="\/logout"/);
  // A session that no longer exists: told so, cookie cleared.
  const g = await anon({ kg_sid: 'A'.repeat(43) }).get('/');
  assert.strictEqual(g.headers['x-cache'], 'BYPASS');
  assert.match(g.headers['set-cookie'].join(';'), /kg_sid=x; Path=\/; Max-Age=0/);
  // A flash message is shown once, and cleared.
  const f = await anon({ kg_flash: 'district_set' }).get('/');
  assert.match(f.text, /class="flash"/);
  assert.match(f.headers['set-cookie'].join(';'), /kg_flash=x/);
  // Other cookies share the anonymous page.
  const odd = await anon({ other: 'a=b' }).get('/');
  assert.strictEqual(odd.text, cached.text);
});

test('a public list of places shows a new record and the end of a priority window within a second', async () => {
  const now = srv.now();
  const c = () => anon({ district: '1110' });
  await c().get('/places');
  const id = fx.freePlace(srv, { ddo: ddoA, groupYear: 2022, language: 'kk', total: 3, createdAt: now - 60, windowUntil: now + 3600 });
  await sleep(VALIDITY_MS);
  const added = await c().get('/places');
  const row = (page) => page.text.match(new RegExp(`<tr[^>]*data-id="${id}">([\\s\\S]*?)</tr>`));
  assert.ok(row(added), 'the new record is listed');
  assert.match(textOf(row(added)[1]), /Ожидает/);
  // The window ends: no write happens, yet the next page says free choice.
  srv.advanceClock(3601);
  await sleep(VALIDITY_MS);
  assert.match(textOf(row(await c().get('/places'))[1]), /В свободном выборе/);
});

test('work after the response and the notification outbox are done once the worker is idle', async () => {
  const g = { groupYear: new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 4, language: 'en' };
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = srv.client();
  srv.login(c, 'parent1');
  const smsBefore = srv.sms().length;
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303);
  // Within moments: the PDF and the SMS, made after the response.
  let doc = [];
  for (let i = 0; i < 100 && !doc.length; i++) {
    doc = srv.sql(`SELECT d.id FROM document d JOIN referral f ON f.id = d.referral_id WHERE f.application_id = ${app.id} AND d.kind = 'referral'`);
    if (!doc.length) await new Promise((res) => setTimeout(res, 50));
  }
  assert.strictEqual(doc.length, 1);
  for (let i = 0; i < 100 && srv.sms().length === smsBefore; i++) await new Promise((res) => setTimeout(res, 50));
  assert.ok(srv.sms().length > smsBefore, 'the referral SMS was sent');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM notification WHERE application_id = ${app.id} AND sent_at IS NULL`)[0].n, 0);
});

run();
