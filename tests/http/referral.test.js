// Choosing a place and the referral through nginx and the real programs:
// eligibility during and after the priority window, the referral (number,
// deadline in working days, SMS, PDF, history, audit), every refusal with
// its message and nothing changed, many parents racing for the last places
// at once, annulment at the deadline by the timed command (and when the
// rows are read), the reminder the working day before.
'use strict';

const assert = require('assert');
const { spawn } = require('child_process');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const { workdays } = require('../lib/workdays');

let srv;
let ddoA;
let year;
let wd;

// The programs' clock is set to a Thursday, 10:00 local time (UTC+5), so
// that five working days cross a weekend: a deadline counted in calendar
// days (Tuesday) differs from the right one (the next Thursday) whatever
// day the tests run on.
function clockToThursday() {
  const now = srv.now();
  let day = Math.floor((now + 5 * 3600) / 86400) + 1;
  while ((day + 4) % 7 !== 4) day++;
  srv.advanceClock(day * 86400 - 5 * 3600 + 10 * 3600 - now);
}

before(async () => {
  srv = await Server.start({ workers: 3 });
  clockToThursday();
  [ddoA] = fx.ddosOf(srv, 'staff1');
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
  wd = workdays(srv);
});
after(async () => { if (srv) await srv.stop(); });

function citizen(who = 'parent1') { const c = srv.client(); srv.login(c, who); return c; }
const one = (q) => srv.sql(q)[0];
const free = (id) => one(`SELECT free FROM free_place WHERE id = ${id}`).free;
const live = (id) => one(`SELECT count(*) AS n FROM referral WHERE free_place_id = ${id} AND status NOT IN ('annulled','refusal_confirmed')`).n;

// A group year and language that no other test and no demo record uses, so
// each test sees only its own records.
const combos = [[1, 'ru'], [1, 'kk'], [1, 'en'], [6, 'ru'], [6, 'kk'], [6, 'en'], [7, 'ru'], [7, 'kk'], [7, 'en'],
  [0, 'ru'], [0, 'kk'], [0, 'en'], [2, 'en'], [3, 'en'], [5, 'en']];
let comboIdx = 0;
function fresh() {
  const [age, language] = combos[comboIdx++];
  return { groupYear: year - age, language };
}

function choices(html) { return [...html.matchAll(/<tr data-place="(\d+)">/g)].map((m) => Number(m[1])); }
const alertOf = (html) => { const m = html.match(/<div class="alert alert-error" role="alert" id="choose-alert">([^<]*)<\/div>/); return m ? m[1] : null; };

// The referral's PDF document, waiting for it (made after the response).
async function pdfOf(refId) {
  for (let i = 0; i < 100; i++) {
    const rows = srv.sql(`SELECT * FROM document WHERE referral_id = ${refId} AND kind = 'referral'`);
    if (rows.length) return rows[0];
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`the PDF of referral ${refId} was not made`);
}

// A record whose priority window is still open (ends in an hour).
function inWindow(g, total = 2) {
  return fx.freePlace(srv, { ddo: ddoA, ...g, total, createdAt: srv.now() - 60, windowUntil: srv.now() + 3600 });
}

