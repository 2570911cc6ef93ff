// The education department's review of refusals through real nginx and
// the real programs: the refusals of the reviewer's districts, oldest
// first, with the child, application, DDO, reason, documents and the
// signed refusal; «Подтвердить отказ» (the child back in the queue at its
// old position, the place back on its record) and «Отклонить отказ» (the
// DDO must enroll, then accepts), each with a comment and an EDS signature;
// the decision PDF; another district's reviewer and every refused
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

async function as(who) {
  const c = srv.client();
  srv.login(c, who);
  return c;
}

// The queue position of an application (DOMAIN.md's order).
function position(app) {
  return one(`SELECT 1 + count(*) AS p FROM application o JOIN application a ON a.id = ${app}
    WHERE o.status = 'queued' AND o.district_id = a.district_id AND o.group_year = a.group_year
    AND (o.benefit_rank < a.benefit_rank OR (o.benefit_rank = a.benefit_rank AND
    (o.queued_at < a.queued_at OR (o.queued_at = a.queued_at AND o.id < a.id))))`).p;
}

// A referral to staff1's DDO that staff1 refuses through the cabinet, signed.
async function refused(opts = {}) {
  const app = fx.application(srv, opts);
  const place = fx.freePlace(srv, { ddo: ddo1, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, status: 'docs_submitted' });
  const docs = fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  const c = await as('staff1');
  const step2 = await c.post(`/cabinet/refuse/${ref.id}`, { reason_code: opts.reasonCode || 'incomplete_documents', reason: opts.reason || 'Форма №027 нечитаема' });
  const f = eds.form(step2.text, `/cabinet/refuse/${ref.id}`);
  const r = await c.post(`/cabinet/refuse/${ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  const id = one(`SELECT id FROM refusal WHERE referral_id = ${ref.id}`).id;
  return { app, place, ref, docs, id, staff: c };
}

// Step 1 of a decision: the page with the text to sign.
async function decisionForm(c, id, decision, comment) {
  const r = await c.post(`/review/${id}`, { decision, comment });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 300));
  return eds.form(r.text, `/review/${id}`);
}

const snapshot = (f) => one(`SELECT x.status AS refusal, f.status AS referral, a.status AS app, p.free AS free,
  (SELECT count(*) FROM document d WHERE d.referral_id = f.id AND d.kind = 'decision') AS decisions,
  (SELECT count(*) FROM signature) AS signatures
  FROM refusal x JOIN referral f ON f.id = x.referral_id JOIN application a ON a.id = f.application_id
  JOIN free_place p ON p.id = f.free_place_id WHERE x.id = ${f.id}`);

test('the review is for reviewers only', async () => {
  const anon = await srv.client().get('/review');
  assert.strictEqual(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=%2Freview/);
  for (const who of ['staff1', 'parent1', 'support']) {
    const c = await as(who);
    assert.strictEqual((await c.get('/review')).status, 403, who);
    assert.strictEqual((await c.post('/review/1', { decision: 'confirm', comment: 'x' })).status, 403, who);
  }
});

test('the refusals of the district await a decision, oldest first, with everything the reviewer needs', async () => {
  const older = await refused({ surname: 'СТАРШИЙ', reasonCode: 'expired_documents', reason: 'Нет справки 065' });
  srv.sql(`UPDATE refusal SET refused_at = refused_at - 3600 WHERE id = ${older.id}`);
  const newer = await refused({ surname: 'МЛАДШИЙ' });
  const c = await as('reviewer1');
  const r = await c.get('/review');
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Рассмотрение мотивированных отказов/);
  const io = r.text.indexOf(`id="refusal-${older.id}"`);
  const inew = r.text.indexOf(`id="refusal-${newer.id}"`);
  assert.ok(io > 0 && inew > io, 'oldest first');
  const card = textOf(r.text.slice(io, inew));
  assert.match(card, new RegExp(`ИИН ребенка ${older.app.childIin}`));
  assert.match(card, /ФИО ребенка СТАРШИЙ/);
  assert.match(card, /ФИО заявителя НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.match(card, /Название ДДО Ясли-сад/);
  assert.match(card, new RegExp(`Номер заявления ${older.app.number.replace(/\./g, '\\.')}`));
  assert.match(card, /Причина отказа Документы с истекшим сроком действия Нет справки 065/);
  const serial = one(`SELECT g.cert_serial FROM refusal x JOIN signature g ON g.id = x.signature_id WHERE x.id = ${older.id}`).cert_serial;
  assert.ok(serial.length > 8);
  assert.match(card, new RegExp(`Отказ подписан ЭЦП АХМЕТОВА АЙГУЛЬ СЕРИКОВНА · ИИН ${Server.persons().staff1.iin} · \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d · сертификат № ${serial}`));
  assert.match(card, /Форма №065 .*Форма №027 .*Форма №052-2/);
  assert.match(r.text, /<button type="submit" name="decision" value="confirm" class="btn btn-light">Подтвердить отказ<\/button>/);
  assert.match(r.text, /<button type="submit" name="decision" value="reject" class="btn btn-ok">Отклонить отказ<\/button>/);
  // The documents download for this reviewer, not for the other district's.
  const doc = await c.get(`/review/doc/${older.docs.form027}`);
  assert.strictEqual(doc.status, 200);
  assert.strictEqual(doc.body.slice(0, 5).toString(), '%PDF-');
  const r2 = await as('reviewer2');
  const list2 = await r2.get('/review');
  assert.doesNotMatch(list2.text, new RegExp(`refusal-${older.id}"`));
  assert.doesNotMatch(list2.text, new RegExp(older.app.childIin));
  assert.strictEqual((await r2.get(`/review/doc/${older.docs.form027}`)).status, 404);
});

