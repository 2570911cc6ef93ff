// errors.test.js — one way to fail: a database error during a request is
// an error page with status 500, never an empty list or a default value
// shown as if it were the data (lib/base/db.h, db_request_failed), and the
// error pages render in the layout without anything the handler made.
'use strict';

const assert = require('node:assert/strict');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');

let srv;

before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

test('a failing read answers 500 instead of an empty list', async () => {
  const c = srv.client();
  const ok = await c.get('/queue/ddos?district=1110');
  assert.equal(ok.status, 200);
  assert.ok(JSON.parse(ok.text).length > 0, 'the district has DDOs');
  // The table the list reads is gone: its statement can no longer run.
  srv.sql('ALTER TABLE ddo RENAME TO ddo_away');
  await new Promise((res) => setTimeout(res, 1200));   // past the page cache's second
  try {
    const bad = await srv.client().get('/queue/ddos?district=1110');
    assert.equal(bad.status, 500);
    assert.match(textOf(bad.text), /Произошла внутренняя ошибка/);
    assert.doesNotMatch(bad.text, /^\[\]$/);
    assert.equal(bad.headers['cache-control'], 'no-store');
  } finally {
    srv.sql('ALTER TABLE ddo_away RENAME TO ddo');
  }
  await new Promise((res) => setTimeout(res, 1200));   // past the page cache's second
  const again = await srv.client().get('/queue/ddos?district=1110');
  assert.equal(again.status, 200);
  assert.deepEqual(JSON.parse(again.text), JSON.parse(ok.text));
});

test('a handler\'s 404 with its own message renders the error page in the layout', async () => {
  const c = srv.client();
  srv.login(c, 'parent1');
  const r = await c.get('/places/referral/999999');
  assert.equal(r.status, 404);
  assert.match(r.text, /<main id="main"/);
  assert.equal(r.headers['cache-control'], 'no-store');
});

run();
