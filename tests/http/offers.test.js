// Places offered in queue order (issue 16 item 2, lib/domain/offer.h)
// through nginx and the real programs: a record saved by staff is offered
// to exactly the applicants the rule names, in the order the public search
// shows (out of turn first, then one first-priority to three ordinary);
// a decline and a withdrawal pass the place on at once; the offer is on
// «Мои заявления» and the application page with its DDO and window end and
// leads to the referral; an applicant not offered cannot take the place;
// the window's end frees the rest to free choice.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
let ddoA;
let year;
const parents = ['parent1', 'parent2', 'parent3'];

before(async () => {
  srv = await Server.start({ workers: 2, conf: 'Queue.SearchPerMinute = 1000\nQueue.MaxActivePerApplicant = 50', searchRate: '1000r/s' });
  [ddoA] = fx.ddosOf(srv, 'staff1');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];
function as(who) { const c = srv.client(); srv.login(c, who); return c; }

// The place-adding form of staff (review, then «ОК»).
async function save(data) {
  const c = as('staff1');
  const r = await c.post('/places/add', { step: 'review', ...data });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 400));
  const token = r.text.match(/name="token" value="([^"]+)"/)[1];
  const s = await c.post('/places/add', { ...data, step: 'save', token });
  assert.strictEqual(s.status, 303, textOf(s.text).slice(0, 400));
  return one(`SELECT id, window_until FROM free_place WHERE ddo_id = ${ddoA} ORDER BY id DESC LIMIT 1`);
}

// Applications of a fresh key: spec is a list of [benefit, seconds after t0];
// parents take turns. Returns { key, apps: [{ id, number, benefit, parent }] }.
let keyIdx = 0;
const keys = [[1, 'en'], [2, 'en'], [3, 'en'], [4, 'en'], [5, 'en'], [6, 'en']];
function queueOf(spec) {
  const [age, language] = keys[keyIdx++];
  const g = { groupYear: year - age, language };
  const t0 = srv.now() - 10 * 86400;
  const apps = spec.map(([benefit, dt], i) => {
    const parent = parents[i % 3];
    const a = fx.application(srv, { parent, ...g, benefit, queuedAt: t0 + dt });
    return { id: a.id, number: a.number, benefit, parent };
  });
  return { g, apps };
}

// The position in its category that the public search shows.
async function inCategory(number) {
  const r = await srv.client().get(`/queue/search?q=${encodeURIComponent(number)}`);
  assert.strictEqual(r.status, 200);
  return Number(r.text.match(/data-pos="in-category">(\d+)</)[1]);
}

// The rule, written again from the issue: who the record's next offer goes
// to, given every offer it made (any status) and the applicants' order.
const cats = ['out_of_turn', 'first_priority', 'none'];
function nextOf(byCat, offers, gone = new Set()) {
  const had = new Set(offers.map((o) => o.application_id));
  const avail = cats.map((c) => byCat[c].filter((a) => !had.has(a.id) && !gone.has(a.id)));
  const fp = offers.filter((o) => o.category === 'first_priority').length;
  const none = offers.filter((o) => o.category === 'none').length;
  if (avail[0].length) return avail[0][0];
  if (avail[1].length && (fp * 3 <= none || !avail[2].length)) return avail[1][0];
  if (avail[2].length) return avail[2][0];
  return avail[1][0] || null;
}

// The applicants of each category in the public search's order.
async function searchOrder(apps) {
  const byCat = { out_of_turn: [], first_priority: [], none: [] };
  for (const a of apps) byCat[a.benefit].push({ ...a, pos: await inCategory(a.number) });
  for (const c of cats) byCat[c].sort((x, y) => x.pos - y.pos);
  return byCat;
}

const offersOf = (place) => srv.sql(`SELECT id, application_id, category, status FROM offer WHERE place_id = ${place} ORDER BY id`);
const openOf = (place) => offersOf(place).filter((o) => o.status === 'open').map((o) => o.application_id).sort((a, b) => a - b);

let Q;          // the queue of the first tests
let rec;        // its record
let byCat;      // its applicants in the search's order

