// fixtures.js — data for the HTTP and browser tests, written straight into
// an instance's database (the screens that create these rows have tests of
// their own): children with valid IINs, queued applications, free-place
// records, referrals at any stage. Every function returns the new row's id
// (or the object it made).
//
//   const fx = require('../lib/fixtures');
//   const app = fx.application(srv, { parent: 'parent1', district: 1110, groupYear: 2021 });
//   const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1'), groupYear: 2021, total: 3 });
//   const ref = fx.referral(srv, { application: app.id, place });     // status 'issued'
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { Server, BUILD } = require('./server');
const files = require('./files');

// An IIN with a valid check digit: birth date (Date or 'yyyy-mm-dd'), sex
// 'M'/'F', a serial 0..9999 (varied until the check digit exists).
function iin(birth, sex = 'M', serial = 1) {
  const d = typeof birth === 'string' ? birth : birth.toISOString().slice(0, 10);
  const [y, m, day] = d.split('-').map(Number);
  const century = y < 1900 ? 1 : y < 2000 ? 3 : 5;
  const c = century + (sex === 'F' ? 1 : 0);
  for (let s = serial; s < serial + 10000; s++) {
    const base = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(day).padStart(2, '0')}${c}${String(s % 10000).padStart(4, '0')}`;
    const digits = base.split('').map(Number);
    let k = digits.reduce((a, v, i) => a + v * (i + 1), 0) % 11;
    if (k === 10) {
      const w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
      k = digits.reduce((a, v, i) => a + v * w[i], 0) % 11;
      if (k === 10) continue;
    }
    return base + k;
  }
  throw new Error('no IIN');
}

let serialSeq = 100;
const q = (s) => String(s).replace(/'/g, "''");

function accountId(srv, who) {
  const p = Server.persons()[who];
  const i = p ? p.iin : who;
  const rows = srv.sql(`SELECT id FROM account WHERE iin = '${q(i)}'`);
  if (!rows.length) throw new Error(`fixtures: no account ${who}`);
  return rows[0].id;
}

// The first DDO of a staff member (persons.tsv key), or of a district.
function ddoOf(srv, who) {
  return srv.sql(`SELECT s.ddo_id AS id FROM ddo_staff s JOIN account a ON a.id = s.account_id
    WHERE a.iin = '${q(Server.persons()[who].iin)}' ORDER BY s.ddo_id LIMIT 1`)[0].id;
}
function ddosOf(srv, who) {
  return srv.sql(`SELECT s.ddo_id AS id FROM ddo_staff s JOIN account a ON a.id = s.account_id
    WHERE a.iin = '${q(Server.persons()[who].iin)}' ORDER BY s.ddo_id`).map((r) => r.id);
}
function ddoInDistrict(srv, district, kind = 'state') {
  return srv.sql(`SELECT id FROM ddo WHERE district_id = ${Number(district)} AND kind = '${q(kind)}' ORDER BY id LIMIT 1`)[0].id;
}

// A child and a queued application. opts: parent (key), district (1110),
// groupYear (birth year; default 2021), language ('ru'), benefit ('none'),
// queuedAt (seconds; default now - 1 day), status ('queued'), surname, name.
function application(srv, opts = {}) {
  const year = opts.groupYear || 2021;
  const serial = serialSeq++;
  const childIin = opts.childIin || iin(`${year}-0${1 + (serial % 9)}-1${serial % 9}`, serial % 2 ? 'M' : 'F', serial);
  const birth = `${year}-${childIin.slice(2, 4)}-${childIin.slice(4, 6)}`;
  const now = srv.now();
  const parent = accountId(srv, opts.parent || 'parent1');
  const phone = srv.sql(`SELECT phone FROM account WHERE id = ${parent}`)[0].phone || '+77015550007';
  const child = srv.sql(`INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at)
    VALUES ('${childIin}', '${q(opts.surname || 'ТЕСТОВ')}', '${q(opts.name || 'РЕБЁНОК' + serial)}', '', '${birth}',
    '${Number(childIin[6]) % 2 ? 'M' : 'F'}', ${now}) RETURNING id`)[0].id;
  const number = opts.number || `UO.${new Date((now) * 1000).getUTCFullYear()}.${String(900000 + serial).padStart(6, '0')}.1`;
  const queuedAt = opts.queuedAt || now - 86400;
  const status = opts.status || 'queued';
  const app = srv.sql(`INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language,
    benefit, benefit_ground, phone, status, archive_reason, queued_at, created_at, updated_at)
    VALUES ('${number}', ${child}, ${parent}, ${opts.district || 1110}, ${year}, '${opts.language || 'ru'}',
    '${opts.benefit || 'none'}', '${q(opts.benefitGround || '')}', '${phone}', '${status}',
    ${status === 'archived' ? "'withdrawn'" : 'NULL'}, ${queuedAt}, ${queuedAt}, ${queuedAt}) RETURNING id`)[0].id;
  srv.sql(`INSERT INTO history(application_id, at, actor_id, actor_role, event) VALUES (${app}, ${queuedAt}, ${parent}, 'citizen', 'registered')`);
  return { id: app, number, childId: child, childIin, parentId: parent };
}

// A free-place record. opts: ddo (id), groupYear, language, total (1),
// staff (key of the creator; default the first staff of the DDO),
// createdAt, windowUntil (default: the window is over), status.
function freePlace(srv, opts) {
  const now = srv.now();
  const ddo = opts.ddo;
  const d = srv.sql(`SELECT district_id FROM ddo WHERE id = ${Number(ddo)}`)[0];
  const by = opts.staff ? accountId(srv, opts.staff)
    : (srv.sql(`SELECT account_id FROM ddo_staff WHERE ddo_id = ${Number(ddo)} LIMIT 1`)[0] || { account_id: accountId(srv, 'staff1') }).account_id;
  const total = opts.total || 1;
  const createdAt = opts.createdAt || now - 10 * 86400;
  const windowUntil = opts.windowUntil !== undefined ? opts.windowUntil : createdAt + 3600;
  const status = opts.status || (windowUntil > now ? 'waiting' : 'free_choice');
  return srv.sql(`INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at,
    window_until, status) VALUES (${Number(ddo)}, ${d.district_id}, ${opts.groupYear || 2021}, '${opts.language || 'ru'}',
    ${total}, ${total}, ${by}, ${createdAt}, ${windowUntil}, '${status}') RETURNING id`)[0].id;
}

// A referral of an application to a free-place record (takes one place
// through the schema's trigger) and the application's matching status.
// opts: application (id), place (id), status ('issued' | 'docs_submitted' |
// 'enrolled' | ...), issuedAt, deadlineAt (default: 7 days later), number.
function referral(srv, opts) {
  const now = srv.now();
  const issuedAt = opts.issuedAt || now - 3600;
  const deadlineAt = opts.deadlineAt || issuedAt + 7 * 86400;
  const place = srv.sql(`SELECT ddo_id FROM free_place WHERE id = ${Number(opts.place)}`)[0];
  const number = opts.number || `1${String(opts.application).padStart(7, '0')}01`;
  const status = opts.status || 'issued';
  const ref = srv.sql(`INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, deadline_at,
    docs_submitted_at) VALUES ('${number}', ${Number(opts.application)}, ${Number(opts.place)}, ${place.ddo_id}, 'issued',
    ${issuedAt}, ${deadlineAt}, ${status === 'issued' ? 'NULL' : issuedAt + 60}) RETURNING id`)[0].id;
  if (status !== 'issued') srv.sql(`UPDATE referral SET status = '${status}' WHERE id = ${ref}`);
  const appStatus = { issued: 'referred', docs_submitted: 'docs_submitted', enrolled: 'enrolled', must_enroll: 'docs_submitted', refused: 'refusal_review' }[status] || 'referred';
  srv.sql(`UPDATE application SET status = '${appStatus}', updated_at = ${now} WHERE id = ${Number(opts.application)}`);
  srv.sql(`INSERT INTO history(application_id, at, actor_id, actor_role, event, p1) VALUES (${Number(opts.application)}, ${issuedAt}, NULL, 'system', 'referral_issued', '${number}')`);
  return { id: ref, number };
}

// A CMS over content (string or Buffer) made with a test PKI key, the shape
// NCALayer returns (attached, SHA-256, base64 DER): `openssl cms -sign
// -binary -md sha256 -nodetach`. who: a key of the PKI ('parent1-auth',
// 'staff1-sign', 'expired-auth', 'forged-parent1-auth', ...). opts.chain: a
// PKI file of extra certificates to attach (e.g. 'forged-chain.pem').
function cms(content, who, opts = {}) {
  const pki = process.env.KG_PKI || path.join(BUILD, 'pki');
  const args = ['cms', '-sign', '-binary', '-md', 'sha256', '-nodetach', '-outform', 'DER',
    '-signer', path.join(pki, `${who}.pem`), '-inkey', path.join(pki, `${who}.key`)];
  if (opts.chain) args.push('-certfile', path.join(pki, opts.chain));
  return execFileSync('openssl', args, { input: Buffer.from(content) }).toString('base64');
}

