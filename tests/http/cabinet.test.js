// The staff cabinet through real nginx and the real programs (seed 000,
// section 3, figures 16–26): the DDO choice, «Обработка направления» by IIN
// and by referral number, the documents and the child card, «Принять в ДДО»
// and «Отказать» signed with EDS, the referrals awaiting a decision, the
// enrolled list with its filters, sorting and pages, the freed-places
// reminder; every refusal with its message and nothing changed.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

let srv;
let ddo1; // staff1's first DDO (Кокшетау)
let ddo1b; // staff1's second DDO
let ddo2; // staff2's DDO (with a BIN)
before(async () => {
  srv = await Server.start();
  [ddo1, ddo1b] = fx.ddosOf(srv, 'staff1');
  ddo2 = fx.ddoOf(srv, 'staff2');
});
after(async () => { if (srv) await srv.stop(); });

// A staff client with the DDO chosen.
async function staff(who = 'staff1', ddo = ddo1) {
  const c = srv.client();
  srv.login(c, who);
  await c.get('/cabinet');
  if (ddo) {
    const r = await c.post('/cabinet/ddo', { ddo });
    assert.strictEqual(r.status, 303);
  }
  return c;
}

// A referral to a DDO in a status, with the parent's documents.
function aReferral(ddo, status = 'docs_submitted', opts = {}) {
  const app = fx.application(srv, opts);
  const place = fx.freePlace(srv, { ddo, total: opts.total || 1 });
  const ref = fx.referral(srv, { application: app.id, place, status });
  const docs = fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  return { app, place, ref, docs };
}

const one = (sql) => srv.sql(sql)[0];
const refStatus = (id) => one(`SELECT status FROM referral WHERE id = ${id}`).status;
const appStatus = (id) => one(`SELECT status FROM application WHERE id = ${id}`).status;
const counts = () => one(`SELECT (SELECT count(*) FROM enrollment) AS e, (SELECT count(*) FROM refusal) AS f,
  (SELECT count(*) FROM signature) AS s, (SELECT count(*) FROM history) AS h, (SELECT count(*) FROM notification) AS n`);

test('the cabinet is for DDO staff: visitors are sent to log in, citizens and reviewers are refused', async () => {
  const anon = await srv.client().get('/cabinet');
  assert.strictEqual(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=%2Fcabinet/);
  for (const who of ['parent1', 'reviewer1', 'support']) {
    const c = srv.client();
    srv.login(c, who);
    const r = await c.get('/cabinet');
    assert.strictEqual(r.status, 403, who);
    const p = await c.post('/cabinet/accept', { ref: 1, nonce: 'x', cms: 'x' });
    assert.strictEqual(p.status, 403, who);
  }
});

test('a member of two DDOs chooses one from «Список доступных дошкольных организаций» (figures 17, 25)', async () => {
  const c = srv.client();
  srv.login(c, 'staff1');
  const r = await c.get('/cabinet');
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Рабочий кабинет сотрудника ДДО/);
  assert.match(t, /Список доступных дошкольных организаций/);
  assert.match(r.text, /<option value="">Выберите детский сад<\/option>/);
  assert.match(r.text, /<button type="submit">Добавить<\/button>/);
  assert.match(t, /Наименование Тип детского сада/);           // figure 25
  assert.match(t, /Государственные детские сады/);
  assert.doesNotMatch(t, /Обработка направления/, 'nothing before a choice');
  // A DDO that is not theirs is refused at the field.
  const bad = await c.post('/cabinet/ddo', { ddo: ddo2 });
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /Выберите детский сад из вашего списка/);
  assert.strictEqual(c.cookies.get('kg_ddo'), undefined);
  const none = await c.post('/cabinet/ddo', { ddo: 'abc' });
  assert.strictEqual(none.status, 422);
  // Their own: kept and shown.
  const ok = await c.post('/cabinet/ddo', { ddo: ddo1b });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(c.cookies.get('kg_ddo'), String(ddo1b));
  const page = await c.get('/cabinet');
  assert.match(page.text, new RegExp(`<option value="${ddo1b}" selected>`));
  assert.match(textOf(page.text), /Обработка направления/);
  // A cookie naming another staff member's DDO is checked on every request.
  c.cookies.set('kg_ddo', String(ddo2));
  const forged = await c.get('/cabinet');
  assert.doesNotMatch(textOf(forged.text), /Обработка направления/);
  assert.doesNotMatch(forged.text, / selected>/);
});