test('a saved record is offered at once to exactly the applicants the rule names, in the public search\'s order', async () => {
  // Ties on the same second go by id; a later id may have an earlier time.
  Q = queueOf([
    ['none', 50], ['none', 10], ['first_priority', 40], ['none', 30], ['out_of_turn', 90], ['none', 30],
    ['first_priority', 5], ['none', 70], ['none', 60], ['first_priority', 40], ['none', 80], ['none', 20],
    ['none', 100], ['first_priority', 95],
  ]);
  byCat = await searchOrder(Q.apps);
  const before = srv.sms().length;
  rec = await save({ ddo: ddoA, language: Q.g.language, year: Q.g.groupYear, count: 7 });
  const offers = offersOf(rec.id);
  const expected = [];
  for (let i = 0; i < 7; i++) {
    const n = nextOf(byCat, expected.map((a) => ({ application_id: a.id, category: a.benefit })));
    expected.push(n);
  }
  assert.deepStrictEqual(offers.map((o) => o.application_id), expected.map((a) => a.id));
  assert.deepStrictEqual(expected.map((a) => a.benefit).join(','),
    'out_of_turn,first_priority,none,none,none,first_priority,none');
  assert.ok(offers.every((o) => o.status === 'open'));
  // Each offeree gets an SMS with the number, the DDO and the window end.
  const sms = await fx.smsAfter(srv, before, 7);
  assert.strictEqual(sms.length, 7);
  const first = Q.apps.find((a) => a.id === expected[0].id);
  assert.ok(sms.some((m) => m.includes(first.number) && /предложено место/.test(m)), sms[0]);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${first.id} AND event = 'offered'`).n, 1);
  // Staff see how many places of their record are offered; the public base says «Ожидает».
  const row = (html) => textOf(html.match(new RegExp(`<tr[^>]*data-id="${rec.id}">[\\s\\S]*?</tr>`))[0]);
  assert.match(row((await as('staff1').get(`/places?f_year=${Q.g.groupYear}`)).text), /Ожидает до .*Предложено: 7/);
  const pub = srv.client();
  pub.cookies.set('district', '1110');
  const pubRow = row((await pub.get(`/places?f_year=${Q.g.groupYear}`)).text);
  assert.match(pubRow, /Ожидает до/);
  assert.doesNotMatch(pubRow, /Предложено/);
});

test('the offer is on «Мои заявления» and the application page with its DDO and window end, and leads to the referral', async () => {
  const offers = offersOf(rec.id);
  const app = Q.apps.find((a) => a.id === offers[0].application_id);
  const c = as(app.parent);
  const ddo = one(`SELECT name_ru, address FROM ddo WHERE id = ${ddoA}`);
  const d = new Date((rec.window_until + 5 * 3600) * 1000);
  const until = `до ${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()} `
    + `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  for (const url of ['/queue/my', `/queue/app/${app.id}`]) {
    const r = await c.get(url);
    assert.strictEqual(r.status, 200);
    const box = r.text.match(new RegExp(`<section class="card offer" id="offer-${app.id}"[\\s\\S]*?</section>`));
    assert.ok(box, url);
    const t = textOf(box[0]);
    assert.match(t, /Вам предложено место/);
    assert.ok(t.includes(ddo.name_ru) && t.includes(ddo.address), t);
    assert.ok(t.includes(until), `${t} / ${until}`);
    assert.ok(box[0].includes(`/places/choose/confirm?application=${app.id}&amp;place=${rec.id}`));
    assert.ok(box[0].includes(`/queue/offer/${app.id}/decline`));
  }
  // Another parent's page shows no offer of it.
  const others = parents.filter((p) => p !== app.parent);
  assert.ok(!(await as(others[0]).get('/queue/my')).text.includes(`id="offer-${app.id}"`));
  // «Получить направление»: the confirmation, then the referral; the offer is accepted.
  const conf = await c.get(`/places/choose/confirm?application=${app.id}&place=${rec.id}`);
  assert.strictEqual(conf.status, 200);
  const ok = await c.post('/places/choose', { application: app.id, place: rec.id });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(one(`SELECT status FROM offer WHERE id = ${offers[0].id}`).status, 'accepted');
  assert.strictEqual(one(`SELECT free FROM free_place WHERE id = ${rec.id}`).free, 6);
  // Nothing to pass on: the accepted offer's place is taken.
  assert.strictEqual(openOf(rec.id).length, 6);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'offer_accepted'`).n, 1);
});

test('an applicant not offered the place cannot take it during the window', async () => {
  const offered = new Set(offersOf(rec.id).map((o) => o.application_id));
  const app = Q.apps.find((a) => !offered.has(a.id));
  const c = as(app.parent);
  const list = await c.get(`/places/choose?application=${app.id}`);
  assert.ok(!list.text.includes(`data-place="${rec.id}"`));
  const r = await c.post('/places/choose', { application: app.id, place: rec.id });
  assert.strictEqual(r.status, 409);
  assert.match(textOf(r.text), /Эти места сейчас предлагаются по очереди: занять место может только заявитель, которому его предложили/);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${app.id}`).status, 'queued');
});

