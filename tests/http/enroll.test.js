// The parent's document submission (/enroll, seed 003) through real nginx
// and the real programs: the instruction and «ОК», the referral opened
// with the child's and the referral's data, uploads of forms №065, №027 and
// №052-2 (typed by content, sizes, replacement, the deadline, an expired
// session), the generated contract (text, QR code, check page), and
// signing it with EDS (the test PKI through openssl, wrong keys, replays)
// or with a one-time code from the SMS spool.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');

let srv;
before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

// ---- helpers ----

// A referral of a new child of `parent` to a DDO of staff1 (opts go to
// fx.referral: deadlineAt, status, ...).
function newReferral(parent = 'parent1', opts = {}) {
  const app = fx.application(srv, { parent, district: 1110, groupYear: 2021, ...(opts.app || {}) });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1'), groupYear: 2021, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, ...opts });
  return { app, ref, place };
}

// A client of `who`, past the instruction («ОК»), so that the contracts
// of its open referrals exist.
async function parent(who = 'parent1', method = 'eds') {
  const c = srv.client();
  const s = srv.login(c, who, method);
  c.session = s;
  await c.get('/enroll');
  const ok = await c.post('/enroll/ok', { read: 1 });
  assert.strictEqual(ok.status, 303, 'ОК');
  return c;
}

// The <details> of one referral on the page.
function section(html, refId) {
  const start = html.indexOf(`id="ref-${refId}"`);
  assert.ok(start >= 0, `referral ${refId} on the page`);
  const end = html.indexOf('</details>', start);
  return html.slice(start, end);
}

async function upload(c, refId, kind, file) {
  return c.upload(`/enroll/${refId}/upload`, { kind }, file ? { file } : {});
}

const asPdf = (name = 'form.pdf', label = 'Form') => ({ name, type: 'application/pdf', data: files.pdf(label) });

async function uploadAll(c, refId) {
  for (const kind of ['form065', 'form027', 'form052_2']) {
    const r = await upload(c, refId, kind, asPdf(`${kind}.pdf`, kind));
    assert.strictEqual(r.status, 303, `${kind}: ${textOf(r.text).slice(0, 300)}`);
  }
}

// The challenge of the referral's EDS form: { content (Buffer), nonce }.
async function challenge(c, refId) {
  const page = await c.get(`/enroll?open=${refId}`);
  assert.strictEqual(page.status, 200);
  const s = section(page.text, refId);
  const ch = s.match(/data-eds-challenge="([^"]+)"/);
  const nonce = s.match(/name="nonce" value="([^"]+)"/);
  assert.ok(ch && nonce, 'the EDS form carries a challenge and a nonce');
  return { content: Buffer.from(ch[1], 'base64'), nonce: nonce[1] };
}

// openssl cms -sign, the shape NCALayer makes; key: a PKI key prefix.
function cms(content, key) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-cms-'));
  try {
    fs.writeFileSync(path.join(dir, 'in'), content);
    execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-nodetach', '-in', path.join(dir, 'in'),
      '-signer', path.join(PKI, `${key}.pem`), '-inkey', path.join(PKI, `${key}.key`), '-outform', 'DER',
      '-out', path.join(dir, 'out')]);
    return fs.readFileSync(path.join(dir, 'out')).toString('base64');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The schema's answer to a statement it must refuse (its error text).
function sqlRefused(query) {
  try {
    execFileSync('sqlite3', ['-cmd', '.timeout 5000', path.join(srv.dir, 'kg.db'), query], { stdio: 'pipe' });
  } catch (e) {
    return String(e.stderr);
  }
  return 'accepted';
}

function storedFiles() {
  const root = path.join(srv.dir, 'files');
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const d of fs.readdirSync(root)) n += fs.readdirSync(path.join(root, d)).length;
  return n;
}

const docs = (refId) => srv.sql(`SELECT id, kind, mime, filename, sha256, replaced_at FROM document
  WHERE referral_id = ${refId} AND origin = 'applicant' ORDER BY id`);

// ---- the instruction ----