test('a member of one DDO works in it without choosing; Kazakh too', async () => {
  const c = srv.client();
  srv.login(c, 'staff3');
  const r = await c.get('/cabinet');
  assert.strictEqual(r.status, 200);
  assert.match(textOf(r.text), /Обработка направления Поиск ИИН ПО НОМЕРУ НАПРАВЛЕНИЯ/);
  assert.match(textOf(r.text), /Список числящихся детей/);
  assert.doesNotMatch(r.text, /name="ddo"/);
  await c.get('/cabinet?lang=kk');
  const kk = await c.get('/cabinet');
  assert.match(textOf(kk.text), /МДҰ қызметкерінің жұмыс кабинеті/);
  assert.match(textOf(kk.text), /Есепте тұрған балалар тізімі/);
  assert.match(textOf(kk.text), /ЖОЛДАМА НӨМІРІ БОЙЫНША/);
});

test('a malformed IIN or referral number gets its precise message', async () => {
  const c = await staff();
  const cases = [
    ['iin', '12345', /ИИН состоит из 12 цифр/],
    ['iin', '21021160100A', /ИИН состоит из 12 цифр/],
    ['iin', '210211601009', /не сходится контрольная цифра/],
    ['iin', '', /Введите ИИН ребенка/],
    ['number', '123456789', /Номер направления состоит из 10 цифр/],
    ['number', '10000001O1', /Номер направления состоит из 10 цифр/],
    ['number', '', /Введите номер направления/],
    ['other', '1000000101', /Выберите значение из списка/],
  ];
  for (const [by, q, msg] of cases) {
    const r = await c.get(`/cabinet?by=${by}&q=${encodeURIComponent(q)}`);
    assert.strictEqual(r.status, 422, `${by} ${q}`);
    assert.match(textOf(r.text), msg, `${by} ${q}`);
    assert.match(r.text, /class="field-error"/);
  }
});

