// Parentage (issue 16, item 1), through the real nginx and programs: a
// child is registered only by a legal representative the register of
// persons (ГБД ФЛ) shows; its names come from the register; a refusal or
// an unavailable register saves nothing; a guardian the register does not
// show applies with a document, which the education department of the
// district confirms (queued with the request's date) or refuses with a
// reason; at most Queue.MaxActivePerApplicant active applications per
// applicant; support imports the register as CSV.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');
const eds = require('../lib/edsform');

let srv, cmdSrv;
const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-gbd-'));
const script = path.join(scriptDir, 'gbd-lookup.sh');
fs.chmodSync(scriptDir, 0o755);
function lookupScript(body) {
  fs.writeFileSync(script, `#!/bin/sh\n${body}\n`);
  fs.chmodSync(script, 0o755);
}

before(async () => {
  srv = await Server.start({ conf: 'Queue.MaxActivePerApplicant = 5' });
  lookupScript('exit 0');
  cmdSrv = await Server.start({ conf: `Gbd.Lookup = command\nGbd.Command = ${script}\nGbd.TimeoutMs = 700` });
});
after(async () => {
  if (srv) await srv.stop();
  if (cmdSrv) await cmdSrv.stop();
  fs.rmSync(scriptDir, { recursive: true, force: true });
});

const YEAR = new Date(Date.now() + 5 * 3600 * 1000).getUTCFullYear();
let serial = 5100;
const childIin = (sex = 'F') => fx.iin(`${YEAR - 3}-06-1${serial % 9}`, sex, serial++);
const P = Server.persons();

async function citizen(s, who = 'parent1') {
  const c = s.client();
  s.login(c, who);
  c.cookies.set('district', '1110');
  assert.strictEqual((await c.get('/queue')).status, 200);
  return c;
}

function form(over = {}) {
  return {
    child_iin: childIin(), child_surname: 'Набранная', child_name: 'Фамилия', child_patronymic: '',
    phone: '+7 701 555 00 07', email: '', district: '1110', language: 'ru', benefit: 'none', action: 'save', ...over,
  };
}

function fieldError(html, field) {
  const m = html.match(new RegExp(`<span class="field-error" id="err-${field}">([^<]*)</span>`));
  return m ? m[1] : null;
}

function written(s) {
  return s.sql(`SELECT (SELECT count(*) FROM child) AS child, (SELECT count(*) FROM application) AS app,
    (SELECT count(*) FROM guardian_request) AS req, (SELECT count(*) FROM history) AS hist`)[0];
}

const guardianDoc = () => ({ guardian_doc: { name: 'opeka.pdf', type: 'application/pdf', data: files.pdf(`guardianship ${serial}`) } });

// ---------------------------------------------------------------- the register says

test('the register names the child: its names and birth date replace what the parent typed', async () => {
  const c = await citizen(srv);
  const iin = childIin();
  srv.gbdAdd(iin, 'parent1', { surname: 'СЕЙТОВА', name: 'МИРА', patronymic: 'АСХАТОВНА' });
  // «Проверить ИИН» shows them.
  const chk = await c.upload('/queue', { child_iin: iin, action: 'check', district: '1110', benefit: 'none' });
  assert.strictEqual(chk.status, 200);
  assert.match(chk.text, /name="child_surname" value="СЕЙТОВА"/);
  assert.match(chk.text, /id="gbd-note"/);
  assert.strictEqual(fieldError(chk.text, 'child_iin'), null);
  assert.strictEqual(fieldError(chk.text, 'phone'), null, 'no messages for the fields not filled yet');
  const r = await c.upload('/queue', form({ child_iin: iin }));
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const row = srv.sql(`SELECT surname, name, patronymic, birth_date FROM child WHERE iin = '${iin}'`)[0];
  assert.deepStrictEqual(row, { surname: 'СЕЙТОВА', name: 'МИРА', patronymic: 'АСХАТОВНА', birth_date: `${YEAR - 3}-06-${iin.slice(4, 6)}` });
});