test('the service description and the 5-working-day warning come first, confirmed with «ОК»', async () => {
  const { ref } = newReferral();
  const c = srv.client();
  srv.login(c, 'parent1', 'eds');
  const r = await c.get('/enroll');
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Подать документы на зачисление ребенка в дошкольную организацию/);
  assert.match(t, /ВАЖНО! На загрузку документов и подписание договора предоставляется 5 рабочих дней\. Если в указанный срок действия не будут выполнены, направление будет аннулировано, а заявление автоматически переместится в архив\./);
  assert.match(t, /Описание услуги/);
  assert.match(t, /форму №065, форму №027 и форму №052-2/);
  assert.match(r.text, /<form method="post" action="\/enroll\/ok"/);
  assert.match(r.text, /<button type="submit" class="btn btn-ok">ОК<\/button>/);
  assert.doesNotMatch(r.text, new RegExp(`id="ref-${ref.id}"`), 'no referral before «ОК»');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id}`)[0].n, 0,
    'a GET makes no contract');

  const bad = await c.post('/enroll/ok', {});
  assert.strictEqual(bad.status, 422);
  assert.match(textOf(bad.text), /Подтвердите ознакомление с инструкцией/);
  assert.strictEqual(c.cookies.get('enr_ok'), undefined);

  const ok = await c.post('/enroll/ok', { read: 1 });
  assert.strictEqual(ok.status, 303);
  assert.strictEqual(ok.location, '/enroll');
  assert.ok(c.cookies.get('enr_ok'), 'the confirmation is remembered');
  const contract = srv.sql(`SELECT number, check_code, origin FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`);
  assert.strictEqual(contract.length, 1);
  assert.strictEqual(contract[0].number, `Д-${ref.number}`);
  assert.strictEqual(contract[0].origin, 'system');
  assert.match(contract[0].check_code, /^[A-Za-z0-9_-]{22}$/);
  const page = await c.get('/enroll');
  assert.match(page.text, new RegExp(`id="ref-${ref.id}"`));
  assert.doesNotMatch(page.text, /action="\/enroll\/ok"/, 'not asked again');
  // A second «ОК» makes no second contract.
  await c.post('/enroll/ok', { read: 1 });
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0].n, 1);
  // A new referral without a contract brings the instruction back.
  const second = newReferral();
  const again = await c.get('/enroll');
  assert.match(again.text, /action="\/enroll\/ok"/);
  await c.post('/enroll/ok', { read: 1 });
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE referral_id = ${second.ref.id} AND kind = 'contract'`)[0].n, 1);
});

test('only citizens reach /enroll: the anonymous are sent to log in, staff get 403', async () => {
  const anon = await srv.client().get('/enroll');
  assert.strictEqual(anon.status, 303);
  assert.match(anon.location, /^\/login\?next=%2Fenroll/);
  const staff = srv.client();
  srv.login(staff, 'staff1');
  assert.strictEqual((await staff.get('/enroll')).status, 403);
});

// ---- the referral ----

