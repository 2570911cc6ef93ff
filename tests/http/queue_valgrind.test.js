// The queue and statistics programs under valgrind, behind the real nginx,
// over every kind of request they answer (registration with a document,
// refused forms, withdrawal, searches found, unknown and malformed, the
// statistics of several scopes, CSV): no memory errors, nothing lost, and
// the memory in use at exit is the same after N and after 6N requests.
// Each run ends by the program's own clean exit (KG_MAX_REQUESTS).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const fx = require('../lib/fixtures');

let srv;
before(async () => { srv = await Server.start({ workers: 1, searchRate: '1000r/s', scenarios: true }); });
after(async () => { if (srv) await srv.stop(); });

// Takes a program's pool down so that valgrind's process owns its socket.
async function takeDown(prog) {
  const pidFile = path.join(srv.dir, 'run', `${prog}.pid`);
  if (fs.existsSync(pidFile)) {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
    fs.rmSync(pidFile);
    await new Promise((r) => setTimeout(r, 300));
  }
}

let serial = 7000;
function queueSteps() {
  const c = srv.client();
  srv.login(c, 'parent3');
  const anon = srv.client();
  const iin = () => fx.iin('2022-09-1' + (serial % 9), serial % 2 ? 'M' : 'F', serial++);
  const form = (o = {}) => ({ child_iin: iin(), child_surname: 'Смагулова', child_name: 'Айя', phone: '+77015550009',
    district: '1166', language: 'kk', benefit: 'none', action: 'save', ...o });
  let last = null;
  return [
    () => c.get('/queue'),
    async () => {
      const r = await c.upload('/queue', form({ benefit: 'orphan' }), { benefit_doc: { name: 'd.pdf', type: 'application/pdf', data: fx.pdf('v') } });
      last = r.location ? r.location.split('/').pop() : null;
      return r;
    },
    () => c.get(`/queue/app/${last}`),
    () => c.upload('/queue', form({ child_iin: '123' })),                   // 422
    () => c.upload('/queue', form({ benefit: 'orphan' }), { benefit_doc: { name: 'x.pdf', type: 'application/pdf', data: 'not a pdf' } }),
    () => c.upload('/queue', form(), {}, { csrf: false }),                   // 403
    () => c.post('/queue', { ...form(), action: 'check' }),
    () => c.get('/queue/my'),
    () => c.get(`/queue/withdraw/${last}`),
    () => c.post(`/queue/withdraw/${last}`, {}),
    () => anon.get('/queue/search'),
    () => anon.get(`/queue/search?q=${srv.sql("SELECT number FROM application WHERE status = 'queued' LIMIT 1")[0].number}`),
    () => anon.get('/queue/search?q=UO.2017.000001.1'),
    () => anon.get('/queue/search?q=%D0%B0%D0%B1%D0%B2'),
    () => anon.get('/queue/ddos?district=1110'),
    () => anon.get('/queue/nothing'),
  ];
}

function statsSteps() {
  const anon = srv.client();
  const kk = srv.client();
  kk.cookies.set('lang', 'kk');
  return [
    () => anon.get('/stats'),
    () => anon.get('/stats?d=1110'),
    () => anon.get('/stats?d=1166', { headers: { 'Accept-Encoding': 'gzip' } }),
    () => kk.get('/stats?d=1110'),
    () => anon.get('/stats/csv/queue_years?d=1110'),
    () => kk.get('/stats/csv/referrals?d=all'),
    () => anon.get('/stats/csv/places'),
    () => anon.get('/stats?d=99'),
    () => anon.get('/stats/csv/none'),
    () => anon.get('/stats?lang=kk'),
  ];
}

async function underValgrind(prog, steps, n) {
  await takeDown(prog);
  const logFile = path.join(srv.dir, `valgrind-${prog}-${n}.log`);
  const sock = path.join(srv.dir, 'run', `${prog}.sock`);
  fs.rmSync(sock, { force: true });
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf'), KG_MAX_REQUESTS: String(n) };
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0666', '--', '/usr/bin/valgrind', '--leak-check=full',
    '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=42',
    `--log-file=${logFile}`, path.join(BUILD, 'cgi-bin', prog)], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(sock), `${prog} under valgrind did not open its socket`);
  await new Promise((r) => setTimeout(r, 1500));
  const seen = new Set();
  let done = 0;
  while (done < n) {
    for (const step of steps()) {
      if (done >= n) break;
      const r = await step();
      seen.add(r.status);
      done++;
    }
  }
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 90000))]);
  if (code === 'timeout') child.kill('SIGKILL');
  const log = fs.readFileSync(logFile, 'utf8');
  const num = (re) => { const m = log.match(re); return m ? Number(m[1].replace(/,/g, '')) : null; };
  return {
    code, seen, log,
    errors: num(/ERROR SUMMARY: ([\d,]+) errors/),
    definitely: num(/definitely lost: ([\d,]+) bytes/) || 0,
    indirectly: num(/indirectly lost: ([\d,]+) bytes/) || 0,
    inUse: num(/in use at exit: ([\d,]+) bytes/),
  };
}

for (const [prog, steps, nsteps, statuses] of [['queue', queueSteps, 16, [200, 303, 403, 404, 422]], ['stats', statsSteps, 10, [200, 303, 404]]]) {
  let small;
  test(`${prog}: ${nsteps * 4} requests, no memory errors, nothing lost`, async () => {
    small = await underValgrind(prog, steps, nsteps * 4);
    assert.strictEqual(small.code, 0, `exit status ${small.code}\n${small.log.slice(-3000)}`);
    assert.strictEqual(small.errors, 0, small.log.slice(-3000));
    assert.strictEqual(small.definitely, 0);
    assert.strictEqual(small.indirectly, 0);
    for (const s of statuses) assert.ok(small.seen.has(s), `status ${s} was exercised`);
  });
  test(`${prog}: ${nsteps * 24} requests, the memory in use at exit does not grow with requests`, async () => {
    const big = await underValgrind(prog, steps, nsteps * 24);
    assert.strictEqual(big.code, 0, `exit status ${big.code}\n${big.log.slice(-3000)}`);
    assert.strictEqual(big.errors, 0, big.log.slice(-3000));
    assert.strictEqual(big.definitely, 0);
    assert.strictEqual(big.indirectly, 0);
    assert.ok(small, 'the short run happened');
    assert.strictEqual(big.inUse, small.inUse, `in use at exit: ${small.inUse} after the short run, ${big.inUse} after the long one`);
  });
}

run();
