// The public statistics (/stats): the queue by group year, language and
// category; free places by status (as of now); referrals per month; DDOs
// by kind with their capacity — for a district or the whole region, as
// tables, server-drawn SVG charts and CSV downloads, in both languages,
// served from memory until the data (or the clock) changes them.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');

let srv;
before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

// A district of its own for the exact figures: Сандыктауский район.
const D = 1164;
const get = (p, c = srv.client()) => c.get(p);
const cell = (html, table, row, col) => {
  const t = html.match(new RegExp(`<table class="data" id="${table}">([\\s\\S]*?)</table>`));
  if (!t) return null;
  const rows = [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
    .map((c) => c[1].replace(/<[^>]+>/g, '').trim()));
  const r = rows.find((x) => x[0] === row);
  return r ? r[col] : null;
};
function csvRows(body) {
  assert.deepStrictEqual([...body.subarray(0, 3)], [0xEF, 0xBB, 0xBF], 'UTF-8 BOM');
  return body.subarray(3).toString('utf8').trim().split('\r\n').map((l) => l.split(';'));
}

let seeded = false;
function seed() {
  if (seeded) return;
  seeded = true;
  const now = srv.now();
  const app = (o) => fx.application(srv, { district: D, ...o });
  app({ groupYear: 2021, language: 'kk' });
  app({ groupYear: 2021, language: 'kk', benefit: 'first_priority', benefitGround: 'large_family' });
  app({ groupYear: 2021, language: 'ru', benefit: 'out_of_turn', benefitGround: 'orphan' });
  app({ groupYear: 2022, language: 'ru' });
  app({ groupYear: 2023, language: 'en' });
  app({ groupYear: 2023, language: 'kk', status: 'archived' });   // not in the queue
  const ddo = fx.ddoInDistrict(srv, D);
  // Places: one in its priority window, one in free choice, one used up.
  fx.freePlace(srv, { ddo, total: 4, createdAt: now - 3600, windowUntil: now + 2 * 86400 });
  fx.freePlace(srv, { ddo, total: 3, createdAt: now - 10 * 86400 });
  const full = fx.freePlace(srv, { ddo, total: 1, createdAt: now - 9 * 86400 });
  // Referrals this month: issued (taking the last place), enrolled, refused, annulled.
  const a1 = app({ groupYear: 2022 });
  fx.referral(srv, { application: a1.id, place: full, issuedAt: now - 7200 });
  const spare = fx.freePlace(srv, { ddo, total: 5, createdAt: now - 8 * 86400 });
  const a2 = app({ groupYear: 2022 });
  const r2 = fx.referral(srv, { application: a2.id, place: spare, status: 'enrolled', issuedAt: now - 5000 });
  const staff = srv.sql(`SELECT account_id FROM ddo_staff WHERE ddo_id = ${ddo} LIMIT 1`)[0];
  const by = staff ? staff.account_id : fx.accountId(srv, 'staff3');
  const sig = () => srv.sql(`INSERT INTO signature(account_id, method, purpose, action, content, signed_at)
    VALUES (${by}, 'otp', 'action', 'test', X'00', ${now}) RETURNING id`)[0].id;
  srv.sql(`INSERT INTO enrollment(referral_id, application_id, ddo_id, child_id, enrolled_at, enrolled_by, signature_id)
    VALUES (${r2.id}, ${a2.id}, ${ddo}, ${a2.childId}, ${now - 4000}, ${by}, ${sig()})`);
  const a3 = app({ groupYear: 2022 });
  const r3 = fx.referral(srv, { application: a3.id, place: spare, status: 'refused', issuedAt: now - 4500 });
  srv.sql(`INSERT INTO refusal(referral_id, ddo_id, district_id, reason, refused_by, refused_at, signature_id)
    VALUES (${r3.id}, ${ddo}, ${D}, 'нечитаемые документы', ${by}, ${now - 3000}, ${sig()})`);
  const a4 = app({ groupYear: 2022 });
  const r4 = fx.referral(srv, { application: a4.id, place: spare, issuedAt: now - 4200 });
  srv.sql(`UPDATE referral SET status = 'annulled', voucher = 'annulled', closed_at = ${now - 1000} WHERE id = ${r4.id}`);
}