test('a referral opens with the mark next to the child\'s name onto the child, the referral, the forms and the contract', async () => {
  const { app, ref } = newReferral('parent1', { app: { surname: 'ЖАНУЗАКОВ', name: 'ӘЛИХАН' } });
  const c = await parent();
  const closed = await c.get('/enroll');
  assert.match(closed.text, new RegExp(`<details class="card ref ref-open" id="ref-${ref.id}">`), 'closed until opened');
  const r = await c.get(`/enroll?open=${ref.id}`);
  const s = section(r.text, ref.id);
  assert.match(s, /^id="ref-\d+" open>/);
  assert.match(s, /<summary><span class="ref-child">ЖАНУЗАКОВ ӘЛИХАН/);
  const t = textOf(s);
  assert.match(t, new RegExp(`ИИН ${app.childIin}`));
  assert.match(t, new RegExp(`Номер направления ${ref.number}`));
  const ddo = srv.sql(`SELECT name_ru, address FROM ddo WHERE id = ${fx.ddoOf(srv, 'staff1')}`)[0];
  assert.ok(t.includes(ddo.name_ru) && t.includes(ddo.address), 'the DDO and its address');
  assert.match(t, /Срок подачи документов \d\d\.\d\d\.\d{4} \d\d:\d\d — (Осталось рабочих дней: \d|Сегодня последний день срока)/);
  assert.match(t, /Необходимо прикладывать только качественные копии всех документов\. В случае вложения некорректных \(нечитаемых\) документов, Вам будет отказано в зачислении в дошкольную организацию/);
  for (const kind of ['form065', 'form027', 'form052_2']) {
    assert.match(s, new RegExp(`<input type="hidden" name="kind" value="${kind}">`));
  }
  assert.match(t, /Форма №065.*Форма №027.*Форма №052-2/);
  assert.match(s, /enctype="multipart\/form-data"/);
  const contractId = srv.sql(`SELECT id FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0].id;
  assert.match(s, new RegExp(`href="/journal/doc/${contractId}"[^>]*>Договор № Д-${ref.number} \\(PDF`));
  assert.match(t, /ВАЖНО! Ознакомьтесь с договором по предоставленной ссылке\./);
  assert.match(s, /name="agree"/);
  assert.match(s, />Подписать договор</);
});

test('another citizen cannot touch a referral: 404 for uploads and signing', async () => {
  const { ref } = newReferral('parent1');
  const other = await parent('parent3');
  const r = await upload(other, ref.id, 'form065', asPdf());
  assert.strictEqual(r.status, 404);
  const s = await other.post(`/enroll/${ref.id}/sign`, { agree: 1 });
  assert.strictEqual(s.status, 404);
  assert.strictEqual(docs(ref.id).length, 0);
  assert.doesNotMatch((await other.get('/enroll')).text, new RegExp(`id="ref-${ref.id}"`));
});

// ---- uploads ----

test('uploads are typed by content: PDF, a PNG named .pdf, a JPEG are kept; each stored once under its SHA-256', async () => {
  const { app, ref } = newReferral();
  const c = await parent();
  const pdf = files.pdf('Form 065');
  let r = await upload(c, ref.id, 'form065', { name: 'форма 065.pdf', type: 'application/pdf', data: pdf });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, `/enroll?open=${ref.id}#ref-${ref.id}`);
  r = await upload(c, ref.id, 'form027', { name: 'scan.pdf', type: 'application/pdf', data: files.png() });
  assert.strictEqual(r.status, 303);
  r = await upload(c, ref.id, 'form052_2', { name: 'photo.txt', type: 'text/plain', data: files.jpeg() });
  assert.strictEqual(r.status, 303);
  const rows = docs(ref.id);
  assert.deepStrictEqual(rows.map((d) => [d.kind, d.mime]),
    [['form065', 'application/pdf'], ['form027', 'image/png'], ['form052_2', 'image/jpeg']]);
  assert.strictEqual(rows[0].filename, 'форма 065.pdf');
  const sha = crypto.createHash('sha256').update(pdf).digest('hex');
  assert.strictEqual(rows[0].sha256, sha);
  const stored = path.join(srv.dir, 'files', sha.slice(0, 2), sha);
  assert.ok(fs.readFileSync(stored).equals(pdf), 'stored outside htdocs under its hash');
  const hist = srv.sql(`SELECT event, p1, p2, p3, actor_role FROM history WHERE application_id = ${app.id} AND event = 'doc_uploaded' ORDER BY id`);
  assert.deepStrictEqual(hist.map((h) => h.p1), ['form065', 'form027', 'form052_2']);
  assert.strictEqual(hist[0].p3, ref.number);
  assert.strictEqual(hist[0].actor_role, 'citizen');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM audit WHERE action = 'enroll_upload' AND object_id = ${ref.id}`)[0].n, 3);
  const page = await c.get(`/enroll?open=${ref.id}`);
  assert.match(page.text, /Документ загружен/);
  assert.match(textOf(section(page.text, ref.id)), /Загружен форма 065\.pdf/);
  // The download of the parent's own file: its type, as an attachment.
  const d = await c.get(`/journal/doc/${rows[1].id}`);
  assert.strictEqual(d.status, 200);
  assert.strictEqual(d.headers['content-type'], 'image/png');
  assert.match(d.headers['content-disposition'], /^attachment; filename="form027-\d+\.png"$/);
  assert.ok(d.body.equals(files.png()));
});

// A response is written as FastCGI records of at most 65,528 bytes in one
// writev (lib/req.c, send_records), the largest through libfcgi's stream:
// files of each size come back byte for byte (a record split wrongly, a
// padding or a header out of place would show here).
test('downloads of every size arrive whole: one record, several records, and beyond the writev limit', async () => {
  const { ref } = newReferral();
  const c = await parent();
  const sizes = [9000, 65528 - 600, 200 * 1024 + 3, 4.5 * 1024 * 1024];
  for (const [i, size] of sizes.entries()) {
    const data = files.pdf(`Size ${size}`, size);
    const kind = ['form065', 'form027', 'form052_2', 'form065'][i];
    const r = await upload(c, ref.id, kind, { name: `s${i}.pdf`, type: 'application/pdf', data });
    assert.strictEqual(r.status, 303, `upload of ${data.length} bytes`);
    const id = srv.sql(`SELECT id FROM document WHERE referral_id = ${ref.id} AND kind = '${kind}' AND replaced_at IS NULL`)[0].id;
    const d = await c.get(`/journal/doc/${id}`);
    assert.strictEqual(d.status, 200);
    assert.strictEqual(Number(d.headers['content-length']), data.length);
    assert.ok(d.body.equals(data), `${data.length} bytes back as sent`);
  }
});

test('bad files get a precise message at their form and nothing is kept', async () => {
  const { ref } = newReferral();
  const c = await parent();
  const before = storedFiles();
  const cases = [
    [{ name: 'form.pdf', type: 'application/pdf', data: Buffer.from('This is a plain text file, not a PDF at all.\n'.repeat(5)) },
      /Допускаются только PDF, JPEG или PNG \(тип определяется по содержимому файла, а не по названию\)/],
    [{ name: 'cut.pdf', type: 'application/pdf', data: files.pdf('Cut', 4000).subarray(0, 2500) },
      /Файл поврежден или загружен не полностью/],
    [{ name: 'empty.pdf', type: 'application/pdf', data: Buffer.alloc(0) }, /Файл пустой: выберите файл с документом/],
    [{ name: 'big.pdf', type: 'application/pdf', data: files.pdf('Big', 5 * 1024 * 1024) },
      /Файл слишком большой: не более 5 МБ/],
    [null, /Выберите файл для загрузки/],
  ];
  for (const [file, msg] of cases) {
    const r = await upload(c, ref.id, 'form027', file);
    assert.strictEqual(r.status, 422, `${file && file.name}: ${r.status}`);
    const s = section(r.text, ref.id);
    assert.match(s, /^id="ref-\d+" open>/, 'the referral is open at the message');
    const at = s.match(/id="doc-\d+-form027"[\s\S]*?<\/li>/)[0];
    assert.match(textOf(at), msg, file && file.name);
    assert.match(at, /class="field-error"/);
  }
  const kind = await upload(c, ref.id, 'form999', asPdf());
  assert.strictEqual(kind.status, 422);
  assert.match(textOf(kind.text), /Неизвестный вид документа/);
  assert.strictEqual(docs(ref.id).length, 0);
  assert.strictEqual(storedFiles(), before, 'no file was written');
});

test('a file too large for the web server gets the static 413 page', async () => {
  const { ref } = newReferral();
  const c = await parent();
  const huge = { name: 'huge.pdf', type: 'application/pdf', data: Buffer.alloc(8 * 1024 * 1024, 0x41) };
  // nginx answers before it has read the body; should the connection be
  // cut while the client still writes, the answer is asked for once more.
  let r = await upload(c, ref.id, 'form065', huge).catch(() => null);
  if (!r) r = await upload(c, ref.id, 'form065', huge);
  assert.strictEqual(r.status, 413);
  assert.match(r.text, /Файл слишком большой/);
  assert.match(r.text, /Файл тым үлкен/, 'the static page of htdocs/errors/413.html');
  assert.strictEqual(docs(ref.id).length, 0);
});

test('replacing a form marks the old file replaced_at and keeps both rows', async () => {
  const { app, ref } = newReferral();
  const c = await parent();
  await upload(c, ref.id, 'form065', asPdf('first.pdf', 'First'));
  const r = await upload(c, ref.id, 'form065', { name: 'second.png', type: 'image/png', data: files.png() });
  assert.strictEqual(r.status, 303);
  const rows = docs(ref.id);
  assert.strictEqual(rows.length, 2);
  assert.ok(rows[0].replaced_at, 'the first is marked replaced');
  assert.strictEqual(rows[1].replaced_at, null);
  assert.strictEqual(rows[1].filename, 'second.png');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM history WHERE application_id = ${app.id} AND event = 'doc_replaced'`)[0].n, 1);
  const page = await c.get(`/enroll?open=${ref.id}`);
  const s = section(page.text, ref.id);
  assert.match(textOf(s), /second\.png/);
  assert.doesNotMatch(textOf(s), /first\.pdf/);
  assert.match(s, />Заменить</);
});

