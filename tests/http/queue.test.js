// Putting a child in the queue (/queue), the citizen's own applications
// (/queue/my, /queue/app/ID) and withdrawal, through the real nginx and
// programs: the number, the queue time, the group year and the position;
// every kind of bad input re-renders the form with its values and a
// message at the field and writes nothing; a child in an active
// application anywhere in the region is refused with that number.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
const YEAR = new Date(Date.now() + 5 * 3600 * 1000).getUTCFullYear();   // Kazakhstan's calendar year
before(async () => {
  // (parent1 registers many children here: the cap per applicant is parentage.test.js's)
  srv = await Server.start({ conf: 'Upload.FileMaxBytes = 1048576\nUpload.MaxBytes = 1572864\nQueue.MaxActivePerApplicant = 1000' });
});
after(async () => { if (srv) await srv.stop(); });

let serial = 4000;
const childIin = (year = YEAR - 3, sex = 'M') => fx.iin(`${year}-04-1${serial % 9}`, sex, serial++);

// What a registration writes, to prove that a refused one wrote nothing.
function counts() {
  return srv.sql(`SELECT (SELECT count(*) FROM child) AS child, (SELECT count(*) FROM application) AS app,
    (SELECT count(*) FROM document) AS doc, (SELECT count(*) FROM history) AS hist,
    (SELECT count(*) FROM audit) AS audit, (SELECT coalesce(sum(last), 0) FROM app_seq) AS seq`)[0];
}

async function citizen(who = 'parent1', district = 1110) {
  const c = srv.client();
  srv.login(c, who);
  if (district) c.cookies.set('district', String(district));
  const r = await c.get('/queue');
  assert.strictEqual(r.status, 200);
  return c;
}

function form(over = {}) {
  return {
    child_iin: childIin(), child_surname: 'Нурланов', child_name: 'Алихан', child_patronymic: 'Асхатович',
    phone: '+7 701 555 00 07', email: 'parent@mail.kz', district: '1110', language: 'ru', benefit: 'none',
    action: 'save', ...over,
  };
}

// Posts the form as the browser does (multipart), returns the response.
// The register of persons has the client as a parent of the form's child.
function register(c, data, files = {}) { return c.upload('/queue', fx.gbdForForm(srv, c, data), files); }

function fieldError(html, field) {
  const m = html.match(new RegExp(`<span class="field-error" id="err-${field}">([^<]*)</span>`));
  return m ? m[1] : null;
}

test('the form is for logged-in citizens: an anonymous visitor is sent to the login page', async () => {
  const r = await srv.client().get('/queue');
  assert.strictEqual(r.status, 303);
  assert.match(r.location, /^\/login\?next=%2Fqueue/);
  const staff = srv.client();
  srv.login(staff, 'staff1');
  assert.strictEqual((await staff.get('/queue')).status, 403);
});