test('not a representative: a clear message at the IIN, the guardian path offered, nothing saved', async () => {
  const c = await citizen(srv, 'parent2');
  const iin = childIin();
  srv.gbdAdd(iin, 'parent1');   // someone else's child
  const before = written(srv);
  const r = await c.upload('/queue', form({ child_iin: iin }));
  assert.strictEqual(r.status, 422);
  assert.match(fieldError(r.text, 'child_iin'), /^По данным государственной базы физических лиц вы не являетесь законным представителем этого ребенка/);
  assert.match(r.text, /id="guardian-offer"/);
  assert.match(r.text, /name="child_surname" value="Набранная"/, 'the values are kept');
  assert.deepStrictEqual(written(srv), before);
  // A child the register does not know at all: its own message.
  const u = await c.upload('/queue', form());
  assert.strictEqual(u.status, 422);
  assert.match(fieldError(u.text, 'child_iin'), /^Ребенка с таким ИИН нет в государственной базе физических лиц/);
  assert.deepStrictEqual(written(srv), before);
  // In Kazakh too.
  c.cookies.set('lang', 'kk');
  const k = await c.upload('/queue', form({ child_iin: iin }));
  assert.match(fieldError(k.text, 'child_iin'), /заңды өкілі емессіз/);
});

test('command mode: exit 0 registers with the typed names, exit 1 refuses', async () => {
  const c = await citizen(cmdSrv);
  lookupScript(`[ "$2" = ${P.parent1.iin} ] && exit 0\nexit 1`);
  const r = await c.upload('/queue', form({ child_surname: 'Ахметова', child_name: 'Дана' }));
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const other = await citizen(cmdSrv, 'parent2');
  const x = await other.upload('/queue', form());
  assert.strictEqual(x.status, 422);
  assert.match(fieldError(x.text, 'child_iin'), /не являетесь законным представителем/);
});

test('command mode: an unavailable register (exit 3, or no answer in time) saves nothing and says so', async () => {
  const c = await citizen(cmdSrv);
  for (const body of ['exit 3', 'sleep 5; exit 0']) {
    lookupScript(body);
    const before = written(cmdSrv);
    const t0 = Date.now();
    const r = await c.upload('/queue', form());
    assert.strictEqual(r.status, 422, body);
    assert.strictEqual(fieldError(r.text, 'child_iin'),
      'Государственная база физических лиц сейчас недоступна. Ваши данные не сохранены; попробуйте через несколько минут.');
    assert.doesNotMatch(r.text, /id="guardian-offer"/, 'no guardian path while the register is down');
    assert.ok(Date.now() - t0 < 4000, `${body}: answered within the time limit`);
    assert.deepStrictEqual(written(cmdSrv), before, body);
  }
  lookupScript('exit 0');
});

// ---------------------------------------------------------------- guardians

// A reviewer's decision as the browser makes it: the decision and reason,
// then the text to sign, signed with the key (NCALayer's part).
async function decide(rv, id, decision, comment, key = 'reviewer1-sign') {
  const step = await rv.post(`/review/guardians/${id}`, { decision, comment });
  if (step.status !== 200) return step;
  const f = eds.form(step.text, `/review/guardians/${id}`);
  assert.match(f.text, new RegExp(comment));
  return rv.post(`/review/guardians/${id}`, { ...f.fields, cms: eds.sign(f.text, key) });
}

async function guardianRequest(who = 'parent2', over = {}, more = {}) {
  const c = await citizen(srv, who);
  const iin = childIin('M');
  const r = await c.upload('/queue', form({ child_iin: iin, child_surname: 'Опекаемый', child_name: 'Тимур', guardian: '1', ...over }),
    { ...guardianDoc(), ...more });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 600));
  assert.strictEqual(r.location, '/queue/my');
  const id = srv.sql(`SELECT id FROM guardian_request WHERE child_iin = '${iin}'`)[0].id;
  return { c, iin, id };
}

