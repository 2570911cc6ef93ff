// valgrind.js — one long-lived program under valgrind, behind the real
// nginx, over a few hundred requests of every kind it answers. It proves
// that nothing leaks per request: nothing is definitely or indirectly lost,
// and the memory still in use at exit is the same after N and after 6N
// requests. Each run ends by the program's own clean exit after exactly
// the given number of requests (KG_MAX_REQUESTS).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { test, before, after, run } = require('./lib/harness');
const { Server, BUILD } = require('./lib/server');

let srv;
before(async () => {
  srv = await Server.start({ workers: 1 });
  // Take the district pool down: valgrind's process will own its socket.
  const pidFile = path.join(srv.dir, 'run', 'district.pid');
  process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
  fs.rmSync(pidFile);
  await new Promise((r) => setTimeout(r, 300));
});
after(async () => { if (srv) await srv.stop(); });

// One request of each kind the district program answers; the cycle is
// repeated until n requests were made. Returns the statuses seen.
async function traffic(n) {
  const seen = new Set();
  let done = 0;
  while (done < n) {
    const c = srv.client();
    const steps = [
      () => c.get('/'),
      () => c.get('/district'),                                   // creates a session
      () => c.post('/district', { code: 1110, next: '/' }),       // valid form
      () => c.post('/district', { code: 99 }),                    // invalid form
      () => c.post('/district', { code: 1110 }, { csrf: false }), // refused
      () => c.get('/district/help'),
      () => c.get('/no/such/page'),
      () => c.get('/?lang=kk'),
      () => c.get('/', { method: 'HEAD' }),
      () => c.upload('/district', { code: '1110' }),              // 415
    ];
    for (const step of steps) {
      if (done >= n) break;
      const r = await step();
      seen.add(r.status);
      done++;
    }
  }
  return seen;
}

async function underValgrind(n) {
  const logFile = path.join(srv.dir, `valgrind-${n}.log`);
  const sock = path.join(srv.dir, 'run', 'district.sock');
  fs.rmSync(sock, { force: true });
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf'), KG_MAX_REQUESTS: String(n) };
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0666', '--', '/usr/bin/valgrind', '--leak-check=full',
    '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=42',
    `--log-file=${logFile}`, path.join(BUILD, 'cgi-bin', 'district')], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(sock), 'the program under valgrind did not open its socket');
  await new Promise((r) => setTimeout(r, 1500));   // valgrind's start-up
  const statuses = await traffic(n);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60000))]);
  if (code === 'timeout') child.kill('SIGKILL');
  const log = fs.readFileSync(logFile, 'utf8');
  const num = (re) => { const m = log.match(re); return m ? Number(m[1].replace(/,/g, '')) : null; };
  return {
    code,
    statuses,
    log,
    errors: num(/ERROR SUMMARY: ([\d,]+) errors/),
    definitely: num(/definitely lost: ([\d,]+) bytes/) || 0,
    indirectly: num(/indirectly lost: ([\d,]+) bytes/) || 0,
    inUse: num(/in use at exit: ([\d,]+) bytes/),
  };
}

let small;
test('60 requests: no memory errors, nothing lost', async () => {
  small = await underValgrind(60);
  assert.strictEqual(small.code, 0, `exit status ${small.code}\n${small.log.slice(-3000)}`);
  assert.strictEqual(small.errors, 0, small.log.slice(-3000));
  assert.strictEqual(small.definitely, 0);
  assert.strictEqual(small.indirectly, 0);
  for (const s of [200, 303, 403, 404, 415, 422]) assert.ok(small.statuses.has(s), `status ${s} was exercised`);
});

test('360 requests: nothing lost and the memory in use at exit does not grow with requests', async () => {
  const big = await underValgrind(360);
  assert.strictEqual(big.code, 0, `exit status ${big.code}\n${big.log.slice(-3000)}`);
  assert.strictEqual(big.errors, 0, big.log.slice(-3000));
  assert.strictEqual(big.definitely, 0);
  assert.strictEqual(big.indirectly, 0);
  assert.ok(small, 'the 60-request run happened');
  assert.strictEqual(big.inUse, small.inUse, `in use at exit: ${small.inUse} after 60, ${big.inUse} after 360`);
});

run();
