// The places program's distribution protocols (protocol.h) and the
// journal program's audit heads and signed decisions (audit.h, proof.h)
// under valgrind, behind the real nginx: no memory error, nothing lost,
// the memory in use at exit the same after N and 3N requests
// (tests/lib/valgrind.js).
'use strict';

const { before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');
const vg = require('../lib/valgrind');

let srv;
let year;
let ddo;
let month;
let sig;
before(async () => {
  srv = await Server.start({ workers: 1 });
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 1;
  month = new Date((srv.now() + 5 * 3600) * 1000).toISOString().slice(0, 7);
  [ddo] = fx.ddosOf(srv, 'staff1');
  srv.kgctl('tick');   // a published head
  const en = fx.enrolled(srv, { ddo, parent: 'parent1' });
  const staff = srv.sql(`SELECT id FROM account WHERE iin = '${Server.persons().staff1.iin}'`)[0].id;
  sig = srv.sql(`INSERT INTO signature(account_id, method, purpose, action, object_type, object_id, content, cms, cert,
    signer_iin, signed_at) VALUES (${staff}, 'eds', 'action', 'accept', 'referral', ${en.referral.id}, CAST('text' AS BLOB),
    CAST('${eds.sign('text', 'staff1-sign')}' AS BLOB), X'00', '${Server.persons().staff1.iin}', ${srv.now()}) RETURNING id`)[0].id;
  srv.sql(`UPDATE enrollment SET signature_id = ${sig} WHERE id = ${en.enrollment}`);
});
after(async () => { if (srv) await srv.stop(); });

function places() {
  const place = fx.freePlace(srv, { ddo, groupYear: year, language: 'en', total: 2 });
  const app = fx.application(srv, { parent: 'parent1', groupYear: year, language: 'en' });
  fx.referral(srv, { application: app.id, place });
  const a = srv.client({ headers: { 'Cache-Control': 'no-cache' } });
  return [
    () => a.get(`/places/protocol/${place}`),
    () => a.get(`/places/protocol/${place}?lang=kk`),
    () => a.get(`/places/protocol/${place}.csv`),
    () => a.get(`/places/protocol/${place}.json`),
    () => a.get(`/places/protocols?district=1110&month=${month}`),
    () => a.get('/places/protocols?district=1110&month=20x6-01'),
    () => a.get('/places/protocol/999999.json'),
  ];
}

function journal() {
  const a = srv.client({ headers: { 'Cache-Control': 'no-cache' } });
  const p = srv.client();
  srv.login(p, 'parent1');
  const o = srv.client();
  srv.login(o, 'parent2');
  return [
    () => a.get('/audit/heads'),
    () => a.get('/audit/heads.csv'),
    () => a.get('/audit/cert.pem'),
    () => p.get(`/journal/sig/${sig}.p7s`),
    () => p.get(`/journal/sig/${sig}.txt`),
    () => o.get(`/journal/sig/${sig}.p7s`),
  ];
}

vg.leakTests(() => srv, 'places', places, { n: 28, times: 3, statuses: [200, 404] });
vg.leakTests(() => srv, 'journal', journal, { n: 24, times: 3, statuses: [200, 404] });

run();