test('«Обработка направления» finds a referral by number and by IIN with the fields of figure 19', async () => {
  const { app, ref, docs } = aReferral(ddo1, 'docs_submitted', { benefit: 'first_priority', surname: 'ОТАР', name: 'ДІЛМҰРАТ' });
  const c = await staff();
  for (const url of [`/cabinet?by=number&q=${ref.number}`, `/cabinet?by=iin&q=${app.childIin}`]) {
    const r = await c.get(url);
    assert.strictEqual(r.status, 200, url);
    const t = textOf(r.text);
    assert.match(t, new RegExp(`ИИН ребенка ${app.childIin}`));
    assert.match(t, /ФИО ребенка ОТАР ДІЛМҰРАТ/);
    assert.match(t, /ФИО заявителя НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
    assert.match(t, /Название ДДО Ясли-сад/);
    assert.match(t, /Год очереди 2021/);
    assert.match(t, /Льготность Первоочередное/);
    assert.match(t, new RegExp(`Номер направления ${ref.number}`));
    assert.match(t, new RegExp(`Номер заявления ${app.number.replace(/\./g, '\\.')}`));
    assert.match(t, /Документы, поданные родителем Форма №065 .*Форма №027 .*Форма №052-2/);
    assert.match(t, /Скачать карточку ребенка/);
    assert.match(r.text, /<button type="submit" class="btn btn-ok">Принять в ДДО<\/button>/);
    assert.match(r.text, new RegExp(`href="/cabinet/refuse/${ref.id}">Отказать</a>`));
    assert.match(t, /Просим обратить внимание! После принятия ребенка в ДДО, необходимо проверить наличие принятого ребенка в списке числящихся детей!/);
    assert.match(t, /Отказанные заявки поступают на проверку уполномоченному лицу Отдела образования\. Ребенок НЕ зачислится в ДДО и восстановится в очереди на получение места в ДДО, если уполномоченное лицо Отдела образования подтвердит отказ, в противном случае, сотрудник ДДО обязан зачислить ребенка по номеру направления или ИИН\./);
    const f = eds.form(r.text, '/cabinet/accept');
    assert.strictEqual(f.purpose, 'sign');
    assert.match(f.text, /^Принять ребенка в дошкольную организацию\n/);
    assert.match(f.text, new RegExp(`Направление: ${ref.number}`));
    assert.match(f.text, new RegExp(`ИИН: ${app.childIin}`));
    assert.match(f.text, /ДДО: Ясли-сад/);
  }
  // The documents download, authorised through the DDO.
  const d = await c.get(`/cabinet/doc/${docs.form065}`);
  assert.strictEqual(d.status, 200);
  assert.strictEqual(d.headers['content-type'], 'application/pdf');
  assert.match(d.headers['content-disposition'], /attachment; filename="form065.pdf"/);
  assert.strictEqual(d.body.slice(0, 5).toString(), '%PDF-');
  // The referral is also listed among those awaiting a decision.
  const list = await c.get('/cabinet');
  assert.match(list.text, new RegExp(`href="/cabinet\\?by=number&amp;q=${ref.number}#result">Открыть</a>`));
});

test('«Скачать карточку ребенка» makes a recorded PDF with a check code and downloads it', async () => {
  const { app, ref } = aReferral(ddo1);
  const c = await staff();
  await c.get(`/cabinet?by=number&q=${ref.number}`);
  const r = await c.post(`/cabinet/card/${ref.id}`);
  assert.strictEqual(r.status, 303);
  const m = r.location.match(/^\/cabinet\/doc\/(\d+)$/);
  assert.ok(m, r.location);
  const row = one(`SELECT kind, origin, application_id, referral_id, check_code FROM document WHERE id = ${m[1]}`);
  assert.deepStrictEqual([row.kind, row.origin, row.application_id, row.referral_id], ['child_card', 'system', app.id, ref.id]);
  assert.strictEqual(row.check_code.length, 22);
  const pdf = await c.get(r.location);
  assert.strictEqual(pdf.status, 200);
  assert.strictEqual(pdf.headers['content-type'], 'application/pdf');
  assert.strictEqual(pdf.body.slice(0, 5).toString(), '%PDF-');
  assert.ok(pdf.body.length > 2000);
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'child_card' AND object_id = ${ref.id}`).n, 1);
});

test('staff of another DDO find nothing of it: by IIN, by number, its documents, card, refusal or acceptance', async () => {
  const { app, ref, docs } = aReferral(ddo1);
  const c = await staff('staff2', null);
  const byNum = await c.get(`/cabinet?by=number&q=${ref.number}`);
  assert.strictEqual(byNum.status, 200);
  assert.match(textOf(byNum.text), /Направления с таким номером в выбранный детский сад нет/);
  assert.doesNotMatch(byNum.text, new RegExp(app.childIin));
  const byIin = await c.get(`/cabinet?by=iin&q=${app.childIin}`);
  assert.match(textOf(byIin.text), /Направлений ребенка с таким ИИН в выбранный детский сад нет/);
  assert.doesNotMatch(byIin.text, /НУРЛАНОВ/);
  // Even with staff1's DDO in a forged cookie.
  c.cookies.set('kg_ddo', String(ddo1));
  const forged = await c.get(`/cabinet?by=number&q=${ref.number}`);
  assert.match(textOf(forged.text), /Направления с таким номером в выбранный детский сад нет/);
  assert.strictEqual((await c.get(`/cabinet/doc/${docs.form065}`)).status, 404);
  assert.strictEqual((await c.get(`/cabinet/refuse/${ref.id}`)).status, 404);
  assert.strictEqual((await c.post(`/cabinet/card/${ref.id}`)).status, 404);
  const before = counts();
  const acc = await c.post('/cabinet/accept', { ref: ref.id, nonce: 'A'.repeat(43), cms: eds.sign('Принять', 'staff2-sign') });
  assert.strictEqual(acc.status, 404);
  assert.match(textOf(acc.text), /не найдены среди ваших дошкольных организаций/);
  const refu = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'other', reason: 'Нет мест' });
  assert.strictEqual(refu.status, 404);
  assert.deepStrictEqual(counts(), before);
  assert.strictEqual(refStatus(ref.id), 'docs_submitted');
  // And staff1 does not see it in their other DDO.
  const s1 = await staff('staff1', ddo1b);
  assert.match(textOf((await s1.get(`/cabinet?by=number&q=${ref.number}`)).text), /Направления с таким номером в выбранный детский сад нет/);
});

test('«Принять в ДДО» signed with the staff member\'s SIGN key enrolls the child and tells the parent', async () => {
  const { app, ref } = aReferral(ddo1, 'docs_submitted', { surname: 'ЗАЧИСЛЕНОВ' });
  const c = await staff();
  const page = await c.get(`/cabinet?by=number&q=${ref.number}`);
  const f = eds.form(page.text, '/cabinet/accept');
  const sms = srv.sms().length;
  const r = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  assert.strictEqual(r.location, `/cabinet?f_ref=${ref.number}#enrolled`);
  assert.strictEqual(refStatus(ref.id), 'enrolled');
  assert.strictEqual(appStatus(app.id), 'enrolled');
  const e = one(`SELECT e.ddo_id, g.signer_iin, g.action, g.content FROM enrollment e JOIN signature g ON g.id = e.signature_id
    WHERE e.referral_id = ${ref.id}`);
  assert.strictEqual(e.ddo_id, ddo1);
  assert.strictEqual(e.signer_iin, Server.persons().staff1.iin);
  assert.strictEqual(e.action, 'accept');
  assert.strictEqual(one(`SELECT voucher FROM referral WHERE id = ${ref.id}`).voucher, 'bound');
  const hist = srv.sql(`SELECT event FROM history WHERE application_id = ${app.id} ORDER BY id`).map((h) => h.event);
  assert.ok(hist.includes('enrolled') && hist.includes('sms_enrolled'), hist.join());
  // The list shows the child, with the reminder of figure 21.
  const list = await c.get(r.location.replace('#enrolled', ''));
  const t = textOf(list.text);
  assert.match(t, new RegExp(`Ребенок принят в ДДО по направлению ${ref.number}`));
  assert.match(t, new RegExp(`${app.childIin} ЗАЧИСЛЕНОВ .* ${app.number.replace(/\./g, '\\.')} ${ref.number} 2021 Убыл`));
  // The SMS leaves after the response.
  for (let i = 0; i < 50 && srv.sms().length === sms; i++) await new Promise((res) => setTimeout(res, 50));
  const last = srv.sms().slice(sms).join('\n');
  assert.match(last, new RegExp(`принят в .* по направлению № ${ref.number}`));
});

test('accepting a referral whose documents are not submitted, annulled or already processed is refused with its message', async () => {
  const c = await staff();
  const cases = [
    ['issued', 409, /Родитель еще не подал документы по этому направлению/],
    ['annulled', 409, /Направление аннулировано/],
    ['enrolled', 409, /Ребенок уже принят в ДДО по этому направлению/],
    ['refused', 409, /на проверке у уполномоченного лица Отдела образования/],
  ];
  for (const [status, code, msg] of cases) {
    // The page was shown while the documents were in; then the state moved.
    const { ref } = aReferral(ddo1, 'docs_submitted');
    const page = await c.get(`/cabinet?by=number&q=${ref.number}`);
    const f = eds.form(page.text, '/cabinet/accept');
    srv.sql(`UPDATE referral SET status = '${status}' WHERE id = ${ref.id}`);
    const before = counts();
    const r = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
    assert.strictEqual(r.status, code, status);
    assert.match(textOf(r.text), msg, status);
    assert.deepStrictEqual(counts(), before, status);
    assert.strictEqual(refStatus(ref.id), status);
    // The page shows the state instead of the buttons.
    const again = await c.get(`/cabinet?by=number&q=${ref.number}`);
    assert.doesNotMatch(again.text, /action="\/cabinet\/accept"/, status);
    assert.match(textOf(again.text), msg, status);
  }
});

test('a signature by someone else\'s key, an AUTH key, over another text, stale or replayed is refused and changes nothing', async () => {
  const { app, ref } = aReferral(ddo1);
  const c = await staff();
  const fresh = async () => eds.form((await c.get(`/cabinet?by=number&q=${ref.number}`)).text, '/cabinet/accept');
  const cases = [
    ['staff2-sign', null, /Ключ ЭЦП принадлежит другому человеку/],
    ['parent1-sign', null, /Ключ ЭЦП принадлежит другому человеку/],
    ['staff1-auth', null, /Ключ не того назначения/],
    ['staff1-sign', 'Принять в ДДО другого ребенка', /Подписан не тот текст/],
    ['forged-parent1-sign', null, /недоверенный издатель/],
  ];
  const before = counts();
  for (const [key, other, msg] of cases) {
    const f = await fresh();
    const r = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(other || f.text, key) });
    assert.strictEqual(r.status, 422, key);
    assert.match(textOf(r.text), msg, key);
    assert.match(r.text, /action="\/cabinet\/accept"/, 'the form is offered again');
  }
  // Nothing but a garbage CMS.
  let f = await fresh();
  let r = await c.post('/cabinet/accept', { ...f.fields, cms: 'bm90IGEgY21z' });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /не являются подписью ЭЦП/);
  r = await c.post('/cabinet/accept', { ...f.fields, cms: '' });
  assert.match(textOf(r.text), /Подпись не получена/);
  // A challenge of another referral.
  const other = aReferral(ddo1);
  const g = eds.form((await c.get(`/cabinet?by=number&q=${other.ref.number}`)).text, '/cabinet/accept');
  r = await c.post('/cabinet/accept', { ...g.fields, ref: ref.id, cms: eds.sign(g.text, 'staff1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Эта подпись не относится к текущему действию/);
  // Stale: the challenge lives Eds.ChallengeTtlSeconds (300 s).
  f = await fresh();
  srv.advanceClock(301);
  r = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Время на подписание истекло/);
  const after1 = counts();
  assert.strictEqual(after1.e, before.e);
  assert.strictEqual(after1.f, before.f);
  assert.strictEqual(after1.s, before.s);
  assert.strictEqual(refStatus(ref.id), 'docs_submitted');
  // Replayed: accepted once; put back as it was, the same signed form again.
  f = await fresh();
  const cms = eds.sign(f.text, 'staff1-sign');
  r = await c.post('/cabinet/accept', { ...f.fields, cms });
  assert.strictEqual(r.status, 303);
  srv.sql(`UPDATE enrollment SET departed_on = date('now'), departure_reason = 'test', departure_signature_id = signature_id WHERE referral_id = ${ref.id}`);
  srv.sql(`UPDATE referral SET status = 'docs_submitted' WHERE id = ${ref.id}`);
  srv.sql(`UPDATE application SET status = 'docs_submitted' WHERE id = ${app.id}`);
  const mid = counts();
  r = await c.post('/cabinet/accept', { ...f.fields, cms });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Эта подпись уже была использована/);
  assert.deepStrictEqual(counts(), mid);
  assert.strictEqual(refStatus(ref.id), 'docs_submitted');
});

