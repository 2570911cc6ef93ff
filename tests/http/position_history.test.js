// Why a queue number moved and how long the wait likely is (issue 18,
// domain/qhist.h) on the parent's application page (/queue/app/ID) and the
// public search (/queue/search): the position history day by day through
// registrations ahead, referrals, withdrawals and a category change, the
// counts of a period and the masked lists behind them, the likely wait from
// the pace of referrals, the masking on public pages (the search shows it
// when asked, from a link on its result), and another parent kept out.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
before(async () => {
  srv = await Server.start({ conf: 'Queue.SearchPerMinute = 1000\nQueue.FruitlessPerMinute = 1000\nQueue.WaitMinReferrals = 6' });
});
after(async () => { if (srv) await srv.stop(); });

// A queue of its own: Атбасарский район, group year 2023.
const D = 1138;
const Y = 2023;
const DAY = 86400;
const MONTH = 2629746;
const mk = (o) => fx.application(srv, { district: D, groupYear: Y, ...o });
// The local (UTC+5) date of a time, as the pages write it.
const date = (t) => { const d = new Date((t + 5 * 3600) * 1000); return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`; };
const counts = (html) => Object.fromEntries([...html.matchAll(/data-count="(\w+)">(\d+)</g)].map((m) => [m[1], Number(m[2])]));
const dayPositions = (html) => [...html.matchAll(/data-day-pos="(\d+)"/g)].map((m) => Number(m[1]));
const esc = (s) => s.replace(/\./g, '\\.');

let q;
let t0;
// The story, one step a day or more apart:
//   day 0  a1, a2, a3 and then mine (4th), b1 behind
//   day 2  f1 registers with a first-priority benefit: ahead (5th)
//   day 5  a1 gets a referral, a2 is withdrawn (3rd)
//   day 7  b1 becomes out of turn: ahead (4th)
function story() {
  if (q) return q;
  t0 = srv.now();
  // Recording began just before the story (a fresh database's migration
  // time is earlier still; the page would start there).
  srv.sql(`UPDATE qh_start SET at = ${t0 - 1}`);
  q = {};
  q.a1 = mk({ queuedAt: t0 + 1, surname: 'АЛДИЯРОВ' });
  q.a2 = mk({ queuedAt: t0 + 2, surname: 'АЛДИЯРОВ' });
  q.a3 = mk({ queuedAt: t0 + 3, surname: 'АЛДИЯРОВ' });
  q.me = mk({ queuedAt: t0 + 4, surname: 'МОЙРЕБЕНОК' });
  q.b1 = mk({ queuedAt: t0 + 5, surname: 'БЕКОВ' });
  srv.advanceClock(2 * DAY);
  q.f1 = mk({ queuedAt: srv.now(), benefit: 'first_priority', benefitGround: 'large_family', surname: 'ФЕРЗИЕВ' });
  srv.advanceClock(3 * DAY);
  const place = fx.freePlace(srv, { ddo: fx.ddoInDistrict(srv, D), groupYear: Y });
  fx.referral(srv, { application: q.a1.id, place });
  srv.sql(`UPDATE application SET status = 'archived', archive_reason = 'withdrawn', updated_at = ${srv.now()} WHERE id = ${q.a2.id}`);
  q.day5 = srv.now();
  srv.advanceClock(2 * DAY);
  srv.sql(`UPDATE application SET benefit = 'out_of_turn', benefit_ground = 'orphan', updated_at = ${srv.now()} WHERE id = ${q.b1.id}`);
  srv.advanceClock(DAY);
  return q;
}

async function parent(who = 'parent1') {
  const c = srv.client();
  srv.login(c, who);
  return c;
}

test('the application page shows the position now and the days it changed, newest first', async () => {
  const { me } = story();
  const r = await (await parent()).get(`/queue/app/${me.id}`);
  assert.strictEqual(r.status, 200);
  assert.match(r.text, /data-pos="overall">4</);
  // The first day (the day recording began) and every day it changed.
  assert.deepStrictEqual(dayPositions(r.text), [4, 3, 5, 4]);
  const t = textOf(r.text);
  assert.match(t, new RegExp(`${esc(date(t0 + 7 * DAY))} 4 \\+1`));
  assert.match(t, new RegExp(`${esc(date(t0 + 5 * DAY))} 3 -2`));
  assert.match(t, new RegExp(`${esc(date(t0 + 2 * DAY))} 5 \\+1`));
  assert.match(t, /Изменения позиций записываются с/);
});

test('the counts of the default period name each reason, with the net change', async () => {
  const { me } = story();
  const r = await (await parent()).get(`/queue/app/${me.id}`);
  assert.deepStrictEqual(counts(r.text), { referred: 1, withdrawn: 1, benefit_ahead: 1, recat_ahead: 1 });
  assert.match(r.text, /data-net="0"/);
  const t = textOf(r.text);
  assert.match(t, /Детей впереди получили направление: 1/);
  assert.match(t, /Заявлений впереди отозваны: 1/);
  assert.match(t, /Заявлений с льготой поставлены впереди: 1/);
  assert.match(t, /Заявлений изменили категорию и встали впереди: 1/);
});

test('a period counts only its own days; a period that ends before it starts is refused at the field', async () => {
  const { me } = story();
  const c = await parent();
  const d5 = date(q.day5);
  const r = await c.get(`/queue/app/${me.id}?from=${d5}&to=${d5}`);
  assert.strictEqual(r.status, 200);
  assert.deepStrictEqual(counts(r.text), { referred: 1, withdrawn: 1 });
  assert.match(r.text, /data-net="-2"/);
  assert.match(textOf(r.text), new RegExp(`С ${esc(d5)} по ${esc(d5)}:`));
  const bad = await c.get(`/queue/app/${me.id}?from=${d5}&to=${date(t0)}`);
  assert.strictEqual(bad.status, 200);
  assert.match(bad.text, /id="err-to"[^>]*>Дата «по» не может быть раньше даты «с»/);
  const junk = await c.get(`/queue/app/${me.id}?from=31.02.2026&events=nonsense`);
  assert.strictEqual(junk.status, 200);
  assert.match(junk.text, /id="err-from"/);
  assert.doesNotMatch(junk.text, /id="hist-list"/);
});

test('each count opens the masked list of its events: number masked, category, date, no names', async () => {
  const { me, a1, f1 } = story();
  const c = await parent();
  const page = await c.get(`/queue/app/${me.id}`);
  const href = page.text.match(/href="([^"]*events=referred[^"]*)"/)[1].replace(/&amp;/g, '&');
  const r = await c.get(href);
  assert.strictEqual(r.status, 200);
  const list = r.text.match(/<table class="data qhist-list" id="hist-list">[\s\S]*?<\/table>/)[0];
  const masked = a1.number.replace(/^(UO\.\d{4}\.)\d{4}/, '$1****');
  assert.match(list, new RegExp(esc(masked).replace(/\*/g, '\\*')));
  assert.ok(!list.includes(a1.number), 'the full number is not shown');
  assert.match(textOf(list), /Без льготы/);
  assert.match(textOf(list), new RegExp(esc(date(q.day5))));
  // Phone width: every cell carries its label.
  assert.ok(!/<td(?![^>]*data-label)/.test(list));
  const benefit = await c.get(`/queue/app/${me.id}?events=benefit_ahead`);
  const blist = benefit.text.match(/id="hist-list">[\s\S]*?<\/table>/)[0];
  assert.match(textOf(blist), /Первоочередное право/);
  for (const s of ['ФЕРЗИЕВ', 'АЛДИЯРОВ', f1.childIin, f1.number]) assert.ok(!blist.includes(s), s);
});

test('the likely wait: not enough data, then a range from the pace of the last 12 months', async () => {
  const { me } = story();
  const c = await parent();
  let r = await c.get(`/queue/app/${me.id}`);
  assert.match(r.text, /data-wait="none"/);
  assert.match(textOf(r.text), /Недостаточно данных/);
  // Two Russian-language referrals a month in this queue over the last
  // year (all before this application was queued), and Kazakh ones that
  // do not count; with a1's referral 25: ahead of it in Russian are a3, f1
  // and b1, so 4 referrals at 2 a month: 2 months.
  const now = srv.now();
  for (let k = 0; k < 12; k++) {
    for (const [lang, n] of [['ru', 2], ['kk', 3]]) {
      for (let j = 0; j < n; j++) {
        const at = now - Math.round((k + 0.5) * MONTH) + j;
        const a = mk({ queuedAt: at - 1000, language: lang });
        srv.sql(`UPDATE application SET status = 'referred', updated_at = ${at} WHERE id = ${a.id}`);
      }
    }
  }
  r = await c.get(`/queue/app/${me.id}`);
  assert.match(r.text, /data-wait-lo="2" data-wait-hi="2"/);
  assert.match(textOf(r.text), /При темпе последних 12 месяцев — 2 мес\./);
  assert.match(textOf(r.text), /Направлений за 12 месяцев в вашем районе, году группы и языке обучения: 25; заявлений на том же языке впереди, вместе с вашим: 4/);
  // Those referrals happened before this application was queued: they
  // moved nothing of its own.
  assert.deepStrictEqual(counts(r.text), { referred: 1, withdrawn: 1, benefit_ahead: 1, recat_ahead: 1 });
  // In Kazakh too.
  c.cookies.set('lang', 'kk');
  const kk = await c.get(`/queue/app/${me.id}`);
  assert.match(textOf(kk.text), /Соңғы 12 айдағы қарқынмен — 2 ай/);
});

test('the public search shows the same for a number, masked: no name, no full IIN, no legal ground', async () => {
  const { me, a1, f1 } = story();
  const c = srv.client();
  // A plain search links to the history (and costs what it did).
  const plain = await c.get(`/queue/search?q=${encodeURIComponent(me.number)}`);
  assert.strictEqual(plain.status, 200);
  assert.doesNotMatch(plain.text, /data-day-pos|data-count/);
  const open = plain.text.match(/<a class="btn btn-light qhist-open" href="([^"]+)"/)[1].replace(/&amp;/g, '&');
  assert.strictEqual(open, `/queue/search?q=${me.number}&hist=1#hist`);
  const r = await c.get(open.replace(/#.*/, ''));
  assert.strictEqual(r.status, 200);
  assert.deepStrictEqual(dayPositions(r.text), [4, 3, 5, 4]);
  assert.deepStrictEqual(counts(r.text), { referred: 1, withdrawn: 1, benefit_ahead: 1, recat_ahead: 1 });
  const href = r.text.match(/href="([^"]*events=benefit_ahead[^"]*)"/)[1].replace(/&amp;/g, '&');
  assert.match(href, new RegExp(`^/queue/search\\?q=${esc(me.number)}&hist=1&from=`));
  const l = await c.get(href);
  assert.strictEqual(l.status, 200);
  assert.match(l.text, /id="hist-list"/);
  const t = l.text;
  for (const s of ['МОЙРЕБЕНОК', 'ФЕРЗИЕВ', 'АЛДИЯРОВ', me.childIin, f1.childIin, a1.number, f1.number])
    assert.ok(!t.includes(s), `${s} is not on the public page`);
  // The category, never its legal ground (L.Benefit.g.large_family).
  assert.match(textOf(t), /Первоочередное право/);
  assert.doesNotMatch(textOf(t), /[Мм]ногодетн/);
  // The period form carries the number.
  assert.match(t, new RegExp(`<input type="hidden" name="q" value="${esc(me.number)}"><input type="hidden" name="hist" value="1">`));
});

test('another parent cannot see the application page; its history is not shown to them', async () => {
  const { me } = story();
  const r = await (await parent('parent2')).get(`/queue/app/${me.id}?events=referred`);
  assert.strictEqual(r.status, 404);
  assert.doesNotMatch(r.text, /hist-list|data-day-pos/);
});

run();
