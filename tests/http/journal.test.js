// The journal of applications (/journal) and the public check page
// (/check/CODE) through real nginx and the real programs: who sees which
// application (citizen, staff of the DDO, reviewer of the district,
// support; another citizen and another DDO's staff see nothing, guessed ids
// give 404), the filters and paging, the row that opens with the triangle,
// the content of the three tabs, the downloads, and the check of a
// generated document by its code and hash.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
const D = {};   // the data every test looks at

before(async () => {
  srv = await Server.start();
  const [kokA] = fx.ddosOf(srv, 'staff1');
  const kokC = fx.ddoOf(srv, 'staff2');
  const place = (ddo, year = 2021) => fx.freePlace(srv, { ddo, groupYear: year, total: 5 });
  // parent3: queued, referred to staff1's DDO, enrolled there, archived.
  D.queued = fx.application(srv, { parent: 'parent3', surname: 'АХМЕТОВ', name: 'ЕРЛАН' });
  D.referred = fx.application(srv, { parent: 'parent3', surname: 'БАЙМУХАНОВА', name: 'ДАНА', benefit: 'first_priority' });
  D.referredRef = fx.referral(srv, { application: D.referred.id, place: place(kokA) });
  D.enrolled = fx.application(srv, { parent: 'parent3', surname: 'ВАЛИЕВ', name: 'АРМАН', groupYear: 2020 });
  D.enrolledRef = fx.referral(srv, { application: D.enrolled.id, place: place(kokA, 2020), status: 'enrolled' });
  D.archived = fx.application(srv, { parent: 'parent3', surname: 'ГАЛИЕВА', name: 'ӘЙГЕРІМ', status: 'archived' });
  // parent1: referred to staff2's DDO; queued in Целиноградский.
  D.other = fx.application(srv, { parent: 'parent1', surname: 'ДОСОВ', name: 'НҰРЛАН' });
  D.otherRef = fx.referral(srv, { application: D.other.id, place: place(kokC) });
  D.celin = fx.application(srv, { parent: 'parent1', district: 1166, surname: 'ЕСЕНОВ', name: 'БЕКЗАТ' });
  // parent3 uploads a form (and replaces it) and gets the contract of the referral.
  D.p3 = srv.client();
  srv.login(D.p3, 'parent3', 'eds');
  await D.p3.get('/enroll');
  await D.p3.post('/enroll/ok', { read: 1 });
  const up = (c, refId, kind, file) => c.upload(`/enroll/${refId}/upload`, { kind }, { file });
  assert.strictEqual((await up(D.p3, D.referredRef.id, 'form065', { name: 'first.pdf', type: 'application/pdf', data: files.pdf('First') })).status, 303);
  assert.strictEqual((await up(D.p3, D.referredRef.id, 'form065', { name: 'scan.png', type: 'image/png', data: files.png() })).status, 303);
  D.docs = srv.sql(`SELECT id, kind, origin, check_code, sha256, replaced_at FROM document WHERE application_id = ${D.referred.id} ORDER BY id`);
  D.p1 = srv.client();
  srv.login(D.p1, 'parent1', 'eds');
  await D.p1.get('/enroll');
  await D.p1.post('/enroll/ok', { read: 1 });
  assert.strictEqual((await up(D.p1, D.otherRef.id, 'form027', { name: 'x.pdf', type: 'application/pdf', data: files.pdf('X') })).status, 303);
  D.otherDoc = srv.sql(`SELECT id FROM document WHERE application_id = ${D.other.id} AND origin = 'applicant'`)[0].id;
});
after(async () => { if (srv) await srv.stop(); });

// ---- helpers ----

function as(who) {
  const c = srv.client();
  srv.login(c, who);
  return c;
}

// The application ids of the list page, in order.
function rows(html) {
  return [...html.matchAll(/<tr id="app-(\d+)"/g)].map((m) => Number(m[1]));
}

async function listIds(c, query = '') {
  const r = await c.get(`/journal${query}`);
  assert.strictEqual(r.status, 200, `/journal${query}: ${r.status}`);
  return rows(r.text);
}

// ---- visibility ----

