// Benefits confirmed by the education department before the referral's
// documents (issue 16 item 3), through nginx and the real programs: an
// out-of-turn referral is «Ожидает подтверждения льготы» for the parent,
// the journal and the staff (who cannot accept it); the district's reviewer
// sees it on its tab with the supporting document and confirms (the
// document deadline starts at the decision) or refuses (the referral is
// annulled, the place returns, the application stays queued with its date
// and no benefit), each with a comment and an EDS signature; nobody
// answering by the due date does what a refusal does; another district's
// reviewer and a citizen are refused; a replayed signature is refused;
// Benefit.ConfirmFirstPriority = 1 makes first-priority referrals wait too.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');
const { workdays } = require('../lib/workdays');

let srv;
let ddo1;
let wd;
let year;

before(async () => {
  srv = await Server.start();
  ddo1 = fx.ddoOf(srv, 'staff1');
  wd = workdays(srv);
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
  // reviewer1 reviews the district of staff1's DDO, reviewer2 another one.
  const district = srv.sql(`SELECT district_id FROM ddo WHERE id = ${ddo1}`)[0].district_id;
  const of = (who) => srv.sql(`SELECT rd.district_id FROM reviewer_district rd JOIN account a ON a.id = rd.account_id
    WHERE a.iin = '${Server.persons()[who].iin}'`).map((r) => r.district_id);
  assert.ok(of('reviewer1').includes(district));
  assert.ok(!of('reviewer2').includes(district));
});
after(async () => { if (srv) await srv.stop(); });

const one = (sql) => srv.sql(sql)[0];
const date = (ts) => new Date((ts + 5 * 3600) * 1000).toISOString().slice(0, 10).split('-').reverse().join('.');

async function as(who) {
  const c = srv.client();
  srv.login(c, who);
  return c;
}

// Each referral takes a place of its own record (posted by id), so other
// records of the same group year are not in the way.
// (Russian-language groups: the SMS are in Russian.)
const ages = [2, 3, 4, 5, 6];
let ageIdx = 0;

// An applicant of parent1 with a benefit and its supporting document takes
// a place of staff1's DDO in free choice through /places/choose.
async function take(benefit = 'out_of_turn', ground = 'orphan', server = srv) {
  const g = { groupYear: year - ages[ageIdx++ % ages.length], language: 'ru' };
  const queuedAt = server.now() - 300 * 86400;
  const app = fx.application(server, { parent: 'parent1', ...g, benefit, benefitGround: ground, queuedAt, surname: 'ЛЬГОТОВ' });
  const doc = fx.submittedDocs(server, { application: app.id, kinds: ['benefit'] }).benefit;
  const place = fx.freePlace(server, { ddo: fx.ddoOf(server, 'staff1'), ...g, total: 1 });
  const c = server.client();
  server.login(c, 'parent1');
  const confirm = await c.get(`/places/choose/confirm?application=${app.id}&place=${place}`);
  assert.strictEqual(confirm.status, 200);
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
  const ref = server.sql(`SELECT id, number, issued_at, deadline_at, benefit_check, benefit_due_at FROM referral
    WHERE application_id = ${app.id}`)[0];
  return { app, doc, place, ref, queuedAt, parent: c, confirm: confirm.text };
}

// Step 1 of a decision: the page with the text to sign.
async function decisionForm(c, refId, decision, comment) {
  const r = await c.post(`/review/benefits/${refId}`, { decision, comment });
  assert.strictEqual(r.status, 200, textOf(r.text).slice(0, 300));
  return eds.form(r.text, `/review/benefits/${refId}`);
}

const state = (x) => one(`SELECT f.status AS referral, f.benefit_check AS checked, a.status AS app, a.benefit AS benefit,
  a.benefit_ground AS ground, a.queued_at AS queuedAt, p.free AS free, f.deadline_at AS deadline
  FROM referral f JOIN application a ON a.id = f.application_id JOIN free_place p ON p.id = f.free_place_id
  WHERE f.id = ${x.ref.id}`);
