// The places program under valgrind, behind the real nginx, over every kind
// of request it answers (the base with filters and sorting, anonymous and
// staff; the add form, its confirmation, a save, bad input; the choice,
// its confirmation, a referral with its PDF, a refused choice; the
// referral page and PDF): no memory error, nothing definitely or
// indirectly lost, and the memory in use at exit the same after N and 3N
// requests (tests/lib/valgrind.js).
'use strict';

const { before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const vg = require('../lib/valgrind');

let srv;
let year;
let ddo;
before(async () => {
  srv = await Server.start({ workers: 1 });
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 1;
  [ddo] = fx.ddosOf(srv, 'staff1');
});
after(async () => { if (srv) await srv.stop(); });

// One round: a place, two applications, an anonymous visitor, staff and a
// parent; one request of each kind.
function round() {
  const place = fx.freePlace(srv, { ddo, groupYear: year, language: 'en', total: 1 });
  const app = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'en' });
  const loser = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'en' });
  // A reload (no-cache) is never answered by nginx's copy: every request
  // reaches the program under valgrind.
  const a = srv.client({ headers: { 'Cache-Control': 'no-cache' } });
  a.cookies.set('district', '1110');
  const s = srv.client();
  srv.login(s, 'staff1');
  const p = srv.client();
  srv.login(p, 'parent1');
  let token = '';
  let refPath = '/places/referral/999999';
  return [
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
}

vg.leakTests(() => srv, 'places', round, { n: 51, times: 3, statuses: [200, 303, 404, 409, 422] });

run();
