// The distribution protocol of a free-place record (issue 18 item 3,
// lib/domain/protocol.h) through nginx and the real programs: a record's
// protocol tells, in order, the offers it made (with the category and the
// queue position each applicant held when offered), a decline passing the
// place on, an acceptance and its referral, a lapse at the window's end, a
// place taken in free choice and a referral annulled; the public page
// shows no name, no full IIN and no legal ground; the CSV and the JSON say
// what the page says; the places base links each record to it; a
// district's month comes in one CSV.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let ddo;
let district;
let year;
let rec;
let apps;

before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 50' });
  [ddo] = fx.ddosOf(srv, 'staff1');
  district = srv.sql(`SELECT district_id AS d FROM ddo WHERE id = ${ddo}`)[0].d;
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 2;
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }

async function save(data) {
  const c = as('staff1');
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id, window_until FROM free_place WHERE ddo_id = ${ddo} ORDER BY id DESC LIMIT 1`);
}

// The events of the protocol page, in order: [event, offerNo, number, category, position, time].
function pageEvents(html) {
  const rows = [...html.matchAll(/<tr data-event="([a-z_]+)">([\s\S]*?)<\/tr>/g)];
  return rows.map(([, ev, body]) => {
    const cells = [...body.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].trim());
    const cat = body.match(/data-category="([a-z_]+)"/)[1];
    // «—»: no offer number (free choice) or no position known.
    return [ev, cells[3] === '—' ? '' : cells[3], cells[4], cat, cells[6] === '—' ? '' : cells[6], cells[1]];
  });
}

const mask = (n) => n.replace(/^(UO\.\d{4}\.)\d{4}(\d\d\.\d+)$/, '$1****$2');

// Four applicants of one key, in the queue order of the search: a
// first-priority one (with a legal ground) ahead of three ordinary ones.
test('the story of a record: offers in order, a decline passing on, an acceptance, a lapse, free choice', async () => {
  const t0 = srv.now() - 20 * 86400;
  const g = { groupYear: year, language: 'ru', district };
  apps = [
    fx.application(srv, { ...g, benefit: 'none', queuedAt: t0, surname: 'ЗАГАДКИНА' }),
    fx.application(srv, { ...g, benefit: 'first_priority', benefitGround: 'large_family', queuedAt: t0 + 100, surname: 'ЗАГАДКИНА' }),
    fx.application(srv, { ...g, benefit: 'none', queuedAt: t0 + 200, surname: 'ЗАГАДКИНА' }),
    fx.application(srv, { ...g, benefit: 'none', queuedAt: t0 + 300, surname: 'ЗАГАДКИНА' }),
  ];
  const [a1, a2, a3, a4] = apps;
  rec = await save({ ddo, language: 'ru', year, count: 2 });
  // Offered: the first-priority applicant (position 1), then the first ordinary one (position 2).
  const offers = srv.sql(`SELECT application_id AS app, category, position FROM offer WHERE place_id = ${rec.id} ORDER BY id`);
  assert.deepStrictEqual(offers, [
    { app: a2.id, category: 'first_priority', position: 1 },
    { app: a1.id, category: 'none', position: 2 },
  ]);
  // The first-priority applicant declines an hour later: the place passes
  // at once (the same second) to the next ordinary one.
  srv.advanceClock(3600);
  const p = as('parent1');
  assert.strictEqual((await p.post(`/queue/offer/${a2.id}/decline`, {})).status, 303);
  // a1 accepts (takes the place) an hour later.
  srv.advanceClock(3600);
  assert.strictEqual((await as('parent1').post('/places/choose', { application: a1.id, place: rec.id })).status, 303);
  // a3's offer lapses at the window's end; the place goes to free choice and a4 takes it.
  srv.advanceClock(rec.window_until - srv.now() + 60);
  srv.kgctl('tick');
  assert.strictEqual((await as('parent1').post('/places/choose', { application: a4.id, place: rec.id })).status, 303);
  // a1's referral is annulled (its deadline passed): the place comes back.
  srv.advanceClock(30 * 86400);
  srv.kgctl('tick');

  const r = await srv.client().get(`/places/protocol/${rec.id}`);
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 300));
  const ev = pageEvents(r.text).map((e) => e.slice(0, 5));
  assert.deepStrictEqual(ev, [
    ['offered', '1', mask(a2.number), 'first_priority', '1'],
    ['offered', '2', mask(a1.number), 'none', '2'],
    ['declined', '1', mask(a2.number), 'first_priority', '1'],
    // a2 declined but stays queued ahead: a3 was third.
    ['offered', '3', mask(a3.number), 'none', '3'],
    ['accepted', '2', mask(a1.number), 'none', '2'],
    ['referred', '2', mask(a1.number), 'none', ''],
    ['lapsed', '3', mask(a3.number), 'none', '3'],
    ['free_choice', '', mask(a4.number), 'none', ''],
    // Both referrals passed their deadline unanswered: annulled, the places came back.
    ['returned', '', mask(a1.number), 'none', ''],
    ['returned', '', mask(a4.number), 'none', ''],
  ]);
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral WHERE free_place_id = ${rec.id} AND status = 'annulled'`).n, 2);
  // Words in Russian and Kazakh.
  assert.match(textOf(r.text), /Отказ от предложения/);
  const kk = srv.client();
  kk.cookies.set('lang', 'kk');
  assert.match(textOf((await kk.get(`/places/protocol/${rec.id}`)).text), /Ұсыныстан бас тартылды/);
});

