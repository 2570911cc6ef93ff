// The enroll and journal programs under valgrind, each as one long-lived
// worker behind the real nginx, over every kind of request they answer
// (uploads through libmagic, contracts through libharu and libqrencode,
// signatures, the journal's tabs, downloads, the check page): nothing is
// lost, and the memory still in use at exit is the same after N and after
// 4N requests (tests/lib/valgrind.js).
'use strict';

const { before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const files = require('../lib/files');
const vg = require('../lib/valgrind');

let srv;
before(async () => { srv = await Server.start({ workers: 1 }); });
after(async () => { if (srv) await srv.stop(); });

// The requests of one round for a program; each returns a response.
function round(prog) {
  const app = fx.application(srv, { parent: 'parent1' });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1') });
  const ref = fx.referral(srv, { application: app.id, place });
  const c = srv.client();
  srv.login(c, 'parent1', 'eds');
  const up = (kind, name, data) => c.upload(`/enroll/${ref.id}/upload`, { kind }, { file: { name, data } });
  if (prog === 'enroll') {
    return [
      () => c.get('/enroll'),
      () => c.post('/enroll/ok', {}),
      () => c.post('/enroll/ok', { read: 1 }),
      () => c.get(`/enroll?open=${ref.id}`),
      () => up('form065', 'a.pdf', files.pdf('a')),
      () => up('form027', 'a.pdf', Buffer.from('plain text, not a document')),
      () => up('form027', 'b.png', files.png()),
      () => up('form052_2', 'c.jpg', files.jpeg()),
      () => c.get(`/enroll?open=${ref.id}`),
      () => c.post(`/enroll/${ref.id}/sign`, { agree: 1, nonce: 'x', cms: 'bm90IGEgY21z' }),
      () => c.post(`/enroll/${ref.id}/sign`, {}),
      () => c.post(`/enroll/${ref.id}/code`, {}),
      () => c.post('/enroll/999999/sign', {}),
    ];
  }
  // The journal's round: the contract is made by the enroll pool first.
  let code = '';
  return [
    async () => { await c.get('/enroll'); await c.post('/enroll/ok', { read: 1 }); return null; },
    () => c.get('/journal'),
    () => c.get(`/journal?open=${app.id}&tab=history`),
    () => c.get(`/journal/${app.id}?tab=docs`),
    () => c.get(`/journal/${app.id}`),
    () => c.get('/journal?iin=12&status=x&sort=child'),
    () => c.get('/journal/doc/99999'),
    async () => {
      const d = srv.sql(`SELECT id, check_code FROM document WHERE referral_id = ${ref.id} AND kind = 'contract'`)[0];
      code = d.check_code;
      return c.get(`/journal/doc/${d.id}`);
    },
    () => c.get(`/check/${code}`),
    () => c.upload(`/check/${code}`, {}, { file: { name: 'x.pdf', data: files.pdf('x') } }),
    () => c.get('/check/AAAAAAAAAAAAAAAAAAAAAA'),
  ];
}

// The journal first: its rounds need the enroll pool (to make contracts).
vg.leakTests(() => srv, 'journal', () => round('journal'), { n: 40, times: 4, statuses: [200, 404, 422] });
vg.leakTests(() => srv, 'enroll', () => round('enroll'), { n: 40, times: 4, statuses: [200, 303, 404, 422] });

run();