const events = (x) => srv.sql(`SELECT event FROM history WHERE application_id = ${x.app.id} ORDER BY id`).map((h) => h.event);
const smsText = (x, kind) => (srv.sql(`SELECT text FROM notification WHERE application_id = ${x.app.id} AND kind = '${kind}'`)[0] || {}).text;

test('an out-of-turn referral awaits the confirmation: parent, journal and staff see it, staff cannot accept', async () => {
  const x = await take();
  const due = wd.endAfter(x.ref.issued_at, 5);
  assert.strictEqual(x.ref.benefit_check, 'pending');
  assert.strictEqual(x.ref.benefit_due_at, due);
  assert.strictEqual(x.ref.deadline_at, due, 'the document deadline has not started');
  // The confirmation of the choice said so before.
  assert.match(textOf(x.confirm), new RegExp(`Ожидает подтверждения льготы\\. Предъявите оригинал документа о льготе в отдел образования \\(г\\. Кокшетау\\) до ${date(due).replace(/\./g, '\\.')} включительно`));
  // The SMS: where to bring the original and by when (and no «upload documents»).
  const sms = smsText(x, 'benefit_pending');
  assert.match(sms, new RegExp(`№ ${x.ref.number}`));
  assert.match(sms, new RegExp(`До ${date(due).replace(/\./g, '\\.')} включительно предъявите оригинал документа о льготе в отдел образования \\(г\\. Кокшетау\\)`));
  assert.strictEqual(smsText(x, 'referral'), undefined);
  assert.deepStrictEqual(events(x).slice(-3), ['referral_issued', 'benefit_pending', 'sms_benefit_pending']);
  // The parent: the referral page, «Мои заявления», the application, the documents page.
  const refPage = await x.parent.get(`/places/referral/${x.ref.id}`);
  assert.match(textOf(refPage.text), /Ожидает подтверждения льготы/);
  assert.match(textOf(refPage.text), /Предъявите оригинал документа о льготе в отдел образования \(г\. Кокшетау\)/);
  assert.doesNotMatch(refPage.text, /class="btn btn-light" href="\/enroll"/);
  const my = await x.parent.get('/queue/my');
  assert.match(textOf(my.text), new RegExp(`Ожидает подтверждения льготы до ${date(due).replace(/\./g, '\\.')}`));
  const app = await x.parent.get(`/queue/app/${x.app.id}`);
  assert.match(textOf(app.text), /Ожидает подтверждения льготы до .*Предъявите оригинал документа о льготе/);
  await x.parent.post('/enroll/ok', { read: 1 });
  const enroll = await x.parent.get(`/enroll?open=${x.ref.id}`);
  const card = enroll.text.slice(enroll.text.indexOf(`id="ref-${x.ref.id}"`));
  assert.match(textOf(card.slice(0, card.indexOf('</details>'))), /Ожидает подтверждения льготы/);
  assert.doesNotMatch(card.slice(0, card.indexOf('</details>')), new RegExp(`/enroll/${x.ref.id}/upload`));
  const up = await x.parent.upload(`/enroll/${x.ref.id}/upload`, { kind: 'form065' }, { file: { name: 'f.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') } });
  assert.strictEqual(up.status, 409);
  assert.match(textOf(up.text), /Загрузить документы и подписать договор можно после подтверждения/);
  assert.strictEqual(one(`SELECT count(*) AS n FROM document WHERE referral_id = ${x.ref.id} AND origin = 'applicant'`).n, 0);
  // The journal.
  const j = await x.parent.get(`/journal/${x.app.id}`);
  assert.match(textOf(j.text), /Ожидает подтверждения льготы/);
  // The staff: the status and why it cannot be accepted; accepting is refused.
  const s = await as('staff1');
  await s.get('/cabinet');
  await s.post('/cabinet/ddo', { ddo: ddo1 });
  const cab = await s.get(`/cabinet?by=number&q=${x.ref.number}`);
  assert.match(textOf(cab.text), /Ожидает подтверждения льготы/);
  assert.match(textOf(cab.text), /Льгота по этому направлению ожидает подтверждения Отдела образования/);
  assert.throws(() => eds.form(cab.text, '/cabinet/accept'));
  const acc = await s.post('/cabinet/accept', { ref: x.ref.id, nonce: 'A'.repeat(43), cms: eds.sign('Принять', 'staff1-sign') });
  assert.strictEqual(acc.status, 409);
  assert.strictEqual(one(`SELECT count(*) AS n FROM enrollment WHERE referral_id = ${x.ref.id}`).n, 0);
});

