// A citizen, in Chromium, puts a child in the queue and finds the number in
// the public search: the form's script shows the birth date and sex from
// the IIN and reloads the DDO lists of the chosen district; a benefit
// shows the document field; the confirmation gives the number and the
// position; the search (another, anonymous visitor) finds it with the data
// masked; the statistics draw their charts. No page has a console error
// (the CSP refuses inline script and style).
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

let srv;
let browser;
before(async () => {
  srv = await Server.start({ scenarios: true });
  browser = await Browser.launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const YEAR = new Date(Date.now() + 5 * 3600 * 1000).getUTCFullYear();

test('a citizen registers a child and finds the number in the public search', async () => {
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent1');
  await page.goto(srv.url('/'));
  await page.click('a.tile:has-text("Постановка в очередь")');
  await page.waitForURL(srv.url('/queue'));
  assert.match(await page.textContent('.queue-form'), /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);

  // The IIN: the birth date and sex appear as it is typed.
  const iin = fx.iin(`${YEAR - 2}-03-08`, 'F', 6060);
  srv.gbdAdd(iin, 'parent1', { surname: 'Нурланова', name: 'Айлин' });   // the register of persons
  await page.fill('#child_iin', iin);
  await page.waitForFunction(() => document.querySelector('#iin-info').textContent.includes('женский'));
  assert.match(await page.textContent('#iin-info'), new RegExp(`Дата рождения: 08\\.03\\.${YEAR - 2}, Пол: женский`));
  await page.fill('#child_surname', 'Нурланова');
  await page.fill('#child_name', 'Айлин');

  // The district: its DDOs replace the lists.
  await page.selectOption('#district', '1166');
  const ddo = fx.ddoInDistrict(srv, 1166);
  await page.waitForSelector(`#ddo1 option[value="${ddo}"]`, { state: 'attached' });
  await page.selectOption('#ddo1', String(ddo));
  await page.selectOption('#language', 'kk');

  // A benefit shows the document field.
  assert.strictEqual(await page.isVisible('#benefit-doc'), false);
  await page.check('input[name="benefit"][value="large_family"]');
  assert.strictEqual(await page.isVisible('#benefit-doc'), true);
  await page.setInputFiles('#benefit_doc', { name: 'spravka.pdf', mimeType: 'application/pdf', buffer: files.pdf('large family') });
  await page.click('button[value="save"]');
  await page.waitForURL(/\/queue\/app\/\d+$/);
  const number = (await page.textContent('.app-number')).trim();
  assert.match(number, new RegExp(`^UO\\.${YEAR}\\.\\d{6}\\.1$`));
  assert.match(await page.textContent('.flash'), new RegExp(`Ребенок поставлен в очередь\\. Номер заявления: ${number.replace(/\./g, '\\.')}`));
  const overall = (await page.textContent('[data-pos="overall"]')).trim();
  assert.ok(Number(overall) >= 1);
  assert.match(await page.textContent('main'), /Первоочередное право: Дети из многодетных семей/);
  assert.deepStrictEqual(page.kgErrors, []);

  // Anyone finds it in the public search, masked.
  const visitor = await browser.page(srv);
  await visitor.goto(srv.url('/'));
  await visitor.click('a.tile:has-text("Поиск номера очереди в детский сад")');
  await visitor.fill('#q', number);
  await visitor.click('.search-form button[type="submit"]');
  await visitor.waitForSelector('.search-result');
  const result = await visitor.textContent('.search-result');
  assert.match(result, new RegExp(number.replace(/\./g, '\\.')));
  assert.match(result, /Н\. А\./);
  assert.doesNotMatch(result, /НУРЛАНОВА|АЙЛИН/);
  assert.match(result, new RegExp(`${iin.slice(0, 4)}\\*{6}${iin.slice(10)}`));
  assert.match(result, /Целиноградский район/);
  assert.match(result, /казахский/);
  assert.strictEqual((await visitor.textContent('[data-pos="overall"]')).trim(), overall);
  // And by the child's IIN.
  await visitor.fill('#q', iin);
  await visitor.click('.search-form button[type="submit"]');
  await visitor.waitForSelector('.search-result');
  assert.match(await visitor.textContent('.search-result'), new RegExp(number.replace(/\./g, '\\.')));
  // A word longer than a phone's line (an e-mail or a name typed without
  // spaces, as people's data may hold) breaks instead of widening the page.
  await visitor.setViewportSize({ width: 375, height: 800 });
  const wide = await visitor.evaluate(() => {
    for (const dd of document.querySelectorAll('.search-result dd')) dd.textContent = 'x'.repeat(80) + '@example.kz';
    return document.documentElement.scrollWidth - window.innerWidth;
  });
  assert.ok(wide <= 1, `the page is ${wide} px wider than a phone's screen`);
  assert.deepStrictEqual(visitor.kgErrors, []);
});

test('the citizen withdraws the application after confirming it', async () => {
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent1');
  await page.goto(srv.url('/queue/my'));
  const rows = await page.locator('table.my-apps tbody tr').count();
  assert.ok(rows >= 1);
  const first = page.locator('table.my-apps tbody tr').first();
  const number = await first.getAttribute('data-number');
  await first.locator('a:has-text("Отозвать")').click();
  await page.waitForURL(/\/queue\/withdraw\/\d+$/);
  assert.match(await page.textContent('.warning-box'), /будет перемещено в архив/);
  await page.click('button:has-text("Да, отозвать заявление")');
  await page.waitForURL(srv.url('/queue/my'));
  assert.match(await page.textContent('.flash'), /Заявление отозвано/);
  const row = page.locator(`tr[data-number="${number}"]`);
  assert.match(await row.textContent(), /В архиве/);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('a form with errors comes back with the values and the messages at the fields', async () => {
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent2');
  await page.goto(srv.url('/queue'));
  await page.fill('#child_iin', '123456789012');
  await page.fill('#child_surname', 'Тулеубаев');
  await page.click('button[value="save"]');
  await page.waitForSelector('#err-child_iin');
  assert.strictEqual(await page.inputValue('#child_surname'), 'Тулеубаев');
  assert.match(await page.textContent('#err-child_name'), /Обязательное поле/);
  assert.match(await page.textContent('.alert-error'), /Форма заполнена с ошибками/);
  assert.strictEqual(await page.getAttribute('#child_iin', 'aria-invalid'), 'true');
  // The only console message is Chromium's note of the 422 status itself.
  assert.deepStrictEqual(page.kgErrors.filter((e) => !/status of 422/.test(e)), []);
});

test('the statistics draw their charts in both languages without script', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/stats'));
  assert.strictEqual(await page.locator('svg.chart').count(), 5);
  const bars = await page.locator('svg.chart rect').count();
  assert.ok(bars > 0);
  const box = await page.locator('svg.chart').first().boundingBox();
  assert.ok(box.width > 200 && box.height > 50, 'the chart has its size');
  const fill = await page.locator('svg.chart rect.s-none').first().evaluate((e) => getComputedStyle(e).fill);
  assert.strictEqual(fill, 'rgb(31, 111, 181)', 'colours come from the stylesheet');
  await page.click('nav.langs a[lang="kk"]');
  await page.waitForLoadState();
  assert.match(await page.textContent('h1'), /Статистика/);
  assert.match(await page.textContent('#queue'), /Балабақшаларға кезек/);
  assert.strictEqual(await page.locator('svg.chart').count(), 5);
  assert.deepStrictEqual(page.kgErrors, []);
});

run();