test('the public protocol shows no name, no full IIN, no legal ground, no full number', async () => {
  const r = await srv.client().get(`/places/protocol/${rec.id}`);
  const csv = (await srv.client().get(`/places/protocol/${rec.id}.csv`)).text;
  const json = (await srv.client().get(`/places/protocol/${rec.id}.json`)).text;
  for (const text of [r.text, csv, json]) {
    assert.ok(!/ЗАГАДКИНА/.test(text), 'no child name');
    assert.ok(!/large_family/.test(text), 'no legal ground code');
    for (const a of apps) {
      assert.ok(!text.includes(a.childIin), 'no full IIN');
      assert.ok(!text.includes(a.childIin.slice(0, 4) + '******'), 'no masked IIN either');
      assert.ok(!text.includes(a.number), 'no full application number');
    }
  }
  assert.ok(!/многодет/i.test(textOf(r.text)), 'no legal ground in words');
});

test('the CSV and the JSON say what the page says', async () => {
  const page = pageEvents((await srv.client().get(`/places/protocol/${rec.id}`)).text);
  const c = await srv.client().get(`/places/protocol/${rec.id}.csv`);
  assert.strictEqual(c.status, 200);
  assert.match(c.headers['content-type'], /text\/csv/);
  const lines = c.text.trim().split('\r\n').map((l) => l.split(';'));
  const head = lines.shift();
  const col = (name) => head.indexOf(name);
  assert.deepStrictEqual(lines.map((l) => [l[col('event')], l[col('offer_no')], l[col('number')], l[col('category')],
    l[col('position')], l[col('time')]]), page);
  const j = await srv.client().get(`/places/protocol/${rec.id}.json`);
  assert.match(j.headers['content-type'], /application\/json/);
  const doc = JSON.parse(j.text);
  assert.strictEqual(doc.record.id, rec.id);
  assert.deepStrictEqual(doc.events.map((e) => [e.event, e.offer_no ? String(e.offer_no) : '', e.number, e.category,
    e.position ? String(e.position) : '', e.time]), page);
  // Public pages are kept by nginx for a second at most, the protocol too.
  assert.match(j.headers['cache-control'] || '', /s-maxage=1/);
});

test('the places base links each record to its protocol; a record without events says so', async () => {
  const other = fx.freePlace(srv, { ddo, groupYear: year, language: 'kk', total: 1 });
  const c = srv.client();
  c.cookies.set('district', String(district));
  const base = await c.get('/places');
  assert.ok(base.text.includes(`href="/places/protocol/${rec.id}"`));
  assert.ok(base.text.includes(`href="/places/protocol/${other}"`));
  const r = await srv.client().get(`/places/protocol/${other}`);
  assert.strictEqual(r.status, 200);
  assert.match(r.text, /id="proto-none"/);
  // An offer made before positions were kept: its position reads «—».
  const t = srv.now() - 86400;
  srv.sql(`INSERT INTO offer(place_id, application_id, category, offered_at, until, status, closed_at)
    VALUES (${other}, ${apps[2].id}, 'none', ${t}, ${t + 60}, 'lapsed', ${t + 60})`);
  const old = pageEvents((await srv.client().get(`/places/protocol/${other}`, { headers: { 'Cache-Control': 'no-cache' } })).text);
  assert.deepStrictEqual(old.map((e) => [e[0], e[4]]), [['offered', ''], ['lapsed', '']]);
  assert.match((await srv.client().get(`/places/protocol/${other}.json`)).text, /"position":null/);
  assert.strictEqual((await srv.client().get('/places/protocol/999999')).status, 404);
  assert.strictEqual((await srv.client().get('/places/protocol/999999.csv')).status, 404);
  assert.strictEqual((await srv.client().get('/places/protocol/999999.json')).status, 404);
});

test('a district\'s protocols of a month in one CSV, records one after another', async () => {
  const created = one(`SELECT strftime('%Y-%m', created_at + 5 * 3600, 'unixepoch') AS m FROM free_place WHERE id = ${rec.id}`).m;
  const r = await srv.client().get(`/places/protocols?district=${district}&month=${created}`);
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 300));
  const lines = r.text.trim().split('\r\n').map((l) => l.split(';'));
  const head = lines.shift();
  const mine = lines.filter((l) => l[head.indexOf('record')] === String(rec.id));
  const single = (await srv.client().get(`/places/protocol/${rec.id}.csv`)).text.trim().split('\r\n').slice(1);
  assert.deepStrictEqual(mine.map((l) => l.join(';')), single);
  // Records one after another: each record's rows are together.
  const order = lines.map((l) => l[0]).filter((v, i, a) => i === 0 || a[i - 1] !== v);
  assert.strictEqual(new Set(order).size, order.length);
  assert.strictEqual((await srv.client().get(`/places/protocols?district=${district}&month=2026-13`)).status, 404);
  assert.strictEqual((await srv.client().get('/places/protocols?district=9999&month=2026-01')).status, 404);
  const empty = await srv.client().get(`/places/protocols?district=${district}&month=2001-01`);
  assert.strictEqual(empty.text.trim().split('\r\n').length, 1, 'the head row only');
});

run();