test('the district\'s reviewer sees it on «Подтверждение льгот» with the document; others are refused', async () => {
  const older = await take('out_of_turn', 'child_disabled');
  const x = await take();
  const c = await as('reviewer1');
  const r = await c.get('/review/benefits');
  assert.strictEqual(r.status, 200);
  assert.match(r.text, /<a href="\/review\/benefits" aria-current="page">Подтверждение льгот \(\d+\)<\/a>/);
  const io = r.text.indexOf(`id="benefit-${older.ref.id}"`);
  const ix = r.text.indexOf(`id="benefit-${x.ref.id}"`);
  assert.ok(io > 0 && ix > io, 'oldest first');
  const card = textOf(r.text.slice(ix, r.text.indexOf('</article>', ix)));
  assert.match(card, new RegExp(`ЛЬГОТОВ .* ${x.ref.number}`));
  assert.match(card, new RegExp(x.app.number.replace(/\./g, '\\.')));
  assert.match(card, /Категория льготы Внеочередное право/);
  assert.match(card, /Основание Дети-сироты и дети, оставшиеся без попечения родителей/);
  assert.match(card, new RegExp(`Подтвердить до ${date(x.ref.benefit_due_at).replace(/\./g, '\\.')}`));
  assert.match(r.text, new RegExp(`href="/review/benefits/doc/${x.doc}"`));
  const doc = await c.get(`/review/benefits/doc/${x.doc}`);
  assert.strictEqual(doc.status, 200);
  assert.strictEqual(doc.body.slice(0, 5).toString(), '%PDF-');
  // The refusals page shows the tab's count too.
  assert.match((await c.get('/review')).text, /Подтверждение льгот \(\d+\)/);
  // A comment is required; the message is at this referral's form.
  const bad = await c.post(`/review/benefits/${x.ref.id}`, { decision: 'confirm', comment: ' ' });
  assert.strictEqual(bad.status, 422);
  const form = bad.text.slice(bad.text.indexOf(`id="benefit-${x.ref.id}"`));
  assert.match(form.slice(0, form.indexOf('</form>')), /id="err-comment">Обязательное поле/);
  // Another district's reviewer sees nothing of it and cannot decide.
  const r2 = await as('reviewer2');
  const list2 = await r2.get('/review/benefits');
  assert.strictEqual(list2.status, 200);
  assert.doesNotMatch(list2.text, new RegExp(`benefit-${x.ref.id}"`));
  assert.doesNotMatch(list2.text, new RegExp(x.app.childIin));
  assert.strictEqual((await r2.get(`/review/benefits/doc/${x.doc}`)).status, 404);
  assert.strictEqual((await r2.post(`/review/benefits/${x.ref.id}`, { decision: 'refuse', comment: 'Нет' })).status, 404);
  // A citizen, staff and nobody cannot open the tab.
  for (const who of ['parent1', 'staff1']) {
    const u = await as(who);
    assert.strictEqual((await u.get('/review/benefits')).status, 403, who);
    assert.strictEqual((await u.post(`/review/benefits/${x.ref.id}`, { decision: 'confirm', comment: 'x' })).status, 403, who);
  }
  const anon = await srv.client().get('/review/benefits');
  assert.strictEqual(anon.status, 303);
  assert.strictEqual(state(x).checked, 'pending');
});