test('during the window only an applicant offered the place sees and takes the record; another only after it', async () => {
  const g = fresh();
  const place = inWindow(g);
  const t = srv.now() - 86400;
  // Two places: offered (by the timed job, in queue order) to the
  // first-priority applicant and the first ordinary one, not to the second.
  const benefit = fx.application(srv, { parent: 'parent1', ...g, benefit: 'first_priority', queuedAt: t + 30 });
  fx.application(srv, { parent: 'parent3', ...g, queuedAt: t + 10 });
  const ordinary = fx.application(srv, { parent: 'parent2', ...g, queuedAt: t + 20 });
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE place_id = ${place} AND status = 'open'`).n, 2);
  const p1 = citizen('parent1');
  const p2 = citizen('parent2');
  const a = await p1.get(`/places/choose?application=${benefit.id}`);
  assert.strictEqual(a.status, 200);
  assert.deepStrictEqual(choices(a.text), [place]);
  assert.match(a.text, /предлагаются по очереди до/);
  const b = await p2.get(`/places/choose?application=${ordinary.id}`);
  assert.deepStrictEqual(choices(b.text), []);
  assert.match(textOf(b.text), /Сейчас нет свободных мест, которые ребенок может занять\./);
  assert.match(textOf(b.text), /Групп, где места до \d\d\.\d\d\.\d{4} \d\d:\d\d предлагаются по очереди: 1\./);
  // The applicant not offered posting anyway: refused, nothing changes.
  const refused = await p2.post('/places/choose', { application: ordinary.id, place });
  assert.strictEqual(refused.status, 409);
  assert.match(alertOf(refused.text), /Эти места сейчас предлагаются по очереди: занять место может только заявитель, которому его предложили/);
  assert.strictEqual(free(place), 2);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${ordinary.id}`).status, 'queued');
  // The offered applicant takes a place: the offer is accepted.
  const ok = await p1.post('/places/choose', { application: benefit.id, place });
  assert.strictEqual(ok.status, 303);
  assert.match(ok.location, /^\/places\/referral\/\d+$/);
  assert.strictEqual(free(place), 1);
  assert.strictEqual(one(`SELECT status FROM offer WHERE application_id = ${benefit.id}`).status, 'accepted');
  // After the window the other applicant may (the open offer lapsed).
  srv.advanceClock(3600 + 5);
  const p2b = citizen('parent2');   // the clock moved past the session's idle time
  const after = await p2b.get(`/places/choose?application=${ordinary.id}`);
  assert.deepStrictEqual(choices(after.text), [place]);
  const ok2 = await p2b.post('/places/choose', { application: ordinary.id, place });
  assert.strictEqual(ok2.status, 303);
  assert.strictEqual(free(place), 0);
  assert.strictEqual(one(`SELECT status FROM free_place WHERE id = ${place}`).status, 'exhausted');
  assert.strictEqual(one(`SELECT count(*) AS n FROM offer WHERE place_id = ${place} AND status = 'open'`).n, 0);
});

test('the list offers only records of the application\'s district, group year and language, with address and kind', async () => {
  const g = fresh();
  const match = fx.freePlace(srv, { ddo: ddoA, ...g, total: 3 });
  const otherYear = fx.freePlace(srv, { ddo: ddoA, groupYear: g.groupYear === year ? year - 1 : g.groupYear + 1, language: g.language, total: 3 });
  const otherLang = fx.freePlace(srv, { ddo: ddoA, groupYear: g.groupYear, language: g.language === 'ru' ? 'kk' : 'ru', total: 3 });
  const otherDistrict = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff3'), ...g, total: 3 });
  const empty = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const filler = fx.application(srv, { parent: 'parent3', ...g });
  fx.referral(srv, { application: filler.id, place: empty });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = citizen();
  const r = await c.get(`/places/choose?application=${app.id}`);
  assert.deepStrictEqual(choices(r.text), [match]);
  const row = r.text.match(new RegExp(`<tr data-place="${match}">([\\s\\S]*?)</tr>`))[1];
  const ddo = one(`SELECT name_ru, address FROM ddo WHERE id = ${ddoA}`);
  assert.ok(textOf(row).includes(ddo.name_ru));
  assert.ok(textOf(row).includes(ddo.address));
  assert.match(textOf(row), /Государственные детские сады/);
  assert.match(textOf(row), /3 из 3/);
  for (const [place, msg] of [[otherYear, /район, год группы или язык обучения другие/], [otherLang, /район, год группы или язык обучения другие/],
    [otherDistrict, /район, год группы или язык обучения другие/], [empty, /В этой группе свободных мест больше нет/]]) {
    const x = await c.post('/places/choose', { application: app.id, place });
    assert.strictEqual(x.status, 409, String(place));
    assert.match(alertOf(x.text), msg);
  }
  const none = await c.post('/places/choose', { application: app.id, place: 999999 });
  assert.strictEqual(none.status, 404);
  assert.match(alertOf(none.text), /Этих свободных мест больше нет\. Выберите другое место\./);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${app.id}`).status, 'queued');
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral WHERE application_id = ${app.id}`).n, 0);
});

