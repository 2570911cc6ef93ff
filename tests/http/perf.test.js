// The request loop's performance paths through nginx and the real
// programs: the early answer of cached public pages (before ClearSilver
// parses the request, before any session or handler) gives exactly what the
// handler gives, for the right visitor only, and only while the data and
// the clock say the page is current; the page cache is compressed and
// bounded; the reads of a request share one transaction; work after the
// response waits for an idle moment but is done.
'use strict';

const assert = require('assert');
const zlib = require('zlib');
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
const gz = { headers: { 'Accept-Encoding': 'gzip' } };

test('a cached page answered early is the page the handler renders, compressed or not, GET or HEAD', async () => {
  const first = await anon().get('/');
  const second = await anon().get('/');
  const third = await anon().get('/');
  assert.strictEqual(first.status, 200);
  assert.strictEqual(second.text, first.text);
  assert.strictEqual(third.text, first.text);
  // Compressed for a client that accepts it, and the same page inside.
  const z = await anon().get('/', gz);
  assert.strictEqual(z.headers['content-encoding'], 'gzip');
  assert.strictEqual(zlib.gunzipSync(z.body).toString('utf8'), first.text);
  assert.strictEqual(third.headers['content-encoding'], undefined);
  // Kept as made until a client that accepts gzip asks (view.c): the plain
  // page afterwards comes from the compressed copy, the same again.
  const fourth = await anon().get('/');
  assert.strictEqual(fourth.text, first.text);
  assert.strictEqual((await anon().get('/', gz)).body.compare(z.body), 0);
  // Every security header is there, as on any response.
  for (const r of [first, third, z]) {
    assert.match(r.headers['content-security-policy'], /default-src 'self'; script-src 'self'/);
    assert.strictEqual(r.headers['x-frame-options'], 'DENY');
    assert.strictEqual(r.headers['x-content-type-options'], 'nosniff');
    assert.strictEqual(r.headers['cache-control'], 'no-cache');
    assert.match(r.headers.vary, /Cookie/);
  }
  const head = await anon().get('/', { method: 'HEAD' });
  assert.strictEqual(head.status, 200);
  assert.strictEqual(head.body.length, 0);
  assert.strictEqual(Number(head.headers['content-length']), Buffer.byteLength(first.text));
});

test('the early answer follows the language and district cookies, and never answers a ?lang= switch', async () => {
  const ru = await anon().get('/');
  await anon({ lang: 'kk' }).get('/');
  const kk = await anon({ lang: 'kk' }).get('/');
  assert.match(kk.text, /<html lang="kk">/);
  assert.match(ru.text, /<html lang="ru">/);
  await anon({ district: '1110' }).get('/');
  const d = await anon({ district: '1110' }).get('/');
  assert.match(textOf(d.text), /Кокшетау/);
  assert.doesNotMatch(textOf(ru.text), /Район: Кокшетау|Кокшетау.*Сменить/);
  // A district cookie that names no district is ignored, as the handler does.
  const bad = await anon({ district: '9999' }).get('/');
  assert.strictEqual(bad.text, ru.text);
  // ?lang=kk switches the language (a redirect with the cookie), even for a cached page.
  const c = anon();
  const sw = await c.get('/?lang=kk');
  assert.strictEqual(sw.status, 303);
  assert.strictEqual(sw.location, '/');
  assert.match(sw.headers['set-cookie'].join(';'), /lang=kk/);
});

test('no early answer for a session, an expired session or a flash message', async () => {
  await anon().get('/');
  const cached = await anon().get('/');
  // Logged in: the page names the person.
  const c = srv.client();
  srv.login(c, 'parent1');
  const mine = await c.get('/');
  assert.strictEqual(mine.status, 200);
  assert.notStrictEqual(mine.text, cached.text);
  assert.match(mine.text, /action="\/logout"/);
  // A session that no longer exists: told so, cookie cleared.
  const gone = anon({ kg_sid: 'A'.repeat(43) });
  const g = await gone.get('/');
  assert.match(g.headers['set-cookie'].join(';'), /kg_sid=x; Path=\/; Max-Age=0/);
  // A flash message is shown once, and cleared.
  const f = anon({ kg_flash: 'district_set' });
  const withFlash = await f.get('/');
  assert.match(withFlash.text, /class="flash"/);
  assert.match(withFlash.headers['set-cookie'].join(';'), /kg_flash=x/);
  // Anything not plain in the cookies takes the whole way, with the same page.
  const odd = await anon({ other: 'a=b' }).get('/');
  assert.strictEqual(odd.text, cached.text);
});

test('a cached list of places changes as soon as a record is added, and when a priority window ends', async () => {
  const now = srv.now();
  const c = () => anon({ district: '1110' });
  const before1 = await c().get('/places');
  await c().get('/places');
  assert.strictEqual((await c().get('/places')).text, before1.text);
  // A record in its priority window for another hour.
  const id = fx.freePlace(srv, { ddo: ddoA, groupYear: 2022, language: 'kk', total: 3, createdAt: now - 60, windowUntil: now + 3600 });
  const added = await c().get('/places');
  const row = () => added.text.match(new RegExp(`<tr[^>]*data-id="${id}">([\\s\\S]*?)</tr>`));
  assert.ok(row(), 'the new record is listed at once');
  assert.match(textOf(row()[1]), /Ожидает/);
  await c().get('/places');
  const kept = await c().get('/places');
  assert.strictEqual(kept.text, added.text);
  // The window ends: no write happens, yet the page (kept or not) says free choice.
  srv.advanceClock(3601);
  const later = await c().get('/places');
  const r2 = later.text.match(new RegExp(`<tr[^>]*data-id="${id}">([\\s\\S]*?)</tr>`));
  assert.match(textOf(r2[1]), /В свободном выборе/);
});

test('the statistics kept in memory change when an application is added', async () => {
  const page = () => anon().get('/stats?d=1166');
  await page();
  const a = await page();
  const b = await page();
  assert.strictEqual(a.text, b.text);
  fx.application(srv, { district: 1166, groupYear: 2022, language: 'en' });
  const c = await page();
  assert.notStrictEqual(c.text, a.text);
});

// Resident memory (KB) of the places program's worker (one worker here).
function placesRss() {
  const fs = require('fs');
  const parent = fs.readFileSync(`${srv.dir}/run/places.pid`, 'utf8').trim();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      if (stat[1] !== parent) continue;
      return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m)[1]);
    } catch (_) { /* gone meanwhile */ }
  }
  throw new Error('no places worker');
}

test('the page cache keeps many different pages within its bound, and serves each the same', async () => {
  // Four hundred different filters, each asked twice (kept the second time):
  // far more than View.CacheKB holds, so the oldest go.
  const c = anon({ district: '1110' });
  for (let i = 0; i < 40; i++) {
    await c.get(`/places?f_total=${i}`);
    await c.get(`/places?f_total=${i}`);
  }
  const rss0 = placesRss();
  for (let i = 40; i < 400; i++) {
    await c.get(`/places?f_total=${i}`);
    await c.get(`/places?f_total=${i}`);
  }
  const rss1 = placesRss();
  assert.ok(rss1 - rss0 < 2048, `the worker grew by ${rss1 - rss0} KB over 720 pages`);
  const a = await c.get('/places?f_total=3');
  const b = await c.get('/places?f_total=3');
  assert.strictEqual(a.status, 200);
  assert.strictEqual(a.text, b.text);
  assert.doesNotMatch(srv.logs(), /out of memory|transaction was left open|read transaction failed/);
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