test('after the deadline nothing can be uploaded or signed (409) and the page says so', async () => {
  const now = srv.now();
  const { ref } = newReferral('parent1', { issuedAt: now - 10 * 86400, deadlineAt: now - 60 });
  const c = await parent();
  const r = await upload(c, ref.id, 'form065', asPdf());
  assert.strictEqual(r.status, 409);
  assert.match(textOf(r.text), /Срок подачи документов по направлению истек/);
  const s = await c.post(`/enroll/${ref.id}/sign`, { agree: 1 });
  assert.strictEqual(s.status, 409);
  assert.strictEqual(docs(ref.id).length, 0);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM document WHERE referral_id = ${ref.id}`)[0].n, 0,
    'no contract for an expired referral');
  const page = await c.get(`/enroll?open=${ref.id}`);
  const sec = section(page.text, ref.id);
  assert.match(textOf(sec), /Срок подачи документов истек/);
  assert.doesNotMatch(sec, /<form class="upload"/);
  assert.doesNotMatch(sec, /Подписать договор/);
});

test('an upload whose session expired on the way gets a precise answer and keeps nothing', async () => {
  const { ref } = newReferral();
  const c = await parent();
  const before = storedFiles();
  srv.sql(`UPDATE session SET seen_at = seen_at - 7200 WHERE csrf = '${c.session.csrf}'`);
  const r = await upload(c, ref.id, 'form065', asPdf('late.pdf', 'Late upload'));
  assert.strictEqual(r.status, 401);
  assert.match(textOf(r.text), /Сеанс завершен из-за долгого бездействия\. Войдите снова; данные формы не сохранены\./);
  assert.match(r.text, /href="\/login\?next=/);
  assert.strictEqual(docs(ref.id).length, 0);
  assert.strictEqual(storedFiles(), before);
});

// ---- the contract ----

test('the contract is a PDF for this child and DDO with its number, the obligations and a QR code of its check page', async () => {
  const { app, ref } = newReferral('parent1', { app: { surname: 'БЕКОВ', name: 'ТИМУР' } });
  const c = await parent();
  const row = srv.sql(`SELECT id, check_code, sha256 FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0];
  const r = await c.get(`/journal/doc/${row.id}`);
  assert.strictEqual(r.status, 200);
  assert.strictEqual(r.headers['content-type'], 'application/pdf');
  assert.match(r.headers['content-disposition'], new RegExp(`^attachment; filename="contract-${ref.number}\\.pdf"$`));
  assert.strictEqual(crypto.createHash('sha256').update(r.body).digest('hex'), row.sha256);
  const text = files.pdfText(r.body).replace(/\s+/g, ' ');
  const ddo = srv.sql(`SELECT name_ru, address FROM ddo WHERE id = ${fx.ddoOf(srv, 'staff1')}`)[0];
  for (const want of [`ДОГОВОР № Д-${ref.number}`, 'об оказании услуг дошкольного воспитания и обучения',
    'БЕКОВ ТИМУР', app.childIin, 'НУРЛАНОВ АСХАТ БОЛАТОВИЧ', '900517322416', ddo.name_ru, ddo.address,
    ref.number, app.number, '2. Организация обязуется', '3. Родитель обязуется', 'г. Кокшетау']) {
    assert.ok(text.includes(want), `the contract says ${want}`);
  }
  assert.ok(text.includes(row.check_code), 'the check code is printed');
  const qr = files.qrCodes(r.body);
  assert.deepStrictEqual(qr, [`${srv.base}/check/${row.check_code}`]);
  // The check page of that code knows the document.
  const check = await srv.client().get(new URL(qr[0]).pathname);
  assert.strictEqual(check.status, 200);
  assert.match(textOf(check.text), new RegExp(`Договор.*Д-${ref.number}.*${row.sha256}`));
});