test('the guardian path needs its document, and is not an application', async () => {
  const c = await citizen(srv, 'parent2');
  const before = written(srv);
  const r = await c.upload('/queue', form({ guardian: '1' }));
  assert.strictEqual(r.status, 422);
  assert.strictEqual(fieldError(r.text, 'guardian_doc'), 'Приложите документ, подтверждающий, что вы законный представитель ребенка');
  assert.deepStrictEqual(written(srv), before);
  const g = await guardianRequest();
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM child WHERE iin = '${g.iin}'`)[0].n, 0, 'not in the queue');
  const my = await g.c.get('/queue/my');
  assert.match(textOf(my.text), /Заявления на проверке/);
  assert.match(textOf(my.text), /На проверке в отделе образования/);
  // While it is pending, nobody registers that child (the register's parent neither).
  srv.gbdAdd(g.iin, 'parent1');
  const p1 = await citizen(srv, 'parent1');
  const x = await p1.upload('/queue', form({ child_iin: g.iin }));
  assert.strictEqual(x.status, 422);
  assert.match(fieldError(x.text, 'child_iin'), new RegExp(`заявление законного представителя № ${g.id}; оно на проверке`));
  srv.sql(`DELETE FROM gbd_person WHERE child_iin = '${g.iin}'`);
});

test('the reviewer of the district confirms: the child is queued with the date of the request, the parent told', async () => {
  // With a benefit: its document travels with the request to the application.
  const g = await guardianRequest('parent2', { benefit: 'orphan' },
    { benefit_doc: { name: 'sirota.pdf', type: 'application/pdf', data: files.pdf('orphan') } });
  const created = srv.sql(`SELECT created_at FROM guardian_request WHERE id = ${g.id}`)[0].created_at;
  srv.advanceClock(5 * 86400);
  srv.login(g.c, 'parent2');   // (the session of five days ago has ended)
  // A citizen cannot open the tab; the other district's reviewer sees nothing and cannot decide.
  assert.strictEqual((await g.c.get('/review/guardians')).status, 403);
  const rv2 = srv.client();
  srv.login(rv2, 'reviewer2');
  const other = await rv2.get('/review/guardians');
  assert.strictEqual(other.status, 200);
  assert.doesNotMatch(other.text, new RegExp(`id="guardian-${g.id}"`));
  assert.strictEqual((await rv2.post(`/review/guardians/${g.id}`, { decision: 'confirm', comment: 'ok' })).status, 404);
  assert.strictEqual((await rv2.get(`/review/guardians/doc/${g.id}`)).status, 404);
  // The district's reviewer: the tab, the document, the decision.
  const rv = srv.client();
  srv.login(rv, 'reviewer1');
  const list = await rv.get('/review/guardians');
  assert.strictEqual(list.status, 200);
  assert.match(list.text, new RegExp(`id="guardian-${g.id}"`));
  assert.match(list.text, /aria-current="page">Законные представители/);
  const doc = await rv.get(`/review/guardians/doc/${g.id}`);
  assert.strictEqual(doc.status, 200);
  assert.match(doc.headers['content-type'], /application\/pdf/);
  const empty = await rv.post(`/review/guardians/${g.id}`, { decision: 'confirm', comment: '' });
  assert.strictEqual(empty.status, 422, 'the reason is required');
  // Signed by someone else: refused, nothing decided.
  const forged = await decide(rv, g.id, 'confirm', 'Решение органа опеки № 15 от 01.02.2026', 'reviewer2-sign');
  assert.strictEqual(forged.status, 422);
  assert.match(forged.text, /id="alert"/);
  assert.strictEqual(srv.sql(`SELECT status FROM guardian_request WHERE id = ${g.id}`)[0].status, 'pending');
  const sms0 = srv.sms().length;
  const ok = await decide(rv, g.id, 'confirm', 'Решение органа опеки № 15 от 01.02.2026');
  assert.strictEqual(ok.status, 303);
  const signed = srv.sql(`SELECT s.signer_iin, s.action FROM guardian_request g JOIN signature s ON s.id = g.signature_id WHERE g.id = ${g.id}`)[0];
  assert.deepStrictEqual(signed, { signer_iin: P.reviewer1.iin, action: 'guardian_confirm' });
  const app = srv.sql(`SELECT a.id, a.status, a.queued_at, a.applicant_id, c.surname FROM application a JOIN child c ON c.id = a.child_id
    WHERE c.iin = '${g.iin}'`)[0];
  assert.strictEqual(app.status, 'queued');
  assert.strictEqual(app.queued_at, created, 'queued with the date of the request');
  assert.strictEqual(app.applicant_id, fx.accountId(srv, 'parent2'));
  assert.strictEqual(app.surname, 'ОПЕКАЕМЫЙ');
  assert.deepStrictEqual(srv.sql(`SELECT a.benefit, (SELECT count(*) FROM document d WHERE d.application_id = a.id AND d.kind = 'benefit') AS docs
    FROM application a WHERE a.id = ${app.id}`)[0], { benefit: 'out_of_turn', docs: 1 });
  const hist = srv.sql(`SELECT event, p2 FROM history WHERE application_id = ${app.id} ORDER BY id`).map((h) => h.event);
  assert.ok(hist.includes('guardian_confirmed'), hist.join());
  const sms = await fx.smsAfter(srv, sms0);
  assert.match(sms.join('\n'), /подтвердил ваше право законного представителя/);
  const my = await g.c.get('/queue/my');
  assert.match(textOf(my.text), /Подтверждено/);
  // Decided: a second decision is refused.
  const again = await decide(rv, g.id, 'refuse', 'нет');
  assert.strictEqual(again.status, 409);
});

test('the reviewer refuses with a reason: nothing queued, the parent sees the reason', async () => {
  const g = await guardianRequest('parent3');
  const rv = srv.client();
  srv.login(rv, 'reviewer1');
  const sms0 = srv.sms().length;
  const r = await decide(rv, g.id, 'refuse', 'Документ не подтверждает опеку');
  assert.strictEqual(r.status, 303);
  assert.strictEqual(srv.sql(`SELECT status FROM guardian_request WHERE id = ${g.id}`)[0].status, 'refused');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM child WHERE iin = '${g.iin}'`)[0].n, 0);
  const my = await g.c.get('/queue/my');
  assert.match(textOf(my.text), /Отказано/);
  assert.match(textOf(my.text), /Документ не подтверждает опеку/);
  const sms = await fx.smsAfter(srv, sms0);
  assert.match(sms.join('\n'), new RegExp(`отказал в заявлении законного представителя № ${g.id}`));
});

