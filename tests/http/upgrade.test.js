// Upgrades without downtime: under a constant load on every program, the
// program files are replaced as a package upgrade does (a new file renamed
// over the old one) and conf/roll.sh replaces each pool's workers one at a
// time (web/req.c: a signalled worker finishes its request, then exits).
// Not one request may fail, and afterwards every worker runs the new file.
//
// The instance runs its programs from a private copy of the build's
// cgi-bin, so that the test can replace them. ROLL_SIGNAL=KILL (passed on to
// roll.sh) shows what a roll without the graceful exit does: failed requests.
//
// Runs alone (tests/run.sh): it loads the machine and counts what fails.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { execFile, execFileSync, spawn } = require('child_process');

const realBuild = process.env.KG_BUILD || path.resolve(__dirname, '..', '..', 'build');
const build = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-upgrade-build-'));
fs.chmodSync(build, 0o755);
for (const f of fs.readdirSync(realBuild)) {
  if (f !== 'cgi-bin') fs.symlinkSync(path.join(realBuild, f), path.join(build, f));
}
fs.mkdirSync(path.join(build, 'cgi-bin'));
const programs = fs.readdirSync(path.join(realBuild, 'cgi-bin')).filter((p) => p !== 'hello');
for (const p of programs) fs.copyFileSync(path.join(realBuild, 'cgi-bin', p), path.join(build, 'cgi-bin', p));
process.env.KG_BUILD = build;   // read by server.js when it is required

const { test, before, after, run } = require('../lib/harness');
const { Server, TOP } = require('../lib/server');

let srv;
before(async () => { srv = await Server.start({ workers: 2 }); });
after(async () => {
  if (srv) await srv.stop();
  fs.rmSync(build, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// The load: a page of every program but health (its 503 in a test
// instance, where no tick has run, would count as a failure). Some answer
// an anonymous visitor with a redirect or a refusal; only a 5xx or a
// socket error is a failure.
const LOAD = ['/', '/district', '/login', '/queue', '/stats', '/places', '/enroll', '/journal', '/check',
  '/cabinet', '/departure', '/review', '/admin', '/metrics'];

function get(p) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: srv.port, path: p, agent: false, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message }));
  });
}

