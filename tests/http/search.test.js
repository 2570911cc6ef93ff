// The public queue-number search (/queue/search): by application number or
// by the child's IIN; the position overall and within the category and
// how many are ahead in each category, right through ties, categories and
// withdrawals; personal data masked; clear messages for malformed and
// unknown input; the per-address limit of the program and of nginx.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
before(async () => {
  // nginx's own limit is lifted here (its test starts an instance of its own);
  // the program allows 5 fruitless searches a minute per address and searched
  // prefix (search_abuse.test.js tests the limit of all searches).
  srv = await Server.start({ conf: 'Queue.SearchPerMinute = 1000\nQueue.FruitlessPerMinute = 5', searchRate: '1000r/s' });
});
after(async () => { if (srv) await srv.stop(); });

const fresh = () => srv.sql('DELETE FROM rate_event');
const search = (q, c = srv.client()) => c.get(`/queue/search?q=${encodeURIComponent(q)}`);
const num = (html, attr) => { const m = html.match(new RegExp(`data-${attr}">(\\d+)<`)); return m ? Number(m[1]) : null; };
function pos(html) {
  return {
    overall: num(html, 'pos="overall'), inCategory: num(html, 'pos="in-category'),
    out: num(html, 'ahead="out_of_turn'), first: num(html, 'ahead="first_priority'), none: num(html, 'ahead="none'),
  };
}

// A queue of its own: Астраханский район, group year 2022.
const D = 1136;
const Y = 2022;
let q;
function queue() {
  if (q) return q;
  const t = srv.now() - 200 * 86400;
  const mk = (o) => fx.application(srv, { district: D, groupYear: Y, ...o });
  q = {
    n1: mk({ queuedAt: t, surname: 'ЖУМАБАЕВ', name: 'ТИМУР', childIin: fx.iin('2022-03-04', 'M', 5101) }),
    f1: mk({ queuedAt: t + 10, benefit: 'first_priority', benefitGround: 'large_family' }),
    n2: mk({ queuedAt: t + 20 }),
    n3: mk({ queuedAt: t + 20 }),                 // the same second as n2: the id decides
    o1: mk({ queuedAt: t + 30, benefit: 'out_of_turn', benefitGround: 'orphan' }),
    f2: mk({ queuedAt: t + 40 * 86400, benefit: 'first_priority', benefitGround: 'single_parent' }),
    n4: mk({ queuedAt: t + 90 * 86400, language: 'kk' }),
  };
  return q;
}

test('the empty search page is public and served the same to every visitor, never kept by nginx', async () => {
  const a = await srv.client().get('/queue/search');
  assert.strictEqual(a.status, 200);
  assert.match(a.text, /<form class="form search-form" method="get" action="\/queue\/search"/);
  assert.match(textOf(a.text), /Введите номер заявления \(например, UO\.2026\.000011\.1\) или ИИН ребенка/);
  const b = await srv.client().get('/queue/search');
  assert.strictEqual(b.text, a.text);
  // Not kept: the cache's key is the URL, and a search's URL holds a child's IIN.
  assert.strictEqual(a.headers['cache-control'], 'no-store');
});

test('a search by number shows every field of the issue, with the position and the counts ahead', async () => {
  fresh();
  const { n3 } = queue();
  const r = await search(n3.number);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, new RegExp(`Номер заявления ${n3.number.replace(/\./g, '\\.')}`));
  assert.match(t, /Дата и время постановки в очередь \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.match(t, /Район Астраханский район/);
  assert.match(t, /Год группы \(год очереди\) 2022/);
  assert.match(t, /Язык обучения русский/);
  assert.match(t, /Льгота Без льготы/);
  assert.match(t, /Состояние В очереди/);
  // o1 (out of turn), f1 and f2 (first priority), then n1, n2, n3.
  assert.deepStrictEqual(pos(r.text), { overall: 6, inCategory: 3, out: 1, first: 2, none: 2 });
  assert.match(t, /всего в очереди: 7/);
});

