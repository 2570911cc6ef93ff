// security.test.js — the findings of the security review that are about one
// request (the authorisation matrix is authz.test.js; the parsers are
// fuzzed in tests/fuzz): file names from the browser, redirects, header
// injection, paths, downloads, sizes, expired sessions, signatures replayed
// in another session.
'use strict';

const assert = require('node:assert/strict');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');
const eds = require('../lib/edsform');

let srv;

before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

async function citizen(who = 'parent1') {
  const c = srv.client();
  srv.login(c, who);
  c.cookies.set('district', '1110');
  assert.equal((await c.get('/queue')).status, 200);
  return c;
}

function registration(over = {}) {
  const year = new Date(srv.now() * 1000).getUTCFullYear() - 3;
  return {
    child_iin: fx.iin(`${year}-03-1${Math.floor(Math.random() * 9)}`, 'F', 300 + Math.floor(Math.random() * 5000)),
    child_surname: 'Нурланова', child_name: 'Айша', child_patronymic: '', phone: '+7 701 555 00 07',
    email: '', district: '1110', language: 'ru', benefit: 'orphan', action: 'save', ...over,
  };
}

test('an uploaded file\'s name is stored as its last path element, whole characters, at most 200 bytes', async () => {
  // Finding: the benefit document and the БМГ file kept the browser's name
  // as sent: a path, control characters, broken UTF-8, any length.
  const c = await citizen();
  const long = 'C:\\Users\\parent\\Documents\\' + 'Справка'.repeat(30) + '.pdf';
  let r = await c.upload('/queue', fx.gbdForForm(srv, c, registration()), { benefit_doc: { name: long, type: 'application/pdf', data: files.pdf('a') } });
  assert.equal(r.status, 303, textOf(r.text).slice(0, 300));
  let id = r.location.split('/').pop();
  let name = srv.sql(`SELECT filename FROM document WHERE application_id = ${Number(id)}`)[0].filename;
  assert.ok(Buffer.byteLength(name) <= 200, `${Buffer.byteLength(name)} bytes`);
  assert.ok(name.startsWith('СправкаСправка'), name);
  assert.ok(!/[\\/]/.test(name));
  assert.ok(!name.includes('\uFFFD'), 'cut on a character boundary');

  r = await c.upload('/queue', fx.gbdForForm(srv, c, registration()), { benefit_doc: { name: 'a\u0001b.pdf', type: 'application/pdf', data: files.pdf('b') } });
  assert.equal(r.status, 303);
  id = r.location.split('/').pop();
  name = srv.sql(`SELECT filename FROM document WHERE application_id = ${Number(id)}`)[0].filename;
  assert.equal(name, 'benefit.pdf');

  // The БМГ import (support) records a clean name too.
  const s = srv.client();
  srv.login(s, 'support');
  await s.get('/admin/bmg');
  r = await s.upload('/admin/bmg', { replace: '0' },
    { file: { name: '../../etc/\u0007passwd.csv', type: 'text/csv', data: `${Server.persons().parent1.iin};+77015550007\n` } });
  assert.equal(r.status, 303, textOf(r.text).slice(0, 300));
  const imp = srv.sql('SELECT filename FROM bmg_import ORDER BY id DESC LIMIT 1')[0];
  assert.equal(imp.filename, 'bmg.txt');
});

test('redirect targets never leave the site', async () => {
  const evil = ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', '\\\\evil.example',
    '/%0d%0aSet-Cookie:%20x=1', 'javascript:alert(1)', ' //evil.example'];
  const c = srv.client();
  await c.get('/district');
  for (const next of evil) {
    const r = await c.post('/district', { code: 1110, next });
    // 303 to a local path, or 422 when the value is not even text.
    assert.ok([303, 422].includes(r.status), `${JSON.stringify(next)}: ${r.status}`);
    if (r.status === 303) assert.ok(/^\/(?![/\\])/.test(r.location), `${JSON.stringify(next)} -> ${r.location}`);
    assert.ok(!r.headers['set-cookie'] || !r.headers['set-cookie'].some((x) => x.startsWith('x=')));
  }
  // The login keeps a local next only.
  const l = srv.client();
  await l.get('/login');
  for (const next of evil) {
    const r = await l.get(`/login?next=${encodeURIComponent(next)}`);
    assert.equal(r.status, 200);
    const m = r.text.match(/name="next" value="([^"]*)"/);
    assert.ok(!m || m[1] === '' || /^\/(?![/\\])/.test(m[1]), `${next}: ${m && m[1]}`);
  }
});

