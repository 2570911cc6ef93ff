// «Обработка убытия» (seed 000, section 4, figure 27) through real nginx
// and the real programs: the form with the child's IIN and name filled in,
// the date (dd.mm.yyyy, not in the future, not before the enrollment) and
// the reason, the text to sign, the signed departure, the reminder that the
// system does not add freed places; another DDO's staff and every refused
// signature with its message and nothing changed.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

let srv;
let ddo1;
before(async () => {
  srv = await Server.start();
  ddo1 = fx.ddoOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

const one = (sql) => srv.sql(sql)[0];
const DAY = 86400;
// dd.mm.yyyy of the programs' local date (UTC+5) shifted by days.
function date(days = 0) {
  const d = new Date((srv.now() + 5 * 3600 + days * DAY) * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}
const iso = (ui) => ui.split('.').reverse().join('-');
const state = (en) => one(`SELECT e.departed_on, e.departure_reason, a.status AS app, a.archive_reason
  FROM enrollment e JOIN application a ON a.id = e.application_id WHERE e.id = ${en}`);

async function staff(who = 'staff1') {
  const c = srv.client();
  srv.login(c, who);
  return c;
}

test('the departure screen is for DDO staff only', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1 });
  const anon = await srv.client().get(`/departure/${k.enrollment}`);
  assert.strictEqual(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=/);
  for (const who of ['parent1', 'reviewer1']) {
    const c = await staff(who);
    assert.strictEqual((await c.get(`/departure/${k.enrollment}`)).status, 403, who);
    assert.strictEqual((await c.post(`/departure/${k.enrollment}`, { date: date(), reason: 'x' })).status, 403, who);
  }
  const c = await staff();
  const back = await c.get('/departure');
  assert.strictEqual(back.status, 303);
  assert.strictEqual(back.location, '/cabinet#enrolled');
});

test('«Убыл» opens figure 27 with the child\'s IIN and name filled in', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1, surname: 'УБЫВАЕВ', name: 'ТИМУР' });
  const c = await staff();
  await c.post('/cabinet/ddo', { ddo: ddo1 });
  const list = await c.get('/cabinet');
  assert.match(list.text, new RegExp(`href="/departure/${k.enrollment}">Убыл</a>`));
  const r = await c.get(`/departure/${k.enrollment}`);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Обработка убытия/);
  assert.match(r.text, new RegExp(`<label for="d-iin">ИИН ребенка:</label><input type="text" id="d-iin" value="${k.application.childIin}" readonly>`));
  assert.match(r.text, /<input type="text" id="d-fio" value="УБЫВАЕВ ТИМУР" readonly>/);
  assert.match(r.text, /<label for="date">Дата убытия:<\/label>/);
  assert.match(r.text, /placeholder="дд\.мм\.гггг"/);
  assert.match(t, /Причина убытия/);
  assert.match(r.text, />Подписать и отправить<\/button>/);
  assert.match(r.text, /href="\/cabinet#enrolled">Отмена<\/a>/);
  assert.match(t, /Просим обратить внимание! После отметки убытия, Вам необходимо внести информацию о свободных местах\. \(Система НЕ будет автоматически добавлять освободившиеся места\)/);
});

test('a date in the future, before the enrollment, malformed, or no reason: each has its message and nothing is signed', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1, enrolledAt: srv.now() - 10 * DAY });
  const c = await staff();
  await c.get(`/departure/${k.enrollment}`);
  const cases = [
    [{ date: date(1), reason: 'Переезд' }, /Дата убытия не может быть позже сегодняшнего дня/],
    [{ date: date(-11), reason: 'Переезд' }, /Дата убытия не может быть раньше даты зачисления ребенка/],
    [{ date: '31.02.2026', reason: 'Переезд' }, /Такой даты не существует/],
    [{ date: iso(date()), reason: 'Переезд' }, /Введите дату в формате дд\.мм\.гггг/],
    [{ date: '', reason: 'Переезд' }, /Обязательное поле/],
    [{ date: date(), reason: '  ' }, /Обязательное поле/],
  ];
  for (const [form, msg] of cases) {
    const r = await c.post(`/departure/${k.enrollment}`, form);
    assert.strictEqual(r.status, 422, JSON.stringify(form));
    assert.match(textOf(r.text), msg, JSON.stringify(form));
    assert.doesNotMatch(r.text, /data-eds-challenge/);
    assert.match(r.text, new RegExp(`value="${form.date.replace(/\./g, '\\.')}"`), 'the value is kept');
  }
  assert.deepStrictEqual(state(k.enrollment), { departed_on: null, departure_reason: null, app: 'enrolled', archive_reason: null });
});