// The account id of a client's session: null for an anonymous session,
// undefined when the client has no live session at all.
function sessionAccount(srv, client) {
  const tok = client.cookies.get('kg_sid');
  if (!tok) return undefined;
  const hash = crypto.createHash('sha256').update(tok).digest('hex');
  const rows = srv.sql(`SELECT account_id FROM session WHERE token_hash = X'${hash}'`);
  return rows.length ? rows[0].account_id : undefined;
}

// The newest audit rows of an action (newest first).
function audit(srv, action, n = 1) {
  return srv.sql(`SELECT id, actor_id, actor_role, action, object_id, outcome, details FROM audit
    WHERE action = '${q(action)}' ORDER BY id DESC LIMIT ${Number(n)}`);
}

// The SMS messages written after the first `before` ones, waiting up to ms
// for n of them: a one-time code leaves after the response (sms_defer), so
// it may land a moment after the page that asked for it.
async function smsAfter(srv, before, n = 1, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    const all = srv.sms();
    if (all.length >= before + n || Date.now() > until) return all.slice(before);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---- cabinet: documents, enrollments and refusals ----

// Stores bytes as doc.h does (Paths.Files/<2 hex>/<sha256>); returns the sha.
function storeFile(srv, data) {
  const sha = crypto.createHash('sha256').update(data).digest('hex');
  const dir = path.join(srv.dir, 'files', sha.slice(0, 2));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, sha), data);
  return sha;
}