const month = () => {
  const d = new Date((srv.now() + 5 * 3600) * 1000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
};

test('the statistics of a district: the queue by group year, category and language', async () => {
  seed();
  const r = await get(`/stats?d=${D}`);
  assert.strictEqual(r.status, 200);
  const t = textOf(r.text);
  assert.match(t, /Статистика Сандыктауский район/);
  assert.match(r.text, /<option value="1164" selected>Сандыктауский район<\/option>/);
  // 2021: 1 out of turn, 1 first priority, 1 none; 2022: 1; 2023: 1 (the archived one not counted).
  assert.deepStrictEqual(['Внеочередное право', 'Первоочередное право', 'Без льготы', 'Всего'].map((_, i) => cell(r.text, 't-queue-years', '2021', i + 1)), ['1', '1', '1', '3']);
  assert.strictEqual(cell(r.text, 't-queue-years', '2022', 4), '1');
  assert.strictEqual(cell(r.text, 't-queue-years', '2023', 4), '1');
  assert.strictEqual(cell(r.text, 't-queue-years', 'Итого', 4), '5');
  assert.strictEqual(cell(r.text, 't-queue-languages', 'казахский', 4), '2');
  assert.strictEqual(cell(r.text, 't-queue-languages', 'русский', 4), '2');
  assert.strictEqual(cell(r.text, 't-queue-languages', 'английский', 4), '1');
  assert.match(r.text, /data-total="queue">5</);
});

test('free places by status as of now, referrals per month, DDOs by kind with capacity', async () => {
  seed();
  const r = await get(`/stats?d=${D}`);
  // Places: 4 waiting (in their window); 3 + 5 in free choice (the 5 less the live referrals); 1 exhausted.
  assert.deepStrictEqual([1, 2, 3].map((i) => cell(r.text, 't-places', 'Ожидает', i)), ['1', '4', '4']);
  const spareFree = srv.sql(`SELECT free FROM free_place WHERE district_id = ${D} AND total = 5`)[0].free;
  assert.deepStrictEqual([1, 2, 3].map((i) => cell(r.text, 't-places', 'В свободном выборе', i)), ['2', '8', String(3 + spareFree)]);
  assert.deepStrictEqual([1, 2, 3].map((i) => cell(r.text, 't-places', 'Исчерпано', i)), ['1', '1', '0']);
  // Referrals this month: 4 issued, 1 enrolled, 1 refused, 1 annulled.
  assert.deepStrictEqual([1, 2, 3, 4].map((i) => cell(r.text, 't-referrals', month(), i)), ['4', '1', '1', '1']);
  assert.strictEqual((r.text.match(/<tr><th scope="row">\d\d\.\d{4}<\/th>/g) || []).length, 12, 'twelve months');
  // DDOs by kind: as in the database.
  const kinds = srv.sql(`SELECT kind, count(*) AS n, sum(capacity) AS cap FROM ddo WHERE district_id = ${D} AND active = 1 GROUP BY kind`);
  const label = { state: 'Государственные детские сады (ГДС)', private_subsidised: 'Частные детские сады по гос. дотации (ЧДС)', mini_centre: 'Мини-центры' };
  for (const k of kinds) {
    assert.strictEqual(cell(r.text, 't-ddo', label[k.kind], 1), String(k.n));
    assert.strictEqual(cell(r.text, 't-ddo', label[k.kind], 2), String(k.cap));
  }
});

test('the charts are SVG drawn on the server, with titles and a legend, and no inline style or script', async () => {
  seed();
  const r = await get(`/stats?d=${D}`);
  const svgs = r.text.match(/<svg class="chart"[\s\S]*?<\/svg>/g) || [];
  assert.strictEqual(svgs.length, 5);
  for (const s of svgs) {
    assert.match(s, /role="img" aria-label="[^"]+"/);
    assert.match(s, /<title>[^<]+<\/title>/);
    assert.doesNotMatch(s, /style=|<script|on[a-z]+=/);
  }
  assert.match(svgs[0], /<rect class="s-out_of_turn" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"><title>2021 — Внеочередное право: 1<\/title><\/rect>/);
  assert.match(svgs[3], /<rect class="s-issued"[^>]*><title>[\d.]+ — Выдано: 4<\/title>/);
  assert.match(r.text, /<figcaption class="legend">/);
  assert.doesNotMatch(r.text, /<script(?![^>]*src=)/);
  assert.doesNotMatch(r.text, /\sstyle=/);
  assert.match(r.headers['content-security-policy'], /style-src 'self'/);
});

test('the whole region adds every district up; the chosen district is the default', async () => {
  seed();
  const all = await get('/stats?d=all');
  const queued = srv.sql("SELECT count(*) AS n FROM application WHERE status = 'queued'")[0].n;
  assert.match(all.text, new RegExp(`data-total="queue">${queued}<`));
  assert.match(textOf(all.text), /Статистика Вся область/);
  assert.strictEqual(cell(all.text, 't-ddo', 'Итого', 1), String(srv.sql('SELECT count(*) AS n FROM ddo WHERE active = 1')[0].n));
  const c = srv.client();
  c.cookies.set('district', String(D));
  const mine = await get('/stats', c);
  assert.match(textOf(mine.text), /Статистика Сандыктауский район/);
  const none = await get('/stats');
  assert.match(textOf(none.text), /Статистика Вся область/);
  assert.strictEqual((await get('/stats?d=9999')).status, 404);
  assert.strictEqual((await get('/stats?d=kokshetau')).status, 404);
});

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

test('the page is kept by nginx for a second at most, then shows the change', async () => {
  seed();
  const a = await get(`/stats?d=${D}`);
  const b = await get(`/stats?d=${D}`);
  assert.strictEqual(a.text, b.text);
  assert.strictEqual(a.headers['cache-control'], 'public, s-maxage=1');
  fx.application(srv, { district: D, groupYear: 2023, language: 'en' });
  await sleep(1200);
  const c = await get(`/stats?d=${D}`);
  assert.strictEqual(cell(c.text, 't-queue-years', '2023', 4), '2');
  assert.strictEqual(cell(c.text, 't-queue-years', 'Итого', 4), '6');
});

test('a priority window that ends moves its record to free choice without any write', async () => {
  seed();
  const r = await get(`/stats?d=${D}`);
  const waiting = Number(cell(r.text, 't-places', 'Ожидает', 1));
  assert.ok(waiting >= 1);
  srv.advanceClock(3 * 86400);
  await sleep(1200);   // past nginx's second
  const later = await get(`/stats?d=${D}`);
  assert.strictEqual(cell(later.text, 't-places', 'Ожидает', 1), '0');
  assert.strictEqual(Number(cell(later.text, 't-places', 'В свободном выборе', 1)), Number(cell(r.text, 't-places', 'В свободном выборе', 1)) + waiting);
});

test('the statistics speak Kazakh', async () => {
  seed();
  const c = srv.client();
  c.cookies.set('lang', 'kk');
  const r = await get(`/stats?d=${D}`, c);
  const t = textOf(r.text);
  assert.match(t, /Балабақшаларға кезек/);
  assert.match(t, /Топ жылы \(туған жылы\) және жеңілдік бойынша/);
  assert.match(t, /Айлар бойынша жолдамалар/);
  assert.match(t, /Түрі мен сыйымдылығы бойынша балабақшалар/);
  assert.match(r.text, /<title>2021 — Кезектен тыс құқық: 1<\/title>/);
  assert.ok(cell(r.text, 't-queue-languages', 'қазақ тілі', 4));
  assert.match(t, /Күтуде|Еркін таңдауда/);
});

test('every table downloads as CSV (UTF-8 with BOM, ";"), with its headers in the page language', async () => {
  seed();
  const y = await get(`/stats/csv/queue_years?d=${D}`);
  assert.strictEqual(y.status, 200);
  assert.match(y.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(y.headers['content-disposition'], /attachment; filename="stats-queue_years-1164\.csv"/);
  const rows = csvRows(y.body);
  assert.deepStrictEqual(rows[0], ['Территория', 'Сандыктауский район']);
  assert.deepStrictEqual(rows[1], ['Год группы', 'Внеочередное право', 'Первоочередное право', 'Без льготы', 'Всего']);
  assert.deepStrictEqual(rows.find((r) => r[0] === '2021'), ['2021', '1', '1', '1', '3']);
  assert.strictEqual(rows[rows.length - 1][0], 'Итого');
  const l = csvRows((await get(`/stats/csv/queue_languages?d=${D}`)).body);
  assert.deepStrictEqual(l.map((r) => r[0]).slice(2), ['казахский', 'русский', 'английский']);
  const p = csvRows((await get(`/stats/csv/places?d=${D}`)).body);
  assert.deepStrictEqual(p[1], ['Статус', 'Записей', 'Мест всего', 'Свободно']);
  assert.deepStrictEqual(p.slice(2).map((r) => r[0]), ['Ожидает', 'В свободном выборе', 'Исчерпано', 'Итого']);
  const ref = csvRows((await get(`/stats/csv/referrals?d=${D}`)).body);
  assert.deepStrictEqual(ref[1], ['Месяц', 'Выдано', 'Зачислено', 'Отказано', 'Аннулировано']);
  assert.strictEqual(ref.length, 2 + 12 + 1);
  assert.deepStrictEqual(ref.find((r) => r[0] === month()), [month(), '4', '1', '1', '1']);
  const d = csvRows((await get('/stats/csv/ddo?d=all')).body);
  assert.deepStrictEqual(d[0], ['Территория', 'Вся область']);
  assert.deepStrictEqual(d[d.length - 1], ['Итого', String(srv.sql('SELECT count(*) AS n FROM ddo WHERE active = 1')[0].n),
    String(srv.sql('SELECT sum(capacity) AS n FROM ddo WHERE active = 1')[0].n)]);
  const c = srv.client();
  c.cookies.set('lang', 'kk');
  const kk = csvRows((await get(`/stats/csv/referrals?d=${D}`, c)).body);
  assert.deepStrictEqual(kk[1], ['Ай', 'Берілді', 'Қабылданды', 'Бас тартылды', 'Күші жойылды']);
  assert.strictEqual((await get('/stats/csv/nothing')).status, 404);
  assert.strictEqual((await get('/stats/csv/places?d=77')).status, 404);
  // The page links each table's CSV for the scope shown.
  const page = await get(`/stats?d=${D}`);
  for (const t of ['queue_years', 'queue_languages', 'places', 'referrals', 'ddo']) {
    assert.match(page.text, new RegExp(`href="/stats/csv/${t}\\?d=${D}" download`));
  }
});

run();