test('the signed departure takes the child off the list, closes the application and reminds to add the freed places', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1, enrolledAt: srv.now() - 30 * DAY, surname: 'УШЕДШИЙ' });
  const c = await staff();
  await c.post('/cabinet/ddo', { ddo: ddo1 });
  const day = date(-2);
  const step2 = await c.post(`/departure/${k.enrollment}`, { date: day, reason: 'Переезд в Астану' });
  assert.strictEqual(step2.status, 200);
  const f = eds.form(step2.text, `/departure/${k.enrollment}`);
  assert.strictEqual(f.purpose, 'sign');
  assert.match(f.text, /^Отметка убытия ребенка из дошкольной организации\n/);
  assert.match(f.text, new RegExp(`Дата убытия: ${day.replace(/\./g, '\\.')}\n`));
  assert.match(f.text, /Причина: Переезд в Астану\n/);
  assert.match(f.text, new RegExp(`ИИН: ${k.application.childIin}`));
  assert.match(f.text, new RegExp(`Направление: ${k.referral.number}`));
  assert.strictEqual(f.fields.date, day);
  // Someone else's key, an AUTH key, another text: refused, nothing changed.
  for (const [key, other, msg] of [['staff2-sign', null, /принадлежит другому человеку/], ['staff1-auth', null, /Ключ не того назначения/],
    ['staff1-sign', 'Отметка убытия другого ребенка', /Подписан не тот текст/]]) {
    const g = eds.form((await c.post(`/departure/${k.enrollment}`, { date: day, reason: 'Переезд в Астану' })).text, `/departure/${k.enrollment}`);
    const r = await c.post(`/departure/${k.enrollment}`, { ...g.fields, cms: eds.sign(other || g.text, key) });
    assert.strictEqual(r.status, 422, key);
    assert.match(textOf(r.text), msg, key);
    assert.strictEqual(state(k.enrollment).departed_on, null);
  }
  // The date posted with the signature must be the one signed.
  const g = eds.form((await c.post(`/departure/${k.enrollment}`, { date: day, reason: 'Переезд в Астану' })).text, `/departure/${k.enrollment}`);
  const swapped = await c.post(`/departure/${k.enrollment}`, { ...g.fields, date: date(-3), cms: eds.sign(g.text, 'staff1-sign') });
  assert.strictEqual(swapped.status, 422);
  assert.match(textOf(swapped.text), /Подписан не тот текст/);
  const sms = srv.sms().length;
  const r = await c.post(`/departure/${k.enrollment}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(r.location, `/departure/${k.enrollment}`);
  assert.deepStrictEqual(state(k.enrollment), { departed_on: iso(day), departure_reason: 'Переезд в Астану', app: 'departed', archive_reason: 'departed' });
  const sig = one(`SELECT g.action, g.signer_iin, g.object_type FROM enrollment e JOIN signature g ON g.id = e.departure_signature_id WHERE e.id = ${k.enrollment}`);
  assert.deepStrictEqual(sig, { action: 'departure', signer_iin: Server.persons().staff1.iin, object_type: 'enrollment' });
  assert.ok(srv.sql(`SELECT event FROM history WHERE application_id = ${k.application.id}`).some((h) => h.event === 'departed'));
  const done = await c.get(r.location);
  const t = textOf(done.text);
  assert.match(t, /Убытие отмечено и подписано/);
  assert.match(t, /Убытие ребенка отмечено: ребенок исключен из списка числящихся детей/);
  assert.match(t, new RegExp(`Дата убытия ${day.replace(/\./g, '\\.')}`));
  assert.match(t, /После отметки убытия, Вам необходимо внести информацию о свободных местах\. \(Система НЕ будет автоматически добавлять освободившиеся места\)/);
  assert.match(done.text, /<a class="btn" href="\/places">Внести свободные места<\/a>/);
  // Off the list; counted in the cabinet's reminder.
  const list = await c.get('/cabinet');
  assert.doesNotMatch(list.text, new RegExp(`href="/departure/${k.enrollment}"`));
  assert.match(list.text, /class="warning-box freed"/);
  for (let i = 0; i < 50 && srv.sms().length === sms; i++) await new Promise((res) => setTimeout(res, 50));
  assert.match(srv.sms().slice(sms).join('\n'), new RegExp(`убытие ребенка .* с ${day.replace(/\./g, '\\.')}`));
  // A child already departed.
  const again = await c.post(`/departure/${k.enrollment}`, { date: date(), reason: 'Еще раз' });
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /Убытие этого ребенка уже отмечено/);
  const replay = await c.post(`/departure/${k.enrollment}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(replay.status, 409);
  assert.strictEqual(state(k.enrollment).departure_reason, 'Переезд в Астану');
});

test('a stale challenge is refused', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1 });
  const c = await staff();
  const f = eds.form((await c.post(`/departure/${k.enrollment}`, { date: date(), reason: 'Переезд' })).text, `/departure/${k.enrollment}`);
  srv.advanceClock(301);
  const r = await c.post(`/departure/${k.enrollment}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Время на подписание истекло/);
  assert.strictEqual(state(k.enrollment).departed_on, null);
});

test('staff of another DDO cannot open or mark the departure of a child of this one', async () => {
  const k = fx.enrolled(srv, { ddo: ddo1 });
  const c = await staff('staff2');
  const r = await c.get(`/departure/${k.enrollment}`);
  assert.strictEqual(r.status, 404);
  assert.match(textOf(r.text), /Ребенок не найден в списках числящихся детей ваших дошкольных организаций/);
  assert.doesNotMatch(r.text, new RegExp(k.application.childIin));
  const p = await c.post(`/departure/${k.enrollment}`, { date: date(), reason: 'Переезд', nonce: 'A'.repeat(43), cms: eds.sign('x', 'staff2-sign') });
  assert.strictEqual(p.status, 404);
  assert.strictEqual(state(k.enrollment).departed_on, null);
  assert.strictEqual((await c.get('/departure/999999')).status, 404);
});

run();