// ---- signing ----

test('signing is refused without all three forms and without the mark', async () => {
  const { ref } = newReferral();
  const c = await parent();
  await upload(c, ref.id, 'form065', asPdf());
  let r = await c.post(`/enroll/${ref.id}/sign`, { agree: 1 });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(section(r.text, ref.id)), /Загрузите все три формы \(№065, №027 и №052-2\), затем подпишите договор/);
  const page = await c.get(`/enroll?open=${ref.id}`);
  assert.doesNotMatch(section(page.text, ref.id), /data-eds-challenge/, 'no challenge until the forms are there');
  assert.match(textOf(section(page.text, ref.id)), /Чтобы подписать договор, загрузите все три формы/);
  await upload(c, ref.id, 'form027', asPdf());
  await upload(c, ref.id, 'form052_2', asPdf());
  const { content, nonce } = await challenge(c, ref.id);
  r = await c.post(`/enroll/${ref.id}/sign`, { nonce, cms: cms(content, 'parent1-sign') });
  assert.strictEqual(r.status, 422);
  assert.match(textOf(section(r.text, ref.id)), /Установите отметку «С договором ознакомлен\(а\) и согласен\(на\)»/);
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'issued');
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM signature WHERE object_type = 'referral' AND object_id = ${ref.id}`)[0].n, 0);
});

test('EDS: the challenge names the contract, its SHA-256 and the forms; wrong keys, another person and tampering are refused', async () => {
  const { ref } = newReferral();
  const c = await parent();
  await uploadAll(c, ref.id);
  const { content, nonce } = await challenge(c, ref.id);
  const text = content.toString('utf8');
  const contract = srv.sql(`SELECT sha256 FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0].sha256;
  assert.match(text, new RegExp(`^Подписание договора № Д-${ref.number}\\n`));
  assert.ok(text.includes(`SHA-256 договора: ${contract}`));
  for (const d of docs(ref.id)) assert.ok(text.includes(d.sha256), `the form ${d.kind} is in the text`);
  assert.match(text, /Код подписи: [A-Za-z0-9_-]{43}\nВремя: /);
  // A refused signature uses its challenge up: each try signs a fresh one.
  const tries = [
    [(ch) => cms(ch, 'parent1-auth'), /Ключ не того назначения/],
    [(ch) => cms(ch, 'parent2-sign'), /Ключ ЭЦП принадлежит другому человеку/],
    [(ch) => cms(Buffer.from(ch.toString('utf8').replace(contract, '0'.repeat(64))), 'parent1-sign'), /Подписан не тот текст/],
    [(ch) => cms(ch, 'forged-parent1-sign'), /недоверенный издатель/],
    [() => 'bm90IGEgY21z', /не являются подписью ЭЦП/],
  ];
  let fresh = { content, nonce };
  for (const [sign, msg] of tries) {
    const r = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce: fresh.nonce, cms: sign(fresh.content) });
    fresh = await challenge(c, ref.id);
    assert.strictEqual(r.status, 422);
    assert.match(textOf(section(r.text, ref.id)), msg);
  }
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'issued');
  const refused = srv.sql(`SELECT outcome FROM audit WHERE action = 'contract_sign' AND object_id = ${ref.id} ORDER BY id`);
  assert.deepStrictEqual(refused.map((a) => a.outcome), ['purpose', 'wrong_person', 'content', 'untrusted', 'format']);
});