test('choosing issues the referral: number, deadline in working days, SMS, PDF, history and audit, one transaction', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 2 });
  const app = fx.application(srv, { parent: 'parent1', ...g, surname: 'НҰРЛАН', name: 'КӨРКЕМ' });
  const c = citizen();
  const conf = await c.get(`/places/choose/confirm?application=${app.id}&place=${place}`);
  assert.strictEqual(conf.status, 200);
  const t0 = srv.now();
  const expected = wd.endAfter(t0, 5);
  // Pinned to a Thursday (before()): the deadline is past the weekend, not five calendar days on.
  assert.strictEqual((wd.dayOf(t0) + 4) % 7, 4, 'the clock is on a Thursday');
  assert.ok(expected - t0 > 6 * 86400, 'five working days from a Thursday end on the next Thursday at the earliest');
  assert.strictEqual(conf.text.match(/id="confirm-deadline">([^<]*)</)[1], wd.date(expected));
  assert.match(textOf(conf.text), /в течение 5 рабочих дней/);
  assert.match(conf.text, /Подтвердить и получить направление/);
  const smsBefore = srv.sms().length;
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303);
  const ref = one(`SELECT * FROM referral WHERE application_id = ${app.id}`);
  assert.strictEqual(r.location, `/places/referral/${ref.id}`);
  assert.strictEqual(ref.number, `1${String(app.id).padStart(7, '0')}01`);
  assert.match(ref.number, /^\d{10}$/);
  assert.strictEqual(ref.status, 'issued');
  assert.strictEqual(ref.voucher, 'active');
  assert.strictEqual(ref.ddo_id, ddoA);
  assert.strictEqual(ref.deadline_at, wd.endAfter(ref.issued_at, 5));
  assert.strictEqual(wd.daysLeft(ref.issued_at, ref.deadline_at), 5);
  assert.strictEqual(free(place), 1);
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${app.id}`).status, 'referred');
  const hist = srv.sql(`SELECT event, p1, p3 FROM history WHERE application_id = ${app.id} ORDER BY id`).map((h) => h.event);
  assert.deepStrictEqual(hist.slice(-2), ['referral_issued', 'sms_referral']);
  assert.strictEqual(one(`SELECT p1 FROM history WHERE application_id = ${app.id} AND event = 'referral_issued'`).p1, ref.number);
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'referral_issue' AND object_id = ${ref.id} AND actor_role = 'citizen'`).n, 1);
  // The PDF is made right after the response (lib/referral.h): it is there
  // within moments, once, and the referral is no longer due one.
  const doc = await pdfOf(ref.id);
  assert.strictEqual(one(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id}`).n, 1);
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral_pdf_due WHERE referral_id = ${ref.id}`).n, 0);
  assert.strictEqual(doc.kind, 'referral');
  assert.strictEqual(doc.origin, 'system');
  assert.strictEqual(doc.mime, 'application/pdf');
  assert.strictEqual(doc.number, ref.number);
  assert.match(doc.check_code, /^[A-Za-z0-9_-]{22}$/);
  // The SMS: number, DDO, deadline.
  await new Promise((res) => setTimeout(res, 200));
  const sms = srv.sms().slice(smsBefore);
  const ddoName = one(`SELECT name_ru FROM ddo WHERE id = ${ddoA}`).name_ru;
  const mine = sms.find((s) => s.includes(ref.number));
  assert.ok(mine, 'the SMS was sent');
  assert.match(mine, /^To: \+77015550007\n/);
  assert.ok(mine.includes(ddoName));
  assert.ok(mine.includes(wd.date(ref.deadline_at)));
  // The referral page: number, DDO, deadline, the PDF.
  const page = await c.get(r.location);
  assert.strictEqual(page.status, 200);
  assert.match(page.text, /Направление выдано:/);
  assert.strictEqual(page.text.match(/id="ref-number">([^<]*)</)[1], ref.number);
  assert.strictEqual(textOf(page.text.match(/id="ref-ddo">([^<]*)</)[1]), ddoName);
  assert.match(textOf(page.text.match(/id="ref-deadline">([\s\S]*?)<\/dd>/)[1]), new RegExp(`^${wd.date(ref.deadline_at).replace(/\./g, '\\.')} — осталось рабочих дней: 5$`));
  const pdfHref = page.text.match(/id="ref-pdf" href="([^"]+)"/)[1];
  const pdf = await c.get(pdfHref);
  assert.strictEqual(pdf.status, 200);
  assert.strictEqual(pdf.headers['content-type'], 'application/pdf');
  assert.strictEqual(pdf.body.slice(0, 5).toString(), '%PDF-');
  assert.match(pdf.headers['content-disposition'], new RegExp(`napravlenie-${ref.number}\\.pdf`));
  // Someone else's referral and its PDF do not exist for another citizen.
  const other = citizen('parent2');
  assert.strictEqual((await other.get(r.location)).status, 404);
  assert.strictEqual((await other.get(pdfHref)).status, 404);
});