test('a citizen sees their own applications, queued, referred, enrolled and archived, and nobody else\'s', async () => {
  const ids = await listIds(D.p3);
  assert.deepStrictEqual(new Set(ids), new Set([D.queued.id, D.referred.id, D.enrolled.id, D.archived.id]));
  const mine = await listIds(D.p1);
  assert.ok(mine.includes(D.other.id) && mine.includes(D.celin.id));
  assert.ok(!mine.some((id) => [D.queued.id, D.referred.id, D.enrolled.id, D.archived.id].includes(id)));
  const page = await D.p3.get('/journal');
  const t = textOf(page.text);
  assert.match(t, /Журнал заявлений на зачисление в ДДО/);
  for (const s of ['В очереди', 'Выдано направление', 'Зачислен', 'В архиве']) assert.ok(t.includes(s), s);
  assert.doesNotMatch(page.text, /name="iin"/, 'no child IIN filter for a citizen');
});

test('staff see the applications with referrals to their DDOs; staff of another DDO and of another district see none of them', async () => {
  const s1 = await listIds(as('staff1'));
  assert.ok(s1.includes(D.referred.id) && s1.includes(D.enrolled.id));
  assert.ok(!s1.includes(D.queued.id), 'no referral, not visible to a DDO');
  assert.ok(!s1.includes(D.other.id) && !s1.includes(D.archived.id) && !s1.includes(D.celin.id));
  const s2 = await listIds(as('staff2'));
  assert.ok(s2.includes(D.other.id));
  assert.ok(![D.queued.id, D.referred.id, D.enrolled.id, D.archived.id, D.celin.id].some((id) => s2.includes(id)));
  const s3 = await listIds(as('staff3'));
  assert.ok(![D.queued.id, D.referred.id, D.enrolled.id, D.archived.id, D.other.id, D.celin.id].some((id) => s3.includes(id)));
});

test('reviewers see the applications of their districts; support sees every one', async () => {
  const r1 = await listIds(as('reviewer1'), '?status=queued');
  assert.ok(r1.includes(D.queued.id));
  assert.ok(!r1.includes(D.celin.id));
  const r2 = await listIds(as('reviewer2'));
  assert.deepStrictEqual(r2, [D.celin.id]);
  const sup = as('support');
  const all = srv.sql('SELECT count(*) AS n FROM application')[0].n;
  const page = await sup.get('/journal');
  assert.match(textOf(page.text), new RegExp(`Всего: ${all}`));
  assert.ok((await listIds(sup, `?number=${D.celin.number}`)).includes(D.celin.id));
  // Support finds any application by its number, its referral's number or the child's IIN (through the
  // unique indexes), and the other filters still apply.
  assert.deepStrictEqual(await listIds(sup, `?number=${D.referredRef.number}`), [D.referred.id]);
  assert.deepStrictEqual(await listIds(sup, `?iin=${D.enrolled.childIin}`), [D.enrolled.id]);
  assert.deepStrictEqual(await listIds(sup, `?iin=${D.enrolled.childIin}&number=${D.enrolled.number}`), [D.enrolled.id]);
  assert.deepStrictEqual(await listIds(sup, `?iin=${D.queued.childIin}&number=${D.enrolled.number}`), []);
  assert.deepStrictEqual(await listIds(sup, `?number=${D.referred.number}&status=queued`), []);
  assert.match(textOf((await sup.get(`/journal?number=${D.referred.number}`)).text), /Всего: 1/);
});

