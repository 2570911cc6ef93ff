// The public search cannot be used to read the queue out (issue 21, items
// 7 and 10): the public sees a benefit's category, never its legal ground;
// every search counts towards Queue.SearchPerMinute per address; fruitless
// searches are counted per address and searched prefix (an IIN's birth
// date, an application number's year), so someone guessing numbers behind
// a shared address does not lock out the others there; and the search reads
// an IIN exactly as registration does.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
before(async () => {
  srv = await Server.start({ conf: 'Queue.SearchPerMinute = 12\nQueue.FruitlessPerMinute = 3', searchRate: '1000r/s' });
});
after(async () => { if (srv) await srv.stop(); });

const fresh = () => srv.sql('DELETE FROM rate_event');
const search = (q, c = srv.client()) => c.get(`/queue/search?q=${q}`);
const fieldError = (r) => { const m = r.text.match(/<span class="field-error" id="err-q">([^<]*)<\/span>/); return m && m[1]; };

test('the public search shows a benefit\'s category only, never its legal ground; the applicant sees it', async () => {
  fresh();
  const cases = [
    ['first_priority', 'single_parent', 'Первоочередное право', 'Дети одиноких родителей'],
    ['out_of_turn', 'orphan', 'Внеочередное право', 'сирот'],
  ];
  for (const [benefit, ground, category, groundText] of cases) {
    const a = fx.application(srv, { district: 1136, groupYear: 2022, benefit, benefitGround: ground });
    const r = await search(encodeURIComponent(a.number));
    assert.strictEqual(r.status, 200);
    const t = textOf(r.text);
    assert.match(t, new RegExp(`Льгота ${category}`));
    assert.ok(!t.includes(groundText), `the public page names the ground: ${groundText}`);
    // The applicant's own page names it.
    const p = srv.client();
    srv.login(p, 'parent1');
    const mine = await p.get(`/queue/app/${a.id}`);
    assert.strictEqual(mine.status, 200);
    assert.ok(textOf(mine.text).includes(groundText), 'the applicant sees the ground on their own page');
  }
});

test('every search counts towards Queue.SearchPerMinute per address, found or not', async () => {
  fresh();
  const a = fx.application(srv, { district: 1136, groupYear: 2022 });
  for (let i = 0; i < 12; i++) assert.strictEqual((await search(encodeURIComponent(a.number))).status, 200, `search ${i + 1}`);
  const r = await search(encodeURIComponent(a.number));
  assert.strictEqual(r.status, 429);
  assert.match(textOf(r.text), /С вашего адреса было слишком много поисков/);
  // Another address is not affected.
  assert.strictEqual((await search(encodeURIComponent(a.number), srv.client({ localAddress: '127.0.0.2' }))).status, 200);
  srv.advanceClock(61);
  assert.strictEqual((await search(encodeURIComponent(a.number))).status, 200);
  fresh();
});

test('fruitless searches behind a shared address do not lock out a neighbour searching another child', async () => {
  fresh();
  const mine = fx.application(srv, { district: 1136, groupYear: 2022, childIin: fx.iin('2022-05-17', 'F', 4242) });
  // Someone at the same address guesses IINs of children born on one day.
  for (let i = 0; i < 3; i++) {
    const r = await search(fx.iin('2021-02-03', 'M', 7000 + i * 13));
    assert.strictEqual(r.status, 200, 'not found, not refused');
    assert.match(textOf(r.text), /Ребенок с таким ИИН не стоит в очереди/);
  }
  // The guesser is stopped on that day ...
  const stopped = await search(fx.iin('2021-02-03', 'M', 8000));
  assert.strictEqual(stopped.status, 429);
  assert.match(textOf(stopped.text), /слишком много безуспешных поисков/);
  // ... also for an application that exists there (the answer tells nothing).
  const there = fx.application(srv, { district: 1136, groupYear: 2021, childIin: fx.iin('2021-02-03', 'F', 9100) });
  assert.strictEqual((await search(there.childIin)).status, 429);
  // The neighbour, at the same address, finds their child by IIN and by number.
  const n = await search(mine.childIin);
  assert.strictEqual(n.status, 200);
  assert.ok(textOf(n.text).includes(mine.number));
  assert.strictEqual((await search(encodeURIComponent(mine.number))).status, 200);
  // Guessing application numbers of one year is limited the same way, apart.
  for (let i = 0; i < 3; i++) assert.strictEqual((await search(`UO.2019.00000${i}.1`)).status, 200);
  assert.strictEqual((await search('UO.2019.000009.1')).status, 429);
  assert.strictEqual((await search(encodeURIComponent(mine.number))).status, 200);
  fresh();
});

test('the search reads an IIN exactly as registration does: no inner spaces, no NUL', async () => {
  fresh();
  const child = fx.application(srv, { district: 1136, groupYear: 2022, childIin: fx.iin('2022-07-08', 'M', 3131) });
  const iin = child.childIin;
  // Registration (a multipart form, as the browser sends it) refuses both:
  // inner spaces with its message at the field, a NUL as a bad request.
  const p = srv.client();
  srv.login(p, 'parent1');
  await p.get('/queue');
  const spaced = await p.upload('/queue', { csrf: p.csrf, child_iin: `${iin.slice(0, 2)} ${iin.slice(2)}` }, {});
  assert.strictEqual(spaced.status, 422);
  assert.match(spaced.text, /id="err-child_iin">ИИН состоит из 12 цифр</);
  await p.get('/queue');
  assert.strictEqual((await p.upload('/queue', { csrf: p.csrf, child_iin: `${iin}\u0000` }, {})).status, 400);
  // The search refuses them with the same message at its field.
  const cases = [
    [`${iin.slice(0, 2)}%20${iin.slice(2)}`, 'ИИН состоит из 12 цифр'],
    [`${iin}%00`, 'ИИН состоит из 12 цифр'],
    [`${iin.slice(0, 6)}%09${iin.slice(6)}`, 'Недопустимые символы'],   // the form validator's own word for a tab
  ];
  for (const [q, message] of cases) {
    fresh();
    const r = await search(q);
    assert.strictEqual(r.status, 422, q);
    assert.strictEqual(fieldError(r), message, q);
  }
  // Spaces around it are trimmed, as in every form.
  fresh();
  const ok = await search(`%20${iin}%20`);
  assert.strictEqual(ok.status, 200);
  assert.ok(textOf(ok.text).includes(child.number));
});

run();