test('in a DDO with a BIN only a key of that BIN\'s employee signs', async () => {
  const { ref } = aReferral(ddo2);
  const c = await staff('staff2', null);
  const page = await c.get(`/cabinet?by=number&q=${ref.number}`);
  assert.match(page.text, /data-eds-bin="050440012343"/);
  let f = eds.form(page.text, '/cabinet/accept');
  assert.match(f.text, /БИН: 050440012343/);
  const wrong = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff2-wrongbin-sign') });
  assert.strictEqual(wrong.status, 422);
  assert.match(textOf(wrong.text), /БИН в сертификате не совпадает/);
  assert.strictEqual(refStatus(ref.id), 'docs_submitted');
  f = eds.form(wrong.text, '/cabinet/accept');
  const ok = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff2-sign') });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(one(`SELECT g.signer_bin FROM enrollment e JOIN signature g ON g.id = e.signature_id WHERE e.referral_id = ${ref.id}`).signer_bin, '050440012343');
});

test('a form without its CSRF token is refused', async () => {
  const { ref } = aReferral(ddo1);
  const c = await staff();
  const f = eds.form((await c.get(`/cabinet?by=number&q=${ref.number}`)).text, '/cabinet/accept');
  const { csrf, ...rest } = f.fields;
  assert.ok(csrf);
  const r = await c.post('/cabinet/accept', { ...rest, cms: eds.sign(f.text, 'staff1-sign') }, { csrf: false });
  assert.strictEqual(r.status, 403);
  assert.strictEqual(refStatus(ref.id), 'docs_submitted');
});