test('the form shows the applicant from the session, the contacts, the chosen district and its DDOs by kind', async () => {
  const c = srv.client();
  srv.login(c, 'parent1');
  c.cookies.set('district', '1166');
  const r = await c.get('/queue');
  const t = textOf(r.text);
  assert.match(t, /ФИО заявителя НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.match(t, /ИИН заявителя 900517322416/);
  assert.match(r.text, /name="phone" value="\+77015550007"/);
  assert.match(r.text, /<option value="1166" selected>Целиноградский район<\/option>/);
  assert.match(r.text, /<option value="ru" selected>русский<\/option>/);
  const ddos = srv.sql("SELECT id, kind FROM ddo WHERE district_id = 1166 ORDER BY id");
  for (const d of ddos) assert.match(r.text, new RegExp(`<option value="${d.id}"`));
  assert.match(r.text, /<optgroup label="Государственные детские сады \(ГДС\)">\s*<option value="\d+"/);
  assert.match(r.text, /<optgroup label="Мини-центры">\s*<option value="\d+"/);
  // Every benefit category with its legal ground, and the preschool age rule.
  assert.match(t, /Внеочередное право/);
  assert.match(t, /Дети военнослужащих, погибших, умерших или пропавших без вести/);
  assert.match(t, /Основание: Закон РК от 16 февраля 2012 года № 561-IV/);
  assert.match(t, /Первоочередное право/);
  assert.match(t, /Дети из многодетных семей/);
  assert.match(t, new RegExp(`год рождения не ранее ${YEAR - 7}`));
  assert.match(r.text, /<script src="\/js\/queue.js" defer>/);
});

test('a citizen registers a child: number, queue time, group year, position, history and audit', async () => {
  const c = await citizen();
  const before = counts();
  const iin = childIin(YEAR - 3, 'F');
  const ddo = fx.ddoInDistrict(srv, 1110);
  const r = await register(c, form({ child_iin: iin, child_surname: 'нурланова', child_name: 'Айша', child_patronymic: '', ddo1: ddo }));
  assert.strictEqual(r.status, 303, r.text.slice(0, 400));
  const id = Number(r.location.match(/^\/queue\/app\/(\d+)$/)[1]);
  const app = srv.sql(`SELECT a.*, c.iin, c.surname, c.name, c.birth_date, c.sex FROM application a JOIN child c ON c.id = a.child_id WHERE a.id = ${id}`)[0];
  assert.match(app.number, new RegExp(`^UO\\.${YEAR}\\.\\d{6}\\.1$`));
  assert.strictEqual(app.status, 'queued');
  assert.strictEqual(app.group_year, YEAR - 3);
  assert.strictEqual(app.district_id, 1110);
  assert.strictEqual(app.language, 'ru');
  assert.strictEqual(app.benefit, 'none');
  assert.strictEqual(app.ddo1, ddo);
  assert.strictEqual(app.phone, '+77015550007');
  assert.strictEqual(app.email, 'parent@mail.kz');
  assert.strictEqual(app.iin, iin);
  assert.strictEqual(app.surname, 'НУРЛАНОВА', 'names are kept in capitals');
  assert.strictEqual(app.sex, 'F');
  assert.strictEqual(app.birth_date, `${YEAR - 3}-04-${iin.slice(4, 6)}`);
  assert.ok(Math.abs(app.queued_at - srv.now()) < 30);
  const after = counts();
  assert.deepStrictEqual([after.child - before.child, after.app - before.app, after.hist - before.hist, after.audit - before.audit, after.seq - before.seq], [1, 1, 1, 1, 1]);
  const h = srv.sql(`SELECT event, p1, actor_role FROM history WHERE application_id = ${id}`);
  assert.deepStrictEqual(h, [{ event: 'registered', p1: app.number, actor_role: 'citizen' }]);
  const a = srv.sql(`SELECT action, actor_role, outcome, details FROM audit WHERE object_type = 'application' AND object_id = ${id}`);
  assert.strictEqual(a.length, 1);
  assert.strictEqual(a[0].action, 'application_registered');
  assert.doesNotMatch(a[0].details, /\d{12}/, 'no IIN in the audit details');

  // The confirmation: number, date and time, group year, the current position.
  const p = await c.get(r.location);
  assert.strictEqual(p.status, 200);
  const t = textOf(p.text);
  assert.match(t, /Ребенок поставлен в очередь/);
  assert.match(t, new RegExp(`Номер заявления ${app.number.replace(/\./g, '\\.')}`));
  assert.match(t, /Дата и время постановки в очередь \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.match(t, new RegExp(`Год группы \\(год очереди\\) ${YEAR - 3}`));
  const queued = srv.sql(`SELECT count(*) AS n FROM application WHERE status = 'queued' AND district_id = 1110 AND group_year = ${YEAR - 3}`)[0].n;
  assert.match(p.text, new RegExp(`data-pos="overall">${queued}<`), 'the newest is the last of its queue');
  assert.match(t, /Состояние В очереди/);
});

test('the position follows the queue order: categories first, then the queue time', async () => {
  const year = YEAR - 4;
  // An empty queue of its own: Аршалынский район.
  const d = 1134;
  const t0 = srv.now() - 100 * 86400;
  const none1 = fx.application(srv, { district: d, groupYear: year, queuedAt: t0 });
  const first = fx.application(srv, { district: d, groupYear: year, benefit: 'first_priority', benefitGround: 'large_family', queuedAt: t0 + 86400 });
  const none2 = fx.application(srv, { district: d, groupYear: year, queuedAt: t0 + 2 * 86400 });
  const out = fx.application(srv, { district: d, groupYear: year, benefit: 'out_of_turn', benefitGround: 'orphan', queuedAt: t0 + 3 * 86400 });
  const c = await citizen('parent1', d);
  const r = await register(c, form({ child_iin: childIin(year), district: String(d), benefit: 'military' }),
    { benefit_doc: { name: 'справка.pdf', type: 'application/pdf', data: files.pdf('military') } });
  assert.strictEqual(r.status, 303, r.text.slice(0, 300));
  const p = await c.get(r.location);
  // out_of_turn (1), first_priority (the earlier one, then this one), none x2.
  assert.match(p.text, /data-pos="overall">3</);
  assert.match(p.text, /data-pos="in-category">2</);
  assert.match(p.text, /data-ahead="out_of_turn">1</);
  assert.match(p.text, /data-ahead="first_priority">1</);
  assert.match(p.text, /data-ahead="none">0</);
  assert.match(textOf(p.text), /Первоочередное право: Дети военнослужащих, проходящих воинскую службу/);
  assert.match(textOf(p.text), /Подтверждающий документ приложен/);
  const doc = srv.sql(`SELECT kind, origin, mime, filename FROM document WHERE application_id = ${r.location.split('/').pop()}`);
  assert.deepStrictEqual(doc, [{ kind: 'benefit', origin: 'applicant', mime: 'application/pdf', filename: 'справка.pdf' }]);
  void none1; void first; void none2; void out;
});

test('a citizen who logged in by one-time code gives their names; they are stored on the account', async () => {
  const iin = fx.iin('1991-02-03', 'F', 77);
  srv.sql(`INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at) VALUES ('${iin}', '', '', 1, '', 0, 0)`);
  srv.sql(`INSERT INTO bmg(phone, iin, imported_at) VALUES ('+77017770077', '${iin}', 0)`);
  const c = srv.client();
  const s = srv.login(c, iin, 'otp');
  srv.sql(`UPDATE session SET otp_phone = '+77017770077' WHERE csrf = '${s.csrf}'`);
  const f = await c.get('/queue');
  assert.match(textOf(f.text), /Вы вошли по коду из SMS, и ваши фамилия и имя нам еще не известны/);
  assert.match(f.text, /name="applicant_surname"/);
  assert.match(f.text, /name="phone" value="\+77017770077"/, 'the phone of the one-time code');
  const before = counts();
  const bad = await register(c, form({ phone: '+77017770077' }));
  assert.strictEqual(bad.status, 422);
  assert.strictEqual(fieldError(bad.text, 'applicant_surname'), 'Обязательное поле');
  assert.strictEqual(fieldError(bad.text, 'applicant_name'), 'Обязательное поле');
  assert.deepStrictEqual(counts(), before);
  const ok = await register(c, form({ phone: '+77017770077', applicant_surname: 'Сейтқали', applicant_name: 'Әсем', applicant_patronymic: 'Ерланқызы' }));
  assert.strictEqual(ok.status, 303, ok.text.slice(0, 300));
  const acc = srv.sql(`SELECT surname, name, patronymic, phone FROM account WHERE iin = '${iin}'`)[0];
  assert.deepStrictEqual(acc, { surname: 'СЕЙТҚАЛИ', name: 'ӘСЕМ', patronymic: 'ЕРЛАНҚЫЗЫ', phone: '+77017770077' });
  const again = await c.get('/queue');
  assert.doesNotMatch(again.text, /name="applicant_surname"/);
  assert.match(textOf(again.text), /ФИО заявителя СЕЙТҚАЛИ ӘСЕМ ЕРЛАНҚЫЗЫ/);
});

// Each bad input: status 422, the message at its field, the values kept,
// nothing written.
const bad = [
  ['a malformed IIN', { child_iin: '12345' }, 'child_iin', 'ИИН состоит из 12 цифр'],
  ['an IIN with letters', { child_iin: '21010150000A' }, 'child_iin', 'ИИН состоит из 12 цифр'],
  ['an IIN with a wrong check digit', () => { const i = childIin(); return { child_iin: i.slice(0, 11) + ((Number(i[11]) + 1) % 10) }; }, 'child_iin', 'Неверный ИИН: не сходится контрольная цифра'],
  ['an IIN of an impossible date', { child_iin: '220230500017' }, 'child_iin', 'Неверный ИИН: в нем закодирована несуществующая дата рождения'],
  ['a child too old', () => ({ child_iin: childIin(YEAR - 8) }), 'child_iin', `в очередь ставят детей ${YEAR - 7} года рождения и младше`],
  ['a child not yet born', () => ({ child_iin: fx.iin(`${YEAR + 1}-01-15`, 'M', 11) }), 'child_iin', 'дата рождения ребенка еще не наступила'],
  ["the applicant's own IIN", { child_iin: '900517322416' }, 'child_iin', 'Это ваш ИИН'],
  ['no child IIN', { child_iin: '' }, 'child_iin', 'Обязательное поле'],
  ['no surname', { child_surname: '' }, 'child_surname', 'Обязательное поле'],
  ['no name', { child_name: '  ' }, 'child_name', 'Обязательное поле'],
  ['digits in a name', { child_name: 'Али2' }, 'child_name', 'Допускаются только буквы'],
  ['a name too long', { child_surname: 'Ж'.repeat(101) }, 'child_surname', 'Слишком длинное значение'],
  ['no phone', { phone: '' }, 'phone', 'Обязательное поле'],
  ['a foreign phone', { phone: '+1 212 555 0100' }, 'phone', 'Введите номер телефона Казахстана'],
  ['a malformed e-mail', { email: 'parent@' }, 'email', 'Введите адрес электронной почты'],
  ['no district', { district: '' }, 'district', 'Обязательное поле'],
  ['a district that does not exist', { district: '1999' }, 'district', 'Такого района или города нет в списке'],
  ['a district that is not a number', { district: 'Кокшетау' }, 'district', 'Введите целое число'],
  ['a language outside the set', { language: 'de' }, 'language', 'Выберите значение из списка'],
  ['no language', { language: '' }, 'language', 'Обязательное поле'],
  ['a DDO that does not exist', { ddo1: '999999' }, 'ddo1', 'Этот детский сад не относится к выбранному району'],
  ['a DDO of another district', () => ({ ddo2: String(fx.ddoInDistrict(srv, 1166)) }), 'ddo2', 'Этот детский сад не относится к выбранному району'],
  ['the same DDO twice', () => { const d = String(fx.ddoInDistrict(srv, 1110)); return { ddo1: d, ddo3: d }; }, 'ddo3', 'Этот детский сад уже выбран выше'],
  ['a DDO that is not a number', { ddo1: 'abc' }, 'ddo1', 'Введите целое число'],
  ['a benefit outside the list', { benefit: 'vip' }, 'benefit', 'Выберите значение из списка'],
  ['a benefit without its document', { benefit: 'large_family' }, 'benefit_doc', 'Для льготы приложите подтверждающий документ'],
];

for (const [what, over, field, message] of bad) {
  test(`bad input: ${what} re-renders the form with the message at the field and writes nothing`, async () => {
    const c = await citizen();
    const data = form(typeof over === 'function' ? over() : over);
    const before = counts();
    const r = await register(c, data);
    assert.strictEqual(r.status, 422, `${what}: ${r.status}`);
    const err = fieldError(r.text, field);
    assert.ok(err && err.includes(message), `${what}: message at ${field}: ${err}`);
    assert.match(r.text, /Форма заполнена с ошибками/);
    // The values are kept.
    if (field !== 'child_surname') assert.match(r.text, /name="child_surname" value="Нурланов"/);
    if (field !== 'phone') assert.match(r.text, /name="phone" value="\+7 701 555 00 07"/);
    if (data.benefit !== 'none' && field !== 'benefit') assert.match(r.text, new RegExp(`value="${data.benefit}" checked`));
    assert.deepStrictEqual(counts(), before, `${what}: nothing written`);
  });
}

test('bad input: a benefit document that is not a PDF, JPEG or PNG, cut, empty or too large is refused at its field', async () => {
  const c = await citizen();
  const pdf = files.pdf('x');
  const cases = [
    [{ name: 'spravka.pdf', type: 'application/pdf', data: 'Это не PDF, а текст с расширением .pdf\n' }, 'Допускаются только PDF, JPEG или PNG'],
    [{ name: 'spravka.pdf', type: 'application/pdf', data: pdf.subarray(0, pdf.length - 40) }, 'Файл поврежден'],
    [{ name: 'spravka.pdf', type: 'application/pdf', data: Buffer.alloc(0) }, 'Файл пустой'],
    [{ name: 'big.png', type: 'image/png', data: Buffer.concat([files.png().subarray(0, 33), Buffer.alloc(1100000), files.png().subarray(33)]) }, 'Файл слишком большой: не более 1 МБ'],
  ];
  for (const [file, message] of cases) {
    const before = counts();
    const r = await register(c, form({ benefit: 'orphan' }), { benefit_doc: file });
    assert.strictEqual(r.status, 422, message);
    const err = fieldError(r.text, 'benefit_doc');
    assert.ok(err && err.includes(message), `${message}: ${err}`);
    assert.match(r.text, /value="orphan" checked/);
    assert.match(textOf(r.text), /файл нужно выбрать еще раз/);
    assert.deepStrictEqual(counts(), before);
  }
  // The same document as a PNG is fine.
  const ok = await register(c, form({ benefit: 'orphan' }), { benefit_doc: { name: 'doc.png', type: 'text/plain', data: files.png() } });
  assert.strictEqual(ok.status, 303);
  const id = ok.location.split('/').pop();
  assert.strictEqual(srv.sql(`SELECT mime FROM document WHERE application_id = ${id}`)[0].mime, 'image/png', 'typed by content');
});

test('a request above the upload limit is refused before it is read', async () => {
  const c = await citizen();
  const before = counts();
  const r = await register(c, form({ benefit: 'orphan' }), { benefit_doc: { name: 'x.pdf', type: 'application/pdf', data: Buffer.alloc(2200000, 65) } });
  assert.strictEqual(r.status, 413);
  assert.deepStrictEqual(counts(), before);
});

test('a child in an active application anywhere in the region is refused with its number', async () => {
  const c = await citizen();
  const iin = childIin();
  const first = await register(c, form({ child_iin: iin }));
  assert.strictEqual(first.status, 303);
  const number = srv.sql(`SELECT a.number FROM application a JOIN child c ON c.id = a.child_id WHERE c.iin = '${iin}'`)[0].number;
  // Another parent, another district.
  const other = await citizen('parent2', 1166);
  const before = counts();
  const r = await register(other, form({ child_iin: iin, district: '1166', child_surname: 'Тулеубаева' }));
  assert.strictEqual(r.status, 422);
  assert.strictEqual(fieldError(r.text, 'child_iin'), `Ребенок уже стоит в очереди в этом регионе: заявление № ${number}`);
  assert.match(r.text, /name="child_surname" value="Тулеубаева"/);
  assert.deepStrictEqual(counts(), before);
  // A child referred (not queued, still active) is refused too.
  const app = fx.application(srv, { district: 1166 });
  fx.referral(srv, { application: app.id, place: fx.freePlace(srv, { ddo: fx.ddoInDistrict(srv, 1166) }) });
  const r2 = await register(c, form({ child_iin: app.childIin }));
  assert.strictEqual(r2.status, 422);
  assert.match(fieldError(r2.text, 'child_iin'), new RegExp(app.number.replace(/\./g, '\\.')));
});

test('"Check the IIN" shows the birth date and sex and writes nothing; it also tells of a duplicate', async () => {
  const c = await citizen();
  const iin = fx.iin(`${YEAR - 2}-07-09`, 'F', 4321);
  const before = counts();
  const r = await register(c, { child_iin: iin, action: 'check', district: '1110', benefit: 'none' });
  assert.strictEqual(r.status, 200);
  assert.match(textOf(r.text), new RegExp(`Дата рождения: 09\\.07\\.${YEAR - 2} , Пол: женский`));
  assert.strictEqual(fieldError(r.text, 'child_surname'), null, 'no messages for the fields not filled yet');
  assert.deepStrictEqual(counts(), before);
  const app = fx.application(srv, { district: 1110 });
  const dup = await register(c, { child_iin: app.childIin, action: 'check', benefit: 'none' });
  assert.match(fieldError(dup.text, 'child_iin'), /Ребенок уже стоит в очереди/);
  const badIin = await register(c, { child_iin: '123', action: 'check', benefit: 'none' });
  assert.strictEqual(fieldError(badIin.text, 'child_iin'), 'ИИН состоит из 12 цифр');
});

test('a urlencoded form (no file) is accepted too, and a POST without the CSRF token is refused', async () => {
  const c = await citizen();
  const r = await c.post('/queue', fx.gbdForForm(srv, c, form()));
  assert.strictEqual(r.status, 303);
  const before = counts();
  const x = await c.upload('/queue', form(), {}, { csrf: false });
  assert.strictEqual(x.status, 403);
  assert.deepStrictEqual(counts(), before);
});

test('the citizen sees their own applications and withdraws one after a confirmation step', async () => {
  const c = await citizen('parent3', 1166);
  const r = await register(c, form({ district: '1166', child_surname: 'Смагулова', child_name: 'Айя' }));
  assert.strictEqual(r.status, 303);
  const id = Number(r.location.split('/').pop());
  const number = srv.sql(`SELECT number FROM application WHERE id = ${id}`)[0].number;
  const my = await c.get('/queue/my');
  assert.strictEqual(my.status, 200);
  assert.match(my.text, new RegExp(`data-number="${number.replace(/\./g, '\\.')}"`));
  assert.match(textOf(my.text), /СМАГУЛОВА АЙЯ/);
  assert.doesNotMatch(my.text, /НУРЛАНОВ/, "another citizen's children are not listed");
  assert.match(my.text, /href="\/journal"/);

  // Another citizen can neither see nor withdraw it.
  const other = await citizen('parent2');
  assert.strictEqual((await other.get(`/queue/app/${id}`)).status, 404);
  assert.strictEqual((await other.get(`/queue/withdraw/${id}`)).status, 404);
  assert.strictEqual((await other.post(`/queue/withdraw/${id}`, {})).status, 404);
  assert.strictEqual(srv.sql(`SELECT status FROM application WHERE id = ${id}`)[0].status, 'queued');

  const confirm = await c.get(`/queue/withdraw/${id}`);
  assert.strictEqual(confirm.status, 200);
  assert.match(textOf(confirm.text), /Заявление будет перемещено в архив/);
  assert.match(confirm.text, new RegExp(`<form method="post" action="/queue/withdraw/${id}"`));
  assert.strictEqual(srv.sql(`SELECT status FROM application WHERE id = ${id}`)[0].status, 'queued', 'GET changes nothing');
  assert.strictEqual((await c.post(`/queue/withdraw/${id}`, {}, { csrf: false })).status, 403);
  const w = await c.post(`/queue/withdraw/${id}`, {});
  assert.strictEqual(w.status, 303);
  assert.strictEqual(w.location, '/queue/my');
  const row = srv.sql(`SELECT status, archive_reason FROM application WHERE id = ${id}`)[0];
  assert.deepStrictEqual(row, { status: 'archived', archive_reason: 'withdrawn' });
  assert.deepStrictEqual(srv.sql(`SELECT event, p1 FROM history WHERE application_id = ${id} ORDER BY id`),
    [{ event: 'registered', p1: number }, { event: 'withdrawn', p1: number }]);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM audit WHERE action = 'application_withdrawn' AND object_id = ${id}`)[0].n, 1);
  const after = await c.get('/queue/my');
  assert.match(after.text, /Заявление отозвано и перемещено в архив/);
  assert.match(textOf(after.text), /В архиве отозвано заявителем/);
  // Withdrawn: no second withdrawal.
  const again = await c.get(`/queue/withdraw/${id}`);
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /уже не стоит в очереди/);
  assert.strictEqual((await c.post(`/queue/withdraw/${id}`, {})).status, 409);
});

test('a withdrawn child can be registered again: the next number ends in .2', async () => {
  const c = await citizen();
  const iin = childIin();
  const r1 = await register(c, form({ child_iin: iin }));
  const id1 = r1.location.split('/').pop();
  await c.post(`/queue/withdraw/${id1}`, {});
  const r2 = await register(c, form({ child_iin: iin, child_name: 'Алихан' }));
  assert.strictEqual(r2.status, 303);
  const rows = srv.sql(`SELECT a.number FROM application a JOIN child c ON c.id = a.child_id WHERE c.iin = '${iin}' ORDER BY a.id`);
  assert.strictEqual(rows.length, 2);
  assert.match(rows[0].number, /\.1$/);
  assert.match(rows[1].number, /\.2$/);
  const seq = (n) => Number(n.split('.')[2]);
  assert.strictEqual(seq(rows[1].number), seq(rows[0].number) + 1);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM child WHERE iin = '${iin}'`)[0].n, 1, 'the child row is reused');
});

