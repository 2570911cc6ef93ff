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

const { Server } = require('./server');

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

module.exports = { iin, application, freePlace, referral, ddoOf, ddosOf, ddoInDistrict, accountId };

// A small, whole PDF (header, objects, cross-reference, trailer, %%EOF):
// what doc_check accepts as application/pdf. text goes into its content.
function pdf(text = 'test document') {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
  ];
  const stream = `BT /F1 12 Tf 20 100 Td (${String(text).replace(/[()\\]/g, '')}) Tj ET`;
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// A 1x1 PNG.
function png() {
  return Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000'
    + '1f15c4890000000d49444154789c63f8cfc0f01f0005000101ff89993d1d0000000049454e44ae426082', 'hex');
}

module.exports.pdf = pdf;
module.exports.png = png;
