// valgrind.js — the district program under valgrind, behind the real
// nginx, over a few hundred requests of every kind it answers: nothing is
// lost and the memory in use at exit is the same after N and after 6N
// requests (tests/lib/valgrind.js says how). The other programs have their
// own leak tests in tests/http (*valgrind*, *leaks*).
'use strict';

const { before, after, run } = require('./lib/harness');
const { Server } = require('./lib/server');
const vg = require('./lib/valgrind');

let srv;
before(async () => { srv = await Server.start({ workers: 1 }); });
after(async () => { if (srv) await srv.stop(); });

// One request of each kind the district program answers.
function round() {
  const c = srv.client({ headers: { 'Cache-Control': 'no-cache' } });   // past nginx's copy, to the program
  return [
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
}

vg.leakTests(() => srv, 'district', round, { n: 60, times: 6, statuses: [200, 303, 403, 404, 415, 422] });

run();