test('EDS: the parent signs; referral and application become docs_submitted in one step with history and audit; a replay changes nothing', async () => {
  const { app, ref } = newReferral();
  const c = await parent();
  await uploadAll(c, ref.id);
  const { content, nonce } = await challenge(c, ref.id);
  const sig = cms(content, 'parent1-sign');
  const r = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce, cms: sig });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 400));
  assert.strictEqual(r.location, `/enroll?open=${ref.id}#ref-${ref.id}`);
  const row = srv.sql(`SELECT status, docs_submitted_at, contract_signature_id FROM referral WHERE id = ${ref.id}`)[0];
  assert.strictEqual(row.status, 'docs_submitted');
  assert.ok(row.docs_submitted_at);
  const s = srv.sql(`SELECT method, action, object_type, object_id, signer_iin, content FROM signature WHERE id = ${row.contract_signature_id}`)[0];
  assert.deepStrictEqual([s.method, s.action, s.object_type, s.object_id, s.signer_iin],
    ['eds', 'contract', 'referral', ref.id, '900517322416']);
  assert.strictEqual(s.content, content.toString('utf8'), 'exactly the signed bytes are stored');
  assert.strictEqual(srv.sql(`SELECT status FROM application WHERE id = ${app.id}`)[0].status, 'docs_submitted');
  const h = srv.sql(`SELECT p1, p2, p3 FROM history WHERE application_id = ${app.id} AND event = 'contract_signed'`);
  assert.deepStrictEqual(h, [{ p1: `Д-${ref.number}`, p2: 'eds', p3: ref.number }]);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM audit WHERE action = 'contract_sign' AND object_id = ${ref.id} AND outcome = 'ok'`)[0].n, 1);
  const page = await c.get(r.location);
  assert.match(page.text, /Договор подписан, документы поданы в дошкольную организацию/);
  const sec = section(page.text, ref.id);
  assert.match(textOf(sec), /Документы поданы, договор подписан: \d\d\.\d\d\.\d{4} \d\d:\d\d \(ЭЦП\)/);
  assert.doesNotMatch(sec, /<form class="upload"/, 'nothing to change any more');
  assert.doesNotMatch(sec, /data-eds/);

  const replay = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce, cms: sig });
  assert.strictEqual(replay.status, 409);
  assert.match(textOf(replay.text), /Договор уже подписан, документы поданы: изменить их нельзя/);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM signature WHERE object_type = 'referral' AND object_id = ${ref.id}`)[0].n, 1);
  // Nothing can change after signing: the screen refuses, and so does the schema.
  const late = await upload(c, ref.id, 'form065', asPdf());
  assert.strictEqual(late.status, 409);
  assert.match(textOf(late.text), /Договор уже подписан/);
  assert.strictEqual(docs(ref.id).length, 3);
  assert.match(sqlRefused(`UPDATE document SET replaced_at = 1 WHERE referral_id = ${ref.id} AND kind = 'form065'`),
    /the forms of a signed or closed referral cannot be replaced/);
  assert.match(sqlRefused(`DELETE FROM document WHERE referral_id = ${ref.id}`), /documents are never deleted/);
  assert.match(srv.kgctl('audit-verify'), /audit log intact/);
});

