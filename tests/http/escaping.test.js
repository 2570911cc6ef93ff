// Every value a page echoes or shows from storage is escaped (issue 21,
// item 17): `"><script>&` goes into every echoed parameter (the search,
// `next`, form values shown again) and every stored free text (names of
// children and staff, a refusal's reason, a departure's reason, a DDO's
// name and address), and no page that shows it gives it back raw. Each
// page is also checked to show the value escaped, so that the check cannot
// pass on a page that simply leaves the value out. (The lint refuses
// `escape:` blocks in templates; this catches raw output however it is
// made.)
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');

// The value, with a mark per field so that each page is checked to show
// the field it is about.
const P = (mark) => `"><script>&${mark}`;
const RAW = [/"><script>/i, /<script>&/i];

let srv;
before(async () => { srv = await Server.start({ conf: 'Queue.SearchPerMinute = 0\nQueue.FruitlessPerMinute = 0' }); });
after(async () => { if (srv) await srv.stop(); });

const q = (s) => String(s).replace(/'/g, "''");

// r: a response; where: what it was; marks: the fields the page must show
// (escaped). Nothing comes back raw, whatever the field.
function clean(r, where, ...marks) {
  for (const re of RAW) assert.ok(!re.test(r.text), `${where}: a value comes back raw (${re})`);
  for (const m of marks) {
    assert.ok(r.text.toLowerCase().includes(`&lt;script&gt;&amp;${m}`), `${where}: the page does not show ${m} (status ${r.status})`);
  }
}

test('echoed parameters: the search, next and tab, form values shown again', async () => {
  const anon = srv.client();
  clean(await anon.get(`/queue/search?q=${encodeURIComponent(P('q'))}`), 'search', 'q');
  clean(await anon.get(`/login?next=${encodeURIComponent('/queue' + P('nx'))}`), 'login next', 'nx');
  clean(await anon.get(`/login?tab=${encodeURIComponent(P('tab'))}`), 'login tab');
  await anon.get('/login?tab=iin');
  clean(await anon.post('/login/password', { iin: P('iin'), password: 'x' }), 'login form shown again', 'iin');
  await anon.get('/login?tab=otp');
  clean(await anon.post('/login/otp', { phone: P('ph'), iin: '900517322416' }), 'code form shown again', 'ph');
  // The registration form with a bad IIN comes back with what was typed.
  const c = srv.client();
  srv.login(c, 'parent1');
  await c.get('/queue');
  const reg = await c.upload('/queue', { csrf: c.csrf, child_iin: '1', child_surname: P('sn'), child_name: P('nm'),
    child_patronymic: P('pt'), email: P('em') }, {});
  assert.strictEqual(reg.status, 422);
  clean(reg, 'registration form shown again', 'sn', 'nm', 'pt', 'em');
  // A support form shown again: a DDO with a bad phone keeps its name.
  const s = srv.client();
  srv.login(s, 'support');
  const form = await s.get('/admin/ddo/new');
  if (form.status === 200) {
    const bad = await s.post('/admin/ddo/new', { district: 1110, kind: 'state', name_ru: P('dn'), name_kk: P('dk'), address: P('da'), phone: 'x', owner_iin: '1' });
    clean(bad, 'DDO form shown again', 'dn', 'da');
  }
});

test('stored free texts: names, a refusal\'s reason, a departure\'s reason, a DDO\'s name and address', async () => {
  const ddo = fx.ddoOf(srv, 'staff1');
  srv.sql(`UPDATE ddo SET name_ru = '${q(P('ddo'))}', address = '${q(P('addr'))}' WHERE id = ${ddo}`);
  const district = srv.sql(`SELECT district_id AS d FROM ddo WHERE id = ${ddo}`)[0].d;
  // A child with that name, referred to the DDO, with documents, then refused with that reason.
  const app = fx.application(srv, { parent: 'parent1', district, groupYear: 2021, surname: P('csn'), name: P('cnm') });
  const place = fx.freePlace(srv, { ddo, groupYear: 2021, total: 2 });
  const ref = fx.referral(srv, { application: app.id, place, status: 'docs_submitted' });
  fx.refusal(srv, { referral: ref.id, reason: P('rsn') });
  // An enrolled child that departed with that reason.
  const en = fx.enrolled(srv, { ddo, district, groupYear: 2021, surname: P('esn'), name: P('enm') });
  const sig = fx.fixtureSignature(srv, 'staff1', 'departure', 'referral', en.referral.id);
  srv.sql(`UPDATE enrollment SET departed_on = '2026-01-15', departure_reason = '${q(P('dep'))}',
    departure_signature_id = ${sig}, departed_at = ${srv.now() - 60} WHERE id = ${en.enrollment}`);
  srv.sql(`UPDATE account SET surname = '${q(P('stf'))}' WHERE iin = '${Server.persons().staff2.iin}'`);

  const parent = srv.client();
  srv.login(parent, 'parent1');
  clean(await parent.get('/queue/my'), 'my applications', 'csn', 'cnm');
  clean(await parent.get(`/queue/app/${app.id}`), 'my application', 'csn');
  clean(await parent.get(`/journal?open=${app.id}`), 'journal of the parent', 'csn', 'ddo', 'addr', 'rsn');

  const staff = srv.client();
  srv.login(staff, 'staff1');
  clean(await staff.get('/cabinet'), 'staff cabinet', 'ddo');
  clean(await staff.get(`/journal?open=${app.id}`), 'journal of staff', 'csn', 'rsn');
  clean(await staff.get(`/journal?open=${en.application.id}`), 'journal of staff, departed');
  clean(await staff.get(`/departure/${en.enrollment}`), 'departure', 'dep', 'esn');

  const reviewer = srv.sql(`SELECT a.iin FROM reviewer_district r JOIN account a ON a.id = r.account_id
    WHERE r.district_id = ${district} LIMIT 1`);
  assert.ok(reviewer.length, 'a reviewer of the district');
  const rv = srv.client();
  srv.login(rv, reviewer[0].iin);
  clean(await rv.get('/review'), 'review', 'rsn', 'csn', 'ddo');

  const anon = srv.client();
  clean(await anon.get(`/district?code=${district}`), 'DDOs of a district');
  clean(await anon.get('/places'), 'free places');
  clean(await anon.get(`/queue/search?q=${encodeURIComponent(app.number)}`), 'search result (initials)');

  const sup = srv.client();
  srv.login(sup, 'support');
  clean(await sup.get('/admin/accounts'), 'accounts', 'stf');
  clean(await sup.get(`/admin/ddo/${ddo}`), 'DDO record', 'ddo', 'addr');
});

run();