test('the DDO lists of a district are served as JSON for the form script', async () => {
  const r = await srv.client().get('/queue/ddos?district=1166');
  assert.strictEqual(r.status, 200);
  assert.match(r.headers['content-type'], /^application\/json/);
  const list = JSON.parse(r.text);
  const ids = srv.sql('SELECT id FROM ddo WHERE district_id = 1166').map((x) => x.id).sort();
  assert.deepStrictEqual(list.map((x) => x.id).sort(), ids);
  assert.ok(list.some((x) => /\(Мини-центр\)$/.test(x.label)));
  assert.strictEqual((await srv.client().get('/queue/ddos?district=99')).status, 404);
  assert.strictEqual((await srv.client().get('/queue/ddos?district=x')).status, 404);
});

test('the form and the pages speak Kazakh too', async () => {
  const c = await citizen();
  c.cookies.set('lang', 'kk');
  const f = await c.get('/queue');
  assert.match(textOf(f.text), /Кезекке қою/);
  assert.match(textOf(f.text), /Кезектен тыс құқық/);
  const r = await register(c, form({ child_iin: '1' }));
  assert.strictEqual(r.status, 422);
  assert.strictEqual(fieldError(r.text, 'child_iin'), 'ЖСН 12 цифрдан тұрады');
  const ok = await register(c, form());
  const p = await c.get(ok.location);
  assert.match(textOf(p.text), /Бала кезекке қойылды/);
  assert.match(textOf(p.text), /Кезектегі жалпы орны/);
});

run();