test('a decision needs a comment and a known decision; the message is at that refusal\'s form', async () => {
  const x = await refused();
  const c = await as('reviewer1');
  const before = snapshot(x);
  const r = await c.post(`/review/${x.id}`, { decision: 'confirm', comment: '  ' });
  assert.strictEqual(r.status, 422);
  const card = r.text.slice(r.text.indexOf(`id="refusal-${x.id}"`));
  assert.match(card.slice(0, card.indexOf('</form>')), /class="field-error" id="err-comment">Обязательное поле/);
  const bad = await c.post(`/review/${x.id}`, { decision: 'maybe', comment: 'Комментарий' });
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /Выберите значение из списка/);
  assert.deepStrictEqual(snapshot(x), before);
});

test('«Подтвердить отказ» signed: the child is back in the queue at its old position and the place is free again', async () => {
  const now = srv.now();
  // Queue of Кокшетау 2020: three children; the middle one (first priority) gets the referral.
  const a1 = fx.application(srv, { groupYear: 2020, queuedAt: now - 40 * DAY });
  const x = await refused({ groupYear: 2020, benefit: 'first_priority', queuedAt: now - 30 * DAY, surname: 'ВОЗВРАТОВ' });
  const a3 = fx.application(srv, { groupYear: 2020, queuedAt: now - 20 * DAY, benefit: 'first_priority' });
  const queuedAt = one(`SELECT queued_at FROM application WHERE id = ${x.app.id}`).queued_at;
  assert.strictEqual(queuedAt, now - 30 * DAY);
  const c = await as('reviewer1');
  const f = await decisionForm(c, x.id, 'confirm', 'Документы действительно нечитаемы');
  assert.match(f.text, /^Решение Отдела образования: отказ ДДО подтвержден, ребенок восстанавливается в очереди\n/);
  assert.match(f.text, new RegExp(`Направление: ${x.ref.number}`));
  assert.match(f.text, /Причина: Неполный пакет документов\nПояснение: Форма №027 нечитаема\n/);
  assert.match(f.text, /Комментарий: Документы действительно нечитаемы\n/);
  const sms = srv.sms().length;
  const r = await c.post(`/review/${x.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(r.location, '/review');
  const s = snapshot(x);
  assert.deepStrictEqual([s.refusal, s.referral, s.app, s.free, s.decisions], ['confirmed', 'refusal_confirmed', 'queued', 1, 1]);
  const app = one(`SELECT queued_at, benefit FROM application WHERE id = ${x.app.id}`);
  assert.deepStrictEqual(app, { queued_at: queuedAt, benefit: 'first_priority' });
  // Out of turn and first priority come first; within first priority, by date: after a1? No: a1 has no benefit.
  assert.strictEqual(position(x.app.id), 1);
  assert.strictEqual(position(a3.id), 2);
  assert.strictEqual(position(a1.id), 3);
  const page = await c.get('/review');
  const t = textOf(page.text);
  assert.match(t, new RegExp(`Отказ подтвержден, ребенок восстановлен в очереди\\. Направление ${x.ref.number}`));
  assert.doesNotMatch(page.text, new RegExp(`id="refusal-${x.id}"`));
  assert.match(t, new RegExp(`ВОЗВРАТОВ .* ${x.ref.number} Неполный пакет документов Форма №027 нечитаема Отказ подтвержден Документы действительно нечитаемы Решение \\(PDF\\)`));
  const doc = one(`SELECT id FROM document WHERE referral_id = ${x.ref.id} AND kind = 'decision'`).id;
  assert.match(page.text, new RegExp(`href="/review/doc/${doc}">Решение \\(PDF\\)</a>`));
  const pdf = await c.get(`/review/doc/${doc}`);
  assert.strictEqual(pdf.status, 200);
  assert.strictEqual(pdf.headers['content-type'], 'application/pdf');
  assert.match(pdf.headers['content-disposition'], new RegExp(`decision-${x.ref.number}\\.pdf`));
  // The decision's heading and its outcome are two words, not «Решение Решение».
  const pdfText = require('../lib/files').pdfText(pdf.body).replace(/\s+/g, ' ');
  assert.doesNotMatch(pdfText, /Решение Решение/);
  assert.match(pdfText, /Решение отдела образования Итог Отказ дошкольной организации подтвержден/);
  // The DDO sees the decision among the referral's documents too.
  const staffDoc = await x.staff.get(`/cabinet/doc/${doc}`);
  assert.strictEqual(staffDoc.status, 200);
  // The parent and the DDO are told.
  for (let i = 0; i < 50 && srv.sms().length < sms + 2; i++) await new Promise((res) => setTimeout(res, 50));
  const texts = srv.sms().slice(sms).join('\n');
  assert.match(texts, /To: \+77015550007[\s\S]*восстановлен в очереди/);
  assert.match(texts, /To: \+77015550002[\s\S]*подтвердил ваш отказ/);
  const hist = srv.sql(`SELECT event, actor_role FROM history WHERE application_id = ${x.app.id} ORDER BY id`).map((h) => `${h.event}/${h.actor_role}`);
  assert.ok(hist.includes('ddo_refused/staff') && hist.includes('refusal_confirmed/reviewer'), hist.join());
  // Deciding twice.
  const again = await c.post(`/review/${x.id}`, { decision: 'reject', comment: 'Передумал' });
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /По этому отказу решение уже принято/);
  const replay = await c.post(`/review/${x.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(replay.status, 409);
  assert.deepStrictEqual(snapshot(x), s);
});

test('«Отклонить отказ» signed: the DDO must enroll the child, and then accepts', async () => {
  const x = await refused({ surname: 'ОБЯЗАТЕЛЬНЫЙ' });
  srv.sql(`UPDATE account SET lang = 'kk' WHERE id = ${x.app.parentId}`);
  const c = await as('reviewer1');
  const f = await decisionForm(c, x.id, 'reject', 'Документы в порядке, место есть');
  assert.match(f.text, /^Решение Отдела образования: отказ ДДО отклонен, ДДО обязано зачислить ребенка\n/);
  const r = await c.post(`/review/${x.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  const s = snapshot(x);
  assert.deepStrictEqual([s.refusal, s.referral, s.app, s.free, s.decisions], ['rejected', 'must_enroll', 'docs_submitted', 0, 1]);
  // The decision is the parent's document: in the parent's language (Kazakh
  // here), whatever language the reviewer works in (Russian).
  const doc = one(`SELECT id FROM document WHERE referral_id = ${x.ref.id} AND kind = 'decision'`).id;
  const pdfText = require('../lib/files').pdfText((await c.get(`/review/doc/${doc}`)).body).replace(/\s+/g, ' ');
  assert.match(pdfText, /ДӘЛЕЛДІ БАС ТАРТУ БОЙЫНША БІЛІМ БӨЛІМІНІҢ ШЕШІМІ/);
  assert.match(pdfText, /Мектепке дейінгі ұйымның бас тартуы қабылданбады/);
  assert.doesNotMatch(pdfText, /Решение отдела образования/);
  srv.sql(`UPDATE account SET lang = '' WHERE id = ${x.app.parentId}`);
  const staffPage = await x.staff.get(`/cabinet?by=number&q=${x.ref.number}`);
  assert.match(textOf(staffPage.text), /Комментарий Отдела образования: «Документы в порядке, место есть»/);
  assert.doesNotMatch(staffPage.text, new RegExp(`/cabinet/refuse/${x.ref.id}"`));
  const a = eds.form(staffPage.text, '/cabinet/accept');
  const ok = await x.staff.post('/cabinet/accept', { ...a.fields, cms: eds.sign(a.text, 'staff1-sign') });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${x.ref.id}`).status, 'enrolled');
});

test('the page to sign: the decision against the child (confirming the refusal) is the red button, the other is not', async () => {
  const x = await refused({ surname: 'КНОПОЧНЫЙ' });
  const c = await as('reviewer1');
  const against = await c.post(`/review/${x.id}`, { decision: 'confirm', comment: 'Проверено' });
  assert.match(against.text, new RegExp(`<form method="post" action="/review/${x.id}" class="review-sign"`));
  assert.match(against.text, /<button type="submit" class="btn btn-danger">Подписать ЭЦП/);
  assert.match(against.text, new RegExp(`<a class="btn btn-light" href="/review#refusal-${x.id}">`));
  const favour = await c.post(`/review/${x.id}`, { decision: 'reject', comment: 'Проверено' });
  assert.match(favour.text, /<button type="submit" class="btn">Подписать ЭЦП/);
});

test('another district\'s reviewer cannot decide; keys of others, AUTH keys, other texts and stale challenges are refused', async () => {
  const x = await refused();
  const before = snapshot(x);
  const r2 = await as('reviewer2');
  const cross = await r2.post(`/review/${x.id}`, { decision: 'confirm', comment: 'Согласен' });
  assert.strictEqual(cross.status, 404);
  assert.match(textOf(cross.text), /Отказ не найден среди отказов ваших районов/);
  const crossSigned = await r2.post(`/review/${x.id}`, { decision: 'confirm', comment: 'Согласен', nonce: 'A'.repeat(43), cms: eds.sign('Согласен', 'reviewer2-sign') });
  assert.strictEqual(crossSigned.status, 404);
  assert.deepStrictEqual(snapshot(x), before);
  const c = await as('reviewer1');
  for (const [decision, key, other, msg] of [
    ['confirm', 'reviewer2-sign', null, /принадлежит другому человеку/],
    ['confirm', 'staff1-sign', null, /принадлежит другому человеку/],
    ['reject', 'reviewer1-auth', null, /Ключ не того назначения/],
    ['confirm', 'reviewer1-sign', 'Решение: отказ подтвержден', /Подписан не тот текст/],
  ]) {
    const f = await decisionForm(c, x.id, decision, 'Комментарий');
    const r = await c.post(`/review/${x.id}`, { ...f.fields, cms: eds.sign(other || f.text, key) });
    assert.strictEqual(r.status, 422, key);
    assert.match(textOf(r.text), msg, key);
    assert.ok(eds.form(r.text, `/review/${x.id}`), 'the signed form is offered again');
  }
  // The confirm challenge used to reject, and a comment other than the signed one.
  let f = await decisionForm(c, x.id, 'confirm', 'Согласен');
  let r = await c.post(`/review/${x.id}`, { ...f.fields, decision: 'reject', cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Эта подпись не относится к текущему действию/);
  f = await decisionForm(c, x.id, 'confirm', 'Согласен');
  r = await c.post(`/review/${x.id}`, { ...f.fields, comment: 'Не согласен', cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Подписан не тот текст/);
  f = await decisionForm(c, x.id, 'confirm', 'Согласен');
  srv.advanceClock(301);
  r = await c.post(`/review/${x.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(r.text), /Время на подписание истекло/);
  assert.deepStrictEqual(snapshot(x), before);
  assert.strictEqual((await c.post('/review/999999', { decision: 'confirm', comment: 'x' })).status, 404);
});

test('the decided list pages and sorts by the date of decision', async () => {
  const c = await as('reviewer1');
  const r = await c.get('/review?sort=date&dir=asc');
  assert.strictEqual(r.status, 200);
  assert.match(r.text, /aria-sort="ascending"/);
  const dates = [...r.text.matchAll(/<tr><td[^>]*>(\d\d)\.(\d\d)\.(\d{4}) (\d\d:\d\d)<\/td>/g)].map((m) => `${m[3]}${m[2]}${m[1]}${m[4]}`);
  assert.ok(dates.length >= 2, dates.join());
  assert.deepStrictEqual(dates, [...dates].sort());
  assert.match(textOf(r.text), /Всего: \d+/);
});

run();