test('«Отказать»: the reason and its explanation are required, shown in the text to sign, and the signed refusal goes to the district (figures 22, 23)', async () => {
  const { app, ref } = aReferral(ddo1);
  const c = await staff();
  const form = await c.get(`/cabinet/refuse/${ref.id}`);
  assert.strictEqual(form.status, 200);
  const t = textOf(form.text);
  assert.match(t, /Причина отказа/);
  assert.match(form.text, /<button type="submit" class="btn btn-danger">Отказать<\/button>/);
  assert.match(t, /Отмена/);
  assert.match(t, /Отказанные заявки поступают на проверку уполномоченному лицу Отдела образования/);
  const before = counts();
  const empty = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'incomplete_documents', reason: '   ' });
  assert.strictEqual(empty.status, 422);
  assert.match(textOf(empty.text), /Поясните причину отказа/);
  assert.deepStrictEqual(counts(), before);
  const reason = 'Форма №065 нечитаема\nи не заверена';
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'incomplete_documents', reason });
  assert.strictEqual(step2.status, 200);
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  assert.match(f.text, /^Мотивированный отказ в зачислении ребенка\n/);
  assert.match(f.text, /Причина: Неполный пакет документов\nПояснение: Форма №065 нечитаема\nи не заверена\n/);
  assert.strictEqual(f.fields.reason.replace(/\r\n/g, '\n'), reason);
  // Signed over one reason, posted with another: refused.
  const swapped = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, reason: 'Другая причина', cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(swapped.status, 422);
  assert.match(textOf(swapped.text), /Подписан не тот текст/);
  assert.deepStrictEqual(counts().f, before.f);
  // The page offers to sign what was posted; back to the reason meant.
  assert.match(eds.form(swapped.text, `/cabinet/refuse/${ref.id}`).text, /Пояснение: Другая причина/);
  const f2 = eds.form((await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'incomplete_documents', reason })).text, `/cabinet/refuse/${ref.id}`);
  const r = await c.post(`/cabinet/refuse/${ref.id}`, { ...f2.fields, cms: eds.sign(f2.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  assert.strictEqual(r.location, `/cabinet?by=number&q=${ref.number}#result`);
  const row = one(`SELECT status, district_id, reason_code, reason FROM refusal WHERE referral_id = ${ref.id}`);
  assert.deepStrictEqual(row, { status: 'pending', district_id: 1110, reason_code: 'incomplete_documents', reason });
  assert.strictEqual(refStatus(ref.id), 'refused');
  assert.strictEqual(appStatus(app.id), 'refusal_review');
  const after1 = await c.get(r.location.replace('#result', ''));
  assert.match(textOf(after1.text), /Отказ подписан и направлен на проверку в Отдел образования/);
  assert.match(textOf(after1.text), /Отказ на проверке в Отделе образования/);
  assert.doesNotMatch(after1.text, /action="\/cabinet\/accept"/);
  // Refusing again.
  const again = await c.get(`/cabinet/refuse/${ref.id}`);
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /уже оформлен отказ/);
});