test('a decline, after a confirmation step, passes the place at once to the next applicant in the order', async () => {
  const offers = offersOf(rec.id);
  const open = offers.filter((o) => o.status === 'open');
  const app = Q.apps.find((a) => a.id === open[open.length - 1].application_id);
  const expected = nextOf(byCat, offers);
  const c = as(app.parent);
  const page = await c.get(`/queue/offer/${app.id}/decline`);
  assert.strictEqual(page.status, 200);
  assert.match(textOf(page.text), /место сразу перейдет следующему по очереди/);
  // Without the CSRF token nothing happens.
  assert.strictEqual((await c.post(`/queue/offer/${app.id}/decline`, {}, { csrf: false })).status, 403);
  assert.strictEqual(openOf(rec.id).length, 6);
  // Another parent cannot decline it.
  const other = as(parents.find((p) => p !== app.parent));
  assert.strictEqual((await other.post(`/queue/offer/${app.id}/decline`, {})).status, 404);
  const r = await c.post(`/queue/offer/${app.id}/decline`, {});
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, '/queue/my');
  assert.strictEqual(one(`SELECT status FROM offer WHERE application_id = ${app.id} AND place_id = ${rec.id}`).status, 'declined');
  const now = offersOf(rec.id);
  assert.strictEqual(now[now.length - 1].application_id, expected.id);
  assert.strictEqual(now[now.length - 1].status, 'open');
  assert.strictEqual(openOf(rec.id).length, 6);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'offer_declined'`).n, 1);
  // The journal's history tells it, with the DDO.
  const ddo = one(`SELECT name_ru FROM ddo WHERE id = ${ddoA}`).name_ru;
  const journal = textOf((await c.get(`/journal/${app.id}?tab=history`)).text);
  assert.ok(journal.includes(`Предложено место в ${ddo}`), journal.slice(0, 2000));
  assert.ok(journal.includes(`Заявитель отказался от предложенного места в ${ddo}`));
  // The decliner stays queued and is never offered this record again.
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${app.id}`).status, 'queued');
  assert.ok(!(await c.get('/queue/my')).text.includes(`id="offer-${app.id}"`));
});

