// The support screen (/admin) through real nginx and the real programs:
// who may open it; a DDO with the data of seed 000 section 1.4; a staff
// member attached to it who then logs in with the one-time password and
// must change it; reviewers, password resets, deactivation; the БМГ CSV
// import and its report; the audit log with its chain check; the holiday
// calendar. Every change leaves an audit row.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

const P = Server.persons();
let srv;
let sup;   // a client logged in as support
before(async () => {
  srv = await Server.start();
  sup = srv.client();
  srv.login(sup, 'support');
});
after(async () => { if (srv) await srv.stop(); });

const flashOf = (r) => { const m = r.text.match(/<div class="flash" role="status">([\s\S]*?)<\/div>/); return m ? textOf(m[1]) : null; };
const lastAudit = (action) => fx.audit(srv, action)[0];
const idFrom = (loc, re) => Number(loc.match(re)[1]);

const DDO = {
  name_kk: '«Арай» бөбекжай-бақшасы', name_ru: 'Ясли-сад «Арай»', address: 'г. Кокшетау, ул. Абая, 15',
  phone: '8 (7162) 25-10-10', website: 'arai-ddo.kz', kind: 'private_subsidised', owner_iin: fx.iin('1984-06-12', 'F', 321),
  owner_phone: '+7 701 777 66 55', owner_email: 'arai@mail.kz', district: 1110, bin: '', capacity: 120,
};

test('only support opens /admin: anonymous to the login, citizen, staff and reviewer get 403', async () => {
  const anon = srv.client();
  for (const p of ['/admin', '/admin/ddo', '/admin/accounts/new', '/admin/audit', '/admin/bmg', '/admin/holidays']) {
    const r = await anon.get(p);
    assert.strictEqual(r.status, 303, p);
    assert.strictEqual(r.location, `/login?next=${encodeURIComponent(p)}`);
  }
  for (const who of ['parent1', 'staff1', 'reviewer1']) {
    const c = srv.client();
    srv.login(c, who);
    assert.strictEqual((await c.get('/admin')).status, 403, who);
    assert.strictEqual((await c.get('/admin/accounts')).status, 403, who);
    const before = srv.sql('SELECT count(*) AS n FROM ddo')[0].n;
    const p = await c.post('/admin/ddo/new', DDO);
    assert.strictEqual(p.status, 403, `${who} POST`);
    assert.strictEqual(srv.sql('SELECT count(*) AS n FROM ddo')[0].n, before);
  }
  const r = await sup.get('/admin');
  assert.strictEqual(r.status, 200);
  for (const s of ['Детские сады', 'Учетные записи', 'БМГ', 'Календарь', 'Журнал аудита']) assert.ok(textOf(r.text).includes(s), s);
});

test('the DDO form asks for exactly the data of seed 000 section 1.4, plus district, BIN and capacity', async () => {
  const r = await sup.get('/admin/ddo/new');
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  for (const s of ['Полное наименование на казахском языке', 'Полное наименование на русском языке', 'Адрес ДДО',
    'Телефон ДДО', 'Веб-сайт ДДО', 'Тип ДДО', 'ИИН владельца ДДО', 'Телефон владельца ДДО', 'E-mail владельца ДДО',
    'Район или город', 'БИН', 'Проектная мощность']) assert.ok(t.includes(s), s);
  for (const k of ['Государственный детский сад (ГДС)', 'Частный детский сад по гос. дотации (ЧДС)', 'Мини-центр']) assert.ok(t.includes(k), k);
});