test('support\'s whole list by date or by number comes in that order, with the filters and the count', async () => {
  // Read through the date and number indexes (lib/journal.c): the same
  // rows, in the same order, as the database sorted the whole table.
  const sup = as('support');
  const want = (order, where = '1') => srv.sql(`SELECT id FROM application WHERE ${where} ORDER BY ${order}, id DESC LIMIT 20`).map((x) => x.id);
  assert.deepStrictEqual(await listIds(sup), want('created_at DESC'));
  assert.deepStrictEqual(await listIds(sup, '?sort=date&dir=asc'), want('created_at ASC'));
  assert.deepStrictEqual(await listIds(sup, '?sort=number&dir=asc'), want('number ASC'));
  assert.deepStrictEqual(await listIds(sup, '?sort=number&dir=desc'), want('number DESC'));
  assert.deepStrictEqual(await listIds(sup, '?status=queued'), want('created_at DESC', "status = 'queued'"));
  const y = D.queued.groupYear || srv.sql(`SELECT group_year AS y FROM application WHERE id = ${D.queued.id}`)[0].y;
  assert.deepStrictEqual(await listIds(sup, `?year=${y}&sort=number&dir=asc`), want('number ASC', `group_year = ${y}`));
  const n = srv.sql("SELECT count(*) AS n FROM application WHERE status = 'queued'")[0].n;
  assert.match(textOf((await sup.get('/journal?status=queued')).text), new RegExp(`Всего: ${n}`));
});

test('an application or document outside one\'s view is 404, whatever the id', async () => {
  const form = D.docs.find((d) => d.origin === 'applicant').id;
  const cases = [
    [D.p1, `/journal/${D.referred.id}`], [D.p1, `/journal/doc/${form}`],
    [as('staff2'), `/journal/${D.referred.id}`], [as('staff2'), `/journal/doc/${form}`],
    [as('staff3'), `/journal/${D.enrolled.id}`], [as('reviewer2'), `/journal/doc/${form}`],
    [D.p3, `/journal/doc/${D.otherDoc}`], [D.p3, `/journal/${D.other.id}`],
    [D.p3, '/journal/doc/999999'], [D.p3, '/journal/999999'],
  ];
  for (const [c, p] of cases) {
    const r = await c.get(p);
    assert.strictEqual(r.status, 404, p);
    assert.match(r.text, /Страница не найдена/);
  }
  const opened = await D.p1.get(`/journal?open=${D.referred.id}`);
  assert.doesNotMatch(opened.text, /class="app-detail"/, 'open= of a foreign id opens nothing');
  const anon = await srv.client().get(`/journal/doc/${form}`);
  assert.strictEqual(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=/);
  assert.strictEqual((await srv.client().get('/journal')).status, 303);
});

// ---- list ----

test('filters by status, group year, number (application or referral) and, for staff, child IIN', async () => {
  assert.deepStrictEqual(await listIds(D.p3, '?status=archived'), [D.archived.id]);
  assert.deepStrictEqual(await listIds(D.p3, '?year=2020'), [D.enrolled.id]);
  assert.deepStrictEqual(await listIds(D.p3, `?number=${D.referred.number}`), [D.referred.id]);
  assert.deepStrictEqual(await listIds(D.p3, `?number=${D.referredRef.number}`), [D.referred.id]);
  // A citizen's IIN filter is not offered and not applied.
  assert.strictEqual((await listIds(D.p3, `?iin=${D.queued.childIin}`)).length, 4);
  const s1 = as('staff1');
  assert.deepStrictEqual(await listIds(s1, `?iin=${D.enrolled.childIin}`), [D.enrolled.id]);
  assert.deepStrictEqual(await listIds(s1, `?iin=${D.queued.childIin}`), [], 'not theirs: not found by IIN either');
  const bad = await s1.get('/journal?iin=123&year=abc&status=nope');
  assert.strictEqual(bad.status, 422);
  const t = textOf(bad.text);
  assert.match(t, /ИИН состоит из 12 цифр/);
  assert.match(t, /Введите целое число/);
  assert.match(t, /Выберите значение из списка/);
  assert.match(bad.text, /value="123"/, 'the form keeps what was typed');
});

