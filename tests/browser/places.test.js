// What staff and parents do with the free places base, in Chromium: a
// staff member adds places exactly as seed 000 shows (the base, «+», the
// DDO from the list with its search box, language, group year, number,
// «Сохранить», the confirmation with the warning, «ОК»); a parent with a
// benefit takes one of those places during the priority window while an
// ordinary parent sees them only once the window is over.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const fx = require('../lib/fixtures');

let srv;
let browser;
let year;
before(async () => {
  srv = await Server.start({ workers: 2 });
  browser = await Browser.launch();
  year = new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

let added;   // the record staff add in the first test

test('staff add free places as the seed shows: «+», the form, «Сохранить», the confirmation, «ОК»', async () => {
  const page = await browser.page(srv);
  await browser.login(page, srv, 'staff1');
  await page.goto(srv.url('/'));
  await page.click('a.tile:has-text("База свободных мест в ДДО")');
  assert.strictEqual(await page.textContent('h1'), 'База свободных мест в ДДО');
  const heads = await page.locator('table.places-table thead tr:first-child th').allTextContents();
  assert.deepStrictEqual(heads.map((h) => h.replace(/[▲▼⇅]/g, '').trim()), ['Название детского сада', 'Год группы', 'Язык',
    'Всего', 'Свободно', 'Пользователь', 'Тип детского сада', 'Дата добавления', 'Состояние']);
  const before = srv.sql('SELECT count(*) AS n FROM free_place')[0].n;
  await page.click('#add-places');
  await page.waitForSelector('#add');
  // Figure 10: the DDO from the list, found through its search box.
  const [ddoA, ddoB] = fx.ddosOf(srv, 'staff1');
  const nameB = srv.sql(`SELECT name_ru FROM ddo WHERE id = ${ddoB}`)[0].name_ru;
  const word = nameB.match(/«([^»]+)»/)[1];
  await page.fill('input.select-search', word.toLowerCase());
  assert.strictEqual(await page.inputValue('#f-ddo'), String(ddoB), 'the only match is chosen');
  const hidden = await page.$$eval('#f-ddo option', (os) => os.filter((o) => o.hidden).map((o) => o.value));
  assert.deepStrictEqual(hidden, [String(ddoA)]);
  // Figures 11–13: language, group year, number of places.
  await page.selectOption('#f-language', 'ru');
  await page.selectOption('#f-year', String(year - 1));
  await page.fill('#f-count', '2');
  // Figure 14: «Сохранить».
  await page.click('button:has-text("Сохранить")');
  // Figure 15: the confirmation with exactly what will be saved.
  await page.waitForSelector('#confirm');
  assert.match(await page.textContent('#confirm .warning-box'),
    /Перед сохранением, убедительная просьба ПРОВЕРЯТЬ внесенные данные о свободных местах в ДДО\. Сохраненные данные редактированию не подлежат!/);
  assert.strictEqual(await page.textContent('#confirm-ddo'), nameB);
  assert.strictEqual(await page.textContent('#confirm-language'), 'Русский');
  assert.strictEqual(await page.textContent('#confirm-year'), String(year - 1));
  assert.strictEqual(await page.textContent('#confirm-count'), '2');
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM free_place')[0].n, before, 'nothing saved yet');
  // A double click on «ОК» still saves one record.
  await page.dblclick('#confirm button:has-text("ОК")');
  await page.waitForSelector('.flash');
  assert.match(await page.textContent('.flash'), /Свободные места сохранены/);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM free_place')[0].n, before + 1);
  added = srv.sql('SELECT * FROM free_place ORDER BY id DESC LIMIT 1')[0];
  assert.strictEqual(added.ddo_id, ddoB);
  assert.strictEqual(added.status, 'waiting');
  // The new record is in the table, highlighted as the staff member's own, waiting.
  const row = page.locator(`tr[data-id="${added.id}"]`);
  assert.strictEqual(await row.getAttribute('class'), 'mine');
  assert.match(await row.locator('td').nth(8).textContent(), /Ожидает/);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('filters in the row under the headers work from the drop-downs without a button', async () => {
  const page = await browser.page(srv);
  await page.context().addCookies([{ name: 'district', value: '1110', url: srv.base }]);
  await page.goto(srv.url('/places'));
  await Promise.all([page.waitForNavigation(), page.selectOption('select[name="f_status"]', 'waiting')]);
  const states = await page.locator('table.places-table tbody td:nth-child(9) .badge').allTextContents();
  assert.ok(states.length >= 1);
  assert.ok(states.every((s) => s === 'Ожидает'), states.join(','));
  assert.match(page.url(), /f_status=waiting/);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('a parent offered a place takes it during the window; a parent further back only afterwards', async () => {
  assert.ok(added, 'the first test added the record');
  const g = { groupYear: added.group_year, language: added.language, district: 1110 };
  const t = srv.now() - 86400;
  const benefit = fx.application(srv, { parent: 'parent1', ...g, benefit: 'out_of_turn', name: 'ЛЬГОТА', queuedAt: t + 20 });
  fx.application(srv, { parent: 'parent3', ...g, name: 'ПЕРВЫЙ', queuedAt: t });
  const ordinary = fx.application(srv, { parent: 'parent2', ...g, name: 'ОБЫЧНЫЙ', queuedAt: t + 10 });
  // The two places are offered in queue order (the timed job): the
  // out-of-turn child, then the first ordinary one; not the second.
  srv.kgctl('tick');
  // The ordinary parent further back: nothing to take yet, told until when.
  const p2 = await browser.page(srv);
  await browser.login(p2, srv, 'parent2');
  await p2.goto(srv.url(`/places/choose?application=${ordinary.id}`));
  assert.strictEqual(await p2.locator(`tr[data-place="${added.id}"]`).count(), 0);
  assert.match(await p2.textContent('#waiting-info'), /предлагаются по очереди/);
  // The parent with a benefit: from the base, to their application, the record, the confirmation.
  const p1 = await browser.page(srv);
  await browser.login(p1, srv, 'parent1');
  await p1.goto(srv.url('/places'));
  await p1.click(`a[href="/places/choose?application=${benefit.id}"]`);
  const row = p1.locator(`tr[data-place="${added.id}"]`);
  assert.match(await row.textContent(), /предлагаются по очереди до/);
  await row.locator('a:has-text("Выбрать")').click();
  await p1.waitForSelector('#confirm');
  assert.match(await p1.textContent('#confirm .warning-box'), /5 рабочих дней/);
  const deadline = await p1.textContent('#confirm-deadline');
  await p1.click('button:has-text("Подтвердить и получить направление")');
  await p1.waitForSelector('#ref-number');
  const number = await p1.textContent('#ref-number');
  assert.strictEqual(number, `1${String(benefit.id).padStart(7, '0')}01`);
  assert.match(await p1.textContent('#ref-deadline'), new RegExp(`^${deadline.replace(/\./g, '\\.')}`));
  const nameB = srv.sql(`SELECT name_ru FROM ddo WHERE id = ${added.ddo_id}`)[0].name_ru;
  assert.strictEqual(await p1.textContent('#ref-ddo'), nameB);
  const [download] = await Promise.all([p1.waitForEvent('download'), p1.click('#ref-pdf')]);
  assert.strictEqual(download.suggestedFilename(), `napravlenie-${number}.pdf`);
  assert.strictEqual(srv.sql(`SELECT free FROM free_place WHERE id = ${added.id}`)[0].free, 1);
  // The window ends (3 working days): the ordinary parent now takes the last place.
  srv.advanceClock(added.window_until - srv.now() + 1);
  await browser.login(p2, srv, 'parent2');
  await p2.goto(srv.url(`/places/choose?application=${ordinary.id}`));
  await p2.locator(`tr[data-place="${added.id}"] a:has-text("Выбрать")`).click();
  await p2.click('button:has-text("Подтвердить и получить направление")');
  await p2.waitForSelector('#ref-number');
  assert.strictEqual(srv.sql(`SELECT free, status FROM free_place WHERE id = ${added.id}`)[0].free, 0);
  assert.strictEqual(srv.sql(`SELECT status FROM free_place WHERE id = ${added.id}`)[0].status, 'exhausted');
  assert.deepStrictEqual(p1.kgErrors, []);
  assert.deepStrictEqual(p2.kgErrors, []);
});

run();