test('no header can be injected through the language switch or a path', async () => {
  const c = srv.client();
  for (const q of ['lang=kk&x=%0d%0aSet-Cookie:%20evil=1', 'lang=kk&x=\r\nSet-Cookie: evil=1']) {
    let r;
    try { r = await c.get(`/district?${q}`); } catch (e) { continue; }   // a raw CR LF is refused by the client itself
    assert.ok([303, 400].includes(r.status), String(r.status));
    assert.ok(!(r.headers['set-cookie'] || []).some((x) => x.startsWith('evil=')));
    if (r.location) assert.doesNotMatch(r.location, /[\r\n]/);
  }
});

test('paths with dots, encoded slashes or NULs reach no file', async () => {
  const c = srv.client();
  srv.login(c, 'support');
  for (const p of ['/check/..%2F..%2Fetc%2Fpasswd', '/check/../../etc/passwd', '/journal/doc/1%2F..%2F2',
    '/stats/csv/..%2Fqueue_years', '/check/%00', '/admin/ddo/1%00', '/css/..%2F..%2Fconf%2Fapp.hdf',
    '/js/%2e%2e/%2e%2e/conf/app.hdf']) {
    const r = await c.get(p);
    assert.ok([400, 404].includes(r.status), `${p}: ${r.status}`);
    assert.doesNotMatch(r.text, /root:|Paths\.Db|App\.BaseUrl/);
  }
});