test('a DDO with bad data is refused field by field, and nothing is written', async () => {
  await sup.get('/admin/ddo/new');
  const before = srv.sql('SELECT count(*) AS n FROM ddo')[0].n;
  const r = await sup.post('/admin/ddo/new', {
    ...DDO, name_ru: '', owner_iin: '123', owner_email: 'no-at', phone: '12', website: 'not a site', kind: 'palace',
    district: 9999, bin: '123456789012',
  });
  assert.strictEqual(r.status, 422);
  const errs = Object.fromEntries([...r.text.matchAll(/id="err-([a-z_]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
  assert.deepStrictEqual(errs, {
    name_ru: 'Обязательное поле', phone: 'Введите номер телефона Казахстана, например +7 701 123 45 67',
    website: 'Введите адрес сайта, например balapan.kz или https://balapan.kz', kind: 'Выберите значение из списка',
    owner_iin: 'ИИН состоит из 12 цифр', owner_email: 'Введите адрес электронной почты, например name@mail.kz',
    district: 'Выберите значение из списка', bin: 'Неверный БИН: не сходится контрольная цифра',
  });
  assert.match(r.text, /value="«Арай» бөбекжай-бақшасы"/, 'the form keeps what was typed');
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM ddo')[0].n, before);
});

let ddoId;
test('support creates a DDO; it is in the list (filter by district and name) and in the audit', async () => {
  await sup.get('/admin/ddo/new');
  const r = await sup.post('/admin/ddo/new', DDO);
  assert.strictEqual(r.status, 303);
  ddoId = idFrom(r.location, /^\/admin\/ddo\/(\d+)$/);
  const row = srv.sql(`SELECT name_kk, name_ru, address, phone, website, kind, owner_iin, owner_phone, owner_email,
    district_id, bin, capacity, active FROM ddo WHERE id = ${ddoId}`)[0];
  assert.deepStrictEqual(row, {
    name_kk: DDO.name_kk, name_ru: DDO.name_ru, address: DDO.address, phone: '+77162251010', website: 'arai-ddo.kz',
    kind: 'private_subsidised', owner_iin: DDO.owner_iin, owner_phone: '+77017776655', owner_email: 'arai@mail.kz',
    district_id: 1110, bin: null, capacity: 120, active: 1,
  });
  const a = lastAudit('ddo_created');
  assert.strictEqual(a.object_id, ddoId);
  assert.strictEqual(a.actor_id, fx.accountId(srv, 'support'));
  const page = await sup.get(r.location);
  assert.strictEqual(flashOf(page), 'ДДО добавлен.');
  const list = await sup.get('/admin/ddo?district=1110&q=' + encodeURIComponent('Арай'));
  const rows = [...list.text.matchAll(/<a href="\/admin\/ddo\/(\d+)">([^<]+)<\/a>/g)];
  assert.deepStrictEqual(rows.map((m) => Number(m[1])), [ddoId]);
  const other = await sup.get('/admin/ddo?district=1166&q=' + encodeURIComponent('Арай'));
  assert.doesNotMatch(other.text, new RegExp(`/admin/ddo/${ddoId}"`));
  const all = await sup.get('/admin/ddo?district=1110');
  assert.ok([...all.text.matchAll(/<a href="\/admin\/ddo\/\d+">/g)].length >= 6, 'the district has its demo DDOs too');
});

test('support edits a DDO: BIN, kind, deactivation; the audit records it', async () => {
  await sup.get(`/admin/ddo/${ddoId}`);
  const bin = '050440012343';
  const r = await sup.post(`/admin/ddo/${ddoId}`, { ...DDO, kind: 'mini_centre', bin, capacity: 30, active: '1' });
  assert.strictEqual(r.status, 303);
  assert.deepStrictEqual(srv.sql(`SELECT kind, bin, capacity, active FROM ddo WHERE id = ${ddoId}`)[0],
    { kind: 'mini_centre', bin, capacity: 30, active: 1 });
  assert.strictEqual(lastAudit('ddo_updated').object_id, ddoId);
  const page = await sup.get(`/admin/ddo/${ddoId}`);
  assert.match(page.text, /name="bin"[^>]*value="050440012343"/);
  assert.strictEqual((await sup.post('/admin/ddo/999999', DDO)).status, 404);
});

let staffId;
let oneTime;
const newStaff = { iin: fx.iin('1990-09-09', 'F', 55), surname: 'ЖАКСЫБЕКОВА', name: 'АЛИЯ', patronymic: 'НУРЛАНОВНА', phone: '+77017001122' };

test('support creates a staff member attached to the DDO; the one-time password is shown once', async () => {
  const form = await sup.get(`/admin/accounts/new?ddo=${ddoId}`);
  assert.match(form.text, new RegExp(`name="iin"[^>]*value="${DDO.owner_iin}"`), 'prefilled with the owner');
  const missing = await sup.post('/admin/accounts/new', { ...newStaff, role: 'staff' });
  assert.strictEqual(missing.status, 422);
  assert.ok(textOf(missing.text).includes('Выберите ДДО сотрудника'));
  const r = await sup.post('/admin/accounts/new', { ...newStaff, role: 'staff', ddo: ddoId });
  assert.strictEqual(r.status, 303);
  staffId = idFrom(r.location, /^\/admin\/accounts\/(\d+)$/);
  const page = await sup.get(r.location);
  const f = flashOf(page);
  assert.match(f, /^Одноразовый пароль .*: ([A-Za-z0-9]{12})$/);
  oneTime = f.match(/([A-Za-z0-9]{12})$/)[1];
  assert.ok(textOf(page.text).includes('Ясли-сад «Арай»'), 'the DDO on the card');
  const again = await sup.get(r.location);
  assert.strictEqual(flashOf(again), null, 'shown once');
  assert.ok(!again.text.includes(oneTime));
  const acct = srv.sql(`SELECT roles, pw_must_change, phone, surname, pw_hash FROM account WHERE id = ${staffId}`)[0];
  assert.strictEqual(acct.roles, 2);
  assert.strictEqual(acct.pw_must_change, 1);
  assert.strictEqual(acct.phone, '+77017001122');
  assert.match(acct.pw_hash, /^\$argon2id\$/);
  assert.ok(!acct.pw_hash.includes(oneTime));
  assert.deepStrictEqual(srv.sql(`SELECT ddo_id FROM ddo_staff WHERE account_id = ${staffId}`), [{ ddo_id: ddoId }]);
  const a = lastAudit('account_created');
  assert.strictEqual(a.object_id, staffId);
  assert.doesNotMatch(a.details, new RegExp(oneTime), 'the password is not in the audit');
  assert.ok(!srv.logs().includes(oneTime), 'nor in any log');
});

test('the new staff member logs in with the one-time password, must change it, then works', async () => {
  const c = srv.client();
  await c.get('/login?tab=iin');
  const r = await c.post('/login/password', { iin: newStaff.iin, password: oneTime });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, '/login/password');
  assert.ok(!fx.sessionAccount(srv, c));
  await c.get(r.location);
  const done = await c.post('/login/password/change', { password: 'Arai-2026-secret', password2: 'Arai-2026-secret' });
  assert.strictEqual(done.status, 303);
  assert.strictEqual(done.location, '/cabinet');
  assert.strictEqual(fx.sessionAccount(srv, c), staffId);
  assert.strictEqual(srv.sql(`SELECT pw_must_change FROM account WHERE id = ${staffId}`)[0].pw_must_change, 0);
  assert.strictEqual((await c.get('/admin')).status, 403, 'staff, not support');
  const d = await sup.get(`/admin/ddo/${ddoId}`);
  assert.ok(textOf(d.text).includes('ЖАКСЫБЕКОВА АЛИЯ НУРЛАНОВНА'), 'listed among the DDO staff');
});

test('support attaches the staff member to a second DDO and detaches from it', async () => {
  const other = fx.ddoInDistrict(srv, 1166);
  await sup.get(`/admin/accounts/${staffId}`);
  assert.strictEqual((await sup.post(`/admin/accounts/${staffId}/ddo`, { ddo: 999999 })).status, 422);
  const r = await sup.post(`/admin/accounts/${staffId}/ddo`, { ddo: other });
  assert.strictEqual(r.status, 303);
  assert.deepStrictEqual(srv.sql(`SELECT ddo_id FROM ddo_staff WHERE account_id = ${staffId} ORDER BY ddo_id`).map((x) => x.ddo_id),
    [other, ddoId].sort((a, b) => a - b));
  assert.match(lastAudit('staff_attached').details, new RegExp(`ddo=${other}`));
  await sup.get(`/admin/accounts/${staffId}`);
  const d = await sup.post(`/admin/accounts/${staffId}/ddo/${other}/detach`, {});
  assert.strictEqual(d.status, 303);
  assert.deepStrictEqual(srv.sql(`SELECT ddo_id FROM ddo_staff WHERE account_id = ${staffId}`), [{ ddo_id: ddoId }]);
  assert.strictEqual(lastAudit('staff_detached').object_id, staffId);
  assert.strictEqual((await sup.post(`/admin/accounts/${staffId}/ddo/${other}/detach`, {})).status, 404);
});

test('support creates a reviewer for two districts', async () => {
  await sup.get('/admin/accounts/new');
  const iin = fx.iin('1975-03-03', 'M', 91);
  const bad = await sup.post('/admin/accounts/new', { iin, surname: 'ТОКАЕВ', name: 'ЕРЛАН', phone: '+77017003344', role: 'reviewer' });
  assert.strictEqual(bad.status, 422);
  assert.ok(textOf(bad.text).includes('Выберите район уполномоченного лица'));
  const r = await sup.post('/admin/accounts/new', { iin, surname: 'ТОКАЕВ', name: 'ЕРЛАН', phone: '+77017003344', role: 'reviewer', district: 1132 });
  const id = idFrom(r.location, /(\d+)$/);
  await sup.get(r.location);
  assert.strictEqual((await sup.post(`/admin/accounts/${id}/district`, { district: 1170 })).status, 303);
  assert.deepStrictEqual(srv.sql(`SELECT district_id FROM reviewer_district WHERE account_id = ${id} ORDER BY district_id`).map((x) => x.district_id), [1132, 1170]);
  assert.strictEqual(srv.sql(`SELECT roles FROM account WHERE id = ${id}`)[0].roles, 4);
  await sup.get(`/admin/accounts/${id}`);
  assert.strictEqual((await sup.post(`/admin/accounts/${id}/district/1132/remove`, {})).status, 303);
  assert.deepStrictEqual(srv.sql(`SELECT district_id FROM reviewer_district WHERE account_id = ${id}`), [{ district_id: 1170 }]);
  assert.strictEqual(lastAudit('reviewer_district_removed').object_id, id);
  const list = await sup.get('/admin/accounts?role=reviewer&q=' + encodeURIComponent('ТОКАЕВ'));
  assert.ok(textOf(list.text).includes('ТОКАЕВ ЕРЛАН') && textOf(list.text).includes('Бурабайский район'));
});

test('a person who already has an account gets the role added, keeping their data', async () => {
  await sup.get('/admin/accounts/new');
  const r = await sup.post('/admin/accounts/new', { iin: P.parent2.iin, surname: 'ДРУГАЯ', name: 'ФАМИЛИЯ', phone: '+77019990000', role: 'staff', ddo: ddoId });
  assert.strictEqual(r.status, 303);
  const a = srv.sql(`SELECT id, roles, surname, phone, pw_must_change FROM account WHERE iin = '${P.parent2.iin}'`)[0];
  assert.strictEqual(a.roles, 3, 'citizen and staff');
  assert.strictEqual(a.surname, 'ТУЛЕУБАЕВА');
  assert.strictEqual(a.phone, P.parent2.phone);
  assert.strictEqual(a.pw_must_change, 1, 'she had no password: a one-time one');
  assert.strictEqual(lastAudit('account_role_added').object_id, a.id);
  assert.match(flashOf(await sup.get(r.location)), /^Одноразовый пароль/);
  // Staff that already has a password keeps it.
  await sup.get('/admin/accounts/new');
  const s = await sup.post('/admin/accounts/new', { iin: P.staff1.iin, surname: 'X', name: 'Y', phone: '+77010000000', role: 'staff', ddo: ddoId });
  assert.strictEqual(flashOf(await sup.get(s.location)), 'У этого ИИН уже была учетная запись: ей добавлена роль, пароль прежний.');
  assert.strictEqual(srv.sql(`SELECT pw_must_change FROM account WHERE iin = '${P.staff1.iin}'`)[0].pw_must_change, 0);
});

test('a password reset gives a new one-time password and ends the account\'s sessions', async () => {
  const c = srv.client();
  await c.get('/login?tab=iin');
  await c.post('/login/password', { iin: newStaff.iin, password: 'Arai-2026-secret' });
  assert.strictEqual(fx.sessionAccount(srv, c), staffId);
  await sup.get(`/admin/accounts/${staffId}`);
  const r = await sup.post(`/admin/accounts/${staffId}/password`, {});
  assert.strictEqual(r.status, 303);
  const pw = flashOf(await sup.get(r.location)).match(/([A-Za-z0-9]{12})$/)[1];
  assert.notStrictEqual(pw, oneTime);
  assert.strictEqual(fx.sessionAccount(srv, c), undefined, 'the staff member was logged out');
  assert.strictEqual(lastAudit('password_reset').object_id, staffId);
  const d = srv.client();
  await d.get('/login?tab=iin');
  assert.strictEqual((await d.post('/login/password', { iin: newStaff.iin, password: 'Arai-2026-secret' })).status, 422);
  assert.strictEqual((await d.post('/login/password', { iin: newStaff.iin, password: pw })).location, '/login/password');
});

test('a deactivated account cannot log in and its sessions end; support cannot deactivate itself', async () => {
  const c = srv.client();
  srv.login(c, 'staff3');
  const id = fx.accountId(srv, 'staff3');
  await sup.get(`/admin/accounts/${id}`);
  assert.strictEqual((await sup.post(`/admin/accounts/${id}/active`, { active: '0' })).status, 303);
  assert.strictEqual(fx.sessionAccount(srv, c), undefined);
  assert.strictEqual(lastAudit('account_deactivated').object_id, id);
  const d = srv.client();
  await d.get('/login?tab=iin');
  const r = await d.post('/login/password', { iin: P.staff3.iin, password: 'demo-kg-2026' });
  assert.strictEqual(r.status, 403);
  await sup.get(`/admin/accounts/${id}`);
  assert.strictEqual((await sup.post(`/admin/accounts/${id}/active`, { active: '1' })).status, 303);
  assert.strictEqual((await d.post('/login/password', { iin: P.staff3.iin, password: 'demo-kg-2026' })).status, 303);
  const me = fx.accountId(srv, 'support');
  await sup.get(`/admin/accounts/${me}`);
  const self = await sup.post(`/admin/accounts/${me}/active`, { active: '0' });
  assert.strictEqual(self.status, 422);
  assert.ok(textOf(self.text).includes('Нельзя отключить собственную учетную запись.'));
  assert.strictEqual(srv.sql(`SELECT active FROM account WHERE id = ${me}`)[0].active, 1);
});

test('the account list finds any account by IIN, a citizen too', async () => {
  const r = await sup.get(`/admin/accounts?q=${P.parent1.iin}`);
  assert.ok(textOf(r.text).includes('НУРЛАНОВ АСХАТ БОЛАТОВИЧ'));
  const all = await sup.get('/admin/accounts');
  assert.ok(!textOf(all.text).includes('НУРЛАНОВ АСХАТ'), 'citizens are not listed without a search');
  assert.ok(textOf(all.text).includes('АХМЕТОВА АЙГУЛЬ СЕРИКОВНА'));
});

// ---------------------------------------------------------------- БМГ

function uploadCsv(text, replace) {
  const fields = replace ? { replace: '1' } : {};
  return sup.upload('/admin/bmg', fields, { file: { name: 'bmg.csv', type: 'text/csv', data: Buffer.from(text) } });
}

test('БМГ import: header optional, ; or , separators, bad lines reported by number, the rest added in one go', async () => {
  await sup.get('/admin/bmg');
  const a = fx.iin('1993-07-07', 'M', 11);
  const b = fx.iin('1994-08-08', 'F', 12);
  const badSum = a.slice(0, 11) + String((Number(a[11]) + 1) % 10);
  const csv = '\ufeffИИН;Телефон\r\n'
    + `${a};+7 701 200 00 01\r\n`
    + `"${b}","8 (702) 200-00-02"\r\n`
    + '\r\n'
    + `${a};+7 701 200 00 01\r\n`              // the same pair again
    + `${P.parent1.iin};${P.parent1.phone}\r\n`  // already in БМГ
    + `${badSum};+77012000003\r\n`
    + `12345;+77012000004\r\n`
    + `${b};+1 555 0100\r\n`
    + `${a}\r\n`;
  const r = await uploadCsv(csv);
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 2000));
  const id = idFrom(r.location, /^\/admin\/bmg\/(\d+)$/);
  const rep = await sup.get(r.location);
  const t = textOf(rep.text);
  assert.ok(t.includes('Файл загружен, но часть строк отклонена'));
  const num = (k) => Number(rep.text.match(new RegExp(`id="r-${k}">(\\d+)<`))[1]);
  assert.deepStrictEqual([num('lines'), num('added'), num('known'), num('rejected')], [8, 2, 2, 4]);
  const rejects = [...rep.text.matchAll(/<tr><td class="num"[^>]*>(\d+)<\/td><td[^>]*>([^<]+)<\/td><\/tr>/g)].map((m) => [Number(m[1]), m[2]]);
  assert.deepStrictEqual(rejects, [
    [7, 'Не сходится контрольная цифра ИИН'], [8, 'ИИН должен состоять из 12 цифр'],
    [9, 'Неверный номер телефона Казахстана'], [10, 'Ожидается две колонки: ИИН;телефон'],
  ]);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM bmg WHERE (iin = '${a}' AND phone = '+77012000001') OR (iin = '${b}' AND phone = '+77022000002')`)[0].n, 2);
  const au = lastAudit('bmg_import');
  assert.strictEqual(au.object_id, id);
  assert.match(au.details, /added=2 known=2 removed=0 rejected=4/);
  // The imported pair can log in by code.
  const c = srv.client();
  const before = srv.sms().length;
  await c.get('/login?tab=otp');
  await c.post('/login/otp', { phone: '+77022000002', iin: b });
  const sms = await fx.smsAfter(srv, before);
  assert.strictEqual(sms.length, 1);
  assert.strictEqual((await c.post('/login/otp/code', { code: sms[0].match(/\b(\d{6})\b/)[1] })).status, 303);
});

test('БМГ replace: a file with errors changes nothing; a clean one replaces the registry', async () => {
  const total = srv.sql('SELECT count(*) AS n FROM bmg')[0].n;
  await sup.get('/admin/bmg');
  const keep = `${P.parent1.iin};${P.parent1.phone}\n${P.parent2.iin};${P.parent2.phone}\n`;
  const r = await uploadCsv(keep + 'garbage line\n', true);
  const rep = await sup.get(r.location);
  assert.ok(textOf(rep.text).includes('Ничего не изменено'));
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM bmg')[0].n, total);
  assert.strictEqual(lastAudit('bmg_import').outcome, 'refused');
  await sup.get('/admin/bmg');
  const ok = await uploadCsv(keep, true);
  const rep2 = await sup.get(ok.location);
  assert.ok(textOf(rep2.text).includes('Файл загружен без ошибок.'));
  assert.strictEqual(Number(rep2.text.match(/id="r-removed">(\d+)</)[1]), total - 2);
  assert.deepStrictEqual(srv.sql('SELECT iin FROM bmg ORDER BY iin').map((x) => x.iin), [P.parent1.iin, P.parent2.iin].sort());
  const list = await sup.get('/admin/bmg');
  assert.match(list.text, /id="bmg-count">2</);
  assert.ok(textOf(list.text).includes('замена'));
  assert.match(list.text, /<title>БМГ/);
  // The other register's page is the same page with its own words.
  const gbd = await sup.get('/admin/gbd');
  assert.match(gbd.text, /<title>ГБД ФЛ: законные представители детей/);
  assert.match(gbd.text, /id="gbd-count">\d+</);
  assert.match(gbd.text, /<form class="form" method="post" action="\/admin\/gbd"/);
  assert.ok(textOf(gbd.text).includes('Государственная база данных физических лиц'));
  assert.doesNotMatch(gbd.text, /База мобильных граждан/);
});

test('БМГ import: no file, an empty file', async () => {
  await sup.get('/admin/bmg');
  const none = await sup.upload('/admin/bmg', {}, {});
  assert.strictEqual(none.status, 422);
  assert.ok(textOf(none.text).includes('Выберите файл CSV'));
  await sup.get('/admin/bmg');
  const empty = await uploadCsv('IIN;phone\n\n');
  assert.strictEqual(empty.status, 422);
  assert.ok(textOf(empty.text).includes('В файле нет ни одной строки с данными'));
});

// ---------------------------------------------------------------- holidays

test('the holiday calendar: a year\'s days, add a holiday, a transfer, refusals, delete; deadlines see it', async () => {
  const r = await sup.get('/admin/holidays?year=2026');
  const t = textOf(r.text);
  assert.ok(t.includes('01.01.2026') && t.includes('Новый год') && t.includes('Выходной день вместо 8 марта'));
  const add = await sup.post('/admin/holidays', { day: '12.06.2026', kind: 'day_off', name_ru: 'Выходной по постановлению', name_kk: 'Қаулы бойынша демалыс' });
  assert.strictEqual(add.status, 303);
  assert.strictEqual(add.location, '/admin/holidays?year=2026');
  assert.deepStrictEqual(srv.sql("SELECT kind, name_kk FROM holiday WHERE day = '2026-06-12'"), [{ kind: 'day_off', name_kk: 'Қаулы бойынша демалыс' }]);
  assert.match(lastAudit('holiday_added').details, /^2026-06-12 day_off/);
  await sup.get('/admin/holidays?year=2026');
  const dup = await sup.post('/admin/holidays', { day: '12.06.2026', kind: 'holiday', name_ru: 'Повтор', name_kk: 'Қайталау' });
  assert.strictEqual(dup.status, 422);
  assert.ok(textOf(dup.text).includes('Этот день уже есть в календаре'));
  const wd = await sup.post('/admin/holidays', { day: '10.06.2026', kind: 'work_day', name_ru: 'Рабочий', name_kk: 'Жұмыс' });
  assert.ok(textOf(wd.text).includes('Рабочим днем по переносу может стать только суббота или воскресенье'));
  const bad = await sup.post('/admin/holidays', { day: '31.06.2026', kind: 'holiday', name_ru: 'Нет', name_kk: 'Жоқ' });
  assert.ok(textOf(bad.text).includes('Такой даты не существует'));
  assert.strictEqual((await sup.post('/admin/holidays', { day: '13.06.2026', kind: 'work_day', name_ru: 'Рабочая суббота', name_kk: 'Жұмыс сенбісі' })).status, 303);
  await sup.get('/admin/holidays?year=2026');
  const del = await sup.post('/admin/holidays/delete', { day: '12.06.2026' });
  assert.strictEqual(del.status, 303);
  assert.strictEqual(srv.sql("SELECT count(*) AS n FROM holiday WHERE day = '2026-06-12'")[0].n, 0);
  assert.match(lastAudit('holiday_deleted').details, /^2026-06-12/);
  assert.strictEqual((await sup.post('/admin/holidays/delete', { day: '12.06.2026' })).status, 404);
});

// ---------------------------------------------------------------- audit

test('the audit log pages newest first, filters by action and actor, and verifies its chain', async () => {
  const r = await sup.get('/admin/audit');
  assert.strictEqual(r.status, 200);
  assert.ok(textOf(r.text).includes('Цепочка журнала аудита цела'));
  const ids = [...r.text.matchAll(/<tr><td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  const total = srv.sql('SELECT count(*) AS n FROM audit')[0].n;
  assert.strictEqual(ids.length, Math.min(50, total));
  assert.strictEqual(ids[0], srv.sql('SELECT max(id) AS m FROM audit')[0].m);
  assert.deepStrictEqual(ids, [...ids].sort((a, b) => b - a));
  const logins = await sup.get('/admin/audit?action=login');
  const acts = [...logins.text.matchAll(/<td[^>]*>(\w+)<\/td><td[^>]*>[^<]*<\/td>\s*<td[^>]*><span class="badge/g)].map((m) => m[1]);
  assert.ok(acts.length > 0 && acts.every((a) => a === 'login'), acts.join());
  const mine = await sup.get(`/admin/audit?actor=${P.support.iin}&action=ddo_created`);
  assert.ok(textOf(mine.text).includes('ddo_created'));
  assert.ok(!textOf(mine.text).includes(P.support.iin), 'IINs masked in the log view');
  const bad = await sup.get('/admin/audit?actor=123');
  assert.strictEqual(bad.status, 422);
  // Someone with file access edits a row behind the application's back.
  srv.sql("DROP TRIGGER audit_no_update; UPDATE audit SET details = 'edited' WHERE id = 3");
  const cached = await sup.get('/admin/audit');
  assert.ok(textOf(cached.text).includes('Цепочка журнала аудита цела'), 'the result is kept a few minutes');
  const broken = await sup.get('/admin/audit?verify=1');
  assert.ok(textOf(broken.text).includes('цепочка журнала аудита нарушена начиная с записи №3'), textOf(broken.text).slice(0, 600));
});

run();
