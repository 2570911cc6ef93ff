// Everything a parent does works without JavaScript (issue 19, item 7): in
// Chromium with scripts off, a parent logs in with a one-time code read
// from the SMS spool (an early «resend» is answered with the seconds left,
// as information), registers a child (the server shows the birth date and
// sex on «Проверить ИИН» and the chosen district's DDOs on its own
// button), finds the number in the public search and chooses a free place
// of the child's group through the confirmation. Only EDS signing needs
// NCALayer, and so JavaScript.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const fx = require('../lib/fixtures');

const P = Server.persons();
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
const noScript = () => browser.page(srv, { javaScriptEnabled: false });

test('without JavaScript a parent logs in by code, registers a child, finds it and chooses a place', async () => {
  const page = await noScript();

  // Logging in by a one-time code, straight to the registration form.
  await page.goto(srv.url('/login?tab=otp&next=%2Fqueue'));
  await page.fill('#phone', P.parent1.phone);
  await page.fill('#otp-iin', P.parent1.iin);
  const before = srv.sms().length;
  await page.click('#form-otp button[type=submit]');
  await page.waitForSelector('#otp-sent');
  assert.strictEqual(await page.isDisabled('#otp-resend'), false, 'without the countdown the button stays usable');
  await page.click('#otp-resend');
  const info = page.locator('#login-info');
  assert.match(await info.textContent(), /^Код уже отправлен в SMS\. Новый код можно запросить через (60|59|58) сек\.$/);
  assert.match(await info.getAttribute('class'), /^notice$/, 'information, not an error');
  assert.strictEqual(await page.locator('#login-error').count(), 0);
  const sms = (await fx.smsAfter(srv, before)).filter((m) => m.startsWith(`To: ${P.parent1.phone}\n`) && /код для входа/.test(m));
  assert.strictEqual(sms.length, 1, 'one code sent');
  await page.fill('#code', sms[0].match(/\b(\d{6})\b/)[1]);
  await page.click('#form-code button[type=submit]');
  await page.waitForURL(srv.url('/queue'));

  // The registration form: the server does what the script would.
  const iin = fx.iin(`${YEAR - 2}-05-14`, 'M', 7171);
  srv.gbdAdd(iin, 'parent1', { surname: 'Нурланов', name: 'Алан' });
  await page.fill('#child_iin', iin);
  await page.click('button[name="action"][value="check"]');
  await page.waitForSelector('#iin-info b');
  assert.match(await page.textContent('#iin-info'), new RegExp(`14\\.05\\.${YEAR - 2}.*мужской`));
  if (!(await page.inputValue('#child_surname'))) await page.fill('#child_surname', 'Нурланов');
  if (!(await page.inputValue('#child_name'))) await page.fill('#child_name', 'Алан');
  const ddo = fx.ddoInDistrict(srv, 1166);
  assert.strictEqual(await page.locator(`#ddo1 option[value="${ddo}"]`).count(), 0, 'no district yet: no DDO of 1166');
  assert.strictEqual(await page.isVisible('#district-show'), true);
  await page.selectOption('#district', '1166');
  await page.click('#district-show');
  await page.waitForSelector(`#ddo1 option[value="${ddo}"]`, { state: 'attached' });
  assert.strictEqual(await page.inputValue('#child_iin'), iin, 'the form keeps what was typed');
  assert.strictEqual(await page.locator('.field-error').count(), 0, 'no error for a form in progress');
  await page.selectOption('#ddo1', String(ddo));
  await page.selectOption('#language', 'ru');
  await page.click('button[name="action"][value="save"]');
  await page.waitForURL(/\/queue\/app\/\d+$/);
  const number = (await page.textContent('.app-number')).trim();
  assert.match(number, new RegExp(`^UO\\.${YEAR}\\.\\d{6}\\.1$`));

  // Anyone finds it in the public search, without scripts either.
  const visitor = await noScript();
  await visitor.goto(srv.url('/queue/search'));
  await visitor.fill('#q', number);
  await visitor.click('.search-form button[type="submit"]');
  await visitor.waitForSelector('.search-result');
  assert.match(await visitor.textContent('.search-result'), new RegExp(number.replace(/\./g, '\\.')));

  // A free place of the child's group, open to free choice: chosen and confirmed.
  const app = srv.sql(`SELECT id, group_year, language FROM application WHERE number = '${number}'`)[0];
  const place = fx.freePlace(srv, { ddo, groupYear: app.group_year, language: app.language });
  await page.goto(srv.url('/places/choose'));
  await page.click(`a[href="/places/choose?application=${app.id}"]`);
  await page.locator(`tr[data-place="${place}"] a:has-text("Выбрать")`).click();
  await page.waitForSelector('#confirm');
  await page.click('#confirm button[type=submit]');
  await page.waitForSelector('#ref-number');
  assert.strictEqual(srv.sql(`SELECT status FROM application WHERE id = ${app.id}`)[0].status, 'referred');
  assert.strictEqual(srv.sql(`SELECT free FROM free_place WHERE id = ${place}`)[0].free, 0);
});

run();
