// The queue and statistics programs under valgrind, behind the real nginx,
// over every kind of request they answer (registration with a document,
// refused forms, withdrawal, searches found, unknown and malformed, the
// statistics of several scopes, CSV): no memory errors, nothing lost, and
// the memory in use at exit is the same after N and after 6N requests
// (tests/lib/valgrind.js).
'use strict';

const { before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const files = require('../lib/files');
const vg = require('../lib/valgrind');

let srv;
before(async () => { srv = await Server.start({ workers: 1, searchRate: '1000r/s', scenarios: true }); });
after(async () => { if (srv) await srv.stop(); });

let serial = 7000;
function queueSteps() {
  const c = srv.client();
  srv.login(c, 'parent3');
  const anon = srv.client({ headers: { 'Cache-Control': 'no-cache' } });   // past nginx's copy, to the program
  const iin = () => fx.iin('2022-09-1' + (serial % 9), serial % 2 ? 'M' : 'F', serial++);
  const form = (o = {}) => ({ child_iin: iin(), child_surname: 'Смагулова', child_name: 'Айя', phone: '+77015550009',
    district: '1166', language: 'kk', benefit: 'none', action: 'save', ...o });
  let last = null;
  return [
    () => c.get('/queue'),
    async () => {
      const r = await c.upload('/queue', fx.gbdForForm(srv, c, form({ benefit: 'orphan' })), { benefit_doc: { name: 'd.pdf', type: 'application/pdf', data: files.pdf('v') } });
      last = r.location ? r.location.split('/').pop() : null;
      return r;
    },
    () => c.get(`/queue/app/${last}`),
    () => c.upload('/queue', form({ child_iin: '123' })),                   // 422
    () => c.upload('/queue', form({ benefit: 'orphan' }), { benefit_doc: { name: 'x.pdf', type: 'application/pdf', data: 'not a pdf' } }),
    () => c.upload('/queue', form(), {}, { csrf: false }),                   // 403
    () => c.post('/queue', fx.gbdForForm(srv, c, { ...form(), action: 'check' })),
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
  const reload = { headers: { 'Cache-Control': 'no-cache' } };   // past nginx's copy, to the program
  const anon = srv.client(reload);
  const kk = srv.client(reload);
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

vg.leakTests(() => srv, 'queue', queueSteps, { n: 64, times: 6, statuses: [200, 303, 403, 404, 422], timeoutMs: 90000 });
vg.leakTests(() => srv, 'stats', statsSteps, { n: 40, times: 6, statuses: [200, 303, 404], timeoutMs: 90000 });

run();
