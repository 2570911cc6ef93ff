// What a visitor does on the home page, in Chromium: sees the six tiles,
// switches to Kazakh and back, chooses a district from the list, follows
// the instructions link; every page runs without a console error (the CSP
// forbids inline script, so a template that slipped one in would show here).
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');

let srv;
let browser;
before(async () => {
  srv = await Server.start();
  browser = await Browser.launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

test('the home page shows the six tiles and each leads to its screen', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/'));
  const tiles = await page.locator('a.tile b').allTextContents();
  for (const t of ['Журнал заявлений', 'База свободных мест в ДДО', 'Рабочий кабинет сотрудника ДДО',
    'Поиск номера очереди в детский сад', 'Постановка в очередь', 'Просмотр статистики']) {
    assert.ok(tiles.includes(t), `tile ${t} in ${tiles}`);
  }
  assert.strictEqual(await page.getAttribute('a.tile:has-text("Просмотр статистики")', 'href'), '/stats');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('a visitor switches the language to Kazakh, it stays on the next pages, and back to Russian', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/'));
  await page.click('nav.langs a[lang="kk"]');
  await page.waitForLoadState();
  assert.strictEqual(await page.getAttribute('html', 'lang'), 'kk');
  assert.match(await page.textContent('h1'), /[әіңғүұқөһ]/i, 'a Kazakh heading');
  await page.click('a[href="/district/help"]');
  assert.strictEqual(await page.getAttribute('html', 'lang'), 'kk', 'the choice persists');
  await page.click('nav.langs a[lang="ru"]');
  await page.waitForLoadState();
  assert.strictEqual(await page.getAttribute('html', 'lang'), 'ru');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('a visitor chooses a district: it is shown in the header and kept', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/'));
  await page.click('.district-pick a');
  assert.match(page.url(), /\/district/);
  const buttons = await page.locator('.district-list button').allTextContents();
  assert.strictEqual(buttons.length, 20);
  assert.match(buttons[0], /Кокшетау/);
  await page.click('.district-list button:has-text("Бурабайский район")');
  await page.waitForURL(srv.url('/'));
  assert.match(await page.textContent('.district-pick'), /Бурабайский район/);
  assert.match(await page.textContent('.flash'), /Район выбран/);
  await page.goto(srv.url('/district/help'));
  assert.match(await page.textContent('.district-pick'), /Бурабайский район/);
  assert.strictEqual(await page.locator('.flash').count(), 0, 'the message is shown once');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('an unknown address shows the 404 page in the layout with a way home', async () => {
  const page = await browser.page(srv);
  const resp = await page.goto(srv.url('/no/such/page'));
  assert.strictEqual(resp.status(), 404);
  assert.match(await page.textContent('main'), /Страница не найдена/);
  await page.click('a.brand');
  assert.strictEqual(new URL(page.url()).pathname, '/');
});

run();
