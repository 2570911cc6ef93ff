// The admission of pages into the page cache (lib/view.c, TinyLFU): on a
// fresh worker of its own, so that the counts of requests are only these.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');

let srv;

before(async () => { srv = await Server.start({ workers: 1 }); });
after(async () => { if (srv) await srv.stop(); });

const anon = (cookies = {}) => srv.client({ cookies });
const gz = { headers: { 'Accept-Encoding': 'gzip' } };

test('a full page cache keeps the page many ask for against a stream of pages each asked twice', async () => {
  const c = anon({ district: '1110' });
  const hot = '/places?f_total=900';
  for (let i = 0; i < 10; i++) await c.get(hot, gz);
  const kept = await c.get(hot, gz);
  assert.strictEqual(kept.headers['content-encoding'], 'gzip', 'answered from the cache');
  // Far more pages than the cache holds (128), each asked twice: with room
  // each is kept on its second request; once full, none of them is asked
  // for more often than the pages already kept, so they are neither
  // compressed nor kept, and the page many ask for stays.
  for (let i = 1000; i < 1300; i++) {
    await c.get(`/places?f_total=${i}`, gz);
    await c.get(`/places?f_total=${i}`, gz);
  }
  const again = await c.get(hot, gz);
  assert.strictEqual(again.headers['content-encoding'], 'gzip', 'the page many ask for is still kept');
  const late = await c.get('/places?f_total=1299', gz);
  assert.strictEqual(late.headers['content-encoding'], undefined, 'a page asked twice into a full cache is not kept');
  assert.match(late.text, /<table/);
  // Asked often enough, a new page gets in after all.
  for (let i = 0; i < 12; i++) await c.get('/places?f_total=1298', gz);
  assert.strictEqual((await c.get('/places?f_total=1298', gz)).headers['content-encoding'], 'gzip');
});

run();
