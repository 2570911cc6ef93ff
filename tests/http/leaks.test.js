// The login, support, review, departure and cabinet programs under
// valgrind, each as one long-lived worker behind the real nginx, over every
// kind of request it answers (pages, refused forms, signed actions verified
// through OpenSSL, generated PDFs through libharu, downloads, CSV uploads,
// requests refused for their role or CSRF token): no memory error, nothing
// definitely or indirectly lost, and the memory in use at exit the same
// after N and after 6N requests (tests/lib/valgrind.js). The other programs
// have theirs in tests/valgrind.js, places-valgrind, enroll_leaks and
// queue_valgrind.
'use strict';

const { before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');
const vg = require('../lib/valgrind');

const P = Server.persons();
const PASSWORD = 'demo-kg-2026';
const DAY = 86400;
let srv;
let ddo1;
before(async () => {
  // Cheap password hashes (the demo's included): Argon2 at its production
  // cost takes seconds under valgrind and proves nothing more here. Five
  // programs under valgrind write at once, each transaction some thirty
  // times slower than natively: a longer wait for the write lock, also
  // while another request waits (Db.BusyQueuedMs).
  srv = await Server.start({ workers: 1, conf: 'Auth {\n  Argon2M = 1024\n  Argon2T = 1\n}\nDb.BusyTimeoutMs = 60000\nDb.BusyQueuedMs = 60000' });
  ddo1 = fx.ddoOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

const as = (who) => { const c = srv.client(); srv.login(c, who); return c; };
const prepare = (fn) => async () => { await fn(); return null; };   // a step that is not a request to the program
let serial = 0;

// The signed form of a response (edsform), or an error that says what came instead.
function signedForm(r, action) {
  try {
    return eds.form(r.text, action);
  } catch (e) {
    throw new Error(`${action}: status ${r.status}, no signed form: ${r.text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`);
  }
}

// dd.mm.yyyy of the programs' local date (UTC+5) shifted by days.
function date(days = 0) {
  const d = new Date((srv.now() + 5 * 3600 + days * DAY) * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
}

// A referral to staff1's DDO with the parent's documents submitted.
function submitted() {
  const app = fx.application(srv, {});
  const place = fx.freePlace(srv, { ddo: ddo1, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, status: 'docs_submitted' });
  const docs = fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  return { app, ref, docs };
}

// ---- login: the three ways in, each refusal, logout ----
function loginRound() {
  const c = srv.client();
  const e = srv.client();
  const o = srv.client();
  const out = as('parent2');
  let ch = null;
  return [
    prepare(() => srv.sql('DELETE FROM rate_event')),   // the limits would change the answers round by round
    () => c.get('/login'),
    () => c.get('/login?tab=iin&lang=kk'),
    () => c.post('/login/password', { iin: P.staff1.iin, password: PASSWORD, next: '/cabinet' }), // 303
    () => c.get('/login'),                                                                      // the new session's token
    () => c.post('/logout', {}),
    () => c.get('/login?tab=iin'),
    () => c.post('/login/password', { iin: P.staff1.iin, password: PASSWORD }, { csrf: false }), // 403
    () => c.post('/login/password', { iin: P.staff1.iin, password: 'wrong-password' }),        // 422
    () => c.post('/login/password', { iin: '123', password: 'x' }),                             // 422, no hashing
    () => c.get('/login/password'),
    async () => {
      const r = await e.get('/login?tab=eds');
      ch = { nonce: r.text.match(/name="nonce" value="([^"]+)"/)[1], content: Buffer.from(r.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64') };
      return r;
    },
    () => e.post('/login/eds', { nonce: ch.nonce, cms: fx.cms(ch.content, 'parent1-sign') }),   // AUTH key needed: 422
    async () => {
      const r = await e.get('/login?tab=eds');
      ch = { nonce: r.text.match(/name="nonce" value="([^"]+)"/)[1], content: Buffer.from(r.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64') };
      return r;
    },
    () => e.post('/login/eds', { nonce: ch.nonce, cms: fx.cms(ch.content, 'parent1-auth') }),   // 303
    () => e.get('/login?tab=eds'),                                                              // the owner, «Войти»
    () => e.post('/login/eds/confirm', {}),
    () => o.get('/login?tab=otp'),
    () => o.post('/login/otp', { phone: '8 701 555 00 07', iin: P.parent1.iin }),
    () => o.get('/login?tab=otp'),
    () => o.post('/login/otp/resend', {}),                                                      // too early
    () => o.post('/login/otp/code', { code: '12345x' }),
    () => o.post('/login/otp/code', { code: '000000' }),
    () => o.post('/login/otp', { phone: '+77010000000', iin: P.parent1.iin }),                  // not in БМГ
    () => out.post('/logout', {}),
  ];
}

// ---- admin: DDOs, accounts, БМГ, audit, holidays ----
function adminRound() {
  const sup = as('support');
  const n = serial++;
  const ddo = {
    name_kk: `«Тест ${n}» бөбекжайы`, name_ru: `Ясли-сад «Тест ${n}»`, address: 'г. Кокшетау, ул. Абая, 1',
    phone: '8 (7162) 25-10-10', website: '', kind: 'state', owner_iin: fx.iin('1984-06-12', 'F', 400 + n),
    owner_phone: '+7 701 777 66 55', owner_email: 'test@mail.kz', district: 1110, bin: '', capacity: 50,
  };
  let ddoId = 0;
  let accId = 0;
  const csv = `${fx.iin('1990-01-01', 'M', 500 + n)};+7 701 300 ${String(n % 100).padStart(2, '0')} 01\n123;x\n`;
  return [
    () => sup.get('/admin'),
    () => sup.get('/admin/ddo?district=1110&q=%D0%A2%D0%B5%D1%81%D1%82'),
    () => sup.get('/admin/ddo/new'),
    () => sup.post('/admin/ddo/new', { ...ddo, name_ru: '', owner_iin: '123' }),                // 422
    async () => {
      const r = await sup.post('/admin/ddo/new', ddo);
      ddoId = Number(r.location.match(/(\d+)$/)[1]);
      return r;
    },
    () => sup.get(`/admin/ddo/${ddoId}`),
    () => sup.post(`/admin/ddo/${ddoId}`, { ...ddo, capacity: 60, active: '1' }),
    () => sup.get('/admin/accounts?role=staff&q=%D0%A2'),
    () => sup.get(`/admin/accounts/new?ddo=${ddoId}`),
    () => sup.post('/admin/accounts/new', { iin: ddo.owner_iin, surname: 'ТЕСТОВА', name: 'АЛИЯ', phone: '+77017000000', role: 'staff' }), // 422
    async () => {
      const r = await sup.post('/admin/accounts/new', { iin: ddo.owner_iin, surname: 'ТЕСТОВА', name: 'АЛИЯ', phone: '+77017000000', role: 'staff', ddo: ddoId });
      accId = Number(r.location.match(/(\d+)$/)[1]);
      return r;
    },
    () => sup.get(`/admin/accounts/${accId}`),
    () => sup.post(`/admin/accounts/${accId}`, { surname: 'ТЕСТОВА', name: 'АЛИЯ', patronymic: '', phone: '+77017000001' }),
    () => sup.post(`/admin/accounts/${accId}/district`, { district: 1132 }),
    () => sup.post(`/admin/accounts/${accId}/district/1132/remove`, {}),
    () => sup.post(`/admin/accounts/${accId}/ddo`, { ddo: 999999 }),                             // 422
    () => sup.post(`/admin/accounts/${accId}/ddo/${ddoId}/detach`, {}),
    () => sup.post(`/admin/accounts/${accId}/password`, {}),
    () => sup.post(`/admin/accounts/${accId}/active`, { active: '0' }),
    () => sup.get('/admin/bmg'),
    () => sup.upload('/admin/bmg', {}, { file: { name: 'bmg.csv', type: 'text/csv', data: Buffer.from(csv) } }),
    () => sup.get('/admin/bmg/1'),
    () => sup.get('/admin/gbd'),
    () => sup.upload('/admin/gbd', {}, { file: { name: 'gbd.csv', type: 'text/csv', data: Buffer.from(`${fx.iin('2022-02-02', 'F', 600 + n)};Тестова;Ая;;02.02.2022;${P.parent1.iin};мать\n1;x\n`) } }),
    () => sup.get('/admin/gbd/1'),
    () => sup.get('/admin/audit?action=ddo_created'),
    () => sup.get('/admin/audit?actor=123'),                                                     // 422
    () => sup.get('/admin/holidays?year=2027'),
    () => sup.post('/admin/holidays', { day: `0${1 + (n % 9)}.07.2027`, kind: 'day_off', name_ru: 'Выходной', name_kk: 'Демалыс' }),
    () => sup.post('/admin/holidays/delete', { day: `0${1 + (n % 9)}.07.2027` }),
    () => sup.post('/admin/holidays', { day: '31.06.2027', kind: 'holiday', name_ru: 'Нет', name_kk: 'Жоқ' }), // 422
    () => sup.get('/admin/ddo/999999'),                                                          // 404
    () => as('staff1').get('/admin'),                                                            // 403
  ];
}

// An out-of-turn referral whose benefit awaits the education department
// (domain/benefit.h), with the document of registration.
function benefitPending() {
  const app = fx.application(srv, { benefit: 'out_of_turn', benefitGround: 'orphan' });
  const doc = fx.submittedDocs(srv, { application: app.id, kinds: ['benefit'] }).benefit;
  const place = fx.freePlace(srv, { ddo: ddo1, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place });
  srv.sql(`UPDATE referral SET benefit_check = 'pending', benefit_due_at = deadline_at WHERE id = ${ref.id}`);
  return { app, doc, ref };
}

// ---- review: the list, a decision refused, a signed one, its PDF; a benefit confirmed ----
function reviewRound() {
  const c = as('reviewer1');
  const x = submitted();
  const y = submitted();
  let fx1 = 0;
  let fy = 0;
  let form = null;
  let doc = 0;
  let z = null;
  let bform = null;
  let g = null;
  let gform = null;
  return [
    prepare(() => {
      fx1 = fx.refusal(srv, { referral: x.ref.id });
      fy = fx.refusal(srv, { referral: y.ref.id });
      z = benefitPending();
    }),
    () => c.get('/review/benefits'),
    () => c.post(`/review/benefits/${z.ref.id}`, { decision: 'confirm', comment: ' ' }),              // 422
    async () => {
      const r = await c.post(`/review/benefits/${z.ref.id}`, { decision: 'confirm', comment: 'Оригинал предъявлен' });
      bform = signedForm(r, `/review/benefits/${z.ref.id}`);
      return r;
    },
    () => c.post(`/review/benefits/${z.ref.id}`, { ...bform.fields, cms: eds.sign(bform.text, 'reviewer1-sign') }), // 303
    () => c.get(`/review/benefits/doc/${z.doc}`),
    () => c.post(`/review/benefits/${z.ref.id}`, { decision: 'refuse', comment: 'Поздно' }),          // 409
    () => c.get('/review'),
    () => c.get('/review?sort=date&dir=asc&page=2'),
    () => c.post(`/review/${fx1}`, { decision: 'confirm', comment: '  ' }),                     // 422
    async () => {
      const r = await c.post(`/review/${fx1}`, { decision: 'confirm', comment: 'Документы нечитаемы' });
      form = signedForm(r, `/review/${fx1}`);
      return r;
    },
    () => c.post(`/review/${fx1}`, { ...form.fields, cms: eds.sign(form.text, 'reviewer1-auth') }), // AUTH key: 422
    async () => {
      const r = await c.post(`/review/${fx1}`, { decision: 'confirm', comment: 'Документы нечитаемы' });
      form = signedForm(r, `/review/${fx1}`);
      return r;
    },
    () => c.post(`/review/${fx1}`, { ...form.fields, cms: eds.sign(form.text, 'reviewer1-sign') }), // 303
    async () => {
      const r = await c.post(`/review/${fy}`, { decision: 'reject', comment: 'Место есть' });
      form = signedForm(r, `/review/${fy}`);
      return r;
    },
    () => c.post(`/review/${fy}`, { ...form.fields, cms: eds.sign(form.text, 'reviewer1-sign') }),
    () => c.post(`/review/${fy}`, { decision: 'confirm', comment: 'Снова' }),                   // 409
    async () => {
      doc = srv.sql(`SELECT id FROM document WHERE referral_id = ${x.ref.id} AND kind = 'decision'`)[0].id;
      return c.get(`/review/doc/${doc}`);
    },
    () => c.get(`/review/doc/${x.docs.form065}`),
    () => c.get('/review/doc/999999'),                                                           // 404
    () => as('staff1').get('/review'),                                                           // 403
    // guardian requests (guardian.h): the tab, a decision without its reason, a signed one, the document
    prepare(() => { g = fx.guardianRequest(srv); }),
    () => c.get('/review/guardians'),
    () => c.post(`/review/guardians/${g.id}`, { decision: 'refuse', comment: ' ' }),             // 422
    async () => {
      const r = await c.post(`/review/guardians/${g.id}`, { decision: 'refuse', comment: 'Документ не тот' });
      gform = signedForm(r, `/review/guardians/${g.id}`);
      return r;
    },
    () => c.post(`/review/guardians/${g.id}`, { ...gform.fields, cms: eds.sign(gform.text, 'reviewer1-sign') }), // 303
    () => c.get(`/review/guardians/doc/${g.id}`),
    () => c.post(`/review/guardians/${g.id}`, { decision: 'confirm', comment: 'Снова' }),      // 409
  ];
}

// ---- departure: the form, refused dates, a signed departure ----
function departureRound() {
  const c = as('staff1');
  const k = fx.enrolled(srv, { ddo: ddo1, enrolledAt: srv.now() - 30 * DAY });
  const url = `/departure/${k.enrollment}`;
  let form = null;
  return [
    () => c.get('/departure'),
    () => c.get(url),
    () => c.post(url, { date: date(1), reason: 'Переезд' }),                                     // 422: future
    () => c.post(url, { date: '31.02.2026', reason: 'Переезд' }),                                // 422
    () => c.post(url, { date: date(), reason: '  ' }),                                           // 422
    async () => {
      const r = await c.post(url, { date: date(-1), reason: 'Переезд в Астану' });
      form = signedForm(r, url);
      return r;
    },
    () => c.post(url, { ...form.fields, cms: eds.sign(form.text, 'staff2-sign') }),              // someone else: 422
    async () => {
      const r = await c.post(url, { date: date(-1), reason: 'Переезд в Астану' });
      form = signedForm(r, url);
      return r;
    },
    () => c.post(url, { ...form.fields, cms: eds.sign(form.text, 'staff1-sign') }),              // 303
    () => c.get(url),                                                                            // departed
    () => c.get('/departure/999999'),                                                            // 404
    () => as('parent1').get(url),                                                                // 403
  ];
}

// ---- cabinet: the DDO choice, a referral found, accepted, refused, the card, the list ----
function cabinetRound() {
  const c = as('staff1');
  const a = submitted();
  const b = submitted();
  let form = null;
  let card = '';
  return [
    () => c.get('/cabinet'),
    () => c.post('/cabinet/ddo', { ddo: 999999 }),                                               // 422
    () => c.post('/cabinet/ddo', { ddo: ddo1 }),
    () => c.get('/cabinet?by=iin&q=123'),                                                        // 422
    () => c.get(`/cabinet?by=iin&q=${a.app.childIin}`),
    async () => {
      const r = await c.get(`/cabinet?by=number&q=${a.ref.number}`);
      form = signedForm(r, '/cabinet/accept');
      return r;
    },
    () => c.get(`/cabinet/doc/${a.docs.form027}`),
    async () => {
      const r = await c.post(`/cabinet/card/${a.ref.id}`, {});
      card = r.location || '/cabinet/doc/999999';
      return r;
    },
    () => c.get(card),
    () => c.post('/cabinet/accept', { ...form.fields, cms: eds.sign('another text', 'staff1-sign') }), // 422
    async () => {
      const r = await c.get(`/cabinet?by=number&q=${a.ref.number}`);
      form = signedForm(r, '/cabinet/accept');
      return r;
    },
    () => c.post('/cabinet/accept', { ...form.fields, cms: eds.sign(form.text, 'staff1-sign') }), // 303
    () => c.get(`/cabinet/refuse/${b.ref.id}`),
    () => c.post(`/cabinet/refuse/${b.ref.id}`, { reason: ' ' }),                                // 422
    async () => {
      const r = await c.post(`/cabinet/refuse/${b.ref.id}`, { reason_code: 'incomplete_documents', reason: 'Форма №065 нечитаема' });
      form = signedForm(r, `/cabinet/refuse/${b.ref.id}`);
      return r;
    },
    () => c.post(`/cabinet/refuse/${b.ref.id}`, { ...form.fields, cms: eds.sign(form.text, 'staff1-sign') }),
    () => c.get(`/cabinet/refuse/${b.ref.id}`),                                                  // 409
    () => c.get('/cabinet?f_name=%D1%82%D0%B5%D1%81%D1%82&sort=name&dir=desc&page=2'),
    () => c.get('/cabinet?lang=kk'),
    () => c.post('/cabinet/accept', { nonce: 'x', cms: 'x' }, { csrf: false }),                 // 403
    () => c.get('/cabinet/doc/999999'),                                                          // 404
  ];
}

// None of these rounds needs another of these programs (their data comes
// from the fixtures), so all five run at once.
vg.leakTestsTogether(() => srv, [
  { prog: 'login', round: loginRound, n: 40, statuses: [200, 303, 403, 422] },
  { prog: 'admin', round: adminRound, n: 40, statuses: [200, 303, 403, 404, 422] },
  { prog: 'review', round: reviewRound, n: 40, statuses: [200, 303, 403, 404, 409, 422] },
  { prog: 'departure', round: departureRound, n: 40, statuses: [200, 303, 403, 404, 422] },
  { prog: 'cabinet', round: cabinetRound, n: 40, statuses: [200, 303, 403, 404, 409, 422] },
]);

run();
