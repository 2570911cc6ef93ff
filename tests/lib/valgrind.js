// valgrind.js — one program of a test instance under valgrind, behind the
// instance's real nginx, over a given number of requests of every kind it
// answers. It proves that nothing leaks per request: no memory error,
// nothing definitely or indirectly lost, and the memory still in use at
// exit the same after N and after k·N requests. Each run ends with the
// program's own clean exit after exactly N requests (KG_MAX_REQUESTS), so
// the steps must count exactly the requests that reach that program.
//
//   const vg = require('../lib/valgrind');
//   // One round: fresh clients and data, then one step per kind of request.
//   // A step returns the response of a request to the program, or null
//   // when it only prepared something elsewhere (another program, the
//   // database): null steps are not counted.
//   function round() { const c = srv.client(); return [() => c.get('/x'), () => c.post('/x', {})]; }
//   vg.leakTests(() => srv, 'x', round, { n: 40, times: 6, statuses: [200, 303, 422] });
//
// leakTests registers two tests (N requests with every status expected;
// times·N requests, the same memory in use at exit). The program's pool is
// taken down first and not started again: order the tests so that a
// program whose rounds need another one's pool runs before it.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { test } = require('./harness');
const { BUILD } = require('./server');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Stops the pool of prog so that valgrind's process can own its socket.
async function takeDown(srv, prog) {
  const pidFile = path.join(srv.dir, 'run', `${prog}.pid`);
  if (!fs.existsSync(pidFile)) return;
  process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
  fs.rmSync(pidFile);
  await sleep(300);
}

// Runs prog under valgrind for exactly n counted requests made by the
// rounds. Returns { code, seen (statuses), log, errors, definitely,
// indirectly, lost, inUse }.
async function underValgrind(srv, prog, n, round, { timeoutMs = 120000 } = {}) {
  await takeDown(srv, prog);
  const logFile = path.join(srv.dir, `valgrind-${prog}-${n}.log`);
  const sock = path.join(srv.dir, 'run', `${prog}.sock`);
  fs.rmSync(sock, { force: true });
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf'), KG_MAX_REQUESTS: String(n) };
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0666', '--', '/usr/bin/valgrind', '--leak-check=full',
    '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=42',
    `--log-file=${logFile}`, path.join(BUILD, 'cgi-bin', prog)], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await sleep(50);
  assert.ok(fs.existsSync(sock), `${prog} under valgrind did not open its socket`);
  // No need to wait for valgrind's start-up: the socket is listening, the
  // first request waits in its backlog until the program accepts it.
  const seen = new Set();
  let done = 0;
  while (done < n) {
    for (const step of round()) {
      if (done >= n) break;
      const r = await step();
      if (r) { seen.add(r.status); done++; }
    }
  }
  const code = await Promise.race([exited, sleep(timeoutMs).then(() => 'timeout')]);
  if (code === 'timeout') child.kill('SIGKILL');
  const log = fs.readFileSync(logFile, 'utf8');
  const num = (re) => { const m = log.match(re); return m ? Number(m[1].replace(/,/g, '')) : null; };
  const definitely = num(/definitely lost: ([\d,]+) bytes/) || 0;
  const indirectly = num(/indirectly lost: ([\d,]+) bytes/) || 0;
  return {
    code, seen, log, definitely, indirectly,
    lost: definitely + indirectly,
    errors: num(/ERROR SUMMARY: ([\d,]+) errors/),
    inUse: num(/in use at exit: ([\d,]+) bytes/),
  };
}

// A run ended by itself with no memory error and nothing lost, and saw
// every status of `statuses`. label names the program in the messages.
function assertClean(r, statuses = [], label = '') {
  const tail = `${label}\n${r.log.slice(-3000)}`;
  assert.strictEqual(r.code, 0, `exit status ${r.code} ${tail}`);
  assert.strictEqual(r.errors, 0, tail);
  assert.strictEqual(r.definitely, 0, tail);
  assert.strictEqual(r.indirectly, 0, tail);
  for (const s of statuses) assert.ok(r.seen.has(s), `${label} status ${s} was exercised (seen ${[...r.seen].join(', ')})`);
}

// The same memory in use at exit after the short and the long run.
function assertFlat(small, big, label = '') {
  assert.ok(small, `${label}: the short run happened`);
  assert.strictEqual(big.inUse, small.inUse, `${label} in use at exit: ${small.inUse} after the short run, ${big.inUse} after the long one`);
}

// The two tests of a program (see the top of this file). getSrv returns
// the instance (it starts in the file's before()).
function leakTests(getSrv, prog, round, { n, times = 6, statuses = [], timeoutMs } = {}) {
  let small;
  test(`${prog} under valgrind: ${n} requests of every kind, no memory errors, nothing lost`, async () => {
    small = await underValgrind(getSrv(), prog, n, round, { timeoutMs });
    assertClean(small, statuses);
  });
  test(`${prog} under valgrind: ${n * times} requests, nothing lost, the memory in use at exit does not grow`, async () => {
    const big = await underValgrind(getSrv(), prog, n * times, round, { timeoutMs });
    assertClean(big);
    assertFlat(small, big, prog);
  });
}

// The same for several programs whose rounds do not need each other's
// pools, run at the same time (valgrind uses one core per program): two
// tests, all the short runs, then all the long ones. programs: [{ prog,
// round, n, times (6), statuses }].
function leakTestsTogether(getSrv, programs, { timeoutMs } = {}) {
  const names = programs.map((p) => p.prog).join(', ');
  const small = {};
  const all = (long) => Promise.all(programs.map((p) =>
    underValgrind(getSrv(), p.prog, long ? p.n * (p.times || 6) : p.n, p.round, { timeoutMs })));
  test(`${names} under valgrind at once: N requests of every kind each, no memory errors, nothing lost`, async () => {
    const runs = await all(false);
    programs.forEach((p, i) => { small[p.prog] = runs[i]; });
    programs.forEach((p, i) => assertClean(runs[i], p.statuses, p.prog));
  });
  test(`${names} under valgrind at once: 6N requests each, nothing lost, the memory in use at exit does not grow`, async () => {
    const runs = await all(true);
    programs.forEach((p, i) => {
      assertClean(runs[i], [], p.prog);
      assertFlat(small[p.prog], runs[i], p.prog);
    });
  });
}

module.exports = { underValgrind, assertClean, assertFlat, leakTests, leakTestsTogether, takeDown };
