// Rules that unit tests prove, proved again through nginx and the real
// programs, each so that it can fail (issue 21, item 20): a holiday added
// in /admin moves a referral's deadline; many parents racing for one or two
// places never get more referrals than places; a session ends at its
// absolute expiry however active it is. (The exact end of the priority
// window is tested in offers.test.js; the referral test's clock is pinned to
// a Thursday, so that a deadline counted in calendar days shows there.)
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const { workdays } = require('../lib/workdays');

const DAY = 86400;
const LOCAL = 5 * 3600;   // Kazakhstan time, UTC+5
const PASSWORD = 'demo-kg-2026';

let srv;
let ddo;
before(async () => {
  srv = await Server.start({ workers: 3, conf: 'Session.MaxHours = 2\nSession.IdleMinutes = 30' });
  ddo = fx.ddosOf(srv, 'staff1')[0];
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];

// Moves the programs' clock to 10:00 local time of the next given weekday
// (0 = Sunday) at least `after` days ahead.
function clockTo(weekday, after = 1) {
  const now = srv.now();
  let day = Math.floor((now + LOCAL) / DAY) + after;
  while ((day + 4) % 7 !== weekday) day++;
  const target = day * DAY - LOCAL + 10 * 3600;
  srv.advanceClock(target - now);
  return target;
}
const ddmmyyyy = (ts) => {
  const d = new Date((ts + LOCAL) * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};

test('a holiday added in /admin moves the deadline of a referral issued before it', async () => {
  // Monday 10:00: five working days end on the next Monday; a day off on
  // Wednesday moves the end to Tuesday.
  const monday = clockTo(1);
  const year = new Date((monday + LOCAL) * 1000).getUTCFullYear();
  const g = { groupYear: year - 3, language: 'en' };
  const before = workdays(srv).endAfter(monday, 5);
  const wed = monday + 2 * DAY;
  const sup = srv.client();
  srv.login(sup, 'support');
  await sup.get(`/admin/holidays?year=${year}`);
  const add = await sup.post('/admin/holidays', { day: ddmmyyyy(wed), kind: 'day_off', name_ru: 'Выходной по постановлению', name_kk: 'Қаулы бойынша демалыс' });
  assert.strictEqual(add.status, 303, `the holiday was added: ${add.status}`);
  const expected = workdays(srv).endAfter(monday, 5);
  assert.strictEqual(expected, before + DAY, 'the day off moves the end by a day');
  // The referral chosen now has the later deadline, on the page and in the row.
  const place = fx.freePlace(srv, { ddo, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = srv.client();
  srv.login(c, 'parent1');
  const conf = await c.get(`/places/choose/confirm?application=${app.id}&place=${place}`);
  assert.strictEqual(conf.text.match(/id="confirm-deadline">([^<]*)</)[1], ddmmyyyy(expected));
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(one(`SELECT deadline_at FROM referral WHERE application_id = ${app.id}`).deadline_at, expected);
  // Deleting the holiday gives new referrals the old deadline again.
  await sup.get(`/admin/holidays?year=${year}`);
  assert.strictEqual((await sup.post('/admin/holidays/delete', { day: ddmmyyyy(wed) })).status, 303);
  const place2 = fx.freePlace(srv, { ddo, ...g, total: 1 });
  const app2 = fx.application(srv, { parent: 'parent2', ...g });
  const c2 = srv.client();
  srv.login(c2, 'parent2');
  assert.strictEqual((await c2.post('/places/choose', { application: app2.id, place: place2 })).status, 303);
  assert.strictEqual(one(`SELECT deadline_at FROM referral WHERE application_id = ${app2.id}`).deadline_at, before);
});

test('many parents at once for one or two places: never more referrals than places, in every round', async () => {
  const year = new Date((srv.now() + LOCAL) * 1000).getUTCFullYear();
  const parents = ['parent1', 'parent2', 'parent3'];
  const clients = parents.map((p) => { const c = srv.client(); srv.login(c, p); return c; });
  for (let round = 0; round < 2; round++) {
    const g = { groupYear: year - 4, language: ['ru', 'kk'][round] };
    const totals = [1, 2];
    const places = totals.map((total) => fx.freePlace(srv, { ddo, ...g, total }));
    const takers = [];
    for (let i = 0; i < 30; i++) {
      const a = fx.application(srv, { parent: parents[i % 3], ...g });
      takers.push({ a, c: clients[i % 3], place: places[i % 2] });
    }
    const results = await Promise.all(takers.map(({ a, c, place }) => c.post('/places/choose', { application: a.id, place })));
    assert.ok(results.every((r) => r.status === 303 || r.status === 409), `statuses: ${[...new Set(results.map((r) => r.status))]}`);
    places.forEach((p, i) => {
      const live = one(`SELECT count(*) AS n FROM referral WHERE free_place_id = ${p} AND status NOT IN ('annulled','refusal_confirmed')`).n;
      const row = one(`SELECT total, free FROM free_place WHERE id = ${p}`);
      assert.ok(live <= totals[i], `round ${round}: ${live} referrals for ${totals[i]} places`);
      assert.strictEqual(live, totals[i], `round ${round}: every place was taken`);
      assert.strictEqual(row.free, row.total - live);
    });
    assert.strictEqual(results.filter((r) => r.status === 303).length, 3);
  }
});

test('a session ends at its absolute expiry, however active it was', async () => {
  const c = srv.client();
  await c.get('/login?tab=iin');
  const login = await c.post('/login/password', { iin: Server.persons().staff1.iin, password: PASSWORD });
  assert.strictEqual(login.status, 303);
  const started = srv.now();
  // Active every 20 minutes (the idle limit is 30): still logged in at 1 h 40 min.
  for (let t = 20; t <= 100; t += 20) {
    srv.advanceClock(20 * 60);
    const r = await c.get('/cabinet');
    assert.strictEqual(r.status, 200, `at ${t} minutes`);
  }
  // Session.MaxHours = 2: a minute before the end it works, a minute after it does not.
  srv.advanceClock(started + 2 * 3600 - 60 - srv.now());
  assert.strictEqual((await c.get('/cabinet')).status, 200, 'a minute before the absolute expiry');
  srv.advanceClock(2 * 60);
  const late = await c.get('/cabinet');
  assert.strictEqual(late.status, 303, 'after the absolute expiry');
  assert.match(late.location, /^\/login\?next=%2Fcabinet&expired=2$/);   // 2: the absolute limit (1: inactivity)
});

run();