test('a referral whose documents are not in cannot be refused; one the department ordered to enroll can only be accepted', async () => {
  const c = await staff();
  const issued = aReferral(ddo1, 'issued');
  const r = await c.post(`/cabinet/refuse/${issued.ref.id}`, { reason_code: 'incomplete_documents', reason: 'Нет документов' });
  assert.strictEqual(r.status, 409);
  assert.match(textOf(r.text), /Родитель еще не подал документы/);
  assert.doesNotMatch(r.text, /data-eds-challenge/);
  // must_enroll, with the department's comment.
  const m = aReferral(ddo1, 'docs_submitted', { surname: 'ОБЯЗАНОВ' });
  const refId = fx.refusal(srv, { referral: m.ref.id, reason: 'Нет мест' });
  srv.sql(`UPDATE refusal SET status = 'rejected', reviewer_id = ${fx.accountId(srv, 'reviewer1')}, review_comment = 'Места есть',
    reviewed_at = ${srv.now()}, review_signature_id = signature_id WHERE id = ${refId}`);
  srv.sql(`UPDATE referral SET status = 'must_enroll' WHERE id = ${m.ref.id}`);
  srv.sql(`UPDATE application SET status = 'docs_submitted' WHERE id = ${m.app.id}`);
  const list = await c.get('/cabinet');
  assert.match(list.text, new RegExp(`<tr class="must"><td[^>]*>${m.ref.number}</td>`));
  assert.match(textOf(list.text), /Отказ отклонен: ДДО обязано зачислить/);
  const page = await c.get(`/cabinet?by=number&q=${m.ref.number}`);
  assert.match(textOf(page.text), /Отдел образования отклонил отказ: ДДО обязано зачислить ребенка\. Комментарий Отдела образования: «Места есть»/);
  assert.match(page.text, /action="\/cabinet\/accept"/);
  assert.doesNotMatch(page.text, new RegExp(`/cabinet/refuse/${m.ref.id}`));
  const refuse = await c.post(`/cabinet/refuse/${m.ref.id}`, { reason_code: 'other', reason: 'Все равно нет мест' });
  assert.strictEqual(refuse.status, 409);
  assert.match(textOf(refuse.text), /повторный отказ невозможен/);
  const f = eds.form(page.text, '/cabinet/accept');
  const ok = await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(refStatus(m.ref.id), 'enrolled');
});

