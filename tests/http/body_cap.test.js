// Anonymous bodies on /login/eds (issue 21, item 9): anyone may post a
// signature there, so a body above REQ_SIGNED_MAX (128 KiB) is refused from
// its Content-Length (413) by nginx, by Apache and by the program itself,
// before any of them reads the body (Apache: past its cap). Each check
// sends the headers of a 6 MiB POST and only a part of it, and must get its
// 413 at once: a server that meant to read the body would wait for the rest.
'use strict';

const assert = require('assert');
const net = require('net');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');

let srv;
before(async () => { srv = await Server.start({}); });
after(async () => { if (srv) await srv.stop(); });

const BIG = 6 * 1024 * 1024;

// Sends the head of a POST of `length` bytes and `sent` bytes of it, then
// waits (without sending more) up to ms for the status line.
function partialPost(port, pathName, length, sent, ms = 3000) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (v) => { clearTimeout(timer); sock.destroy(); resolve(v); };
    const timer = setTimeout(() => done(null), ms);
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const m = got.match(/^HTTP\/1\.[01] (\d{3})/);
      if (m) done(Number(m[1]));
    });
    sock.on('error', () => done(got ? Number((got.match(/^HTTP\/1\.[01] (\d{3})/) || [])[1]) : null));
    sock.on('connect', () => {
      sock.write(`POST ${pathName} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        'Content-Type: multipart/form-data; boundary=xyz\r\n' +
        `Content-Length: ${length}\r\nConnection: close\r\n\r\n`);
      sock.write(Buffer.alloc(sent, 0x41));
    });
  });
}

test('nginx refuses a 6 MiB POST to /login/eds at once (413), before reading it', async () => {
  const t0 = Date.now();
  assert.strictEqual(await partialPost(srv.port, '/login/eds', BIG, 1024), 413);
  assert.ok(Date.now() - t0 < 2000);
  // A signature-sized body still reaches the program (its own message is
  // tested in login.test.js): not 413.
  const c = srv.client();
  await c.get('/login?tab=eds');
  const r = await c.post('/login/eds', { cms: 'A'.repeat(90000) });
  assert.notStrictEqual(r.status, 413);
  // The upload routes keep their own, larger cap.
  assert.notStrictEqual(await partialPost(srv.port, '/enroll/1/upload', 5 * 1024 * 1024, 1024, 800), 413);
});

// One FastCGI record (version 1, request 1).
function record(type, content) {
  const head = Buffer.alloc(8);
  head[0] = 1; head[1] = type; head.writeUInt16BE(1, 2); head.writeUInt16BE(content.length, 4);
  return Buffer.concat([head, content]);
}
function params(obj) {
  const len = (n) => (n < 128 ? Buffer.from([n]) : (() => { const b = Buffer.alloc(4); b.writeUInt32BE(n | 0x80000000); return b; })());
  return Buffer.concat(Object.entries(obj).map(([k, v]) => Buffer.concat([len(Buffer.byteLength(k)), len(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)])));
}

test('the login program refuses a 6 MiB body from its Content-Length, without reading it', async () => {
  // Straight to the program's socket, past the web server: the parameters of
  // a 6 MiB POST and its first kilobyte; the program must answer 413 at once.
  const sock = net.connect(path.join(srv.dir, 'run', 'login.sock'));
  let out = Buffer.alloc(0);
  const status = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), 3000);
    sock.on('data', (d) => {
      out = Buffer.concat([out, d]);
      const m = out.toString('latin1').match(/Status: (\d{3})/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    sock.on('error', () => { clearTimeout(timer); resolve(null); });
    sock.on('connect', () => {
      sock.write(record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])));
      sock.write(record(4, params({
        REQUEST_METHOD: 'POST', REQUEST_URI: '/login/eds', SCRIPT_NAME: '/login/eds', QUERY_STRING: '',
        REMOTE_ADDR: '127.0.0.9', CONTENT_TYPE: 'multipart/form-data; boundary=xyz', CONTENT_LENGTH: String(BIG),
      })));
      sock.write(record(4, Buffer.alloc(0)));
      sock.write(record(5, Buffer.alloc(1024, 0x41)));
    });
  });
  sock.destroy();
  assert.strictEqual(status, 413, `the program answered: ${out.toString('latin1').slice(0, 200)}`);
});

test('Apache refuses a 6 MiB POST to /login/eds once it has read its cap (413)', async () => {
  // Apache reads up to LimitRequestBody before it refuses (its proxy reads
  // ahead), so it is sent 256 KiB of the 6 MiB: with the server-wide 7 MiB
  // limit it would wait for the rest.
  await srv.startApache();
  assert.strictEqual(await partialPost(srv.apachePort, '/login/eds', BIG, 256 * 1024), 413);
});

run();