test('positions: categories first, ties on the queue time go by id, a benefit holder sees only the ones before', async () => {
  fresh();
  const { n1, f1, n2, o1, f2, n4 } = queue();
  assert.deepStrictEqual(pos((await search(o1.number)).text), { overall: 1, inCategory: 1, out: 0, first: 0, none: 0 });
  assert.deepStrictEqual(pos((await search(f1.number)).text), { overall: 2, inCategory: 1, out: 1, first: 0, none: 0 });
  assert.deepStrictEqual(pos((await search(f2.number)).text), { overall: 3, inCategory: 2, out: 1, first: 1, none: 0 });
  assert.deepStrictEqual(pos((await search(n1.number)).text), { overall: 4, inCategory: 1, out: 1, first: 2, none: 0 });
  assert.deepStrictEqual(pos((await search(n2.number)).text), { overall: 5, inCategory: 2, out: 1, first: 2, none: 1 });
  assert.deepStrictEqual(pos((await search(n4.number)).text), { overall: 7, inCategory: 4, out: 1, first: 2, none: 3 });
  // The public sees the category, never the legal ground.
  const r = await search(f2.number);
  assert.match(textOf(r.text), /Льгота Первоочередное право Состояние/);
  assert.doesNotMatch(textOf(r.text), /одиноких/);
});

test('a withdrawal moves everyone behind up, and the search shows it at once', async () => {
  fresh();
  const { n1, n4, f1 } = queue();
  const before = pos((await search(n4.number)).text);
  srv.sql(`UPDATE application SET status = 'archived', archive_reason = 'withdrawn' WHERE id = ${f1.id}`);
  const r = await search(n4.number);
  assert.deepStrictEqual(pos(r.text), { ...before, overall: before.overall - 1, first: before.first - 1 });
  // The withdrawn one is found, archived, without a position.
  const w = await search(f1.number);
  assert.match(textOf(w.text), /Состояние В архиве/);
  assert.match(textOf(w.text), /Заявление сейчас не в очереди, поэтому место не считается/);
  assert.strictEqual(pos(w.text).overall, null);
  // A new out-of-turn application goes ahead of n1.
  const p1 = pos((await search(n1.number)).text);
  fx.application(srv, { district: D, groupYear: Y, benefit: 'out_of_turn', benefitGround: 'military_killed', queuedAt: srv.now() - 3600 });
  const p2 = pos((await search(n1.number)).text);
  assert.strictEqual(p2.overall, p1.overall + 1);
  assert.strictEqual(p2.out, p1.out + 1);
  assert.strictEqual(p2.inCategory, p1.inCategory);
});