test('EDS: a signature over one referral\'s challenge is refused for another, and a challenge older than the files is refused', async () => {
  const a = newReferral();
  const b = newReferral();
  const c = await parent();
  await uploadAll(c, a.ref.id);
  await uploadAll(c, b.ref.id);
  const ca = await challenge(c, a.ref.id);
  const wrong = await c.post(`/enroll/${b.ref.id}/sign`, { agree: 1, nonce: ca.nonce, cms: cms(ca.content, 'parent1-sign') });
  assert.strictEqual(wrong.status, 422);
  assert.match(textOf(section(wrong.text, b.ref.id)), /Эта подпись не относится к текущему действию/);
  // The page was opened, then a form replaced: the old text is not signed.
  const cb = await challenge(c, b.ref.id);
  await upload(c, b.ref.id, 'form027', { name: 'new.png', type: 'image/png', data: files.png() });
  const stale = await c.post(`/enroll/${b.ref.id}/sign`, { agree: 1, nonce: cb.nonce, cms: cms(cb.content, 'parent1-sign') });
  assert.strictEqual(stale.status, 422);
  assert.match(textOf(section(stale.text, b.ref.id)), /Документы изменились после того, как страница была открыта/);
  assert.deepStrictEqual(srv.sql(`SELECT status FROM referral WHERE id IN (${a.ref.id}, ${b.ref.id}) ORDER BY id`).map((x) => x.status),
    ['issued', 'issued']);
  // A fresh page signs.
  const fresh = await challenge(c, b.ref.id);
  const ok = await c.post(`/enroll/${b.ref.id}/sign`, { agree: 1, nonce: fresh.nonce, cms: cms(fresh.content, 'parent1-sign') });
  assert.strictEqual(ok.status, 303);
});

