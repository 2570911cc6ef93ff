// Supervision: a program's pool recovers by itself from a crash loop (every
// worker killed again and again), as `make run`, the tests and the systemd
// units start it (spawn-fcgi + multiwatch, conf/serve.sh, conf/gen-web.sh).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');

let srv;
before(async () => { srv = await Server.start({ workers: 2 }); });
after(async () => { if (srv) await srv.stop(); });

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function workers(name) {
  const pid = fs.readFileSync(path.join(srv.dir, 'run', `${name}.pid`), 'utf8').trim();
  try {
    return execFileSync('pgrep', ['-P', pid], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch (_) {
    return [];   // pgrep: no child
  }
}

test('every worker of a program killed five times, a second apart: the program serves again within seconds', async () => {
  assert.strictEqual((await srv.client().get('/stats')).status, 200);
  for (let round = 0; round < 5; round++) {
    for (const w of workers('stats')) {
      try { process.kill(w, 'SIGKILL'); } catch (_) { /* gone already */ }
    }
    await sleep(1000);
  }
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    status = (await srv.client().get('/stats')).status;
    if (status !== 200) await sleep(100);
  }
  assert.strictEqual(status, 200, 'the stats program answers again');
  assert.strictEqual(workers('stats').length, 2, 'its pool is whole again');
});

test('the systemd unit tells multiwatch to restart a worker however often it dies', async () => {
  const out = fs.mkdtempSync(path.join(srv.dir, 'deploy-'));
  execFileSync(path.join(srv.env.KG_TOP, 'conf', 'gen-web.sh'), ['deploy', '/usr/local', out], { env: srv.env });
  const unit = fs.readFileSync(path.join(out, 'systemd', 'kg@.service'), 'utf8');
  const exec = unit.split('\n').find((l) => l.startsWith('ExecStart='));
  assert.match(exec, /multiwatch -f \$\{KG_WORKERS\} -r \d{9,}/);
});

run();