test('the list pages by 20 and sorts by its columns', async () => {
  const c = srv.client();
  srv.login(c, 'parent2');
  for (let i = 0; i < 23; i++) fx.application(srv, { parent: 'parent2', surname: `ЖУРНАЛОВ${String(i).padStart(2, '0')}` });
  const total = srv.sql("SELECT count(*) AS n FROM application a JOIN account p ON p.id = a.applicant_id WHERE p.iin = '950808477153'")[0].n;
  const p1 = await c.get('/journal');
  assert.strictEqual(rows(p1.text).length, 20);
  assert.match(textOf(p1.text), new RegExp(`Всего: ${total} · 1–20`));
  assert.match(p1.text, /rel="next"/);
  const p2 = await c.get('/journal?sort=date&dir=desc&page=2');
  assert.strictEqual(rows(p2.text).length, total - 20);
  assert.strictEqual(new Set([...rows(p1.text), ...rows(p2.text)]).size, total);
  const byChild = await c.get('/journal?sort=child&dir=asc');
  const names = [...byChild.text.matchAll(/<td[^>]*>(ЖУРНАЛОВ\d\d|ОТАР) /g)].map((m) => m[1]);
  assert.strictEqual(names.length, 20, 'the first page, by child');
  assert.deepStrictEqual(names, [...names].sort());
  assert.match(byChild.text, /aria-sort="ascending"/);
});

