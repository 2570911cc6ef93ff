// A voucher district in Chromium (issue 17 item 3, lib/domain/voucher.h),
// through the real screens: support sets г. Косшы to voucher financing in
// /admin; a record of a state kindergarten there is offered by the tick to
// the first in the queue as a voucher; parent1 sees «Подтвердить
// согласие» / «Отказаться» on «Мои заявления», confirms, chooses a private
// kindergarten of the district and gets the referral; the place passes on
// to parent2, who refuses the voucher (the application is archived); the
// place passes on to parent3, who does not answer in time: the tick makes
// the application inactive and parent3 restores it on its page. Every
// screen also fits a phone's width and has no serious accessibility fault.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const fx = require('../lib/fixtures');

const KOSSHY = 1116;
let srv;
let browser;
let state;   // a state kindergarten of Косшы
let priv;    // its private kindergarten
let rec;     // the state kindergarten's record
const apps = {};

before(async () => {
  srv = await Server.start({ workers: 2, conf: 'Queue.MaxActivePerApplicant = 50' });
  browser = await Browser.launch();
  state = fx.ddoInDistrict(srv, KOSSHY, 'state');
  priv = fx.ddoInDistrict(srv, KOSSHY, 'private_subsidised');
  const g = { district: KOSSHY, groupYear: new Date((srv.now() + 5 * 3600) * 1000).getUTCFullYear() - 2, language: 'kk' };
  const t0 = srv.now() - 20 * 86400;
  for (const [i, parent] of ['parent1', 'parent2', 'parent3'].entries()) {
    apps[parent] = fx.application(srv, { parent, ...g, queuedAt: t0 + i * 60, surname: 'ВАУЧЕРОВ' });
  }
  apps.g = g;
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// Nothing scrolls sideways at a phone's width; axe finds nothing serious.
async function check(page, name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize(size);
  assert.ok(wide <= 1, `${name}: ${wide} px wider than a phone`);
  assert.deepStrictEqual(await browser.axe(page), [], name);
  assert.deepStrictEqual(page.kgErrors.filter((e) => !/status of 4\d\d/.test(e)), [], name);
}

async function as(who) {
  const page = await browser.page(srv);
  await browser.login(page, srv, who);
  return page;
}

const voucher = (app) => srv.sql(`SELECT * FROM voucher WHERE application_id = ${app.id} ORDER BY id DESC LIMIT 1`)[0];
const appStatus = (app) => srv.sql(`SELECT status, archive_reason FROM application WHERE id = ${app.id}`)[0];

test('support sets г. Косшы to voucher financing in /admin', async () => {
  const page = await as('support');
  await page.goto(srv.url('/admin'));
  await Promise.all([page.waitForNavigation(), page.click('nav.admin-tabs a:has-text("Финансирование")')]);
  const row = page.locator(`tr[data-district="${KOSSHY}"]`);
  assert.match(await row.textContent(), /Косшы/);
  await row.locator('select').selectOption('voucher');
  await Promise.all([page.waitForNavigation(), row.locator('button').click()]);
  assert.match(await page.textContent('body'), /Финансирование района сохранено/);
  assert.strictEqual(await page.locator(`tr[data-district="${KOSSHY}"] select`).inputValue(), 'voucher');
  assert.strictEqual(srv.sql(`SELECT financing FROM district WHERE id = ${KOSSHY}`)[0].financing, 'voucher');
  await check(page, 'admin-districts');
});

test('the tick offers a record as a voucher; parent1 confirms, chooses a private kindergarten and gets the referral', async () => {
  rec = fx.freePlace(srv, { ddo: state, ...apps.g, total: 1, createdAt: srv.now() - 60, windowUntil: srv.now() + 3 * 86400 });
  fx.freePlace(srv, { ddo: priv, ...apps.g, total: 1 });   // free choice
  srv.kgctl('tick');
  assert.strictEqual(voucher(apps.parent1).status, 'issued');
  const page = await as('parent1');
  await page.goto(srv.url('/queue/my'));
  const box = page.locator(`#voucher-${apps.parent1.id}`);
  assert.match(await box.textContent(), /Вам выдан ваучер/);
  assert.strictEqual(await page.locator(`#offer-${apps.parent1.id}`).count(), 0, 'no offer box');
  assert.strictEqual(await box.locator('a:has-text("Отказаться")').count(), 1);
  await check(page, 'queue-my-voucher');
  await Promise.all([page.waitForNavigation(), box.locator('button:has-text("Подтвердить согласие")').click()]);
  assert.match(await page.textContent('body'), /Согласие на ваучер подтверждено/);
  assert.strictEqual(voucher(apps.parent1).status, 'confirmed');
  await check(page, 'queue-app-confirmed');
  await Promise.all([page.waitForNavigation(), page.click(`#voucher-${apps.parent1.id} a:has-text("Выбрать детский сад")`)]);
  assert.match(await page.textContent('#voucher-info'), /Ваучер подтвержден/);
  const privName = srv.sql(`SELECT name_ru FROM ddo WHERE id = ${priv}`)[0].name_ru;
  const row = page.locator('table.choices tr', { hasText: privName });
  assert.strictEqual(await row.count(), 1, 'the private kindergarten is a choice');
  await check(page, 'places-choose-voucher');
  await Promise.all([page.waitForNavigation(), row.locator('a.btn').click()]);
  assert.strictEqual(await page.textContent('#confirm-ddo'), privName);
  await Promise.all([page.waitForNavigation(), page.click('#confirm button[type="submit"]')]);
  assert.match(page.url(), /\/places\/referral\/\d+/);
  assert.strictEqual(appStatus(apps.parent1).status, 'referred');
  assert.strictEqual(voucher(apps.parent1).status, 'used');
});

test('the place passes to parent2, who refuses the voucher after the confirmation step: the application is archived', async () => {
  assert.strictEqual(voucher(apps.parent2).status, 'issued');
  const page = await as('parent2');
  await page.goto(srv.url(`/queue/app/${apps.parent2.id}`));
  await Promise.all([page.waitForNavigation(), page.click(`#voucher-${apps.parent2.id} a:has-text("Отказаться")`)]);
  assert.match(await page.textContent('.warning-box'), /снято с очереди/);
  await check(page, 'voucher-refuse');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Да, отказаться от ваучера")')]);
  assert.deepStrictEqual(appStatus(apps.parent2), { status: 'archived', archive_reason: 'voucher_refused' });
  assert.match(await page.textContent('body'), /заявитель отказался от ваучера/);
});

test('parent3 does not answer in time: inactive; restores the application on its page', async () => {
  const v = voucher(apps.parent3);
  assert.strictEqual(v.status, 'issued');
  srv.advanceClock(v.consent_until - srv.now() + 1);
  srv.kgctl('tick');
  assert.strictEqual(appStatus(apps.parent3).status, 'inactive');
  const page = await as('parent3');
  await page.goto(srv.url(`/queue/app/${apps.parent3.id}`));
  assert.match(await page.textContent('body'), /Неактивно/);
  const box = page.locator(`#voucher-${apps.parent3.id}`);
  assert.match(await box.textContent(), /Заявление неактивно/);
  await check(page, 'queue-app-inactive');
  await Promise.all([page.waitForNavigation(), box.locator('button:has-text("Восстановить заявление")').click()]);
  assert.strictEqual(appStatus(apps.parent3).status, 'queued');
  assert.match(await page.textContent('body'), /Заявление восстановлено в очереди/);
  assert.strictEqual(await page.locator('button:has-text("Восстановить заявление")').count(), 0);
});

run();