test('confirmed, signed: the document deadline starts at the decision; a replayed signature is refused', async () => {
  const x = await take();
  const other = await take();
  srv.advanceClock(86400 + 3600);   // a day later: the deadline counts from the decision, not the referral
  srv.login(x.parent, 'parent1');   // (the clock ended the session)
  const c = await as('reviewer1');
  const f = await decisionForm(c, x.ref.id, 'confirm', 'Оригинал справки предъявлен');
  assert.match(f.text, /^Решение Отдела образования: льгота подтверждена, начинается срок подачи документов в ДДО\n/);
  assert.match(f.text, new RegExp(`Направление: ${x.ref.number}\n`));
  assert.match(f.text, /Категория льготы: Внеочередное право\n/);
  assert.match(f.text, /Комментарий: Оригинал справки предъявлен\n/);
  const r = await c.post(`/review/benefits/${x.ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(r.location, '/review/benefits');
  const row = one(`SELECT benefit_check, benefit_decided_at, benefit_comment, deadline_at, status,
    (SELECT action FROM signature WHERE id = benefit_signature_id) AS action FROM referral WHERE id = ${x.ref.id}`);
  assert.deepStrictEqual([row.benefit_check, row.status, row.benefit_comment, row.action],
    ['confirmed', 'issued', 'Оригинал справки предъявлен', 'benefit_confirm']);
  assert.ok(row.benefit_decided_at >= x.ref.issued_at + 86400);
  assert.strictEqual(row.deadline_at, wd.endAfter(row.benefit_decided_at, 5));
  assert.notStrictEqual(row.deadline_at, wd.endAfter(x.ref.issued_at, 5));
  assert.match(smsText(x, 'benefit_confirmed'), new RegExp(`До ${date(row.deadline_at).replace(/\./g, '\\.')} включительно загрузите документы`));
  assert.deepStrictEqual(events(x).slice(-2), ['benefit_confirmed', 'sms_benefit_confirmed']);
  assert.strictEqual(fx.audit(srv, 'benefit_confirm')[0].outcome, 'ok');
  // The parent may now submit the documents.
  const up = await x.parent.upload(`/enroll/${x.ref.id}/upload`, { kind: 'form065' }, { file: { name: 'f.pdf', type: 'application/pdf', data: require('../lib/files').pdf('f065') } });
  assert.strictEqual(up.status, 303, textOf(up.text).slice(0, 300));
  const hist = await x.parent.get(`/journal/${x.app.id}?tab=history`);
  assert.match(textOf(hist.text), new RegExp(`Льгота по направлению № ${x.ref.number} подтверждена отделом образования: «Оригинал справки предъявлен»`));
  // The same signed form again: decided already, nothing changes.
  const again = await c.post(`/review/benefits/${x.ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(again.status, 409);
  assert.match(textOf(again.text), /Решение о льготе по этому направлению уже принято/);
  // Its signature on another referral: not that referral's challenge.
  const before = state(other);
  const replay = await c.post(`/review/benefits/${other.ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(replay.status, 422);
  assert.deepStrictEqual(state(other), before);
  assert.strictEqual(one(`SELECT deadline_at FROM referral WHERE id = ${x.ref.id}`).deadline_at, row.deadline_at);
});

test('refused, signed: the referral is annulled, the place returns, the child stays queued with its date and no benefit', async () => {
  const x = await take('out_of_turn', 'parent_disabled');
  assert.strictEqual(state(x).free, 0);
  const c = await as('reviewer1');
  const f = await decisionForm(c, x.ref.id, 'refuse', 'Справка об инвалидности просрочена');
  assert.match(f.text, /^Решение Отдела образования: льгота не подтверждена, направление аннулируется\n/);
  const r = await c.post(`/review/benefits/${x.ref.id}`, { ...f.fields, cms: eds.sign(f.text, 'reviewer1-sign') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.deepStrictEqual(state(x), { referral: 'annulled', checked: 'refused', app: 'queued', benefit: 'none', ground: '',
    queuedAt: x.queuedAt, free: 1, deadline: x.ref.deadline_at });
  assert.deepStrictEqual(events(x).slice(-2), ['benefit_refused', 'sms_benefit_refused']);
  assert.match(smsText(x, 'benefit_refused'), new RegExp(`не подтвердил льготу по направлению № ${x.ref.number}.*осталось в очереди с прежней датой, без льготы`));
  assert.strictEqual(fx.audit(srv, 'benefit_refuse')[0].outcome, 'ok');
  const hist = await x.parent.get(`/journal/${x.app.id}?tab=history`);
  assert.match(textOf(hist.text), /не подтверждена отделом образования: «Справка об инвалидности просрочена»/);
  const my = await x.parent.get(`/queue/app/${x.app.id}`);
  assert.match(textOf(my.text), /Без льготы/);
  assert.doesNotMatch(textOf(my.text), /Ожидает подтверждения льготы/);
  const page = await c.get('/review/benefits');
  assert.doesNotMatch(page.text, new RegExp(`id="benefit-${x.ref.id}"`));
});

test('a first-priority referral does not wait by default', async () => {
  const x = await take('first_priority', 'large_family');
  assert.strictEqual(x.ref.benefit_check, '');
  assert.strictEqual(x.ref.deadline_at, wd.endAfter(x.ref.issued_at, 5));
  assert.match(smsText(x, 'referral'), /загрузите документы/);
  assert.doesNotMatch(x.confirm, /id="confirm-benefit"/);
});

test('not answered by the due date: the referral lapses like a refusal, and the history says so', async () => {
  const x = await take('out_of_turn', 'service_killed');
  const due = x.ref.benefit_due_at;
  srv.advanceClock(due - srv.now() + 60);
  srv.login(x.parent, 'parent1');   // (the clock ended the session)
  // Read before any job ran: the application is back in the queue, not archived.
  const app = await x.parent.get(`/queue/app/${x.app.id}`);
  assert.doesNotMatch(textOf(app.text), /Архив|Ожидает подтверждения льготы/);
  srv.kgctl('tick', '--now', String(srv.now()));
  assert.deepStrictEqual(state(x), { referral: 'annulled', checked: 'lapsed', app: 'queued', benefit: 'none', ground: '',
    queuedAt: x.queuedAt, free: 1, deadline: due });
  assert.deepStrictEqual(events(x).slice(-2), ['benefit_lapsed', 'sms_benefit_lapsed']);
  assert.match(smsText(x, 'benefit_lapsed'), new RegExp(`не подтверждена до ${date(due).replace(/\./g, '\\.')}`));
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'benefit_lapse' AND object_id = ${x.ref.id}`).n, 1);
  const hist = await x.parent.get(`/journal/${x.app.id}?tab=history`);
  assert.match(textOf(hist.text), new RegExp(`Льгота по направлению № ${x.ref.number} не подтверждена в срок`));
  // Too late for the reviewer.
  const c = await as('reviewer1');
  const late = await c.post(`/review/benefits/${x.ref.id}`, { decision: 'confirm', comment: 'Поздно' });
  assert.strictEqual(late.status, 409);
});

test('Benefit.ConfirmFirstPriority = 1 makes first-priority referrals wait too', async () => {
  const s2 = await Server.start({ conf: 'Benefit.ConfirmFirstPriority = 1' });
  try {
    const x = await take('first_priority', 'large_family', s2);
    assert.strictEqual(x.ref.benefit_check, 'pending');
    assert.strictEqual(x.ref.deadline_at, x.ref.benefit_due_at);
    const my = await x.parent.get('/queue/my');
    assert.match(textOf(my.text), /Ожидает подтверждения льготы до/);
    const none = await take('none', '', s2);
    assert.strictEqual(none.ref.benefit_check, '');
  } finally {
    await s2.stop();
  }
});

run();
