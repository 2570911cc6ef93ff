// The places program under valgrind, behind the real nginx, over every kind
// of request it answers (the base with filters and sorting, anonymous and
// staff; the add form, its confirmation, a save, bad input; the choice,
// its confirmation, a referral with its PDF, a refused choice; the
// referral page and PDF): no memory error, nothing definitely or
// indirectly lost, and the memory in use at exit the same after N and 3N
// requests. Each run ends by the program's own clean exit (KG_MAX_REQUESTS).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const fx = require('../lib/fixtures');

let srv;
let year;
let ddo;
before(async () => {
  srv = await Server.start({ workers: 1 });
  const pidFile = path.join(srv.dir, 'run', 'places.pid');
  process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGTERM');
  fs.rmSync(pidFile);
  await new Promise((r) => setTimeout(r, 300));
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 1;
  [ddo] = fx.ddosOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

// One cycle of requests; returns the statuses seen.
async function cycle(n) {
  const seen = new Set();
  let done = 0;
  while (done < n) {
    const place = fx.freePlace(srv, { ddo, groupYear: year, language: 'en', total: 1 });
    const app = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'en' });
    const loser = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'en' });
    const a = srv.client();
    a.cookies.set('district', '1110');
    const s = srv.client();
    srv.login(s, 'staff1');
    const p = srv.client();
    srv.login(p, 'parent1');
    let token = '';
    let refPath = '/places/referral/999999';
    const steps = [
      () => a.get('/places'),
      () => a.get('/places?f_name=%D1%81%D0%B0%D0%B4&f_lang=ru&sort=name&dir=asc&page=1'),
      () => a.get('/places?f_year=abc&f_date=2026-02-30&sort=free&dir=desc'),
      () => s.get('/places'),
      () => s.get('/places/add'),
      () => s.post('/places/add', { ddo, language: 'xx', year: 1990, count: 'abc', step: 'review' }),
      async () => {
        const r = await s.post('/places/add', { ddo, language: 'ru', year, count: 2, step: 'review' });
        token = (r.text.match(/name="token" value="([^"]+)"/) || [])[1] || '';
        return r;
      },
      () => s.post('/places/add', { ddo, language: 'ru', year, count: 2, step: 'save', token }),
      () => s.post('/places/add', { ddo, language: 'ru', year, count: 2, step: 'save', token }),
      () => p.get('/places/choose'),
      () => p.get(`/places/choose?application=${app.id}`),
      () => p.get(`/places/choose/confirm?application=${app.id}&place=${place}`),
      async () => {
        const r = await p.post('/places/choose', { application: app.id, place });
        if (r.location) refPath = r.location;
        return r;
      },
      () => p.post('/places/choose', { application: loser.id, place }),
      () => p.get(refPath),
      () => p.get(`${refPath}/pdf`),
      () => p.get('/places/choose?application=999999'),
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
  const logFile = path.join(srv.dir, `valgrind-places-${n}.log`);
  const sock = path.join(srv.dir, 'run', 'places.sock');
  fs.rmSync(sock, { force: true });
  const env = { ...srv.env, KG_CONF: path.join(srv.dir, 'app.hdf'), KG_MAX_REQUESTS: String(n) };
  const child = spawn('spawn-fcgi', ['-n', '-s', sock, '-M', '0666', '--', '/usr/bin/valgrind', '--leak-check=full',
    '--show-leak-kinds=definite,indirect', '--errors-for-leak-kinds=definite,indirect', '--error-exitcode=42',
    `--log-file=${logFile}`, path.join(BUILD, 'cgi-bin', 'places')], { env, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(sock), 'the program under valgrind did not open its socket');
  await new Promise((r) => setTimeout(r, 1500));
  const statuses = await cycle(n);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 120000))]);
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
test('51 requests of every kind: no memory errors, nothing lost', async () => {
  small = await underValgrind(51);
  assert.strictEqual(small.code, 0, `exit status ${small.code}\n${small.log.slice(-3000)}`);
  assert.strictEqual(small.errors, 0, small.log.slice(-3000));
  assert.strictEqual(small.definitely, 0);
  assert.strictEqual(small.indirectly, 0);
  for (const s of [200, 303, 404, 409, 422]) assert.ok(small.statuses.has(s), `status ${s} was exercised`);
});

test('153 requests: nothing lost and the memory in use at exit does not grow with requests', async () => {
  const big = await underValgrind(153);
  assert.strictEqual(big.code, 0, `exit status ${big.code}\n${big.log.slice(-3000)}`);
  assert.strictEqual(big.errors, 0, big.log.slice(-3000));
  assert.strictEqual(big.definitely, 0);
  assert.strictEqual(big.indirectly, 0);
  assert.ok(small, 'the first run happened');
  assert.strictEqual(big.inUse, small.inUse, `in use at exit: ${small.inUse} after 51, ${big.inUse} after 153`);
});

run();