test('«Список числящихся детей»: a filter under every column, sorting and pages (figures 21, 26)', async () => {
  const ddo = fx.ddoInDistrict(srv, 1110, 'private_subsidised');
  srv.sql(`INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (${fx.accountId(srv, 'staff3')}, ${ddo}, 0)`);
  const kids = [];
  for (let i = 0; i < 27; i++) {
    kids.push(fx.enrolled(srv, { ddo, staff: 'staff3', groupYear: i < 20 ? 2021 : 2020, surname: i === 3 ? 'ҚАНАТҰЛЫ' : `ФАМИЛИЯ${String(i).padStart(2, '0')}`, name: 'БАЛА' }));
  }
  const c = await staff('staff3', ddo);
  const page1 = await c.get('/cabinet');
  const rows = (html) => [...html.matchAll(/href="\/departure\/(\d+)"/g)].map((m) => Number(m[1]));
  assert.strictEqual(rows(page1.text).length, 25);
  assert.match(textOf(page1.text), /Всего: 27 · 1–25/);
  assert.match(page1.text, /<th[^>]*><input form="flt" type="search" name="f_iin"/);
  for (const f of ['f_name', 'f_app', 'f_ref', 'f_year']) assert.match(page1.text, new RegExp(`name="${f}"`));
  const next = page1.text.match(/href="([^"]+)" rel="next"/)[1].replace(/&amp;/g, '&');
  const page2 = await c.get(next);
  assert.strictEqual(rows(page2.text).length, 2);
  // Filters: part of an IIN, a name typed in lower case (Kazakh letters), the
  // application and referral numbers, the year.
  const k = kids[3];
  const byIin = await c.get(`/cabinet?f_iin=${k.application.childIin.slice(1)}`);
  assert.deepStrictEqual(rows(byIin.text), [k.enrollment]);
  const byName = await c.get(`/cabinet?f_name=${encodeURIComponent('қанатұлы')}`);
  assert.deepStrictEqual(rows(byName.text), [k.enrollment]);
  const byApp = await c.get(`/cabinet?f_app=${encodeURIComponent(k.application.number.toLowerCase())}`);
  assert.deepStrictEqual(rows(byApp.text), [k.enrollment]);
  const byRef = await c.get(`/cabinet?f_ref=${k.referral.number}`);
  assert.deepStrictEqual(rows(byRef.text), [k.enrollment]);
  const byYear = await c.get('/cabinet?f_year=2020');
  assert.strictEqual(rows(byYear.text).length, 7);
  // Sorting by name, both ways; the filters stay in the links.
  const asc = await c.get('/cabinet?f_year=2021&sort=name&dir=asc');
  const names = (html) => [...html.matchAll(/<tr><td[^>]*>\d{12}<\/td><td[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]);
  const a = names(asc.text);
  assert.deepStrictEqual(a, [...a].sort());
  assert.strictEqual(a[0], 'ФАМИЛИЯ00 БАЛА');
  const desc = await c.get('/cabinet?f_year=2021&sort=name&dir=desc');
  assert.strictEqual(names(desc.text)[0], 'ҚАНАТҰЛЫ БАЛА');
  assert.match(asc.text, /href="\/cabinet\?f_year=2021&amp;sort=name&amp;dir=desc&amp;page=1"/);
  // A malformed filter: its message, and the list without it.
  const bad = await c.get('/cabinet?f_year=20x1&f_iin=12ab');
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /Введите целое число/);
  assert.match(textOf(bad.text), /Только цифры/);
  assert.strictEqual(rows(bad.text).length, 25);
  // Other staff do not see the list.
  const other = await staff('staff2', null);
  const theirs = rows((await other.get('/cabinet')).text);
  assert.deepStrictEqual(theirs.filter((id) => kids.some((x) => x.enrollment === id)), []);
  other.cookies.set('kg_ddo', String(ddo));
  assert.deepStrictEqual(rows((await other.get(`/cabinet?f_ref=${k.referral.number}`)).text).filter((id) => id === k.enrollment), []);
});

