// Backups (domain/backup.h): `kgctl backup DIR` while the service writes,
// `kgctl verify-backup DIR`, `kgctl restore DIR` into another instance,
// backups incremental for files, private, and refused restores.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync, execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD, TOP } = require('../lib/server');
const fx = require('../lib/fixtures');

let src;   // the instance backed up
let dst;   // the instance restored into
before(async () => {
  src = await Server.start({ workers: 1 });
  dst = await Server.start({ workers: 1 });
});
after(async () => {
  if (src) await src.stop();
  if (dst) await dst.stop();
});

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

// kgctl with an instance's settings: { status, out, err }.
function kgctl(srv, ...args) {
  const r = spawnSync(path.join(BUILD, 'kgctl'), args,
    { env: { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf') }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const serve = (srv, what) => execFileSync(path.join(TOP, 'conf', 'serve.sh'), [what],
  { env: srv.env, stdio: ['ignore', 'pipe', 'pipe'] });
// Rows of a query on any database file.
const q = (file, sql) => JSON.parse(execFileSync('sqlite3', ['-json', file, sql], { encoding: 'utf8' }) || '[]');
const count = (file, table) => q(file, `SELECT count(*) AS n FROM ${table}`)[0].n;
const MAIN = ['account', 'child', 'application', 'history', 'document', 'audit', 'ddo', 'free_place', 'referral'];

// Another process storing documents all the time, as uploads do (the file
// first, then its row, one transaction each), until stopped.
function uploader(srv, application) {
  const script = `
import hashlib, os, sqlite3, sys, time
db, files, app = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db, timeout=30, isolation_level=None)
n = 0
while True:
    data = b'%PDF-1.4\\n% load ' + str(n).encode() + b' ' + os.urandom(16) + b'\\n%%EOF\\n'
    sha = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(files, sha[:2]), exist_ok=True)
    with open(os.path.join(files, sha[:2], sha), 'wb') as f:
        f.write(data)
    c.execute('BEGIN IMMEDIATE')
    c.execute("INSERT INTO document(application_id, kind, origin, sha256, size, mime, filename, created_at) "
              "VALUES (?, 'benefit', 'applicant', ?, ?, 'application/pdf', 'load.pdf', ?)",
              (app, sha, len(data), int(time.time())))
    c.execute('COMMIT')
    n += 1
    sys.stdout.write('%d\\n' % n); sys.stdout.flush()
`;
  const p = spawn('python3', ['-c', script, path.join(srv.dir, 'kg.db'), path.join(srv.dir, 'files'), String(application)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = 0;
  const started = new Promise((res) => p.stdout.on('data', (d) => {
    const nums = String(d).trim().split('\n').map(Number).filter((x) => !Number.isNaN(x));
    if (nums.length) last = nums[nums.length - 1];
    if (last >= 20) res();
  }));
  return { started, rows: () => last, stop: () => new Promise((res) => { p.on('exit', res); p.kill('SIGKILL'); }) };
}

// "files: N in the backup: C copied (B bytes), L linked from X (B bytes)"
function filesLine(out) {
  const m = out.match(/^files: (\d+) in the backup: (\d+) copied \((\d+) bytes\), (\d+) linked from (.*) \((\d+) bytes\)$/m);
  assert.ok(m, `the output says what was done:\n${out}`);
  return { files: +m[1], copied: +m[2], linked: +m[4], since: m[5] };
}

function manifest(dir) {
  const lines = fs.readFileSync(path.join(dir, 'MANIFEST'), 'utf8').trim().split('\n');
  const entries = lines.filter((l) => /^(db|file) /.test(l)).map((l) => {
    const [kind, sha, size, rel] = l.split(' ');
    return { kind, sha, size: Number(size), rel };
  });
  return { lines, entries, files: entries.filter((e) => e.kind === 'file') };
}

const store = () => path.join(src.dir, 'backups');
let snap1;     // the first backup
let counts1;   // its main tables' row counts

test('kgctl backup DIR, while documents are stored: a consistent copy, every file its rows name, a manifest, all private', async () => {
  const apps = [0, 1, 2].map(() => fx.application(src, { parent: 'parent1' }));
  for (const a of apps) fx.submittedDocs(src, { application: a.id });
  // Registrations through the service write audit rows for the chain.
  const c = src.client();
  src.login(c, 'parent1');
  await c.get('/queue/my');
  assert.strictEqual((await c.post(`/queue/withdraw/${apps[2].id}`, {})).status, 303);
  const docsBefore = count(path.join(src.dir, 'kg.db'), 'document');
  fs.mkdirSync(store(), { mode: 0o755 });
  const load = uploader(src, apps[0].id);
  await load.started;
  let b;
  let during;
  try {
    const at = load.rows();
    b = kgctl(src, 'backup', store());
    await sleep(200);
    during = load.rows() - at;
  } finally {
    await load.stop();
  }
  assert.strictEqual(b.status, 0, b.err);
  assert.ok(during > 20, `the uploads went on meanwhile (${during})`);
  snap1 = b.out.split('\n')[0];
  assert.match(path.basename(snap1), /^kg-\d{8}-\d{6}$/);
  assert.strictEqual(path.dirname(snap1), store());
  assert.match(b.out, /^database: \d+ bytes, schema \d+$/m);
  const f = filesLine(b.out);
  assert.strictEqual(f.linked, 0);
  assert.strictEqual(f.since, 'no earlier backup');

  const db = path.join(snap1, 'kg.db');
  const named = q(db, 'SELECT DISTINCT sha256 AS sha FROM document ORDER BY 1').map((r) => r.sha);
  const docs = count(db, 'document');
  assert.ok(docs >= docsBefore + 20, `the copy holds what was stored before it started (${docs})`);
  assert.ok(count(path.join(src.dir, 'kg.db'), 'document') > docs, 'and not what was stored after');
  const m = manifest(snap1);
  assert.strictEqual(m.lines[0], 'kg-backup 1');
  assert.match(m.lines.join('\n'), /^time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  assert.match(m.lines.join('\n'), /^kg-version \S+$/m);
  assert.match(m.lines.join('\n'), new RegExp(`^schema ${q(db, 'PRAGMA user_version')[0].user_version}$`, 'm'));
  assert.deepStrictEqual(m.files.map((e) => e.sha), named, 'one line per file the copy names');
  assert.strictEqual(f.files, named.length);
  assert.strictEqual(f.copied, named.length);
  for (const e of m.entries) {
    const data = fs.readFileSync(path.join(snap1, e.rel));
    assert.strictEqual(sha256(data), e.sha, e.rel);
    assert.strictEqual(data.length, e.size, e.rel);
  }
  assert.strictEqual(m.entries[0].rel, 'kg.db');
  // Private: directories 0700, files 0600, nothing left half-written.
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    (e.isDirectory() ? [path.join(d, e.name), ...walk(path.join(d, e.name))] : [path.join(d, e.name)]));
  assert.strictEqual(fs.statSync(snap1).mode & 0o777, 0o700);
  for (const p of walk(snap1)) {
    const st = fs.statSync(p);
    assert.strictEqual(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, p);
  }
  assert.deepStrictEqual(fs.readdirSync(store()), [path.basename(snap1)], 'no temporary directory left');

  const v = kgctl(src, 'verify-backup', snap1);
  assert.strictEqual(v.status, 0, v.out + v.err);
  assert.strictEqual(v.out.trim(), `${snap1}: ok`);
  counts1 = Object.fromEntries(MAIN.map((t) => [t, count(db, t)]));
  assert.ok(counts1.audit >= 2, 'the copy has an audit chain to check');
});

test('kgctl restore refuses while the target service runs, then restores into the stopped instance, which serves the same data', async () => {
  const target = path.join(dst.dir, 'kg.db');
  const docs = count(target, 'document');
  const r = kgctl(dst, 'restore', snap1);
  assert.strictEqual(r.status, 1);
  assert.match(r.err, /kg\.db is open in process \d+ \(the service is running\?\): stop it first/);
  assert.strictEqual(count(target, 'document'), docs, 'nothing replaced');
  assert.ok(!fs.existsSync(`${target}.before-restore`));

  serve(dst, 'stop');
  const ok = kgctl(dst, 'restore', snap1);
  assert.strictEqual(ok.status, 0, ok.err);
  assert.match(ok.out, /^restored .*kg\.db \(\d+ bytes, schema \d+\) from /m);
  assert.match(ok.out, /^the replaced database is kept as .*kg\.db\.before-restore$/m);
  assert.strictEqual(count(`${target}.before-restore`, 'document'), docs);
  for (const t of MAIN) assert.strictEqual(count(target, t), counts1[t], `rows of ${t}`);
  for (const e of manifest(snap1).files) {
    const data = fs.readFileSync(path.join(dst.dir, 'files', e.sha.slice(0, 2), e.sha));
    assert.strictEqual(sha256(data), e.sha);
  }
  assert.match(kgctl(dst, 'audit-verify').out, /^audit log intact/);
  // The restored instance serves the restored data.
  serve(dst, 'start');
  const who = q(target, "SELECT a.number FROM application a JOIN document d ON d.application_id = a.id LIMIT 1")[0].number;
  const page = await dst.client().get(`/queue/search?q=${encodeURIComponent(who)}`);
  assert.strictEqual(page.status, 200);
  assert.ok(page.text.includes(who));
});

let snap2;

test('a second backup copies only the new files and hard-links the rest from the first', async () => {
  const app = fx.application(src, { parent: 'parent1' });
  fx.submittedDocs(src, { application: app.id });
  while (path.basename(snap1) === `kg-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`) await sleep(100);
  const b = kgctl(src, 'backup', store());
  assert.strictEqual(b.status, 0, b.err);
  snap2 = b.out.split('\n')[0];
  assert.notStrictEqual(snap2, snap1);
  const f = filesLine(b.out);
  const before = manifest(snap1).files.length;
  const srcDocs = q(path.join(src.dir, 'kg.db'), 'SELECT count(DISTINCT sha256) AS n FROM document')[0].n;
  assert.strictEqual(f.since, snap1);
  assert.strictEqual(f.linked, before, 'every file of the first backup is linked');
  assert.strictEqual(f.copied, srcDocs - before, 'only the new ones are copied');
  assert.ok(f.copied >= 3);
  const one = manifest(snap1).files[0];
  assert.strictEqual(fs.statSync(path.join(snap2, one.rel)).ino, fs.statSync(path.join(snap1, one.rel)).ino);
  assert.strictEqual(kgctl(src, 'verify-backup', snap2).status, 0);
  // --since names the earlier backup for a backup elsewhere.
  const b3 = kgctl(src, 'backup', '--since', snap2, path.join(src.dir, 'third'));
  assert.strictEqual(b3.status, 0, b3.err);
  const f3 = filesLine(b3.out);
  assert.deepStrictEqual([f3.copied, f3.linked, f3.since], [0, f.files, snap2]);
  // A backup is never written into another one.
  const into = kgctl(src, 'backup', snap2);
  assert.strictEqual(into.status, 1);
  assert.match(into.err, /is a backup: give the directory of backups, or a new name/);
  assert.strictEqual(fs.readdirSync(snap2).filter((n) => n.startsWith('kg-')).length, 0);
});

test('run as root, a backup belongs to the owner of the data (the service user), not to root', () => {
  if (process.getuid() !== 0) return;   // only root can give files away
  fs.chownSync(src.dir, 65534, 65534);   // the data directory of a service running as nobody
  const four = path.join(src.dir, 'fourth');
  try {
    const b = kgctl(src, 'backup', four);
    assert.strictEqual(b.status, 0, b.err);
  } finally {
    fs.chownSync(src.dir, 0, 0);
  }
  const one = manifest(four).files[0];
  for (const p of [four, path.join(four, 'kg.db'), path.join(four, 'MANIFEST'), path.join(four, 'files'),
    path.join(four, one.rel)]) {
    const st = fs.statSync(p);
    assert.deepStrictEqual([st.uid, st.gid], [65534, 65534], p);
  }
});

test('verify-backup names a changed file, a broken audit chain and a changed database; restore refuses such a backup', async () => {
  const bad = path.join(src.dir, 'tampered');
  execFileSync('cp', ['-a', snap1, bad]);
  const victim = manifest(bad).files[1];
  const file = path.join(bad, victim.rel);
  fs.chmodSync(file, 0o600);
  const data = fs.readFileSync(file);
  data[data.length - 2] ^= 1;
  fs.unlinkSync(file);   // a copy: the first backup's file (same inode) stays whole
  fs.writeFileSync(file, data, { mode: 0o600 });
  const v = kgctl(src, 'verify-backup', bad);
  assert.strictEqual(v.status, 1);
  assert.match(v.out, /: 1 problem\(s\)$/m);
  assert.match(v.err, new RegExp(`${victim.rel}: its SHA-256 is not the manifest's`));
  assert.strictEqual(kgctl(src, 'verify-backup', snap1).status, 0, 'the original is untouched');

  // An edited audit row, with the manifest made to match the edited database:
  // only the hash chain tells.
  const db = path.join(bad, 'kg.db');
  execFileSync('sqlite3', [db, "DROP TRIGGER audit_no_update; UPDATE audit SET details = 'edited' WHERE id = 2"]);
  const text = fs.readFileSync(path.join(bad, 'MANIFEST'), 'utf8').replace(/^db \S+ \d+ kg\.db$/m,
    `db ${sha256(fs.readFileSync(db))} ${fs.statSync(db).size} kg.db`);
  fs.writeFileSync(path.join(bad, 'MANIFEST'), text);
  const v2 = kgctl(src, 'verify-backup', bad);
  assert.strictEqual(v2.status, 1);
  assert.match(v2.err, /kg\.db: audit log broken at row 2/);
  fs.writeFileSync(path.join(bad, 'MANIFEST'), text.replace(/^schema \d+$/m, 'schema 1'));
  assert.match(kgctl(src, 'verify-backup', bad).err, /kg\.db: schema \d+, the manifest says 1/);

  serve(dst, 'stop');
  const target = path.join(dst.dir, 'kg.db');
  const docs = count(target, 'document');
  const r = kgctl(dst, 'restore', bad);
  assert.strictEqual(r.status, 1);
  assert.match(r.err, /does not verify: nothing restored/);
  assert.strictEqual(count(target, 'document'), docs);
  serve(dst, 'start');
});

run();
