// The yearly refresh of the queue (issue 17 item 1; domain/refresh.h)
// through nginx and the real programs: support's preview at /admin/refresh
// (counts per district and the list) and its confirmation by a POST with
// the CSRF token; what changed (archive for school age, an expired benefit
// moved to «Без льготы» with its date kept, a group year corrected), with
// history, SMS and one audit row per district; a second run changes
// nothing; kgctl refresh --dry-run says the same; citizen, staff and
// reviewer cannot open or run it.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
let sup;
let year;     // the programs' year
const D = 1116;   // a district of the demo data with few applications

before(async () => {
  srv = await Server.start({ workers: 2, conf: 'Queue.MaxActivePerApplicant = 1000' });
  sup = srv.client();
  srv.login(sup, 'support');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => { if (srv) await srv.stop(); });

const one = (q) => srv.sql(q)[0];

// The fixed applications: school age, an expired benefit, a group year
// that does not match the birth date, and one that stays as it is.
function dataSet(serial, district = D) {
  const y6 = year - 6;
  const school = fx.application(srv, { district, groupYear: y6, childIin: fx.iin(`${y6}-03-03`, 'F', serial) });
  const benefit = fx.application(srv, { district, groupYear: year - 3, benefit: 'first_priority',
    benefitGround: 'large_family', childIin: fx.iin(`${year - 3}-04-04`, 'M', serial + 1) });
  const yesterday = new Date((srv.now() + 5 * 3600 - 86400) * 1000).toISOString().slice(0, 10);
  srv.sql(`INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, created_at, valid_until)
    VALUES (${benefit.id}, 'benefit', 'applicant', '${String(benefit.id).padStart(64, 'a')}', 10, 'application/pdf', 'b.pdf', 0, '${yesterday}')`);
  const moved = fx.application(srv, { district, groupYear: year - 4, childIin: fx.iin(`${year - 3}-05-05`, 'F', serial + 2) });
  srv.sql(`UPDATE child SET birth_date = '${year - 3}-05-05' WHERE id = ${moved.childId}`);
  const stays = fx.application(srv, { district, groupYear: year - 2, childIin: fx.iin(`${year - 2}-06-06`, 'M', serial + 3) });
  return { school, benefit, moved, stays };
}

test('citizen, staff and reviewer can neither preview nor run the refresh', async () => {
  for (const who of ['parent1', 'staff1', 'reviewer1']) {
    const c = srv.client();
    srv.login(c, who);
    assert.strictEqual((await c.get('/admin/refresh')).status, 403, who);
    const before = one('SELECT count(*) AS n FROM audit WHERE action = \'queue_refresh\'').n;
    assert.strictEqual((await c.post('/admin/refresh', { year })).status, 403, `${who} POST`);
    assert.strictEqual(one('SELECT count(*) AS n FROM audit WHERE action = \'queue_refresh\'').n, before);
  }
  const anon = await srv.client().get('/admin/refresh');
  assert.strictEqual(anon.status, 303);
});

test('support previews the changes, confirms them, and a second run changes nothing', async () => {
  const x = dataSet(11);
  const queuedAt = one(`SELECT queued_at AS t FROM application WHERE id = ${x.benefit.id}`).t;

  const p = await sup.get(`/admin/refresh?year=${year}`);
  assert.strictEqual(p.status, 200);
  // The district's row counts exactly this data set (the demo data has none there).
  const row = p.text.match(new RegExp(`<tr data-district="${D}">([\\s\\S]*?)</tr>`));
  assert.ok(row, 'the district has a row');
  const cells = [...row[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => textOf(m[1]));
  assert.deepStrictEqual(cells.slice(1), ['1', '1', '1']);
  const list = p.text.match(/<table class="data" id="refresh-list">([\s\S]*?)<\/table>/)[1];
  assert.match(list, new RegExp(`rf-school_age"><td[^>]*>${x.school.number.replace(/\./g, '\\.')}<`));
  assert.match(list, new RegExp(`rf-benefit"><td[^>]*>${x.benefit.number.replace(/\./g, '\\.')}<`));
  assert.match(list, new RegExp(`rf-group_year"><td[^>]*>${x.moved.number.replace(/\./g, '\\.')}<`));
  assert.ok(!list.includes(x.stays.number));
  // Nothing changed by looking.
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${x.school.id}`).status, 'queued');

  // The confirmation is a POST with the CSRF token.
  const bad = await sup.post('/admin/refresh', { year }, { csrf: false });
  assert.strictEqual(bad.status, 403);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${x.school.id}`).status, 'queued');
  const total = Number(textOf(p.text.match(/id="refresh-n-school_age">([^<]*)</)[1])) +
    Number(textOf(p.text.match(/id="refresh-n-benefit">([^<]*)</)[1])) +
    Number(textOf(p.text.match(/id="refresh-n-group_year">([^<]*)</)[1]));
  const r = await sup.post('/admin/refresh', { year });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, `/admin/refresh?year=${year}`);
  const after1 = await sup.get(r.location);
  assert.match(textOf(after1.text), new RegExp(`Очередь обновлена\\. Изменено заявлений: ${total}`));

  const a = (id) => one(`SELECT status, coalesce(archive_reason, '') AS reason, benefit, benefit_ground AS ground,
    group_year AS year, queued_at AS t FROM application WHERE id = ${id}`);
  assert.deepStrictEqual([a(x.school.id).status, a(x.school.id).reason], ['archived', 'school_age']);
  assert.deepStrictEqual([a(x.benefit.id).status, a(x.benefit.id).benefit, a(x.benefit.id).ground], ['queued', 'none', '']);
  assert.strictEqual(a(x.benefit.id).t, queuedAt, 'the queue date is kept');
  assert.strictEqual(a(x.moved.id).year, year - 3);
  assert.deepStrictEqual([a(x.stays.id).status, a(x.stays.id).year], ['queued', year - 2]);
  // History, SMS, audit.
  const ev = (id, e) => one(`SELECT count(*) AS n FROM history WHERE application_id = ${id} AND event = '${e}'`).n;
  assert.strictEqual(ev(x.school.id, 'refresh_school_age'), 1);
  assert.strictEqual(ev(x.benefit.id, 'refresh_benefit'), 1);
  assert.strictEqual(ev(x.moved.id, 'refresh_group_year'), 1);
  for (const [id, kind] of [[x.school.id, 'school_age'], [x.benefit.id, 'benefit'], [x.moved.id, 'group_year']])
    assert.strictEqual(one(`SELECT count(*) AS n FROM notification WHERE application_id = ${id} AND kind = 'refresh_${kind}'`).n, 1, kind);
  const sms = one(`SELECT text FROM notification WHERE application_id = ${x.school.id} AND kind = 'refresh_school_age'`).text;
  assert.ok(sms.includes(x.school.number) && sms.includes('школьного возраста'), sms);
  const audit = srv.sql(`SELECT actor_role, details FROM audit WHERE action = 'queue_refresh' AND object_id = ${D}`);
  assert.deepStrictEqual(audit, [{ actor_role: 'support', details: `year=${year} school_age=1 benefit=1 group_year=1` }]);
  // A second run changes nothing, and the preview says so.
  const counts = () => one(`SELECT (SELECT count(*) FROM history) AS h, (SELECT count(*) FROM notification) AS n,
    (SELECT count(*) FROM audit WHERE action = 'queue_refresh') AS a, (SELECT sum(updated_at) FROM application) AS u`);
  const before2 = counts();
  const p2 = await sup.get(`/admin/refresh?year=${year}`);
  assert.match(textOf(p2.text), /Изменений нет: очередь уже обновлена/);
  assert.ok(!p2.text.includes('id="refresh-run"'), 'nothing to confirm');
  const r2 = await sup.post('/admin/refresh', { year });
  assert.strictEqual(r2.status, 303);
  assert.deepStrictEqual(counts(), before2);
  assert.match(srv.kgctl('refresh', '--year', String(year), '--dry-run'), /^0 changes$/m);
});

