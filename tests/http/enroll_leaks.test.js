// The enroll and journal programs under valgrind, each as one long-lived
// worker behind the real nginx, over every kind of request they answer
// (uploads through libmagic, contracts through libharu and libqrencode,
// signatures, the journal's tabs, downloads, the check page): nothing is
// lost, and the memory still in use at exit is the same after N and after
// 4N requests. (tests/valgrind.js does the same for the district program.)
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
before(async () => { srv = await Server.start({ workers: 1 }); });
after(async () => { if (srv) await srv.stop(); });

// The requests of one round for a program; each returns a response.
function round(prog) {
  const app = fx.application(srv, { parent: 'parent1' });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1') });
  const ref = fx.referral(srv, { application: app.id, place });
  const c = srv.client();
  srv.login(c, 'parent1', 'eds');
  const up = (kind, name, data) => c.upload(`/enroll/${ref.id}/upload`, { kind }, { file: { name, data } });
  if (prog === 'enroll') {
    return [
      () => c.get('/enroll'),
      () => c.post('/enroll/ok', {}),
      () => c.post('/enroll/ok', { read: 1 }),
      () => c.get(`/enroll?open=${ref.id}`),
      () => up('form065', 'a.pdf', files.pdf('a')),
      () => up('form027', 'a.pdf', Buffer.from('plain text, not a document')),
      () => up('form027', 'b.png', files.png()),
      () => up('form052_2', 'c.jpg', files.jpeg()),
      () => c.get(`/enroll?open=${ref.id}`),
      () => c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce: 'x', cms: 'bm90IGEgY21z' }),
      () => c.post(`/enroll/${ref.id}/sign`, {}),
      () => c.post(`/enroll/${ref.id}/code`, {}),
      () => c.post('/enroll/999999/sign', {}),
    ];
  }
  // The journal's round: the contract is made by the enroll pool first.
  let code = '';
  return [
    async () => { await c.get('/enroll'); await c.post('/enroll/ok', { read: 1 }); return null; },
    () => c.get('/journal'),
    () => c.get(`/journal?open=${app.id}&tab=history`),
    () => c.get(`/journal/${app.id}?tab=docs`),
    () => c.get(`/journal/${app.id}`),
    () => c.get('/journal?iin=12&status=x&sort=child'),
    () => c.get('/journal/doc/99999'),
    async () => {
      const d = srv.sql(`SELECT id, check_code FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0];
      code = d.check_code;
      return c.get(`/journal/doc/${d.id}`);
    },
    () => c.get(`/check/${code}`),
    () => c.upload(`/check/${code}`, {}, { file: { name: 'x.pdf', data: files.pdf('x') } }),
    () => c.get('/check/AAAAAAAAAAAAAAAAAAAAAA'),
  ];
}

async function underValgrind(prog, n) {
  const pidFile = path.join(srv.dir, 'run', `${prog}.pid`);
  if (fs.existsSync(pidFile)) {   // the pool gives its socket to valgrind's process
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
    fs.rmSync(pidFile);
    await new Promise((r) => setTimeout(r, 300));
  }
  const logFile = path.join(srv.dir, `valgrind-${prog}-${n}.log`);
  const sock = path.join(srv.dir, 'run', `${prog}.sock`);
  fs.rmSync(sock, { force: true });
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf'), KG_MAX_REQUESTS: String(n) };
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0666', '--', '/usr/bin/valgrind', '--leak-check=full',
    '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=42',
    `--log-file=${logFile}`, path.join(BUILD, 'cgi-bin', prog)], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(sock), 'the program under valgrind did not open its socket');
  await new Promise((r) => setTimeout(r, 1500));
  const seen = new Set();
  let done = 0;
  while (done < n) {
    for (const step of round(prog)) {
      if (done >= n) break;
      const r = await step();
      if (r) { seen.add(r.status); done++; }
    }
  }
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 120000))]);
  if (code === 'timeout') child.kill('SIGKILL');
  const log = fs.readFileSync(logFile, 'utf8');
  const num = (re) => { const m = log.match(re); return m ? Number(m[1].replace(/,/g, '')) : null; };
  return {
    code, seen, log,
    errors: num(/ERROR SUMMARY: ([\d,]+) errors/),
    lost: (num(/definitely lost: ([\d,]+) bytes/) || 0) + (num(/indirectly lost: ([\d,]+) bytes/) || 0),
    inUse: num(/in use at exit: ([\d,]+) bytes/),
  };
}

// The journal first: its rounds need the enroll pool (to make contracts).
for (const [prog, statuses] of [['journal', [200, 404, 422]], ['enroll', [200, 303, 404, 422]]]) {
  test(`${prog}: no memory errors, nothing lost, and no growth between 40 and 160 requests`, async () => {
    const small = await underValgrind(prog, 40);
    assert.strictEqual(small.code, 0, `exit status ${small.code}\n${small.log.slice(-3000)}`);
    assert.strictEqual(small.errors, 0, small.log.slice(-3000));
    assert.strictEqual(small.lost, 0);
    for (const s of statuses) assert.ok(small.seen.has(s), `status ${s} was exercised`);
    const big = await underValgrind(prog, 160);
    assert.strictEqual(big.code, 0, `exit status ${big.code}\n${big.log.slice(-3000)}`);
    assert.strictEqual(big.errors, 0, big.log.slice(-3000));
    assert.strictEqual(big.lost, 0);
    assert.strictEqual(big.inUse, small.inUse, `in use at exit: ${small.inUse} after 40, ${big.inUse} after 160`);
  });
}

run();
