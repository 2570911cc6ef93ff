// The reason of a kindergarten's refusal (issue 16, item 4) through real
// nginx and the real programs: the staff choose it from a closed list and
// explain it (both required, each message at its field, the values kept);
// the signed text, the refusal row and the reviewer's list carry it; the
// parent reads it at once, with what happens next, on «Мои заявления», on
// the application's page, in the journal (information and history) and in
// the SMS of the refusal, in the application's language.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

let srv;
let ddo1; // staff1's first DDO (Кокшетау)
before(async () => {
  srv = await Server.start();
  [ddo1] = fx.ddosOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

const one = (sql) => srv.sql(sql)[0];
const refusals = () => one('SELECT count(*) AS n FROM refusal').n;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const LABELS = {
  incomplete_documents: 'Неполный пакет документов',
  expired_documents: 'Документы с истекшим сроком действия',
  unvaccinated_share: 'Превышена доля непривитых детей',
  other: 'Другое',
};

async function staff() {
  const c = srv.client();
  srv.login(c, 'staff1');
  await c.get('/cabinet');
  assert.strictEqual((await c.post('/cabinet/ddo', { ddo: ddo1 })).status, 303);
  return c;
}

async function parent(lang) {
  const c = srv.client();
  srv.login(c, 'parent1');
  if (lang) await c.get(`/?lang=${lang}`);
  return c;
}

// A referral of parent1's child to staff1's DDO with the documents in.
function aReferral(opts = {}) {
  const app = fx.application(srv, opts);
  const place = fx.freePlace(srv, { ddo: ddo1, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  return { app, ref };
}

// staff1 refuses it with this reason and explanation, signed.
async function refuse(c, ref, code, reason) {
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: code, reason });
  assert.strictEqual(step2.status, 200, textOf(step2.text).slice(0, 300));
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  const r = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  return f;
}

// The row of «Мои заявления» of an application number, as text.
function myRow(html, number) {
  const at = html.indexOf(`<tr data-number="${number}">`);
  assert.ok(at > 0, `no row of ${number}`);
  return textOf(html.slice(at, html.indexOf('</tr>', at)));
}

test('the form asks for a reason of the list and its explanation; each missing one is told at its field, the other value kept', async () => {
  const { ref } = aReferral();
  const c = await staff();
  const form = await c.get(`/cabinet/refuse/${ref.id}`);
  assert.strictEqual(form.status, 200);
  for (const [code, label] of Object.entries(LABELS))
    assert.match(form.text, new RegExp(`<input type="radio" name="reason_code" value="${code}" required> ${label}</label>`));
  assert.match(textOf(form.text), /Пояснение \* .*Пояснение обязательно при любой причине/);
  const n = refusals();
  // No reason: its message at the radio group, the explanation kept.
  const noCode = await c.post(`/cabinet/refuse/${ref.id}`, { reason: 'Нет справки о прививках' });
  assert.strictEqual(noCode.status, 422);
  assert.match(noCode.text, /<span class="field-error" id="err-reason_code">Выберите причину отказа из списка\.<\/span>/);
  assert.doesNotMatch(noCode.text, /id="err-reason"/);
  assert.match(noCode.text, /<textarea id="reason" name="reason"[^>]*>Нет справки о прививках<\/textarea>/);
  assert.doesNotMatch(noCode.text, / checked>/);
  assert.doesNotMatch(noCode.text, /data-eds-challenge/);
  // No explanation: its message at the text, the reason kept.
  const noText = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'expired_documents', reason: '  ' });
  assert.strictEqual(noText.status, 422);
  assert.match(noText.text, /<span class="field-error" id="err-reason">Поясните причину отказа: пояснение обязательно при любой причине\.<\/span>/);
  assert.doesNotMatch(noText.text, /id="err-reason_code"/);
  assert.match(noText.text, /value="expired_documents" required checked>/);
  // A reason outside the list is refused like a missing one.
  const unknown = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'no_places', reason: 'Нет мест' });
  assert.strictEqual(unknown.status, 422);
  assert.match(unknown.text, /id="err-reason_code">Выберите причину отказа из списка\./);
  assert.match(unknown.text, />Нет мест<\/textarea>/);
  // Signed with one reason, posted with another: the signed text is not this one.
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: 'incomplete_documents', reason: 'Нет формы 063' });
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  assert.match(textOf(step2.text), /Причина отказа Неполный пакет документов Пояснение Нет формы 063/);
  const swapped = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, reason_code: 'other', cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(swapped.status, 422);
  assert.match(textOf(swapped.text), /Подписан не тот текст/);
  // Forged straight to the last step, an unknown reason is refused too.
  const forged = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, reason_code: 'no_places', cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(forged.status, 422);
  assert.strictEqual(refusals(), n);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'docs_submitted');
});