test('kgctl refresh previews with --dry-run and runs as the system', async () => {
  const x = dataSet(31);
  const out = srv.kgctl('refresh', '--year', String(year), '--dry-run');
  assert.ok(out.includes(`${D} ${x.school.number} school_age`), out);
  assert.match(out, /^3 changes$/m);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${x.school.id}`).status, 'queued');
  assert.match(srv.kgctl('refresh', '--year', String(year)), /school_age 1, benefit 1, group_year 1/);
  assert.strictEqual(one(`SELECT archive_reason AS r FROM application WHERE id = ${x.school.id}`).r, 'school_age');
  assert.strictEqual(one(`SELECT actor_role FROM audit WHERE action = 'queue_refresh' ORDER BY id DESC LIMIT 1`).actor_role, 'system');
  assert.match(srv.kgctl('refresh', '--year', String(year)), /school_age 0, benefit 0, group_year 0/);
  assert.throws(() => srv.kgctl('refresh', '--year', 'abc'), /usage|status 2/);
});

test('the parent gives the end date of the benefit document; once it has passed, the refresh moves the application', async () => {
  const c = srv.client();
  srv.login(c, 'parent2');
  c.cookies.set('district', String(D));
  await c.get('/queue');
  const pad = (n) => String(n).padStart(2, '0');
  const local = (t) => new Date((t + 5 * 3600) * 1000);
  const fmt = (d) => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  const form = (childIin, until) => ({
    child_iin: childIin, child_surname: 'Тулеубаев', child_name: 'Алихан', phone: '+7 701 555 00 08',
    district: String(D), language: 'kk', benefit: 'large_family', benefit_until: until, action: 'save',
  });
  const doc = () => ({ benefit_doc: { name: 'анықтама.pdf', type: 'application/pdf', data: files.pdf('large') } });
  // A date already past is refused next to the field, nothing written.
  const past = fmt(local(srv.now() - 2 * 86400));
  const bad = await c.upload('/queue', fx.gbdForForm(srv, c, form(fx.iin(`${year - 2}-07-07`, 'M', 51), past)), doc());
  assert.strictEqual(bad.status, 422);
  assert.match(bad.text, /id="err-benefit_until">Срок действия документа уже истек</);
  // Ten days on: stored with the document.
  const until = local(srv.now() + 10 * 86400);
  const r = await c.upload('/queue', fx.gbdForForm(srv, c, form(fx.iin(`${year - 2}-07-08`, 'M', 52), fmt(until))), doc());
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const id = Number(r.location.split('/').pop());
  assert.strictEqual(one(`SELECT valid_until AS v FROM document WHERE application_id = ${id} AND kind = 'benefit'`).v,
    until.toISOString().slice(0, 10));
  assert.throws(() => srv.sql(`UPDATE document SET valid_until = '2099-01-01' WHERE application_id = ${id}`), /cannot be edited/);
  // Before the end date the refresh leaves it; after it, it moves to «Без льготы».
  const y = local(srv.now()).getUTCFullYear();
  srv.kgctl('refresh', '--year', String(y));
  assert.strictEqual(one(`SELECT benefit FROM application WHERE id = ${id}`).benefit, 'first_priority');
  srv.advanceClock(11 * 86400);
  const y2 = local(srv.now()).getUTCFullYear();
  srv.kgctl('refresh', '--year', String(y2));
  assert.deepStrictEqual(one(`SELECT benefit, benefit_ground AS g FROM application WHERE id = ${id}`), { benefit: 'none', g: '' });
  // The SMS is in the parent's language (Kazakh here: the account's, else the page's).
  const lang = one(`SELECT lang FROM account WHERE iin = '${Server.persons().parent2.iin}'`).lang;
  const sms = one(`SELECT text FROM notification WHERE application_id = ${id} AND kind = 'refresh_benefit'`).text;
  assert.ok(lang === 'kk' ? sms.includes('жеңілдік') : sms.includes('льгот'), sms);
});

test('support may refresh one district at a time', async () => {
  srv.login(sup, 'support');
  const x = dataSet(61, 1118);
  const y = dataSet(71, 1132);
  const p = await sup.get(`/admin/refresh?year=${year}&district=1118`);
  assert.strictEqual(p.status, 200);
  assert.deepStrictEqual([...p.text.matchAll(/<tr data-district="(\d+)">/g)].map((m) => Number(m[1])), [1118]);
  assert.match(p.text, /<input type="hidden" name="district" value="1118">/);
  const r = await sup.post('/admin/refresh', { year, district: 1118 });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, `/admin/refresh?year=${year}&district=1118`);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${x.school.id}`).status, 'archived');
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${y.school.id}`).status, 'queued');
  const bad = await sup.get(`/admin/refresh?year=${year}&district=99`);
  assert.strictEqual(bad.status, 422);
});

test('a bad year is said next to the field', async () => {
  srv.login(sup, 'support');
  const r = await sup.get('/admin/refresh?year=20x6');
  assert.strictEqual(r.status, 422);
  assert.match(r.text, /id="err-year">Укажите год от 2000 до 2100</);
});

run();