// ---------------------------------------------------------------- the cap

test('at most five active applications (with pending requests) per applicant: the sixth is refused', async () => {
  const c = await citizen(srv, 'parent3');
  const mine = () => srv.sql(`SELECT (SELECT count(*) FROM application WHERE applicant_id = ${fx.accountId(srv, 'parent3')}
    AND status NOT IN ('archived','departed')) + (SELECT count(*) FROM guardian_request WHERE applicant_id = ${fx.accountId(srv, 'parent3')}
    AND status = 'pending') AS n`)[0].n;
  fx.application(srv, { parent: 'parent3', status: 'archived' });   // does not count
  while (mine() < 4) fx.application(srv, { parent: 'parent3' });
  await guardianRequest('parent3');                                  // the fifth: a pending request
  assert.strictEqual(mine(), 5);
  const f = form();
  srv.gbdAdd(f.child_iin, 'parent3');
  const before = written(srv);
  const r = await c.upload('/queue', f);
  assert.strictEqual(r.status, 422);
  assert.strictEqual(fieldError(r.text, 'child_iin'),
    'Одним заявителем может быть подано не более 5 действующих заявлений (вместе с заявлениями на проверке). Новое заявление не сохранено.');
  assert.deepStrictEqual(written(srv), before);
  const g = await c.upload('/queue', form({ guardian: '1' }), guardianDoc());
  assert.strictEqual(g.status, 422, 'a guardian request is refused the same way');
  assert.deepStrictEqual(written(srv), before);
});