function pool(name) { // multiwatch's pid and its workers
  const mw = Number(fs.readFileSync(path.join(srv.dir, 'run', `${name}.pid`), 'utf8').trim());
  const kids = fs.readFileSync(`/proc/${mw}/task/${mw}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return { mw, workers: kids };
}

function exeInode(pid) { return fs.statSync(`/proc/${pid}/exe`).ino; }

test('a roll of every program under load, after the files were replaced: no failed request, new workers', async () => {
  for (const p of LOAD) {
    const r = await get(p);
    assert.ok(r.status && r.status < 500, `${p} answers before the roll: ${JSON.stringify(r)}`);
  }
  const before = {};
  for (const p of programs) {
    before[p] = pool(p).workers;
    assert.strictEqual(before[p].length, 2, `${p} has its two workers`);
  }

  // The load: wrk, 16 connections asking the pages in turn, past nginx's
  // page cache (Cache-Control: no-cache), so that the workers are busy.
  const script = path.join(srv.dir, 'upgrade.lua');
  fs.writeFileSync(script, `
local pages = { ${LOAD.map((p) => `"${p}"`).join(', ')} }
local i, threads = 0, {}
failed = 0   -- a global: the main state reads it with thread:get
function setup(thread) table.insert(threads, thread) end
function init(args) i = math.random(#pages) end
function request()
  i = i % #pages + 1
  return wrk.format("GET", pages[i], { ["Cache-Control"] = "no-cache" })
end
function response(status) if status >= 500 then failed = failed + 1 end end
function done(summary)
  local f = 0
  for _, t in ipairs(threads) do f = f + t:get("failed") end
  local e = summary.errors
  io.write(string.format("RESULT requests=%d failed=%d connect=%d read=%d write=%d timeout=%d\\n",
    summary.requests, f, e.connect, e.read, e.write, e.timeout))
end
`);
  const wrk = spawn('wrk', ['-t2', '-c16', '-d60s', '--timeout', '10s', '-s', script, srv.base],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let wrkOut = '';
  wrk.stdout.on('data', (d) => { wrkOut += d; });
  wrk.stderr.on('data', (d) => { wrkOut += d; });
  const wrkDone = new Promise((res) => wrk.on('close', res));
  await sleep(1000);

  // The upgrade: each file replaced by a copy renamed over it, as dpkg does
  // (running workers keep the old file's inode).
  const inode = {};
  for (const p of programs) {
    const f = path.join(build, 'cgi-bin', p);
    fs.copyFileSync(path.join(realBuild, 'cgi-bin', p), `${f}.new`);
    fs.chmodSync(`${f}.new`, 0o755);
    fs.renameSync(`${f}.new`, f);
    inode[p] = fs.statSync(f).ino;
  }
  const pidFiles = programs.map((p) => path.join(srv.dir, 'run', `${p}.pid`));
  const rolled = await new Promise((resolve) => {
    execFile(path.join(TOP, 'conf', 'roll.sh'), pidFiles, { env: srv.env }, (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, stderr }));
  });
  await sleep(500);
  wrk.kill('SIGINT');   // wrk stops and reports
  await wrkDone;
  const m = /RESULT requests=(\d+) failed=(\d+) connect=(\d+) read=(\d+) write=(\d+) timeout=(\d+)/.exec(wrkOut);
  assert.ok(m, `wrk reported: ${wrkOut}`);
  const [requests, failed, ...socketErrors] = m.slice(1).map(Number);
  const errors = socketErrors.reduce((a, b) => a + b, 0);

  assert.strictEqual(rolled.code, 0, `roll.sh succeeded: ${rolled.stderr}`);
  assert.ok(requests > 200, `wrk's requests (${requests})`);
  assert.strictEqual(failed + errors, 0, `of ${requests} requests, ${failed} failed (5xx) and ${errors} met a socket error`);
  for (const p of programs) {
    const now = pool(p).workers;
    assert.strictEqual(now.length, 2, `${p} has two workers again`);
    for (const w of now) {
      assert.ok(!before[p].includes(w), `${p}: worker ${w} is a new one`);
      assert.strictEqual(exeInode(w), inode[p], `${p}: worker ${w} runs the new file`);
    }
  }
});

test('an idle worker that is signalled exits at once, and its pool serves on', async () => {
  const { workers } = pool('stats');
  const t0 = Date.now();
  process.kill(workers[0], 'SIGTERM');
  while (fs.existsSync(`/proc/${workers[0]}`) && Date.now() - t0 < 5000) await sleep(10);
  assert.ok(Date.now() - t0 < 1000, `the idle worker exited within a second (${Date.now() - t0} ms)`);
  assert.strictEqual((await get('/stats')).status, 200);
});

test('a new program that cannot start stops the roll after one worker: the pool serves on', async () => {
  for (let i = 0; i < 100 && pool('stats').workers.length < 2; i++) await sleep(50);   // whole again
  await sleep(300);
  const f = path.join(build, 'cgi-bin', 'stats');
  const good = `${f}.good`;
  fs.copyFileSync(f, good);
  fs.writeFileSync(`${f}.new`, '#!/bin/sh\necho "stats: cannot start" >&2\nsleep 0.2\nexit 1\n', { mode: 0o755 });
  fs.renameSync(`${f}.new`, f);
  const { workers } = pool('stats');
  const rolled = await new Promise((resolve) => {
    execFile(path.join(TOP, 'conf', 'roll.sh'), [path.join(srv.dir, 'run', 'stats.pid')],
      { env: { ...srv.env, ROLL_TIMEOUT: '3' } }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stderr }));
  });
  try {
    assert.strictEqual(rolled.code, 1, 'roll.sh failed');
    assert.match(rolled.stderr, /no ready replacement .* roll stopped/);
    const alive = workers.filter((w) => fs.existsSync(`/proc/${w}`));
    assert.strictEqual(alive.length, 1, 'one old worker was left alone');
    for (let i = 0; i < 5; i++) {
      const r = await srv.client().get(`/stats?n=${i}`, { headers: { 'Cache-Control': 'no-cache' } });
      assert.strictEqual(r.status, 200, 'the old worker serves');
    }
  } finally {
    fs.renameSync(good, f);
  }
});

test('the systemd unit rolls its pool on reload, and kg.target reloads every pool', () => {
  const out = fs.mkdtempSync(path.join(srv.dir, 'deploy-'));
  execFileSync(path.join(TOP, 'conf', 'gen-web.sh'), ['deploy', '/opt/kg', out], { env: srv.env });
  const unit = fs.readFileSync(path.join(out, 'systemd', 'kg@.service'), 'utf8');
  assert.match(unit, /^ExecReload=\/opt\/kg\/share\/kg\/conf\/roll\.sh \$MAINPID$/m);
  assert.match(unit, /^ReloadPropagatedFrom=kg\.target$/m);
});

run();
