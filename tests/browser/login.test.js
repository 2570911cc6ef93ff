// Logging in as a person does it, in Chromium, through the real JavaScript:
// by IIN and password, by EDS through the fake NCALayer (choosing the key
// storage, seeing the owner, «Войти»; and what the page says when NCALayer
// cancels, gives the wrong key or is not running), and by a one-time code
// read from the SMS spool. In Russian and in Kazakh.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const fx = require('../lib/fixtures');
const { FakeNcaLayer } = require('../lib/ncalayer');

const P = Server.persons();
// A refused form answers 422, which Chromium reports on the console: only
// other errors count (an inline script refused by the CSP, a script error).
const errorsBut422 = (page) => page.kgErrors.filter((e) => !/status of 422/.test(e));
let srv;
let browser;
let layer;
before(async () => {
  layer = await FakeNcaLayer.start({ person: 'parent1' });
  srv = await Server.start({ conf: layer.conf });
  browser = await Browser.launch();
});
after(async () => {
  if (browser) await browser.close();
  if (layer) await layer.stop();
  if (srv) await srv.stop();
});

test('IIN and password: a staff member is sent to the login from a page and comes back to it', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/admin'));
  assert.match(page.url(), /\/login\?next=%2Fadmin$/);
  await page.click('nav.login-tabs a:has-text("По ИИН")');
  await page.fill('#iin', P.support.iin);
  await page.fill('#password', 'wrong-password');
  await page.click('#form-iin button[type=submit]');
  assert.strictEqual(await page.textContent('#login-error'), 'Неверный ИИН или пароль.');
  await page.fill('#password', 'demo-kg-2026');
  await page.click('#form-iin button[type=submit]');
  await page.waitForURL(srv.url('/admin'));
  assert.match(await page.textContent('.user'), /СЕРИКБАЕВ НУРЛАН АСКАРОВИЧ/);
  await page.click('header form[action="/logout"] button');
  await page.waitForURL(srv.url('/'));
  assert.match(await page.textContent('.flash'), /Вы вышли из личного кабинета/);
  assert.deepStrictEqual(errorsBut422(page), []);
});

test('EDS: the storage is chosen, NCALayer signs, the owner is shown (figure 7) and «Войти» logs in', async () => {
  await layer.reset();
  const page = await browser.page(srv);
  await page.goto(srv.url('/login?tab=eds&next=%2Fdistrict'));
  assert.strictEqual(await page.isChecked('input[name=eds_storage][value=PKCS12]'), true);
  await page.check('input[name=eds_storage][value=AKKaztokenStore]');
  await page.click('#eds-choose');
  await page.waitForSelector('#eds-owner');
  assert.strictEqual(await page.textContent('#eds-iin'), P.parent1.iin);
  assert.strictEqual(await page.textContent('#eds-name'), 'НУРЛАНОВ АСХАТ БОЛАТОВИЧ');
  const log = await layer.log();
  assert.strictEqual(log.length, 1);
  assert.strictEqual(log[0].keyType, 'auth');
  assert.deepStrictEqual(log[0].storages, ['AKKaztokenStore']);
  await page.click('#eds-confirm');
  await page.waitForURL(srv.url('/district'));
  assert.match(await page.textContent('.user'), /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('EDS: cancelled in NCALayer, or the SIGN key chosen, is said in words and nothing is sent', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/login?tab=eds'));
  await layer.set({ person: 'parent2', mode: 'cancel' });
  await page.click('#eds-choose');
  await page.waitForSelector('[data-eds-status][data-eds-state=cancelled]');
  assert.strictEqual(await page.textContent('[data-eds-status]'), 'Подписание отменено в окне NCALayer.');
  await layer.set({ mode: 'wrong_key' });
  await page.click('#eds-choose');
  await page.waitForSelector('[data-eds-status][data-eds-state=wrong_key]');
  assert.strictEqual(await page.textContent('[data-eds-status]'),
    'Выбран ключ для подписи (RSA). Для входа нужен ключ для аутентификации AUTH_RSA.');
  assert.match(page.url(), /\/login\?tab=eds$/, 'still on the page: nothing was posted');
  await layer.set({ mode: 'forged' });
  await page.click('#eds-choose');
  await page.waitForSelector('#login-error');
  assert.strictEqual(await page.textContent('#login-error'),
    'Сертификат выдан не Национальным удостоверяющим центром РК (недоверенный издатель).');
  await layer.set({ person: 'parent1', mode: 'ok' });
  assert.deepStrictEqual(errorsBut422(page), []);
});

test('one-time code in Kazakh: phone and IIN, the code from the SMS, «Кіру»', async () => {
  const page = await browser.page(srv, { lang: 'kk' });
  await page.goto(srv.url('/login?lang=kk'));
  await page.click('nav.login-tabs a:has-text("Бір реттік код бойынша")');
  assert.match(await page.textContent('#panel-otp .warning-box'), /МАБ/);
  const before = srv.sms().length;
  await page.fill('#phone', '+7 701 555 00 08');
  await page.fill('#otp-iin', P.parent2.iin);
  await page.click('#form-otp button[type=submit]');
  await page.waitForSelector('#form-code');
  assert.match(await page.textContent('#otp-sent'), /\+7701\*\*\*0008/);
  assert.strictEqual(await page.isDisabled('#otp-resend'), true, 'resend waits a minute');
  const first = await page.textContent('#otp-wait');
  await page.waitForFunction((t) => document.getElementById('otp-wait').textContent !== t, first, { timeout: 4000 });
  assert.match(await page.textContent('#otp-wait'), /Кодты қайта жіберуге 5\d сек\. кейін болады\./, 'the seconds count down');
  const sms = await fx.smsAfter(srv, before);   // the code leaves after the response
  assert.strictEqual(sms.length, 1);
  assert.match(sms[0], /кіру коды/, 'the SMS is in Kazakh too');
  await page.fill('#code', sms[0].match(/\b(\d{6})\b/)[1]);
  await page.click('#form-code button[type=submit]');
  await page.waitForURL(srv.url('/'));
  assert.match(await page.textContent('.user'), /ТУЛЕУБАЕВА ФАТИМА МЕЙРАМОВНА/);
  assert.strictEqual(await page.getAttribute('html', 'lang'), 'kk');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('EDS in Kazakh: a staff member with her own key lands in the cabinet', async () => {
  await layer.set({ person: 'staff2', mode: 'ok' });
  const page = await browser.page(srv, { lang: 'kk' });
  await page.goto(srv.url('/login?lang=kk'));
  await page.waitForURL(srv.url('/login'));
  assert.ok((await page.textContent('#eds-choose')).includes('Сертификатты таңдау'));
  await page.click('#eds-choose');
  await page.waitForSelector('#eds-owner');
  assert.strictEqual(await page.textContent('#eds-iin'), P.staff2.iin);
  assert.match(await page.textContent('#eds-confirm'), /Кіру/);
  await page.click('#eds-confirm');
  await page.waitForURL(/\/cabinet$/);
  await layer.set({ person: 'parent1' });
});

test('EDS: with NCALayer not running the page says so', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/login?tab=eds'));
  await layer.stop();
  await page.click('#eds-choose');
  await page.waitForSelector('[data-eds-status][data-eds-state=not_running]');
  assert.strictEqual(await page.textContent('[data-eds-status]'),
    'Программа NCALayer не запущена или не установлена. Запустите NCALayer и повторите.');
  assert.strictEqual(await page.isEnabled('#eds-choose'), true, 'the button works again');
  layer = null;
});

run();