// ---------------------------------------------------------------- the import

test('support imports the register: bad lines reported by number and reason; replace changes nothing with errors', async () => {
  const s = srv.client();
  srv.login(s, 'support');
  const page = await s.get('/admin/gbd');
  assert.strictEqual(page.status, 200);
  assert.match(textOf(page.text), /мать, отец, опекун, попечитель, усыновитель/);
  const k1 = childIin(), k2 = childIin();
  const d = (iin) => `${iin.slice(4, 6)}.${iin.slice(2, 4)}.${YEAR - 3}`;
  const csv = `ИИН ребенка;Фамилия;Имя;Отчество;Дата рождения;ИИН представителя;Кем приходится\n`
    + `${k1};Алиева;Сара;;${d(k1)};${P.parent2.iin};мать\n`
    + `${k2};Алиев;Тимур;;01.01.2000;${P.parent2.iin};мать\n`
    + `${k2};Алиев;Тимур;;${d(k2)};${P.parent2.iin};тётя\n`;
  const r = await s.upload('/admin/gbd', {}, { file: { name: 'gbd.csv', type: 'text/csv', data: csv } });
  assert.strictEqual(r.status, 303);
  const rep = await s.get(r.location);
  const t = textOf(rep.text);
  assert.match(t, /Дата рождения не указана, неверна или не совпадает с датой в ИИН ребенка/);
  assert.match(t, /Неизвестное значение «кем приходится»/);
  assert.match(rep.text, /<td class="num"[^>]*>3<\/td><td[^>]*>Дата рождения/);
  assert.match(rep.text, /<td class="num"[^>]*>4<\/td><td[^>]*>Неизвестное/);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM gbd_person WHERE child_iin IN ('${k1}', '${k2}')`)[0].n, 1);
  // The imported pair works at once.
  const c = await citizen(srv, 'parent2');
  const ok = await c.upload('/queue', form({ child_iin: k1 }));
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(srv.sql(`SELECT name FROM child WHERE iin = '${k1}'`)[0].name, 'САРА');
  // Replace with a bad line: refused, nothing removed.
  const n0 = srv.sql('SELECT count(*) AS n FROM gbd_person')[0].n;
  const bad = await s.upload('/admin/gbd', { replace: '1' }, { file: { name: 'all.csv', type: 'text/csv', data: `${k1};Алиева;Сара;;${d(k1)};${P.parent2.iin};мать\nмусор\n` } });
  assert.strictEqual(bad.status, 303);
  assert.match(textOf((await s.get(bad.location)).text), /Ничего не изменено/);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM gbd_person')[0].n, n0);
  // A clean replace: the file is the whole register.
  const good = await s.upload('/admin/gbd', { replace: '1' }, { file: { name: 'all.csv', type: 'text/csv', data: `${k1};Алиева;Сара;;${d(k1)};${P.parent2.iin};мать\n` } });
  assert.strictEqual(good.status, 303);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM gbd_person')[0].n, 1);
  // The same from the command line.
  const file = path.join(scriptDir, 'cli.csv');
  fs.writeFileSync(file, `${k2};Алиев;Тимур;;${d(k2)};${P.parent2.iin};father\n`);
  assert.match(srv.kgctl('gbd-import', file), /added=1/);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM gbd_person')[0].n, 2);
  // Only support: a citizen is refused.
  assert.strictEqual((await c.get('/admin/gbd')).status, 403);
});

run();
