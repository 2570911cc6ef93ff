// Signed decisions as evidence (issue 18 item 4, lib/domain/proof.h): a
// decision signed with EDS is downloaded with its CMS (DER) and the exact
// text signed, by those who may see it (the parent, the DDO's staff, the
// district's reviewer, support), and OpenSSL verifies it against the
// trusted roots; another parent and another DDO's staff get nothing; the
// journal links the files where the decision is shown.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');

let srv;
let dir;
let ddo;
let en;
let sig;
const TEXT = 'Принять в ДДО: направление 1000000101, ребенок Т. Р., 06.12.2026\n';

before(async () => {
  srv = await Server.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-proof-'));
  [ddo] = fx.ddosOf(srv, 'staff1');
  // An acceptance signed for real with staff1's SIGN key, stored as the
  // cabinet stores what NCALayer posts (base64 of the CMS).
  en = fx.enrolled(srv, { ddo, parent: 'parent1' });
  const cms = eds.sign(TEXT, 'staff1-sign');
  const staff = srv.sql(`SELECT id FROM account WHERE iin = '${Server.persons().staff1.iin}'`)[0].id;
  sig = srv.sql(`INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, cms, cert,
    signer_iin, signed_at) VALUES (${staff}, 'eds', 'action', 'accept', 'referral', ${en.referral.id},
    CAST('${TEXT.replace(/'/g, "''")}' AS BLOB), CAST('${cms}' AS BLOB), X'00', '${Server.persons().staff1.iin}', ${srv.now()})
    RETURNING id`)[0].id;
  srv.sql(`UPDATE enrollment SET signature_id = ${sig} WHERE id = ${en.enrollment}`);
});
after(async () => {
  if (srv) await srv.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function as(who) { const c = srv.client(); srv.login(c, who); return c; }

function verifies(p7s, text) {
  fs.writeFileSync(path.join(dir, 'x.p7s'), p7s);
  fs.writeFileSync(path.join(dir, 'x.txt'), text);
  try {
    execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'x.p7s'),
      '-content', path.join(dir, 'x.txt'), '-CAfile', path.join(PKI, 'ca.pem'), '-purpose', 'any', '-out', '/dev/null'],
    { stdio: 'pipe' });
    return true;
  } catch (e) { return false; }
}

// The response with its body as bytes (the CMS is binary).
const bytes = (c, url) => c.get(url);

test('the parent downloads the CMS and the signed text; openssl verifies them against the roots', async () => {
  const c = as('parent1');
  const p7s = await bytes(c, `/journal/sig/${sig}.p7s`);
  assert.strictEqual(p7s.status, 200);
  assert.match(p7s.headers['content-type'], /application\/pkcs7-signature/);
  assert.match(p7s.headers['content-disposition'], new RegExp(`decision-${sig}\\.p7s`));
  assert.strictEqual(p7s.body[0], 0x30, 'DER');
  const txt = await c.get(`/journal/sig/${sig}.txt`);
  assert.strictEqual(txt.status, 200);
  assert.strictEqual(txt.text, TEXT);
  assert.ok(verifies(p7s.body, Buffer.from(TEXT, 'utf8')), 'the decision verifies');
  assert.ok(!verifies(p7s.body, Buffer.from(TEXT.replace('Принять', 'Отказать'), 'utf8')), 'another text does not');
});

test('the DDO\'s staff, the district\'s reviewer and support may download it', async () => {
  // The cabinet's enrolled list links the acceptance's files.
  const st = as('staff1');
  await st.post('/cabinet/ddo', { ddo });
  const cab = await st.get('/cabinet');
  assert.strictEqual(cab.status, 200);
  assert.ok(cab.text.includes(`href="/journal/sig/${sig}.p7s"`), 'the cabinet links the signed acceptance');
  const district = srv.sql(`SELECT district_id AS d FROM ddo WHERE id = ${ddo}`)[0].d;
  const reviewer = srv.sql(`SELECT a.iin FROM reviewer_district r JOIN account a ON a.id = r.account_id
    WHERE r.district_id = ${district} LIMIT 1`)[0];
  const who = ['staff1', 'support'];
  if (reviewer) who.push(reviewer.iin);
  for (const w of who) {
    const c = as(w);
    assert.strictEqual((await c.get(`/journal/sig/${sig}.txt`)).status, 200, w);
    assert.strictEqual((await bytes(c, `/journal/sig/${sig}.p7s`)).status, 200, w);
  }
});

test('another parent and another DDO\'s staff get nothing; a visitor is sent to log in', async () => {
  assert.strictEqual((await as('parent2').get(`/journal/sig/${sig}.p7s`)).status, 404);
  assert.strictEqual((await as('parent2').get(`/journal/sig/${sig}.txt`)).status, 404);
  const others = ['staff2', 'staff3'].filter((s) => !fx.ddosOf(srv, s).includes(ddo));
  assert.ok(others.length, 'a staff member of another DDO');
  for (const s of others) {
    assert.strictEqual((await as(s).get(`/journal/sig/${sig}.p7s`)).status, 404, s);
    assert.strictEqual((await as(s).get(`/journal/sig/${sig}.txt`)).status, 404, s);
  }
  const anon = await srv.client().get(`/journal/sig/${sig}.p7s`);
  assert.notStrictEqual(anon.status, 200);
});

test('the journal shows the signed decisions with their files; a decision confirmed by code has its text only', async () => {
  const c = as('parent1');
  const page = await c.get(`/journal/${en.application.id}`);
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes(`href="/journal/sig/${sig}.p7s"`));
  assert.ok(page.text.includes(`href="/journal/sig/${sig}.txt"`));
  assert.match(page.text, /Зачисление в ДДО/);
  // A refusal signed by one-time code fixture: text, no CMS.
  const other = fx.application(srv, { parent: 'parent1' });
  const place = fx.freePlace(srv, { ddo, total: 1 });
  const ref = fx.referral(srv, { application: other.id, place, status: 'docs_submitted' });
  const rf = fx.refusal(srv, { referral: ref.id });
  const otp = srv.sql(`SELECT signature_id AS s FROM refusal WHERE id = ${rf}`)[0].s;
  assert.strictEqual((await c.get(`/journal/sig/${otp}.txt`)).status, 200);
  assert.strictEqual((await c.get(`/journal/sig/${otp}.p7s`)).status, 404);
  // The review screen links the signed refusal's files for the district's reviewer.
  const district = srv.sql(`SELECT district_id AS d FROM ddo WHERE id = ${ddo}`)[0].d;
  const reviewer = srv.sql(`SELECT a.iin FROM reviewer_district r JOIN account a ON a.id = r.account_id
    WHERE r.district_id = ${district} LIMIT 1`)[0];
  assert.ok(reviewer, 'the district has a reviewer');
  const rv = await as(reviewer.iin).get('/review');
  assert.strictEqual(rv.status, 200);
  assert.ok(rv.text.includes(`href="/journal/sig/${otp}.txt"`));
  assert.strictEqual((await as(reviewer.iin).get(`/journal/sig/${otp}.txt`)).status, 200);
  const kk = as('parent1');
  kk.cookies.set('lang', 'kk');
  assert.match((await kk.get(`/journal/${other.id}`)).text, /МДҰ-ның дәлелді бас тартуы/);
});

run();