test('downloads are attachments with the stored type, never sniffed', async () => {
  const app = fx.application(srv, { parent: 'parent2' });
  const docs = fx.submittedDocs(srv, { application: app.id, kinds: ['form065'] });
  const c = srv.client();
  srv.login(c, 'parent2');
  const r = await c.get(`/journal/doc/${docs.form065}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/pdf');
  assert.match(r.headers['content-disposition'], /^attachment; filename="[A-Za-z0-9._-]+"$/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.match(r.headers['cache-control'], /no-store/);
});

test('a body over the limits is refused with its own message, and a form body is small', async () => {
  const c = await citizen('parent2');
  // Over Upload.MaxBytes (6 MiB) but under the web server's 7 MiB.
  const big = Buffer.alloc(6400000, 65);
  let r = await c.upload('/queue', registration(), { benefit_doc: { name: 'x.pdf', type: 'application/pdf', data: big } });
  assert.equal(r.status, 413);
  assert.match(textOf(r.text), /превышают допустимый размер/);
  // A form that is not an upload: Form.MaxBytes (64 KiB).
  r = await c.post('/queue/withdraw/1', { pad: 'x'.repeat(70000) });
  assert.equal(r.status, 413);
  // Above the web server's own limit: its page, with the headers.
  r = await c.upload('/queue', registration(), { benefit_doc: { name: 'x.pdf', type: 'application/pdf', data: Buffer.alloc(7600000, 65) } });
  assert.equal(r.status, 413);
  assert.equal(r.headers['x-frame-options'], 'DENY');
});

test('an expired session is told so: a form posted after it gets the message, a page the login with expired=1', async () => {
  const c = srv.client();
  srv.login(c, 'parent1');
  srv.advanceClock(2 * 3600);
  const r = await c.post('/queue/withdraw/1', {});
  assert.equal(r.status, 401);
  assert.match(textOf(r.text), /Сеанс завершен из-за долгого бездействия/);
  const c2 = srv.client();
  srv.login(c2, 'parent1');
  srv.advanceClock(2 * 3600);
  const g = await c2.get('/queue/my');
  assert.equal(g.status, 303);
  assert.match(g.location, /^\/login\?next=%2Fqueue%2Fmy&expired=1$/);
});

test('a signed action replayed in another session of the same person is refused and changes nothing', async () => {
  const ddo = fx.ddoOf(srv, 'staff1');
  const app = fx.application(srv, { parent: 'parent1' });
  const ref = fx.referral(srv, { application: app.id, place: fx.freePlace(srv, { ddo }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  const a = srv.client();
  srv.login(a, 'staff1');
  await a.get('/cabinet');
  assert.equal((await a.post('/cabinet/ddo', { ddo })).status, 303);
  const page = await a.get(`/cabinet?by=number&q=${ref.number}`);
  const f = eds.form(page.text, '/cabinet/accept');
  const cms = eds.sign(f.text, 'staff1-sign');
  const b = srv.client();
  srv.login(b, 'staff1');
  await b.get('/cabinet');
  assert.equal((await b.post('/cabinet/ddo', { ddo })).status, 303);
  await b.get(`/cabinet?by=number&q=${ref.number}`);
  const before = srv.sql('SELECT (SELECT count(*) FROM enrollment) AS e, (SELECT count(*) FROM signature) AS s')[0];
  const r = await b.post('/cabinet/accept', { ...f.fields, csrf: b.csrf, cms });
  assert.equal(r.status, 422);
  assert.match(textOf(r.text), /Эта подпись не относится к текущему действию|не найден/);
  assert.deepEqual(srv.sql('SELECT (SELECT count(*) FROM enrollment) AS e, (SELECT count(*) FROM signature) AS s')[0], before);
  // In its own session the same signature is good (the refusal above was about the session).
  const ok = await a.post('/cabinet/accept', { ...f.fields, cms });
  assert.equal(ok.status, 303);
});

test('HSTS on every answer, pages and static files (browsers ignore it over plain HTTP)', async () => {
  const c = srv.client();
  for (const p of ['/', '/login', '/css/site.css', '/no/such/page', '/queue/search?q=1']) {
    const r = await c.get(p);
    assert.match(r.headers['strict-transport-security'] || '', /^max-age=\d{7,}/, p);
  }
});

test('a search refused by the web server\'s rate limit leaves no IIN in its logs', async () => {
  // nginx logs refused requests with the query string: a child's IIN here.
  const iin = fx.iin('2021-05-05', 'M', 4242);
  const c = srv.client();
  const answers = await Promise.all(Array.from({ length: 60 }, () => c.get(`/queue/search?q=${iin}`)));
  assert.ok(answers.some((r) => r.status === 429), 'the limit was reached');
  assert.ok(!srv.logs().includes(iin), 'the IIN is not in any log');
});

test('EDS challenges and one-time codes are deleted by kgctl tick a day after they expired', async () => {
  // Finding: they were kept for ever (an anonymous visit of the EDS tab
  // wrote one challenge, a code request an otp row with phone and IIN).
  const c = srv.client();
  for (let i = 0; i < 3; i++) await c.get('/login?tab=eds');
  await c.get('/login?tab=otp');
  await c.post('/login/otp', { phone: Server.persons().parent3.phone, iin: Server.persons().parent3.iin });
  const n = () => srv.sql('SELECT (SELECT count(*) FROM challenge) AS c, (SELECT count(*) FROM otp) AS o')[0];
  const before = n();
  assert.ok(before.c >= 3 && before.o >= 1, JSON.stringify(before));
  srv.kgctl('tick');
  assert.deepEqual(n(), before, 'live ones stay');
  srv.advanceClock(2 * 86400);
  srv.kgctl('tick');
  assert.deepEqual(n(), { c: 0, o: 0 });
});

test('nginx limits the pages that give a visitor a session per address, and no other page', async () => {
  // Each GET of /login without a cookie makes a session row (the form's
  // CSRF token) and a login challenge: one address cannot fill the table.
  const s2 = await Server.start({ formRate: '1r/m', formBurst: '10' });   // no token comes back during the test
  try {
    const before = s2.sql('SELECT count(*) AS n FROM session')[0].n;
    const pages = await Promise.all(Array.from({ length: 40 }, () => s2.client().get('/login')));
    const limited = pages.filter((r) => r.status === 429);
    assert.ok(limited.length >= 20, `${limited.length} refused`);
    assert.ok(pages.some((r) => r.status === 200));
    assert.match(limited[0].text, /Слишком много/);
    const made = s2.sql('SELECT count(*) AS n FROM session')[0].n - before;
    assert.ok(made <= 12, `${made} sessions made`);
    assert.strictEqual(made, pages.filter((r) => r.status === 200).length);
    // The district list and the check page are behind the same limit...
    assert.strictEqual((await s2.client().get('/district')).status, 429);
    assert.strictEqual((await s2.client().get('/check/AAAAAAAAAAAAAAAAAAAAAA')).status, 429);
    // ...the home page, the search, the base and the statistics are not.
    for (const u of ['/', '/queue/search', '/places', '/stats']) {
      const rs = await Promise.all(Array.from({ length: 15 }, () => s2.client().get(u)));
      assert.ok(rs.every((r) => r.status !== 429), u);
    }
  } finally {
    await s2.stop();
  }
});

test('without the web server\'s limit (Apache), the programs limit the anonymous sessions one address starts', async () => {
  const s2 = await Server.start({ conf: 'Session.AnonPerMinute = 5' });
  try {
    const anonSessions = () => s2.sql('SELECT count(*) AS n FROM session WHERE account_id IS NULL')[0].n;
    const before = anonSessions();
    const visitors = [];
    for (let i = 0; i < 8; i++) {
      const c = s2.client();
      visitors.push({ c, r: await c.get('/login') });
    }
    assert.deepStrictEqual(visitors.map((v) => v.r.status), [200, 200, 200, 200, 200, 429, 429, 429]);
    assert.match(textOf(visitors[5].r.text), /Слишком много запросов/);
    assert.strictEqual(anonSessions() - before, 5, 'a refused visit makes no row');
    // The district list and the check page give sessions too: refused alike.
    assert.strictEqual((await s2.client().get('/district')).status, 429);
    // A visitor who already has a session goes on, and logging in works.
    assert.strictEqual((await visitors[0].c.get('/login?tab=iin')).status, 200);
    assert.strictEqual((await visitors[0].c.get('/district')).status, 200);
    assert.strictEqual(anonSessions() - before, 5);
    // Pages that need no session are not limited.
    for (const u of ['/', '/queue/search', '/places', '/stats']) assert.strictEqual((await s2.client().get(u)).status, 200, u);
    // A minute later new visitors get their sessions again.
    s2.advanceClock(61);
    assert.strictEqual((await s2.client().get('/login')).status, 200);
  } finally {
    await s2.stop();
  }
});

test('nginx\'s access log has no query strings and masks an IIN in a path', async () => {
  // The log is buffered (a write per 32 KB or per second): read until the
  // lines are there.
  const fs = require('fs');
  const path = require('path');
  const iin = '850315300132';
  const c = srv.client();
  await c.get(`/queue/search?q=${iin}`);
  await c.get(`/journal/${iin}/x`);
  const log = path.join(srv.dir, 'log', 'nginx-access.log');
  let text = '';
  for (let i = 0; i < 50 && !/\/journal\/8503/.test(text); i++) {
    await new Promise((res) => setTimeout(res, 100));
    text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  }
  assert.match(text, /"GET \/queue\/search" 200 /, 'the search without its query string');
  assert.match(text, /"GET \/journal\/8503\*\*\*\*\*\*32\/x" /, 'the IIN in the path masked');
  assert.ok(!text.includes(iin), 'the whole IIN nowhere');
  assert.ok(!text.includes('?q='), 'no query string');
});

run();