test('children who departed since the DDO last added places are counted in a reminder linking to /places', async () => {
  const ddo = fx.ddoInDistrict(srv, 1110, 'mini_centre');
  srv.sql(`INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (${fx.accountId(srv, 'staff2')}, ${ddo}, 0)`);
  const k1 = fx.enrolled(srv, { ddo, staff: 'staff2' });
  const k2 = fx.enrolled(srv, { ddo, staff: 'staff2' });
  const c = await staff('staff2', ddo);
  assert.doesNotMatch((await c.get('/cabinet')).text, /class="warning-box freed"/);
  const now = srv.now();
  for (const k of [k1, k2]) {
    const sig = fx.fixtureSignature(srv, 'staff2', 'departure', 'enrollment', k.enrollment);
    srv.sql(`UPDATE enrollment SET departed_on = date('now'), departure_reason = 'Переезд', departed_at = ${now + 5},
      departure_signature_id = ${sig} WHERE id = ${k.enrollment}`);
  }
  const r = await c.get('/cabinet');
  assert.match(r.text, /<b class="freed-count">2<\/b>/);
  assert.match(textOf(r.text), /С момента последнего добавления свободных мест из этого ДДО убыло детей: 2 ?\. Система НЕ добавляет освободившиеся места автоматически\. Внести свободные места/);
  assert.match(r.text, /<a href="\/places">/);
  fx.freePlace(srv, { ddo, createdAt: now + 10 });
  assert.doesNotMatch((await c.get('/cabinet')).text, /class="warning-box freed"/);
});

run();