test('a search by the child\'s IIN finds the active application; personal data is masked', async () => {
  fresh();
  const { n1 } = queue();
  const r = await search(n1.childIin);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, new RegExp(`Номер заявления ${n1.number.replace(/\./g, '\\.')}`));
  assert.match(t, /Ребенок Ж\. Т\./);
  assert.doesNotMatch(r.text, /ЖУМАБАЕВ|ТИМУР/, 'no names in full');
  const masked = `${n1.childIin.slice(0, 4)}******${n1.childIin.slice(10)}`;
  assert.match(t, new RegExp(`ИИН ребенка ${masked.replace(/\*/g, '\\*')}`));
  // The IIN appears only in the search box the visitor typed it into.
  const occurrences = r.text.split(n1.childIin).length - 1;
  assert.strictEqual(occurrences, 3, 'the input value and the two language links');
  assert.match(t, /Персональные данные скрыты/);
  // An archived application and a newer active one: the active one is shown.
  const old = fx.application(srv, { district: D, groupYear: Y, status: 'archived', childIin: fx.iin('2022-06-06', 'F', 5202) });
  const now = srv.now();
  const newer = srv.sql(`INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit,
    phone, status, queued_at, created_at, updated_at) VALUES ('UO.2026.950000.2', ${old.childId}, ${old.parentId}, ${D}, ${Y},
    'kk', 'none', '+77015550007', 'queued', ${now}, ${now}, ${now}) RETURNING number`)[0].number;
  const both = textOf((await search(old.childIin)).text);
  assert.match(both, new RegExp(`Номер заявления ${newer.replace(/\./g, '\\.')}`));
  assert.match(both, /Состояние В очереди/);
  // The active one wins over a newer archived one too; with none active,
  // the newest archived one is shown.
  const active = fx.application(srv, { district: D, groupYear: Y, childIin: fx.iin('2022-07-07', 'M', 5203) });
  const later = srv.sql(`INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit,
    phone, status, archive_reason, queued_at, created_at, updated_at) VALUES ('UO.2026.950001.2', ${active.childId},
    ${active.parentId}, ${D}, ${Y}, 'kk', 'none', '+77015550007', 'archived', 'withdrawn', ${now}, ${now}, ${now}) RETURNING id`)[0].id;
  assert.ok(later > active.id);
  const first = textOf((await search(active.childIin)).text);
  assert.match(first, new RegExp(`Номер заявления ${active.number.replace(/\./g, '\\.')}`));
  srv.sql(`UPDATE application SET status = 'archived', archive_reason = 'withdrawn' WHERE id = ${active.id}`);
  const none = textOf((await search(active.childIin)).text);
  assert.match(none, /Номер заявления UO\.2026\.950001\.2/);
  assert.match(none, /Состояние В архиве/);
  // The logs keep no IIN.
  assert.doesNotMatch(srv.logs(), new RegExp(n1.childIin));
});

test('a number in lower case or with spaces is understood', async () => {
  fresh();
  const { n2 } = queue();
  const r = await search(`  ${n2.number.toLowerCase().replace('.', ' . ')} `);
  assert.strictEqual(r.status, 200);
  assert.match(textOf(r.text), new RegExp(`Номер заявления ${n2.number.replace(/\./g, '\\.')}`));
});

test('unknown numbers and IINs get a clear message', async () => {
  fresh();
  const a = await search('UO.2019.999999.1');
  assert.strictEqual(a.status, 200);
  assert.match(textOf(a.text), /Заявление с таким номером не найдено/);
  const b = await search(fx.iin('2021-05-05', 'F', 9876));
  assert.match(textOf(b.text), /Ребенок с таким ИИН не стоит в очереди в этом регионе/);
});

test('malformed input gets the message at the search box', async () => {
  fresh();
  const cases = [
    ['привет', 'Введите номер заявления (например, UO.2026.000011.1) или ИИН ребенка из 12 цифр'],
    ['UO.2026.11.1', 'Номер заявления пишется так: UO, год, шесть цифр и порядковый номер через точку'],
    ['12345', 'ИИН состоит из 12 цифр'],
    ['210101500019', 'Неверный ИИН: не сходится контрольная цифра'],
    ['x'.repeat(60), 'Введите номер заявления'],
    ['   ', 'Введите номер заявления'],
  ];
  for (const [q, message] of cases) {
    fresh();
    const r = await search(q);
    assert.strictEqual(r.status, 422, q);
    const m = r.text.match(/<span class="field-error" id="err-q">([^<]*)<\/span>/);
    assert.ok(m && m[1].includes(message), `${q}: ${m && m[1]}`);
    assert.match(r.text, /aria-invalid="true"/);
  }
});

test('the search speaks Kazakh', async () => {
  fresh();
  const { n1 } = queue();
  const c = srv.client();
  c.cookies.set('lang', 'kk');
  const r = await search(n1.number, c);
  const t = textOf(r.text);
  assert.match(t, /Балабақшаға кезек нөмірін іздеу/);
  assert.match(t, /Кезектегі жалпы орны/);
  assert.match(t, /Санаттар бойынша кезекте алда тұрғандар/);
  assert.match(t, /Кезектен тыс құқық/);
});

