// authz.test.js — the authorisation matrix: every route of every program
// (the route tables of cgi-bin/*.c) requested by every kind of visitor with
// the ids of objects that belong to someone else, and what must hold for
// all of them:
//
//   - the answer is the right refusal: an anonymous visitor is sent to the
//     login (GET: 303 /login?next=...) or told to log in (POST: 401); an
//     account without the route's role gets 403; an account with the role
//     but not the object gets 404 (or a form that says the choice is not
//     theirs, 422), never the object;
//   - nothing changed: the domain tables are exactly as before each
//     attempt, and no attempt left an audit row that says "ok";
//   - no answer to an outsider shows the victim's child (name or IIN);
//   - the owners (citizen, staff of the DDO, reviewer of the district) do
//     get their objects, so every refusal above is about the visitor and
//     not about an id that does not exist.
//
// Then: every POST route refuses a missing and a foreign CSRF token; every
// response carries the security headers; cookies are HttpOnly and
// SameSite (and Secure behind TLS); and after the whole run the logs hold
// no full IIN of a person, no password, no one-time code, no session or
// CSRF token and no CMS.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('crypto');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
const P = Server.persons();
const MARK = 'ЖЕРТВАТЕСТОВ';   // the victim's children's surname: must never reach an outsider
const V = {};                  // the victim's objects
const clients = {};            // visitor -> Client
const seen = [];               // every response of the run, for the header checks
const sent = { tokens: [], csrf: [], codes: [] };

// The domain as a string: any change to it shows.
function snapshot() {
  return JSON.stringify(srv.sql(`SELECT
    (SELECT count(*) || ':' || coalesce(group_concat(id || status || coalesce(archive_reason, ''), ','), '') FROM application) AS app,
    (SELECT count(*) || ':' || coalesce(group_concat(id || status || voucher, ','), '') FROM referral) AS ref,
    (SELECT count(*) FROM enrollment) AS enr,
    (SELECT count(*) || ':' || coalesce(group_concat(id || status, ','), '') FROM refusal) AS refusal,
    (SELECT count(*) FROM document) AS doc,
    (SELECT count(*) FROM history) AS hist,
    (SELECT count(*) || ':' || coalesce(sum(free), 0) || ':' || coalesce(sum(total), 0) FROM free_place) AS places,
    (SELECT count(*) || ':' || coalesce(group_concat(id || active || roles, ','), '') FROM account) AS acc,
    (SELECT count(*) FROM ddo) AS ddo,
    (SELECT count(*) FROM ddo_staff) AS staff,
    (SELECT count(*) FROM reviewer_district) AS rev,
    (SELECT count(*) FROM signature) AS sig,
    (SELECT count(*) FROM notification) AS note,
    (SELECT count(*) FROM child) AS child,
    (SELECT count(*) FROM bmg) AS bmg,
    (SELECT count(*) FROM holiday) AS hol`)[0]);
}

function auditMax() { return srv.sql('SELECT coalesce(max(id), 0) AS n FROM audit')[0].n; }

// Who visits. Each logged-in visitor has a session made through the
// fixture (the login screens have their own tests).
const VISITORS = {
  anon: null,
  parent1: 'parent1',     // another citizen
  staff1: 'staff1',       // staff of other DDOs, another district
  reviewer1: 'reviewer1', // reviewer of another district
  support: 'support',
};
const OWNERS = { parent2: 'parent2', staff3: 'staff3', reviewer2: 'reviewer2' };

// The role a visitor has (for the expected answer).
const ROLE = { anon: 0, parent1: 1, parent2: 1, staff1: 2, staff3: 2, reviewer1: 4, reviewer2: 4, support: 8 };
const CITIZEN = 1, STAFF = 2, REVIEWER = 4, SUPPORT = 8, LOGGED = 15;