test('an offered applicant who withdraws loses the offer, and the place passes on at once', async () => {
  const offers = offersOf(rec.id);
  const open = offers.filter((o) => o.status === 'open');
  const app = Q.apps.find((a) => a.id === open[0].application_id);
  const expected = nextOf(byCat, offers, new Set([app.id]));
  const c = as(app.parent);
  const r = await c.post(`/queue/withdraw/${app.id}`, {});
  assert.strictEqual(r.status, 303);
  assert.strictEqual(one(`SELECT status FROM offer WHERE application_id = ${app.id}`).status, 'lapsed');
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'offer_cancelled'`).n, 1);
  const now = offersOf(rec.id);
  assert.strictEqual(now[now.length - 1].application_id, expected.id);
  assert.strictEqual(openOf(rec.id).length, 6);
});

test('a place taken in free choice elsewhere lapses the offer held, and it passes on', async () => {
  // Another record of the same key past its window: an offeree takes it.
  const old = fx.freePlace(srv, { ddo: ddoA, ...Q.g, total: 1 });
  const offers = offersOf(rec.id);
  const open = offers.filter((o) => o.status === 'open');
  const app = Q.apps.find((a) => a.id === open[open.length - 1].application_id);
  const gone = new Set(srv.sql(`SELECT id FROM application WHERE status <> 'queued'`).map((x) => x.id));
  gone.add(app.id);
  const expected = nextOf(byCat, offers, gone);
  const r = await as(app.parent).post('/places/choose', { application: app.id, place: old });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(one(`SELECT status FROM offer WHERE application_id = ${app.id}`).status, 'lapsed');
  const now = offersOf(rec.id);
  assert.strictEqual(now[now.length - 1].application_id, expected.id);
  assert.strictEqual(openOf(rec.id).length, one(`SELECT free FROM free_place WHERE id = ${rec.id}`).free);
});

test('at the window\'s end the open offers lapse and the places are in free choice for every queued applicant', async () => {
  const left = one(`SELECT free FROM free_place WHERE id = ${rec.id}`).free;
  assert.ok(left > 0);
  const offered = new Set(offersOf(rec.id).map((o) => o.application_id));
  const app = Q.apps.find((a) => !offered.has(a.id) && one(`SELECT status FROM application WHERE id = ${a.id}`).status === 'queued');
  // Seconds before the window's end: still reserved.
  srv.advanceClock(rec.window_until - srv.now() - 5);
  let c = as(app.parent);
  assert.strictEqual((await c.post('/places/choose', { application: app.id, place: rec.id })).status, 409);
  srv.advanceClock(rec.window_until - srv.now() + 1);
  srv.kgctl('tick');
  assert.strictEqual(openOf(rec.id).length, 0);
  assert.ok(srv.sql(`SELECT status FROM offer WHERE place_id = ${rec.id}`).some((o) => o.status === 'lapsed'));
  c = as(app.parent);
  const list = await c.get(`/places/choose?application=${app.id}`);
  assert.ok(list.text.includes(`data-place="${rec.id}"`));
  const r = await c.post('/places/choose', { application: app.id, place: rec.id });
  assert.strictEqual(r.status, 303);
  // The public base shows the record in free choice.
  const pub = srv.client();
  pub.cookies.set('district', '1110');
  const base = await pub.get(`/places?f_status=free_choice&f_year=${Q.g.groupYear}`);
  assert.ok(base.text.includes(`data-id="${rec.id}"`));
});

test('a record saved while nobody is queued offers its places as soon as someone is', async () => {
  const [age, language] = keys[keyIdx++];
  const g = { groupYear: year - age, language };
  const r = await save({ ddo: ddoA, language, year: g.groupYear, count: 1 });
  assert.strictEqual(offersOf(r.id).length, 0);
  const pub = srv.client();
  pub.cookies.set('district', '1110');
  assert.match(textOf((await pub.get(`/places?f_year=${g.groupYear}`)).text), /Ожидает/);
  const a = fx.application(srv, { parent: 'parent1', ...g });
  srv.kgctl('tick');
  assert.deepStrictEqual(openOf(r.id), [a.id]);
});

test('a child registered while a record has a place nobody could be offered gets the offer at once', async () => {
  const [age, language] = keys[keyIdx++];
  const gy = year - age;
  const r = await save({ ddo: ddoA, language, year: gy, count: 1 });
  assert.strictEqual(offersOf(r.id).length, 0);
  const c = as('parent3');
  const form = {
    child_iin: fx.iin(`${gy}-04-10`, 'F', 4321), child_surname: 'Серикова', child_name: 'Аяла', child_patronymic: '',
    phone: '+7 701 555 00 09', email: '', district: '1110', language, benefit: 'none', action: 'save',
  };
  await c.get('/queue');
  const reg = await c.upload('/queue', fx.gbdForForm(srv, c, form), {});
  assert.strictEqual(reg.status, 303, reg.text && reg.text.slice(0, 300));
  const app = Number(reg.location.match(/\/queue\/app\/(\d+)/)[1]);
  assert.deepStrictEqual(openOf(r.id), [app]);
});

run();