test('one-time code: a parent who logged in by code gets a fresh code on the same phone and signs with it', async () => {
  const { app, ref } = newReferral('parent3');
  const c = srv.client();
  const s = srv.login(c, 'parent3', 'otp');
  srv.sql(`UPDATE session SET otp_phone = '+77015550009' WHERE csrf = '${s.csrf}'`);
  await c.get('/enroll');
  await c.post('/enroll/ok', { read: 1 });
  await uploadAll(c, ref.id);
  const page = await c.get(`/enroll?open=${ref.id}`);
  const sec = section(page.text, ref.id);
  assert.doesNotMatch(sec, /data-eds/, 'no NCALayer for a code session');
  assert.match(sec, new RegExp(`action="/enroll/${ref.id}/code"`));
  assert.match(textOf(sec), /кодом, который придет в SMS на номер \+7701\*\*\*0009/);
  assert.match(sec, /name="code"/);

  const sent = srv.sms().length;
  const r = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(r.status, 303);
  const msgs = srv.sms();
  assert.strictEqual(msgs.length, sent + 1);
  const last = msgs[msgs.length - 1];
  assert.match(last, /^To: \+77015550009\n/);
  assert.match(last, /код для подписания договора \d{6}/);
  const code = last.match(/договора (\d{6})/)[1];
  assert.match((await c.get(r.location)).text, /Код для подписания отправлен в SMS/);
  const again = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(again.status, 429);
  assert.match(textOf(again.text), /Новый код можно запросить через \d+ сек/);

  const wrongCode = code === '000000' ? '111111' : '000000';
  const w = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, code: wrongCode });
  assert.strictEqual(w.status, 422);
  assert.match(textOf(section(w.text, ref.id)), /Неверный код\. Осталось попыток: 4/);
  const noMark = await c.post(`/enroll/${ref.id}/sign`, { code });
  assert.strictEqual(noMark.status, 422);
  assert.match(textOf(section(noMark.text, ref.id)), /Установите отметку/);
  const ok = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, code });
  assert.strictEqual(ok.status, 303, ok.status === 303 ? '' : (section(ok.text, ref.id).match(/(field-error|alert-error)[^<]*</g) || []).join(' '));
  const row = srv.sql(`SELECT r.status, s.method, s.otp_phone, s.cms, s.content FROM referral r JOIN signature s ON s.id = r.contract_signature_id WHERE r.id = ${ref.id}`)[0];
  assert.strictEqual(row.status, 'docs_submitted');
  assert.strictEqual(row.method, 'otp');
  assert.strictEqual(row.otp_phone, '+77015550009');
  assert.strictEqual(row.cms, null);
  assert.match(row.content, new RegExp(`^Подписание договора № Д-${ref.number}`));
  assert.match(row.content, /Подтверждено кодом из SMS на номер: \+7701\*\*\*0009/);
  assert.strictEqual(srv.sql(`SELECT p2 FROM history WHERE application_id = ${app.id} AND event = 'contract_signed'`)[0].p2, 'otp');
  const used = await c.post(`/enroll/${ref.id}/sign`, { agree: 1, code });
  assert.strictEqual(used.status, 409);
});

test('a parent who logged in with EDS cannot ask for a signing code', async () => {
  const { ref } = newReferral();
  const c = await parent();
  await uploadAll(c, ref.id);
  const sent = srv.sms().length;
  const r = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(r.status, 422);
  assert.match(textOf(section(r.text, ref.id)), /Подписание кодом из SMS доступно только при входе по одноразовому коду/);
  assert.strictEqual(srv.sms().length, sent);
});

test('the page and the contract come in Kazakh for a Kazakh-speaking parent', async () => {
  const { ref } = newReferral('parent3');
  const c = srv.client();
  srv.login(c, 'parent3', 'eds');
  c.cookies.set('lang', 'kk');
  const intro = await c.get('/enroll');
  assert.match(textOf(intro.text), /МАҢЫЗДЫ! Құжаттарды жүктеуге және шартқа қол қоюға 5 жұмыс күні беріледі/);
  await c.post('/enroll/ok', { read: 1 });
  const page = await c.get(`/enroll?open=${ref.id}`);
  assert.match(textOf(section(page.text, ref.id)), /№065 нысан/);
  const id = srv.sql(`SELECT id FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0].id;
  const pdf = await c.get(`/journal/doc/${id}`);
  assert.ok(files.pdfText(pdf.body).replace(/\s+/g, ' ').includes(`№ Д-${ref.number} ШАРТ`));
});

run();