// The documents a parent submits for a referral (forms 065, 027, 052-2 as
// PDF files stored like uploads). opts: application, referral (ids),
// kinds (default the three forms). Returns { kind: document id }.
function submittedDocs(srv, opts) {
  const now = srv.now();
  const app = srv.sql(`SELECT applicant_id FROM application WHERE id = ${Number(opts.application)}`)[0];
  const out = {};
  for (const kind of opts.kinds || ['form065', 'form027', 'form052_2']) {
    const data = files.pdf(`${kind} of application ${opts.application} ${now} ${serialSeq++}`);
    const sha = storeFile(srv, data);
    out[kind] = srv.sql(`INSERT INTO document(application_id, referral_id, kind, origin, sha256, size, mime, filename,
      created_at, created_by) VALUES (${Number(opts.application)}, ${opts.referral ? Number(opts.referral) : 'NULL'},
      '${kind}', 'applicant', '${sha}', ${data.length}, 'application/pdf', '${kind}.pdf', ${now - 120}, ${app.applicant_id})
      RETURNING id`)[0].id;
  }
  return out;
}

// A signature row for fixtures (an OTP-method record, so no CMS is needed):
// the enrollments and refusals the schema requires one for.
function fixtureSignature(srv, who, action, objectType, objectId) {
  const acc = accountId(srv, who);
  return srv.sql(`INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, otp_phone,
    signed_at) VALUES (${acc}, 'otp', 'action', '${q(action)}', '${q(objectType)}', ${Number(objectId)},
    CAST('fixture ${q(action)} ${Number(objectId)}' AS BLOB), '+77015550000', ${srv.now() - 60}) RETURNING id`)[0].id;
}

// A child in a DDO's enrolled list: an application with a referral to a
// new free-place record of the DDO, enrolled. opts: ddo (id), staff (key,
// default 'staff1'), enrolledAt (seconds; default now - 30 days), and the
// options of application(). Returns { application, referral, enrollment }.
function enrolled(srv, opts) {
  const app = application(srv, opts);
  const place = freePlace(srv, { ddo: opts.ddo, groupYear: opts.groupYear || 2021, language: opts.language || 'ru' });
  const enrolledAt = opts.enrolledAt || srv.now() - 30 * 86400;
  const ref = referral(srv, { application: app.id, place, status: 'docs_submitted', issuedAt: enrolledAt - 5 * 86400 });
  srv.sql(`UPDATE referral SET status = 'enrolled', voucher = 'bound', closed_at = ${enrolledAt} WHERE id = ${ref.id}`);
  srv.sql(`UPDATE application SET status = 'enrolled' WHERE id = ${app.id}`);
  const sig = fixtureSignature(srv, opts.staff || 'staff1', 'accept', 'referral', ref.id);
  const en = srv.sql(`INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by,
    signature_id) VALUES (${ref.id}, ${app.id}, ${Number(opts.ddo)}, ${app.childId}, ${enrolledAt},
    ${accountId(srv, opts.staff || 'staff1')}, ${sig}) RETURNING id`)[0].id;
  return { application: app, referral: ref, enrollment: en, place };
}