test('fruitless searches are limited per address and year: the sixth in a minute is refused, even for a real number', async () => {
  fresh();
  const { n1 } = queue();
  const year = n1.number.slice(0, 7);   // "UO.2026"
  // Successful searches do not count.
  for (let i = 0; i < 8; i++) assert.strictEqual((await search(n1.number)).status, 200);
  for (let i = 0; i < 5; i++) assert.notStrictEqual((await search(`${year}.00000${i}.1`)).status, 429);
  const r = await search(n1.number);
  assert.strictEqual(r.status, 429);
  assert.match(textOf(r.text), /С вашего адреса было слишком много безуспешных поисков/);
  assert.strictEqual(srv.sql(`SELECT count(*) AS n FROM rate_event WHERE key = 'search:miss:127.0.0.1:${year}'`)[0].n, 5);
  // A minute later it works again.
  srv.advanceClock(61);
  assert.strictEqual((await search(n1.number)).status, 200);
  fresh();
});

test('nginx limits the search per address too (its own 429 page)', async () => {
  const s2 = await Server.start({ conf: 'Queue.SearchPerMinute = 0\nQueue.FruitlessPerMinute = 0' });
  try {
    const c = s2.client();
    const statuses = await Promise.all(Array.from({ length: 60 }, () => c.get('/queue/search?q=UO.2026.000001.1')));
    const limited = statuses.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some were refused by nginx');
    assert.ok(statuses.some((r) => r.status === 200));
    assert.match(limited[0].text, /429|Слишком много/);
    // Other pages are not limited.
    const others = await Promise.all(Array.from({ length: 40 }, () => c.get('/stats')));
    assert.ok(others.every((r) => r.status !== 429));
  } finally {
    await s2.stop();
  }
});

test('the layout kept between pages carries each request\'s own language links, token and person', async () => {
  // The header and footer are rendered once per kind of page and kept
  // (lib/view.c, the chrome): what differs per request must still differ.
  await fresh();
  const a = await search('UO1');
  assert.strictEqual(a.status, 422);
  assert.match(a.text, /href="\/queue\/search\?q=UO1&amp;lang=kk"/);
  assert.match(a.text, /href="\/login\?next=%2Fqueue%2Fsearch"/);
  const b = await search('UO2');
  assert.match(b.text, /href="\/queue\/search\?q=UO2&amp;lang=kk"/);
  assert.doesNotMatch(b.text, /UO1/);
  // Two people in turn on the one worker: each sees their own name and token.
  const s = srv.client(), p = srv.client();
  srv.login(s, 'staff1');
  srv.login(p, 'parent1');
  for (let i = 0; i < 2; i++) {
    const rs = await s.get('/queue/search'), rp = await p.get('/queue/search');
    assert.match(rs.text, /АХМЕТОВА АЙГУЛЬ/);
    assert.doesNotMatch(rs.text, /НУРЛАНОВ/);
    assert.match(rp.text, /НУРЛАНОВ АСХАТ/);
    assert.doesNotMatch(rp.text, /АХМЕТОВА/);
    assert.ok(rs.text.includes(`name="csrf" value="${s.csrf}"`));
    assert.ok(rp.text.includes(`name="csrf" value="${p.csrf}"`));
    assert.ok(!rs.text.includes(p.csrf) && !rp.text.includes(s.csrf));
  }
  // The same page whole, once, around its own body.
  const c = await search('UO3');
  assert.strictEqual((c.text.match(/<html/g) || []).length, 1);
  assert.strictEqual((c.text.match(/<\/html>/g) || []).length, 1);
  assert.ok(c.text.indexOf('</header>') < c.text.indexOf('search-form') &&
    c.text.indexOf('search-form') < c.text.indexOf('<footer'));
});

run();