// The route tables, with the victim's ids in the paths and forms. `own`:
// the visitors for whom the object is theirs (skipped in the matrix: the
// owner checks below cover them). `seesAll`: a role that may see every
// such object by design (support in the journal). `foreign`: the answers a
// visitor with the role but not the object may get (default 404).
function routes() {
  const future = new Date((srv.now() + 86400) * 1000);
  const dd = (d) => `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
  return [
    // admin (support)
    ['GET', '/admin', SUPPORT], ['GET', '/admin/ddo', SUPPORT], ['GET', '/admin/ddo/new', SUPPORT],
    ['POST', '/admin/ddo/new', SUPPORT, { name_ru: 'Взлом', name_kk: 'Бұзу', district: 1166, kind: 'state', capacity: 10 }],
    ['GET', `/admin/ddo/${V.ddo}`, SUPPORT],
    ['POST', `/admin/ddo/${V.ddo}`, SUPPORT, { name_ru: 'Взлом', name_kk: 'Бұзу', district: 1166, kind: 'state', capacity: 1 }],
    ['GET', '/admin/accounts', SUPPORT], ['GET', '/admin/accounts/new', SUPPORT],
    ['POST', '/admin/accounts/new', SUPPORT, { iin: fx.iin('1990-01-01', 'M', 77), surname: 'ВЗЛОМ', name: 'А', role: 'support' }],
    ['GET', `/admin/accounts/${V.staff3}`, SUPPORT],
    ['POST', `/admin/accounts/${V.staff3}`, SUPPORT, { surname: 'ВЗЛОМ', name: 'А', phone: '+77015550099' }],
    ['POST', `/admin/accounts/${V.staff3}/ddo`, SUPPORT, { ddo: V.ddo1 }],
    ['POST', `/admin/accounts/${V.staff3}/ddo/${V.ddo}/detach`, SUPPORT],
    ['POST', `/admin/accounts/${V.reviewer2}/district`, SUPPORT, { district: 1110 }],
    ['POST', `/admin/accounts/${V.reviewer2}/district/1166/remove`, SUPPORT],
    ['POST', `/admin/accounts/${V.staff3}/password`, SUPPORT],
    ['POST', `/admin/accounts/${V.staff3}/active`, SUPPORT, { active: 0 }],
    ['GET', '/admin/bmg', SUPPORT],
    ['POST', '/admin/bmg', SUPPORT, { replace: 1 }, { file: { name: 'x.csv', type: 'text/csv', data: `${P.parent1.iin};+77015550099\n` } }],
    ['GET', '/admin/bmg/1', SUPPORT], ['GET', '/admin/audit', SUPPORT], ['GET', '/admin/holidays', SUPPORT],
    ['GET', '/admin/gbd', SUPPORT], ['GET', '/admin/gbd/1', SUPPORT],
    ['POST', '/admin/gbd', SUPPORT, { replace: 1 }, { file: { name: 'g.csv', type: 'text/csv', data: `${V.childIin};А;Б;;01.01.2022;${P.parent1.iin};мать\n` } }],
    ['POST', '/admin/holidays', SUPPORT, { day: dd(future), kind: 'holiday' }],
    ['POST', '/admin/holidays/delete', SUPPORT, { day: dd(future) }],
    ['GET', '/admin/districts', SUPPORT], ['POST', '/admin/districts/1166', SUPPORT, { financing: 'voucher' }],
    ['GET', '/admin/refresh?year=2030', SUPPORT], ['POST', '/admin/refresh', SUPPORT, { year: 2030 }],
    ['GET', `/admin/places?district=${V.district}`, SUPPORT],
    ['POST', `/admin/places/${V.place}/withdraw`, SUPPORT, { reason: 'Взлом' }],
    // cabinet (staff of the DDO)
    ['GET', '/cabinet', STAFF, null, null, { list: true }],
    ['POST', '/cabinet/ddo', STAFF, { ddo: V.ddo }, null, { foreign: [422] }],
    ['POST', '/cabinet/accept', STAFF, { ref: V.ref }, null, { foreign: [404, 422] }],
    ['GET', `/cabinet/refuse/${V.ref}`, STAFF, null, null, { own: ['staff3'] }],
    ['POST', `/cabinet/refuse/${V.ref}`, STAFF, { reason_code: 'other', reason: 'Документы нечитаемы, повторите' }, null, { own: ['staff3'] }],
    ['POST', `/cabinet/card/${V.ref}`, STAFF, {}, null, { own: ['staff3'] }],
    ['GET', `/cabinet/doc/${V.doc}`, STAFF, null, null, { own: ['staff3'] }],
    // departure (staff of the DDO)
    ['GET', `/departure/${V.enr}`, STAFF, null, null, { own: ['staff3'] }],
    ['POST', `/departure/${V.enr}`, STAFF, { date: dd(new Date(srv.now() * 1000)), reason: 'Переезд семьи' }, null, { own: ['staff3'] }],
    // enroll (the citizen of the referral)
    ['GET', '/enroll', CITIZEN, null, null, { list: true }],
    ['GET', `/enroll?open=${V.issued}`, CITIZEN, null, null, { list: true }],
    ['POST', `/enroll/${V.issued}/upload`, CITIZEN, { kind: 'form065' }, { file: { name: 'f.pdf', type: 'application/pdf', data: files.pdf('x') } }, { own: ['parent2'] }],
    ['POST', `/enroll/${V.issued}/code`, CITIZEN, {}, null, { own: ['parent2'] }],
    ['POST', `/enroll/${V.issued}/sign`, CITIZEN, { agree: 1, code: '123456' }, null, { own: ['parent2'] }],
    // journal (each role its own set; support every application)
    ['GET', '/journal', LOGGED, null, null, { list: true, seesAll: SUPPORT }],
    ['GET', `/journal?iin=${V.childIin}`, LOGGED, null, null, { list: true, seesAll: SUPPORT }],
    ['GET', `/journal/${V.app}`, LOGGED, null, null, { own: ['parent2', 'staff3', 'reviewer2'], seesAll: SUPPORT }],
    ['GET', `/journal/${V.queued}`, LOGGED, null, null, { own: ['parent2', 'reviewer2'], seesAll: SUPPORT }],
    ['GET', `/journal/doc/${V.doc}`, LOGGED, null, null, { own: ['parent2', 'staff3', 'reviewer2'], seesAll: SUPPORT }],
    // places
    ['GET', `/places/add?ddo=${V.ddo}`, STAFF, null, null, { foreign: [404, 422, 200], list: true }],
    ['POST', '/places/add', STAFF, { ddo: V.ddo, language: 'ru', year: 2021, count: 2, step: 'confirm' }, null, { foreign: [404, 422] }],
    ['GET', `/places/choose?application=${V.queued}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['GET', `/places/choose/confirm?application=${V.queued}&place=${V.place}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['POST', '/places/choose', CITIZEN, { application: V.queued, place: V.place }, null, { own: ['parent2'] }],
    ['GET', `/places/referral/${V.issued}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['GET', `/places/referral/${V.issued}/pdf`, CITIZEN, null, null, { own: ['parent2'] }],
    // queue (the citizen)
    ['GET', '/queue', CITIZEN, null, null, { list: true }],
    ['GET', '/queue/my', CITIZEN, null, null, { list: true }],
    ['GET', `/queue/app/${V.queued}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['GET', `/queue/withdraw/${V.queued}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['POST', `/queue/withdraw/${V.queued}`, CITIZEN, {}, null, { own: ['parent2'] }],
    ['GET', `/queue/offer/${V.queued}/decline`, CITIZEN, null, null, { own: ['parent2'] }],
    ['POST', `/queue/offer/${V.queued}/decline`, CITIZEN, {}, null, { own: ['parent2'] }],
    ['POST', `/queue/voucher/${V.queued}/confirm`, CITIZEN, {}, null, { own: ['parent2'] }],
    ['GET', `/queue/voucher/${V.queued}/refuse`, CITIZEN, null, null, { own: ['parent2'] }],
    ['POST', `/queue/voucher/${V.queued}/refuse`, CITIZEN, {}, null, { own: ['parent2'] }],
    ['POST', `/queue/app/${V.queued}/restore`, CITIZEN, {}, null, { own: ['parent2'] }],
    // moves (the citizen's waiting lists, transfers and exchanges)
    ['GET', '/moves', CITIZEN, null, null, { list: true }],
    ['GET', `/moves/waitlist/${V.queued}`, CITIZEN, null, null, { own: ['parent2'] }],
    ['POST', `/moves/waitlist/${V.queued}`, CITIZEN, { op: 'add', ddo: V.ddo }, null, { own: ['parent2'] }],
    ['POST', `/moves/transfer/${V.enrApp}`, CITIZEN, { ddo1: V.ddo1 }, null, { own: ['parent2'] }],
    ['POST', `/moves/propose/${V.enrApp}`, CITIZEN, { number: 'UO.2020.000001.1' }, null, { own: ['parent2'] }],
    // review (the reviewer of the district)
    ['GET', '/review', REVIEWER, null, null, { list: true }],
    ['POST', `/review/${V.refusal}`, REVIEWER, { decision: 'uphold', comment: 'Отказ обоснован' }, null, { own: ['reviewer2'] }],
    ['GET', `/review/doc/${V.refusalDoc}`, REVIEWER, null, null, { own: ['reviewer2'] }],
    ['GET', '/review/guardians', REVIEWER, null, null, { list: true }],
    ['POST', `/review/guardians/${V.guardian}`, REVIEWER, { decision: 'refuse', comment: 'Взлом' }, null, { own: ['reviewer2'] }],
    ['GET', `/review/guardians/doc/${V.guardian}`, REVIEWER, null, null, { own: ['reviewer2'] }],
  ].map(([method, path, roles, form, files, o]) => ({
    method, path, roles, form, files, ...(roles === SUPPORT ? { own: ['support'] } : {}), ...(o || {}),
  }));
}

// Every problem on its own line (the harness shows only a few lines of an error).
function report(problems) {
  for (const p of problems) console.log(`    ${p}`);
  assert.equal(problems.length, 0, `${problems.length} problems (above)`);
}

async function send(c, rt, csrf) {
  let r;
  if (rt.method === 'GET') r = await c.get(rt.path);
  else if (rt.files) r = await c.upload(rt.path, { ...(rt.form || {}), ...(csrf !== undefined ? { csrf } : {}) }, rt.files, csrf === false ? { csrf: false } : {});
  else r = await c.post(rt.path, { ...(rt.form || {}), ...(csrf !== undefined && csrf !== false ? { csrf } : {}) }, csrf === false ? { csrf: false } : {});
  seen.push({ path: rt.path, method: rt.method, r });
  return r;
}

function expected(rt, who) {
  const role = ROLE[who];
  if (!role) return rt.method === 'GET' ? [303] : [401];
  if (!(role & rt.roles)) return [403];
  if (rt.list || (rt.seesAll & role)) return [200, 303, 409];   // pages of one's own, checked for the marker
  return rt.foreign || [404];
}

before(async () => {
  srv = await Server.start();
  const q = (s) => srv.sql(s);
  V.ddo = fx.ddoOf(srv, 'staff3');
  V.ddo1 = fx.ddoOf(srv, 'staff1');
  V.district = q(`SELECT district_id AS d FROM ddo WHERE id = ${V.ddo}`)[0].d;
  V.staff3 = fx.accountId(srv, 'staff3');
  V.reviewer2 = fx.accountId(srv, 'reviewer2');
  const base = { parent: 'parent2', district: V.district, surname: MARK };
  // queued, with a free place of the DDO it could choose
  const queued = fx.application(srv, base);
  V.queued = queued.id;
  V.childIin = queued.childIin;
  V.place = fx.freePlace(srv, { ddo: V.ddo, total: 2 });
  // documents submitted to staff3's DDO
  const app = fx.application(srv, base);
  V.app = app.id;
  const p1 = fx.freePlace(srv, { ddo: V.ddo });
  V.ref = fx.referral(srv, { application: app.id, place: p1, status: 'docs_submitted' }).id;
  V.doc = fx.submittedDocs(srv, { application: app.id, referral: V.ref }).form065;
  // a referral just issued (the citizen's upload and signing)
  const app3 = fx.application(srv, base);
  V.issued = fx.referral(srv, { application: app3.id, place: fx.freePlace(srv, { ddo: V.ddo }) }).id;
  // a child enrolled in the DDO
  const enrolled = fx.enrolled(srv, { ...base, ddo: V.ddo, staff: 'staff3' });
  V.enr = enrolled.enrollment;
  V.enrApp = enrolled.application.id;
  // a refusal waiting for the district's reviewer
  const app4 = fx.application(srv, base);
  const r4 = fx.referral(srv, { application: app4.id, place: fx.freePlace(srv, { ddo: V.ddo }), status: 'docs_submitted' }).id;
  V.refusalDoc = fx.submittedDocs(srv, { application: app4.id, referral: r4 }).form065;
  V.refusal = fx.refusal(srv, { referral: r4, staff: 'staff3' });
  // a guardian request waiting for the district's reviewer
  const gdoc = files.pdf('guardianship');
  V.guardian = q(`INSERT INTO guardian_request(applicant_id, child_iin, child_surname, child_name, birth_date, sex, district_id,
    group_year, language, phone, doc_sha256, doc_size, doc_mime, doc_name, created_at) VALUES (${fx.accountId(srv, 'parent2')},
    '${fx.iin('2022-07-07', 'M', 4444)}', '${MARK}', 'ОПЕКАЕМЫЙ', '2022-07-07', 'M', ${V.district}, 2022, 'ru', '+77015550008',
    '${fx.storeFile(srv, gdoc)}', ${gdoc.length}, 'application/pdf', 'g.pdf', ${srv.now()}) RETURNING id`)[0].id;

  for (const [k, who] of Object.entries({ ...VISITORS, ...OWNERS })) {
    const c = srv.client();
    if (who) {
      const s = srv.login(c, who);
      sent.tokens.push(s.token);
      sent.csrf.push(s.csrf);
    } else {
      await c.get('/login');   // an anonymous session with its own CSRF token
      if (c.csrf) sent.csrf.push(c.csrf);
      if (c.cookies.get('kg_sid')) sent.tokens.push(c.cookies.get('kg_sid'));
    }
    clients[k] = c;
  }
});

after(async () => { if (srv) await srv.stop(); });

test('the owners reach their own objects (the ids below are real)', async () => {
  const checks = [
    ['parent2', `/queue/app/${V.queued}`], ['parent2', `/journal/${V.app}`], ['parent2', `/places/referral/${V.issued}`],
    ['staff3', `/cabinet/refuse/${V.ref}`], ['staff3', `/cabinet/doc/${V.doc}`], ['staff3', `/departure/${V.enr}`],
    ['staff3', `/journal/${V.app}`], ['reviewer2', `/review/doc/${V.refusalDoc}`], ['reviewer2', `/journal/${V.app}`],
    ['support', `/journal/${V.app}`], ['support', `/admin/accounts/${V.staff3}`],
  ];
  for (const [who, path] of checks) {
    const r = await clients[who].get(path);
    assert.equal(r.status, 200, `${who} GET ${path}: ${r.status}`);
  }
  const r = await clients.reviewer2.get('/review');
  assert.ok(r.text.includes(MARK) || r.text.includes(String(V.refusal)), 'the reviewer of the district sees the refusal');
});

test('every route refuses every visitor who does not own the object, and nothing changes', async () => {
  const problems = [];
  for (const rt of routes()) {
    for (const who of Object.keys(VISITORS)) {
      if (rt.own && rt.own.includes(who)) continue;
      const before = rt.method === 'POST' ? snapshot() : null;
      const a0 = auditMax();
      const r = await send(clients[who], rt);
      const want = expected(rt, who);
      const label = `${who} ${rt.method} ${rt.path}`;
      if (!want.includes(r.status)) problems.push(`${label}: ${r.status}, expected ${want.join('/')}`);
      if (!ROLE[who] && rt.method === 'GET' && r.status === 303 && !/^\/login\?next=/.test(r.location || '')) {
        problems.push(`${label}: redirected to ${r.location}, not to the login`);
      }
      const outsider = !(rt.seesAll & ROLE[who]) && !(ROLE[who] === SUPPORT && rt.roles === SUPPORT);
      // (an IIN the visitor typed is echoed in the search box: that is theirs)
      if (outsider && (r.text.includes(MARK) || (!rt.path.includes(V.childIin) && r.text.includes(V.childIin)))) {
        problems.push(`${label}: the answer shows the victim's child`);
      }
      if (before !== null) {
        const now = snapshot();
        if (now !== before && !(ROLE[who] === SUPPORT && rt.roles === SUPPORT)) {
          problems.push(`${label}: the data changed\n  before ${before}\n  after  ${now}`);
        }
      }
      if (!(ROLE[who] === SUPPORT && rt.roles === SUPPORT)) {
        const ok = srv.sql(`SELECT action, outcome FROM audit WHERE id > ${a0} AND outcome = 'ok'`);
        if (ok.length) problems.push(`${label}: audit says ok: ${JSON.stringify(ok)}`);
      }
    }
  }
  report(problems);
});

test('a forged DDO cookie does not open another DDO\'s cabinet', async () => {
  const c = srv.client();
  srv.login(c, 'staff1');
  c.cookies.set('kg_ddo', String(V.ddo));
  for (const p of ['/cabinet', `/cabinet?by=iin&q=${V.childIin}`, `/places/add?ddo=${V.ddo}`]) {
    const r = await c.get(p);
    seen.push({ path: p, method: 'GET', r });
    assert.ok(!r.text.includes(MARK), `${p} shows the victim's child`);
  }
  // The owner does see it (the search is real).
  const o = srv.client();
  srv.login(o, 'staff3');
  const r = await o.get(`/cabinet?by=iin&q=${V.childIin}`);
  assert.ok(r.text.includes(MARK), 'staff3 finds the child of its DDO');
});

test('guessed ids that exist nowhere are 404 for every role, not 500', async () => {
  const problems = [];
  const big = 987654321;
  const paths = [
    ['parent1', `/queue/app/${big}`], ['parent1', `/places/referral/${big}`], ['parent1', `/places/referral/${big}/pdf`],
    ['staff1', `/cabinet/refuse/${big}`], ['staff1', `/cabinet/doc/${big}`], ['staff1', `/departure/${big}`],
    ['reviewer1', `/review/doc/${big}`], ['support', `/journal/${big}`], ['support', `/journal/doc/${big}`],
    ['support', `/admin/ddo/${big}`], ['support', `/admin/accounts/${big}`], ['support', `/admin/bmg/${big}`],
    ['parent1', `/queue/app/${'9'.repeat(18)}`],
  ];
  for (const [who, path] of paths) {
    const r = await clients[who].get(path);
    seen.push({ path, method: 'GET', r });
    if (r.status !== 404) problems.push(`${who} GET ${path}: ${r.status}`);
  }
  report(problems);
});

// One legitimate visitor per POST route (so the CSRF check, not the role,
// is what refuses).
function postRoutes() {
  const by = { [SUPPORT]: 'support', [STAFF]: 'staff3', [CITIZEN]: 'parent2', [REVIEWER]: 'reviewer2', [LOGGED]: 'parent2' };
  const extra = [
    { method: 'POST', path: '/district', roles: 0, form: { code: 1110 }, who: 'anon' },
    { method: 'POST', path: '/logout', roles: 0, form: {}, who: 'parent2' },
    { method: 'POST', path: '/login/password', roles: 0, form: { iin: P.staff1.iin, password: 'x' }, who: 'anon' },
    { method: 'POST', path: '/login/password/change', roles: 0, form: { password: 'abcdefgh12', password2: 'abcdefgh12' }, who: 'anon' },
    { method: 'POST', path: '/login/eds', roles: 0, form: { nonce: 'x', cms: 'MIIB' }, who: 'anon' },
    { method: 'POST', path: '/login/eds/confirm', roles: 0, form: {}, who: 'anon' },
    { method: 'POST', path: '/login/eds/cancel', roles: 0, form: {}, who: 'anon' },
    { method: 'POST', path: '/login/otp', roles: 0, form: { phone: P.parent1.phone, iin: P.parent1.iin }, who: 'anon' },
    { method: 'POST', path: '/login/otp/resend', roles: 0, form: {}, who: 'anon' },
    { method: 'POST', path: '/login/otp/code', roles: 0, form: { code: '123456' }, who: 'anon' },
    { method: 'POST', path: '/enroll/ok', roles: CITIZEN, form: { read: 1 }, who: 'parent2' },
    { method: 'POST', path: '/queue', roles: CITIZEN, form: { child_iin: fx.iin('2022-02-02', 'F', 5) }, who: 'parent2' },
    { method: 'POST', path: '/check/abcdefghijklmnopqrstuv', roles: 0, form: {}, who: 'anon', files: { file: { name: 'a.pdf', type: 'application/pdf', data: files.pdf('y') } } },
  ];
  return routes().filter((rt) => rt.method === 'POST')
    .map((rt) => ({ ...rt, who: (rt.own && rt.own[0]) || by[rt.roles] })).concat(extra);
}

test('every POST route refuses a missing and a foreign CSRF token, and nothing changes', async () => {
  const problems = [];
  for (const rt of postRoutes()) {
    const c = clients[rt.who];
    for (const [what, token] of [['missing', false], ['foreign', clients.parent1.csrf], ['empty', '']]) {
      if (rt.who === 'parent1' && what === 'foreign') continue;
      const before = snapshot();
      const a0 = auditMax();
      const r = await send(c, rt, token);
      if (r.status !== 403) problems.push(`${rt.who} POST ${rt.path} with a ${what} token: ${r.status}`);
      else if (!/csrf|session|сессия|форм|нысан/i.test(r.text)) problems.push(`${rt.path}: the 403 does not say why`);
      if (snapshot() !== before) problems.push(`${rt.who} POST ${rt.path} with a ${what} token changed the data`);
      const ok = srv.sql(`SELECT action FROM audit WHERE id > ${a0} AND outcome = 'ok'`);
      if (ok.length) problems.push(`${rt.path} with a ${what} token: audit ok ${JSON.stringify(ok)}`);
    }
  }
  // The session survived: logout was refused too.
  assert.equal((await clients.parent2.get(`/queue/app/${V.queued}`)).status, 200);
  report(problems);
});

test('every response of the run carries the security headers', async () => {
  // And the static files and the error pages nginx serves itself.
  const c = srv.client();
  for (const p of ['/css/site.css', '/js/ncalayer.js', '/no/such/file', '/queue/search?q=1']) {
    seen.push({ path: p, method: 'GET', r: await c.get(p) });
  }
  const problems = [];
  for (const { path, method, r } of seen) {
    const h = r.headers;
    const miss = [];
    if (!/default-src 'self'/.test(h['content-security-policy'] || '') || !/frame-ancestors 'none'/.test(h['content-security-policy'] || '')) miss.push('CSP');
    if (h['x-content-type-options'] !== 'nosniff') miss.push('nosniff');
    if (h['x-frame-options'] !== 'DENY') miss.push('X-Frame-Options');
    if (!h['referrer-policy']) miss.push('Referrer-Policy');
    if (r.status >= 300 && r.status !== 304 && !/no-store/.test(h['cache-control'] || '') && !/^\/(css|js|img|fonts)\//.test(path)) miss.push('Cache-Control no-store');
    if (miss.length) problems.push(`${method} ${path} (${r.status}): ${miss.join(', ')}`);
  }
  assert.ok(seen.length > 200, `only ${seen.length} responses`);
  report([...new Set(problems)]);
});

test('session cookies are HttpOnly and SameSite, and Secure when the site is served over TLS', async () => {
  const c = srv.client();
  const r = await c.get('/login');
  const sid = (r.headers['set-cookie'] || []).find((x) => x.startsWith('kg_sid='));
  assert.ok(sid, 'a session cookie');
  assert.match(sid, /;\s*HttpOnly/i);
  assert.match(sid, /;\s*SameSite=(Lax|Strict)/i);
  assert.match(sid, /;\s*Path=\//);
  assert.doesNotMatch(sid, /;\s*Secure/i, 'plain HTTP: no Secure (the browser would drop it)');
  const lang = (await c.get('/?lang=kk')).headers['set-cookie'] || [];
  for (const x of lang) assert.match(x, /;\s*HttpOnly/i);
  // Behind TLS (Session.SecureCookies = 1, what a TLS-terminating proxy sets).
  const tls = await Server.start({ conf: 'Session.SecureCookies = 1' });
  try {
    const t = tls.client();
    const s = ((await t.get('/login')).headers['set-cookie'] || []).find((x) => x.startsWith('kg_sid='));
    assert.match(s, /;\s*Secure/i);
    assert.match(s, /;\s*HttpOnly/i);
  } finally {
    await tls.stop();
  }
});

test('the logs hold no full IIN, password, code, token or CMS', async () => {
  // A few things that do write logs: failed logins, a code, a bad signature.
  const a = srv.client();
  await a.get('/login');
  await a.post('/login/password', { iin: P.staff1.iin, password: 'wrong-password-123' });
  await a.get('/login');
  await a.post('/login/otp', { phone: P.parent1.phone, iin: P.parent1.iin });
  await a.get('/login');
  await a.post('/login/eds', { nonce: 'nonce', cms: fx.cms('other text', 'parent1-auth') });
  const sms = await fx.smsAfter(srv, 0, 1);
  for (const m of sms) { const k = m.match(/\b\d{6}\b/); if (k) sent.codes.push(k[0]); }
  const logs = srv.logs();
  // The programs' own lines are there (they once went to /dev/null, which
  // made every "not in the logs" check pass whatever was logged).
  assert.match(logs, /kg-[a-z]+\[\d+\] warn: CSRF check failed/);
  const problems = [];
  const iins = [...Object.values(P).map((p) => p.iin), V.childIin];
  for (const i of iins) if (logs.includes(i)) problems.push(`full IIN ${i.slice(0, 4)}…`);
  for (const m of logs.match(/(?<!\d)\d{12}(?!\d)/g) || []) problems.push(`a 12-digit number ${m.slice(0, 4)}…`);
  if (logs.includes('wrong-password-123')) problems.push('a password');
  for (const t of sent.tokens) if (logs.includes(t)) problems.push('a session token');
  for (const t of sent.csrf) if (t && logs.includes(t)) problems.push('a CSRF token');
  for (const k of sent.codes) if (new RegExp(`(?<!\\d)${k}(?!\\d)`).test(logs)) problems.push('a one-time code');
  if (/MII[A-Za-z0-9+/]{20}/.test(logs)) problems.push('a CMS');
  report([...new Set(problems)]);
});

run();