// A pending refusal of a referral in status 'docs_submitted' (the referral
// becomes 'refused', the application 'refusal_review'). opts: referral
// (id), staff (key, default 'staff1'), reason, refusedAt. Returns its id.
function refusal(srv, opts) {
  const r = srv.sql(`SELECT f.id, f.ddo_id, d.district_id, f.application_id FROM referral f JOIN ddo d ON d.id = f.ddo_id
    WHERE f.id = ${Number(opts.referral)}`)[0];
  const sig = fixtureSignature(srv, opts.staff || 'staff1', 'refuse', 'referral', r.id);
  const at = opts.refusedAt || srv.now() - 3600;
  srv.sql(`UPDATE referral SET status = 'refused' WHERE id = ${r.id}`);
  srv.sql(`UPDATE application SET status = 'refusal_review' WHERE id = ${r.application_id}`);
  return srv.sql(`INSERT INTO refusal(referral_id, ddo_id, district_id, reason, refused_by, refused_at, signature_id)
    VALUES (${r.id}, ${r.ddo_id}, ${r.district_id}, '${q(opts.reason || 'Документы нечитаемы')}',
    ${accountId(srv, opts.staff || 'staff1')}, ${at}, ${sig}) RETURNING id`)[0].id;
}

// The register of persons (ГБД ФЛ) has the logged-in client's account as
// a parent of the form's child, with the form's names: what a test that
// registers a child over HTTP needs before it posts /queue. A form without
// a 12-digit child IIN, a surname or a name (a test of bad input) adds
// nothing. Returns the form.
function gbdForForm(srv, client, form) {
  const childIin = String(form.child_iin || '');
  const id = sessionAccount(srv, client);
  if (!/^\d{12}$/.test(childIin) || !id || !String(form.child_surname || '').trim() || !String(form.child_name || '').trim()) return form;
  const rep = srv.sql(`SELECT iin FROM account WHERE id = ${Number(id)}`)[0].iin;
  if (rep === childIin) return form;
  const birth = new Date(`20${childIin.slice(0, 2)}-${childIin.slice(2, 4)}-${childIin.slice(4, 6)}T00:00:00Z`);
  if (Number.isNaN(birth.getTime()) || birth.getUTCDate() !== Number(childIin.slice(4, 6))) return form;   // no such date
  srv.gbdAdd(childIin, rep, { surname: form.child_surname, name: form.child_name, patronymic: form.child_patronymic || '' });
  return form;
}

// A guardian request awaiting the education department (guardian.h), with
// its stored document. opts: parent (key, 'parent2'), district (1110),
// groupYear (2022), childIin, surname. Returns { id, childIin }.
function guardianRequest(srv, opts = {}) {
  const year = opts.groupYear || 2022;
  const serial = serialSeq++;
  const childIin = opts.childIin || iin(`${year}-0${1 + (serial % 9)}-2${serial % 8}`, 'M', serial);
  const birth = `${year}-${childIin.slice(2, 4)}-${childIin.slice(4, 6)}`;
  const data = files.pdf(`guardianship ${serial}`);
  const id = srv.sql(`INSERT INTO guardian_request(applicant_id, child_iin, child_surname, child_name, birth_date, sex,
    district_id, group_year, language, phone, doc_sha256, doc_size, doc_mime, doc_name, created_at)
    VALUES (${accountId(srv, opts.parent || 'parent2')}, '${childIin}', '${q(opts.surname || 'ОПЕКАЕМЫЙ')}', 'РЕБЁНОК${serial}',
    '${birth}', 'M', ${opts.district || 1110}, ${year}, 'ru', '+77015550008', '${storeFile(srv, data)}', ${data.length},
    'application/pdf', 'opeka.pdf', ${srv.now() - 3600}) RETURNING id`)[0].id;
  return { id, childIin };
}

module.exports = {
  gbdForForm, guardianRequest,
  iin, application, freePlace, referral, ddoOf, ddosOf, ddoInDistrict, accountId, cms, sessionAccount, audit, smsAfter, storeFile, submittedDocs, fixtureSignature, enrolled, refusal,
};