test('each reason of the list is saved with its explanation, signed, and shown to the reviewer', async () => {
  const c = await staff();
  const ids = {};
  for (const [code, label] of Object.entries(LABELS)) {
    const { ref } = aReferral({ surname: `ПРИЧИНОВ${code.length}` });
    const f = await refuse(c, ref, code, `Пояснение к «${label}»`);
    assert.match(f.text, new RegExp(`\\nПричина: ${label}\\nПояснение: Пояснение к «${label}»\\n`));
    const row = one(`SELECT x.id, x.reason_code, x.reason, g.content FROM refusal x JOIN signature g ON g.id = x.signature_id
      WHERE x.referral_id = ${ref.id}`);
    assert.strictEqual(row.reason_code, code);
    assert.strictEqual(row.reason, `Пояснение к «${label}»`);
    assert.ok(row.content.includes(`Причина: ${label}\n`), row.content);
    ids[code] = row.id;
  }
  const r = srv.client();
  srv.login(r, 'reviewer1');
  const list = await r.get('/review');
  for (const [code, label] of Object.entries(LABELS)) {
    const at = list.text.indexOf(`id="refusal-${ids[code]}"`);
    assert.ok(at > 0);
    const card = textOf(list.text.slice(at, list.text.indexOf('</article>', at)));
    assert.match(card, new RegExp(`Причина отказа ${label} Пояснение к «${label}»`));
  }
  // Decided, the reason stays in the table of decisions.
  srv.sql(`UPDATE refusal SET status = 'confirmed', reviewer_id = ${fx.accountId(srv, 'reviewer1')}, review_comment = 'Верно',
    reviewed_at = ${srv.now()}, review_signature_id = signature_id WHERE id = ${ids.unvaccinated_share}`);
  const decided = await r.get('/review');
  const table = textOf(decided.text.slice(decided.text.indexOf('class="data decided-table"')));
  assert.match(table, /Превышена доля непривитых детей Пояснение к «Превышена доля непривитых детей» Отказ подтвержден/);
});

