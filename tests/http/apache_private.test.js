// A clone whose parent folder others cannot read (mode 0700, as `mktemp -d`
// makes it and as Debian 12 makes home directories): Apache's workers
// (www-data) cannot reach its htdocs/, so the development server serves
// the static files from the instance's own folder (conf/gen-web.sh).
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server, TOP } = require('../lib/server');
const { Client } = require('../lib/client');

let srv;
let parent;
before(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-private-'));
  fs.chmodSync(parent, 0o700);
  const top = path.join(parent, 'kg');
  for (const d of ['conf', 'htdocs', 'templates', 'sql', path.join('tests', 'tools')]) {
    fs.cpSync(path.join(TOP, d), path.join(top, d), { recursive: true });
  }
  srv = await Server.start({ top });
});
after(async () => {
  try { if (srv) await srv.stop(); } finally { fs.rmSync(parent, { recursive: true, force: true }); }
});

test('Apache serves the static files and the pages of a clone in a folder only its owner can read', async () => {
  if (process.getuid() !== 0) return;   // Apache runs as www-data only when started by root
  const base = await srv.startApache();
  const c = new Client(base);
  const css = await c.get('/css/site.css');
  assert.strictEqual(css.status, 200);
  assert.strictEqual(css.text, fs.readFileSync(path.join(TOP, 'htdocs', 'css', 'site.css'), 'utf8'));
  assert.strictEqual((await c.get('/')).status, 200);
  assert.strictEqual((await srv.client().get('/css/site.css')).status, 200);
});

run();