test('a double submit, an application already referred, archived or further on: precise messages, nothing changes', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 5 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = citizen();
  const [a, b] = await Promise.all([
    c.post('/places/choose', { application: app.id, place }),
    c.post('/places/choose', { application: app.id, place }),
  ]);
  assert.deepStrictEqual([a.status, b.status].sort(), [303, 409]);
  const number = one(`SELECT number FROM referral WHERE application_id = ${app.id}`).number;
  const second = a.status === 409 ? a : b;
  assert.strictEqual(alertOf(second.text), `По этому заявлению уже выдано направление: выбрать другое место нельзя. Номер направления: ${number}`);
  assert.strictEqual(free(place), 4);
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral WHERE application_id = ${app.id}`).n, 1);
  // Again later, and for another record.
  const other = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const again = await c.post('/places/choose', { application: app.id, place: other });
  assert.strictEqual(again.status, 409);
  assert.match(alertOf(again.text), /уже выдано направление/);
  assert.strictEqual(free(other), 1);
  const archived = fx.application(srv, { parent: 'parent1', ...g, status: 'archived' });
  const x = await c.post('/places/choose', { application: archived.id, place });
  assert.strictEqual(x.status, 409);
  assert.strictEqual(alertOf(x.text), 'Заявление находится в архиве: выбрать место нельзя.');
  const further = fx.application(srv, { parent: 'parent1', ...g });
  fx.referral(srv, { application: further.id, place: other, status: 'docs_submitted' });
  const y = await c.post('/places/choose', { application: further.id, place });
  assert.strictEqual(y.status, 409);
  assert.match(alertOf(y.text), /уже поданы документы или идет зачисление/);
  assert.strictEqual(free(place), 4);
  // Another citizen's application, or a number that is nobody's: not found.
  const p2 = citizen('parent2');
  const z = await p2.post('/places/choose', { application: app.id, place });
  assert.strictEqual(z.status, 404);
  assert.match(z.text, /Заявление не найдено среди ваших заявлений/);
  assert.strictEqual((await p2.get(`/places/choose?application=${app.id}`)).status, 404);
  assert.strictEqual((await p2.post('/places/choose', { application: 'x', place })).status, 404);
  // Staff and anonymous visitors do not choose.
  const s = srv.client();
  srv.login(s, 'staff1');
  assert.strictEqual((await s.get(`/places/choose?application=${app.id}`)).status, 403);
  const anon = srv.client();
  assert.strictEqual((await anon.get('/places/choose')).status, 303);
  assert.strictEqual(free(place), 4);
});

test('many parents choosing the last places at the same moment: never overbooked, exactly as many referrals as places', async () => {
  const g = fresh();
  const places = [fx.freePlace(srv, { ddo: ddoA, ...g, total: 3 }), fx.freePlace(srv, { ddo: ddoA, ...g, total: 2 })];
  const parents = ['parent1', 'parent2', 'parent3'];
  const apps = [];
  for (let i = 0; i < 36; i++) apps.push(fx.application(srv, { parent: parents[i % 3], ...g }));
  const clients = apps.map((a, i) => ({ a, c: citizen(parents[i % 3]), place: places[i % 2] }));
  const results = await Promise.all(clients.map(({ a, c, place }) => c.post('/places/choose', { application: a.id, place })));
  const won = results.filter((r) => r.status === 303).length;
  const lost = results.filter((r) => r.status === 409);
  assert.strictEqual(won, 5);
  assert.strictEqual(lost.length, 31);
  for (const r of lost) assert.match(alertOf(r.text), /В этой группе свободных мест больше нет: последнее место уже заняли/);
  for (const p of places) {
    const row = one(`SELECT total, free, status FROM free_place WHERE id = ${p}`);
    assert.strictEqual(row.free, 0);
    assert.strictEqual(row.status, 'exhausted');
    assert.strictEqual(row.free, row.total - live(p));
  }
  const referred = one(`SELECT count(*) AS n FROM application WHERE id IN (${apps.map((a) => a.id).join(',')}) AND status = 'referred'`).n;
  assert.strictEqual(referred, 5);
  // Every record of the instance keeps free = total - live referrals.
  const drift = srv.sql(`SELECT f.id FROM free_place f WHERE f.free <> f.total - (SELECT count(*) FROM referral r
    WHERE r.free_place_id = f.id AND r.status NOT IN ('annulled','refusal_confirmed'))`);
  assert.deepStrictEqual(drift, []);
});

test('an overdue referral is annulled by the timed command: voucher annulled, place back, application archived, SMS', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = citizen();
  const r = await c.post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303);
  const ref = one(`SELECT * FROM referral WHERE application_id = ${app.id}`);
  assert.strictEqual(one(`SELECT status FROM free_place WHERE id = ${place}`).status, 'exhausted');
  // Before the deadline the command leaves it alone.
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'issued');
  srv.advanceClock(ref.deadline_at - srv.now() + 1);
  const smsBefore = srv.sms().length;
  srv.kgctl('tick');
  const after = one(`SELECT * FROM referral WHERE id = ${ref.id}`);
  assert.strictEqual(after.status, 'annulled');
  assert.strictEqual(after.voucher, 'annulled');
  assert.ok(after.closed_at > ref.deadline_at);
  const a = one(`SELECT status, archive_reason FROM application WHERE id = ${app.id}`);
  assert.deepStrictEqual(a, { status: 'archived', archive_reason: 'deadline' });
  const rec = one(`SELECT free, status FROM free_place WHERE id = ${place}`);
  assert.deepStrictEqual(rec, { free: 1, status: 'free_choice' });
  const hist = srv.sql(`SELECT event FROM history WHERE application_id = ${app.id} ORDER BY id`).map((h) => h.event);
  assert.ok(hist.includes('referral_annulled'));
  assert.ok(hist.includes('sms_annulled'));
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'referral_annul' AND object_id = ${ref.id}`).n, 1);
  const sms = srv.sms().slice(smsBefore).filter((s) => s.includes(ref.number));
  assert.strictEqual(sms.length, 1);
  assert.match(sms[0], /аннулировано/);
  // Idempotent: a second run changes nothing and sends nothing.
  srv.kgctl('tick');
  assert.strictEqual(srv.sms().slice(smsBefore).filter((s) => s.includes(ref.number)).length, 1);
  assert.strictEqual(one(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'referral_annulled'`).n, 1);
  // The citizen sees it, and the archived application cannot choose again.
  const c2 = citizen();
  const page = await c2.get(`/places/referral/${ref.id}`);
  assert.strictEqual(page.text.match(/id="ref-status">([^<]*)</)[1], 'Аннулировано');
  const again = await c2.post('/places/choose', { application: app.id, place });
  assert.strictEqual(again.status, 409);
  assert.match(alertOf(again.text), /в архиве/);
});

test('without the timer, reading the referral annuls it when its deadline has passed', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent2', ...g });
  const c = citizen('parent2');
  const r = await c.post('/places/choose', { application: app.id, place });
  const ref = one(`SELECT * FROM referral WHERE application_id = ${app.id}`);
  srv.advanceClock(ref.deadline_at - srv.now() + 1);
  const page = await citizen('parent2').get(r.location);
  assert.strictEqual(page.text.match(/id="ref-status">([^<]*)</)[1], 'Аннулировано');
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${app.id}`).status, 'archived');
  assert.strictEqual(free(place), 1);
  // A public reader of the base gives the place back too.
  const place2 = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app2 = fx.application(srv, { parent: 'parent2', ...g });
  assert.strictEqual((await citizen('parent2').post('/places/choose', { application: app2.id, place: place2 })).status, 303);
  const ref2 = one(`SELECT * FROM referral WHERE application_id = ${app2.id}`);
  srv.advanceClock(ref2.deadline_at - srv.now() + 1);
  const anon = srv.client();
  anon.cookies.set('district', '1110');
  await anon.get('/places');
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref2.id}`).status, 'annulled');
  assert.strictEqual(free(place2), 1);
});

test('past the deadline and before the timed job, «Мои заявления» says what the referral page says: no «Подать документы»', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent3', ...g });
  const number = one(`SELECT number FROM application WHERE id = ${app.id}`).number;
  const rowOf = (html) => html.match(new RegExp(`<tr data-number="${number.replace(/\./g, '\\.')}">([\\s\\S]*?)</tr>`))[1];
  const r = await citizen('parent3').post('/places/choose', { application: app.id, place });
  assert.strictEqual(r.status, 303);
  const ref = one(`SELECT * FROM referral WHERE application_id = ${app.id}`);
  // Before the deadline: the way to submit the documents.
  const before = rowOf((await citizen('parent3').get('/queue/my')).text);
  assert.match(before, /href="\/enroll"/);
  assert.match(textOf(before), /Выдано направление/);
  // One second past it, with no `kgctl tick` and no other reader meanwhile.
  srv.advanceClock(ref.deadline_at - srv.now() + 1);
  const c = citizen('parent3');
  const row = rowOf((await c.get('/queue/my')).text);
  assert.doesNotMatch(row, /href="\/enroll"/);
  assert.doesNotMatch(textOf(row), /Подать документы|Выдано направление/);
  assert.match(textOf(row), /В архиве/);
  assert.match(textOf(row), /истек срок подачи документов по направлению/);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'issued', 'the page wrote nothing');
  // The application's own page and the referral's page agree.
  assert.match(textOf((await c.get(`/queue/app/${app.id}`)).text), /В архиве/);
  const page = await c.get(`/places/referral/${ref.id}`);
  assert.strictEqual(page.text.match(/id="ref-status">([^<]*)</)[1], 'Аннулировано');
});

test('the reminder comes on the working day before the deadline, once', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent3', ...g });
  const c = citizen('parent3');
  assert.strictEqual((await c.post('/places/choose', { application: app.id, place })).status, 303);
  const ref = one(`SELECT * FROM referral WHERE application_id = ${app.id}`);
  const reminders = () => one(`SELECT count(*) AS n FROM notification WHERE application_id = ${app.id} AND kind = 'reminder'`).n;
  srv.kgctl('tick');
  assert.strictEqual(reminders(), 0);
  // Noon of the working day before the deadline's day, and of the one before that.
  const deadlineDay = wd.dayOf(ref.deadline_at);
  let before1 = deadlineDay - 1;
  while (!wd.isWorking(before1)) before1--;
  let before2 = before1 - 1;
  while (!wd.isWorking(before2)) before2--;
  const noon = (day) => wd.startOf(day) + 12 * 3600;
  if (noon(before2) > srv.now()) {
    srv.advanceClock(noon(before2) - srv.now());
    srv.kgctl('tick');
    assert.strictEqual(reminders(), 0, 'two working days before: not yet');
  }
  srv.advanceClock(noon(before1) - srv.now());
  srv.kgctl('tick');
  assert.strictEqual(reminders(), 1);
  assert.ok(one(`SELECT reminded_at FROM referral WHERE id = ${ref.id}`).reminded_at);
  srv.advanceClock(3600);
  srv.kgctl('tick');
  assert.strictEqual(reminders(), 1, 'once');
  const sms = srv.sms().filter((s) => s.includes(ref.number) && s.includes(wd.date(ref.deadline_at)));
  assert.strictEqual(sms.length, 2, 'the referral SMS and the reminder');
  assert.ok(sms.some((s) => /завтра последний день|ертең .* соңғы күні/.test(s)));
  assert.ok(srv.sql(`SELECT event FROM history WHERE application_id = ${app.id}`).some((h) => h.event === 'sms_reminder'));
});

test('two timed runs at once annul every overdue referral exactly once', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 30 });
  const refs = [];
  for (let i = 0; i < 30; i++) {
    const app = fx.application(srv, { parent: ['parent1', 'parent2', 'parent3'][i % 3], ...g });
    refs.push(fx.referral(srv, { application: app.id, place, issuedAt: srv.now() - 7 * 86400, deadlineAt: srv.now() - 60 }).id);
  }
  assert.strictEqual(free(place), 0);
  const tick = () => new Promise((resolve, reject) => {
    const p = spawn(path.join(BUILD, 'kgctl'), ['tick'], { env: { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf') }, stdio: 'ignore' });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kgctl tick exit ${code}`))));
  });
  const anon = srv.client();
  anon.cookies.set('district', '1110');
  await Promise.all([tick(), tick(), anon.get('/places'), tick()]);
  const ids = refs.join(',');
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral WHERE id IN (${ids}) AND status = 'annulled'`).n, 30);
  assert.strictEqual(one(`SELECT count(*) AS n FROM audit WHERE action = 'referral_annul' AND object_id IN (${ids})`).n, 30);
  assert.strictEqual(one(`SELECT count(*) AS n FROM notification WHERE kind = 'annulled' AND application_id IN
    (SELECT application_id FROM referral WHERE id IN (${ids}))`).n, 30);
  assert.strictEqual(free(place), 30);
  assert.strictEqual(one(`SELECT status FROM free_place WHERE id = ${place}`).status, 'free_choice');
  assert.strictEqual(one('SELECT count(*) AS n FROM referral WHERE status = \'issued\' AND deadline_at < ' + srv.now()).n, 0);
});

test('in Kazakh the choice and the referral speak Kazakh', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const c = citizen();
  c.cookies.set('lang', 'kk');
  const r = await c.get(`/places/choose?application=${app.id}`);
  assert.match(r.text, /Балабақшадан орын таңдау/);
  const ok = await c.post('/places/choose', { application: app.id, place });
  const page = await c.get(ok.location);
  assert.match(page.text, /Жолдама берілді:/);
  assert.match(page.text, /Жолдаманы жүктеп алу \(PDF\)/);
});

test('a referral PDF a worker did not make is made by the timed command, once; meanwhile the page says it is coming', async () => {
  const g = fresh();
  const place = fx.freePlace(srv, { ddo: ddoA, ...g, total: 1 });
  const app = fx.application(srv, { parent: 'parent1', ...g });
  const ref = fx.referral(srv, { application: app.id, place });
  srv.sql(`UPDATE application SET status = 'referred' WHERE id = ${app.id}`);
  // As if the worker that issued it died before making the PDF, in Kazakh,
  // a moment ago (an idle worker makes one due for 10 s: avail.test.js).
  srv.sql(`INSERT INTO referral_pdf_due(referral_id, lang, due_at) VALUES (${ref.id}, 'kk', ${srv.now() - 2})`);
  const c = citizen();
  let page = await c.get(`/places/referral/${ref.id}`);
  assert.strictEqual(page.status, 200);
  assert.doesNotMatch(page.text, /id="ref-pdf"/);
  assert.match(page.text, /id="ref-pdf-pending">Направление в PDF готовится/);
  // Due for less than a minute: the timed command leaves it to the worker.
  srv.kgctl('tick');
  assert.strictEqual(one(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id}`).n, 0);
  srv.kgctl('tick', '--now', String(srv.now() + 60));
  const doc = one(`SELECT * FROM document WHERE referral_id = ${ref.id}`);
  assert.strictEqual(doc.kind, 'referral');
  assert.strictEqual(doc.origin, 'system');
  assert.strictEqual(doc.number, ref.number);
  assert.strictEqual(doc.filename, `napravlenie-${ref.number}.pdf`);
  assert.match(doc.check_code, /^[A-Za-z0-9_-]{22}$/);
  assert.strictEqual(one(`SELECT count(*) AS n FROM referral_pdf_due WHERE referral_id = ${ref.id}`).n, 0);
  // Again: nothing more.
  srv.kgctl('tick', '--now', String(srv.now() + 120));
  assert.strictEqual(one(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id}`).n, 1);
  page = await c.get(`/places/referral/${ref.id}`);
  assert.doesNotMatch(page.text, /ref-pdf-pending/);
  const pdf = await c.get(page.text.match(/id="ref-pdf" href="([^"]+)"/)[1]);
  assert.strictEqual(pdf.status, 200);
  assert.strictEqual(pdf.body.slice(0, 5).toString(), '%PDF-');
  // The public check page knows the document by its QR code.
  const check = await srv.client().get(`/check/${doc.check_code}`);
  assert.strictEqual(check.status, 200);
  assert.ok(check.text.includes(ref.number));
});

run();