test('the parent reads the reason and what happens next at once: «Мои заявления», the application, the journal and the SMS', async () => {
  const { app, ref } = aReferral({ surname: 'ОТКАЗОВ' });
  const ddo = one(`SELECT name_ru FROM ddo WHERE id = ${ddo1}`).name_ru;
  const text = 'В группе 2021 г.р. 4 из 20 детей без прививок';
  await refuse(await staff(), ref, 'unvaccinated_share', text);
  const p = await parent();
  // «Мои заявления»: the status, the reason, the next step.
  const my = await p.get('/queue/my');
  assert.strictEqual(my.status, 200);
  const row = myRow(my.text, app.number);
  assert.match(row, new RegExp(`Детский сад отказал, отказ проверяет отдел образования Причина: Превышена доля непривитых детей ?\\. ${esc(text)}`));
  assert.match(row, /Отдел образования проверит отказ: подтвердит — ребенок вернется в очередь с прежней датой, отклонит — детский сад обязан зачислить ребенка\./);
  // The application's page.
  const page = textOf((await p.get(`/queue/app/${app.id}`)).text);
  assert.match(page, new RegExp(`Причина Превышена доля непривитых детей ${esc(text)} ${esc(ddo)}, \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d`));
  assert.match(page, /Что будет дальше\. Отдел образования района проверит отказ\. Если отказ подтвердят, ребенок вернется в очередь с прежней датой постановки\. Если отклонят, детский сад обязан зачислить ребенка\./);
  // The journal: the information and the history.
  const info = textOf((await p.get(`/journal/${app.id}`)).text);
  assert.match(info, new RegExp(`Отказ детского сада Детский сад ${esc(ddo)} Направление ${ref.number} Дата отказа [\\d.: ]+ Причина Превышена доля непривитых детей Пояснение ${esc(text)} Статус на рассмотрении в Отделе образования`));
  assert.match(info, /Если отказ подтвердят, ребенок вернется в очередь/);
  const hist = textOf((await p.get(`/journal/${app.id}?tab=history`)).text);
  assert.match(hist, new RegExp(`Детский сад «${esc(ddo)}» отказал в зачислении\\. Причина: превышена доля непривитых детей\\. Пояснение: ${esc(text)}\\. Отдел образования проверяет этот отказ\\.`));
  // The SMS of the refusal: the reason and the next step, short.
  const sms = one(`SELECT text FROM notification WHERE application_id = ${app.id} AND kind = 'refused'`).text;
  assert.match(sms, new RegExp(`^AKMOLA\\.KZ: ${esc(ddo)} отказал в зачислении ребенка .*, направление № ${ref.number}\\. Причина: Превышена доля непривитых детей\\. `));
  assert.match(sms, /подтвердит — ребенок вернется в очередь с прежней датой, отклонит — детский сад обязан зачислить ребенка\.$/);
  assert.ok(!sms.includes(text), 'the explanation stays on the pages, the SMS stays short');
  // Once the department decided, the pages no longer say it is pending;
  // the journal keeps the reason with the decision.
  srv.sql(`UPDATE refusal SET status = 'confirmed', reviewer_id = ${fx.accountId(srv, 'reviewer1')}, review_comment = 'Верно',
    reviewed_at = ${srv.now()}, review_signature_id = signature_id WHERE referral_id = ${ref.id}`);
  srv.sql(`UPDATE referral SET status = 'refusal_confirmed', voucher = 'annulled', closed_at = ${srv.now()} WHERE id = ${ref.id}`);
  srv.sql(`UPDATE application SET status = 'queued' WHERE id = ${app.id}`);
  assert.doesNotMatch(myRow((await p.get('/queue/my')).text, app.number), /Причина/);
  assert.doesNotMatch(textOf((await p.get(`/queue/app/${app.id}`)).text), /Что будет дальше/);
  const info2 = textOf((await p.get(`/journal/${app.id}`)).text);
  assert.match(info2, /Причина Превышена доля непривитых детей .* Статус подтвержден Отделом образования/);
  assert.doesNotMatch(info2, /Если отказ подтвердят/);
});

test('in Kazakh: the pages and the SMS in the parent\'s language, whatever the group\'s', async () => {
  const { app, ref } = aReferral({ language: 'ru' });
  const p = await parent('kk');   // the parent uses Kazakh (kept with the account)
  await refuse(await staff(), ref, 'expired_documents', 'Анықтаманың мерзімі өткен');
  const sms = one(`SELECT text FROM notification WHERE application_id = ${app.id} AND kind = 'refused'`).text;
  assert.match(sms, /Себебі: Құжаттардың қолданылу мерзімі өткен\. Бас тартуды Білім бөлімі тексереді/);
  const row = myRow((await p.get('/queue/my')).text, app.number);
  assert.match(row, /Себебі: Құжаттардың қолданылу мерзімі өткен ?\. Анықтаманың мерзімі өткен/);
  const page = textOf((await p.get(`/queue/app/${app.id}`)).text);
  assert.match(page, /Әрі қарай не болады\. Аудандық білім бөлімі бас тартуды тексереді/);
  const hist = textOf((await p.get(`/journal/${app.id}?tab=history`)).text);
  assert.match(hist, /баланы қабылдаудан бас тартты\. Себебі: құжаттардың қолданылу мерзімі өткен\. Түсініктеме: Анықтаманың мерзімі өткен\./);
});

test('a refusal made before the list reads as «Другое» with its text', async () => {
  const { app, ref } = aReferral();
  fx.refusal(srv, { referral: ref.id, reason: 'Справка 065 нечитаема' });
  assert.strictEqual(one(`SELECT reason_code FROM refusal WHERE referral_id = ${ref.id}`).reason_code, 'other');
  const p = await parent();
  assert.match(myRow((await p.get('/queue/my')).text, app.number), /Причина: Другое ?\. Справка 065 нечитаема/);
});

run();