test('a row opens with the triangle on its left into the three tabs', async () => {
  const page = await D.p3.get('/journal');
  const row = page.text.match(new RegExp(`<tr id="app-${D.referred.id}"[^>]*>\\s*<td class="tri-cell"><a class="tri" href="([^"]+)" aria-expanded="false"`));
  assert.ok(row, 'the first cell holds the triangle');
  const href = row[1].replace(/&amp;/g, '&');
  assert.match(href, new RegExp(`open=${D.referred.id}#app-${D.referred.id}$`));
  const opened = await D.p3.get(href.replace(/#.*/, ''));
  assert.match(opened.text, new RegExp(`<tr id="app-${D.referred.id}" class="open">`));
  assert.match(opened.text, /aria-expanded="true"/);
  assert.match(opened.text, /class="app-detail"/);
  const tabs = [...opened.text.matchAll(/<nav class="tabs"[\s\S]*?<\/nav>/g)][0][0];
  assert.match(tabs, /aria-current="page">Информация о заявлении</);
  assert.match(tabs, />История</);
  assert.match(tabs, />Документы</);
  assert.match(tabs, new RegExp(`href="/journal\\?open=${D.referred.id}&amp;tab=history#app-${D.referred.id}"`));
  // Filters and page survive opening a row.
  const filtered = await D.p3.get('/journal?status=referred');
  const link = filtered.text.match(/<a class="tri" href="([^"]+)"/)[1];
  assert.match(link, /^\/journal\?status=referred&amp;open=\d+#app-\d+$/);
});

// ---- tabs ----

test('«Информация о заявлении»: applicant, child, application with its district, language, benefit, referral and DDO', async () => {
  const r = await D.p3.get(`/journal/${D.referred.id}`);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  const child = srv.sql(`SELECT birth_date FROM child WHERE id = ${D.referred.childId}`)[0].birth_date.split('-').reverse().join('.');
  const ddo = srv.sql(`SELECT name_ru, address FROM ddo WHERE id = ${fx.ddoOf(srv, 'staff1')}`)[0];
  for (const want of ['Заявитель', 'СМАГУЛОВА АЙНҰР ҚАЙРАТҚЫЗЫ', '930101499197', 'Ребенок', 'БАЙМУХАНОВА ДАНА',
    D.referred.childIin, child, `Номер заявления ${D.referred.number}`, 'Район г. Кокшетау', 'Год группы 2021',
    'Язык обучения русский', 'Льготность Первоочередное', 'Статус Выдано направление',
    `Номер направления ${D.referredRef.number}`, `Дошкольная организация ${ddo.name_ru}`, ddo.address]) {
    assert.ok(t.includes(want), `the info tab shows ${want}`);
  }
  assert.doesNotMatch(t, /Место в очереди/, 'no queue position once referred');
});

test('«Информация о заявлении» of a queued application shows its place in the queue (category, then time, then id)', async () => {
  const t0 = srv.now() - 30 * 86400;
  const mk = (benefit, at) => fx.application(srv, { parent: 'parent3', district: 1132, groupYear: 2019, benefit, queuedAt: at });
  const x = mk('none', t0);
  mk('first_priority', t0 + 10);
  mk('none', t0 - 5);
  mk('out_of_turn', t0 + 20);
  fx.application(srv, { parent: 'parent3', district: 1132, groupYear: 2018, benefit: 'out_of_turn', queuedAt: t0 - 99 });
  const r = await D.p3.get(`/journal/${x.id}`);
  assert.match(textOf(r.text), /Место в очереди 4 \(2 в своей категории льготности\)/);
  const first = await D.p3.get(`/journal/${D.queued.id}`);
  assert.match(textOf(first.text), /Место в очереди \d+/);
});

test('«История»: every change in order, with time, who (role and masked name) and what; unknown events stay readable', async () => {
  srv.sql(`INSERT INTO history(application_id, at, actor_id, actor_role, event, p1, p2) VALUES
    (${D.referred.id}, ${srv.now()}, NULL, 'system', 'xyz_custom', 'alpha', 'form065'),
    (${D.referred.id}, ${srv.now()}, NULL, 'system', 'sms_test_kind', NULL, NULL)`);
  const r = await D.p3.get(`/journal/${D.referred.id}?tab=history`);
  assert.strictEqual(r.status, 200);
  const body = r.text.match(/<table class="data history">[\s\S]*?<\/table>/)[0];
  const trs = [...body.matchAll(/<tr><td class="num"[^>]*>([^<]+)<\/td><td[^>]*>([\s\S]*?)<\/td><td[^>]*>([\s\S]*?)<\/td><\/tr>/g)]
    .map((m) => [m[1], textOf(m[2]), textOf(m[3])]);
  const events = srv.sql(`SELECT event FROM history WHERE application_id = ${D.referred.id} ORDER BY id`);
  assert.strictEqual(trs.length, events.length, 'every history row');
  for (const [when] of trs) assert.match(when, /^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
  const what = trs.map((x) => x[2]);
  const who = trs.map((x) => x[1]);
  const up = what.findIndex((w) => /^Загружен документ: форма №065 \(«first\.pdf»\) по направлению № \d{10}$/.test(w));
  const rep = what.findIndex((w) => /^Заменен документ: форма №065 \(«scan\.png»\)/.test(w));
  const made = what.findIndex((w) => w === `Сформирован договор № Д-${D.referredRef.number} по направлению № ${D.referredRef.number}`);
  assert.ok(made >= 0 && up > made && rep > up, `in order: ${what.join(' | ')}`);
  assert.strictEqual(who[up], 'Заявитель — СМАГУЛОВА А. Қ.');
  assert.strictEqual(who[made], 'Система');
  assert.strictEqual(what[what.length - 2], 'Событие «xyz_custom»: alpha, форма №065');
  assert.strictEqual(what[what.length - 1], 'Отправлено SMS-уведомление (test_kind)');
  // Staff of the DDO see the same history.
  const staff = await as('staff1').get(`/journal/${D.referred.id}?tab=history`);
  assert.strictEqual(rows(staff.text).length, 0);
  assert.match(textOf(staff.text), /Заменен документ: форма №065/);
});

test('«Документы»: the applicant\'s attachments and the generated documents, each downloadable with its type as an attachment', async () => {
  const r = await D.p3.get(`/journal/${D.referred.id}?tab=docs`);
  const t = textOf(r.text);
  assert.match(t, /Приложения к заявлению/);
  assert.match(t, /Общие документы/);
  const applicant = r.text.match(/<table class="data docs docs-applicant">[\s\S]*?<\/table>/)[0];
  const system = r.text.match(/<table class="data docs docs-system">[\s\S]*?<\/table>/)[0];
  assert.match(textOf(applicant), /Форма №065 заменен \d\d\.\d\d\.\d{4} \d\d:\d\d first\.pdf/);
  assert.match(textOf(applicant), /Форма №065 scan\.png/);
  assert.match(textOf(system), new RegExp(`Договор Д-${D.referredRef.number}`));
  const contract = D.docs.find((d) => d.kind === 'contract');
  assert.match(system, new RegExp(`href="/journal/doc/${contract.id}"`));
  assert.match(system, new RegExp(`href="/check/${contract.check_code}"`));
  for (const d of D.docs) {
    assert.match(r.text, new RegExp(`href="/journal/doc/${d.id}"`));
    for (const who of [D.p3, as('staff1'), as('reviewer1'), as('support')]) {
      const dl = await who.get(`/journal/doc/${d.id}`);
      assert.strictEqual(dl.status, 200);
      assert.match(dl.headers['content-disposition'], /^attachment; filename="[A-Za-z0-9_.-]+"$/);
      assert.strictEqual(crypto.createHash('sha256').update(dl.body).digest('hex'), d.sha256);
    }
  }
  const png = await D.p3.get(`/journal/doc/${D.docs.find((d) => d.kind === 'form065' && !d.replaced_at).id}`);
  assert.strictEqual(png.headers['content-type'], 'image/png');
  assert.strictEqual(png.headers['x-content-type-options'], 'nosniff');
  const pdf = await D.p3.get(`/journal/doc/${contract.id}`);
  assert.strictEqual(pdf.headers['content-type'], 'application/pdf');
  const empty = await D.p3.get(`/journal/${D.queued.id}?tab=docs`);
  assert.match(textOf(empty.text), /Приложения к заявлению Документов нет\. Общие документы Документов нет\./);
});

// ---- the check page ----

test('the check page confirms a generated document by its code, with no personal data, and compares a file by hash', async () => {
  const contract = D.docs.find((d) => d.kind === 'contract');
  const c = srv.client();
  const r = await c.get(`/check/${contract.check_code}`);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Документ найден/);
  assert.match(t, /Вид документа Договор/);
  assert.match(t, new RegExp(`Номер Д-${D.referredRef.number}`));
  assert.match(t, /Сформирован \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.ok(t.includes(contract.sha256));
  for (const secret of ['БАЙМУХАНОВА', 'СМАГУЛОВА', D.referred.childIin, '930101499197', D.referred.number]) {
    assert.ok(!r.text.includes(secret), `no personal data: ${secret}`);
  }
  const bytes = (await D.p3.get(`/journal/doc/${contract.id}`)).body;
  const same = await c.upload(`/check/${contract.check_code}`, {}, { file: { name: 'contract.pdf', type: 'application/pdf', data: bytes } });
  assert.strictEqual(same.status, 200);
  assert.match(textOf(same.text), /Документ не изменен: файл совпадает с документом, сформированным системой/);
  const changed = Buffer.from(bytes);
  changed[changed.length - 20] ^= 1;
  const diff = await c.upload(`/check/${contract.check_code}`, {}, { file: { name: 'contract.pdf', type: 'application/pdf', data: changed } });
  assert.strictEqual(diff.status, 200);
  assert.match(textOf(diff.text), /Этот файл отличается от документа, сформированного системой/);
  assert.ok(diff.text.includes(crypto.createHash('sha256').update(changed).digest('hex')));
  const none = await c.upload(`/check/${contract.check_code}`, {}, {});
  assert.strictEqual(none.status, 422);
  assert.match(textOf(none.text), /Выберите файл для сравнения/);
  const forged = await srv.client().upload(`/check/${contract.check_code}`, { csrf: 'x' }, { file: { name: 'a', data: bytes } });
  assert.strictEqual(forged.status, 403);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE sha256 = '${crypto.createHash('sha256').update(changed).digest('hex')}'`)[0].n, 0, 'nothing kept');
});

test('an unknown or malformed check code gets 404 with a message', async () => {
  for (const code of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', D.docs.find((d) => d.origin === 'applicant').sha256.slice(0, 22)]) {
    const r = await srv.client().get(`/check/${code}`);
    assert.strictEqual(r.status, 404, code);
    assert.match(textOf(r.text), /Документ с таким кодом проверки не найден/);
  }
});

test('the journal speaks Kazakh too', async () => {
  const c = srv.client();
  srv.login(c, 'parent3');
  c.cookies.set('lang', 'kk');
  const r = await c.get(`/journal?open=${D.referred.id}`);
  const t = textOf(r.text);
  assert.match(t, /МДҰ-ға қабылдауға арналған өтініштер журналы/);
  assert.match(t, /Өтініш туралы ақпарат/);
  assert.match(t, /Жолдама берілді/);
});

run();
