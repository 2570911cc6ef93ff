// What DDO staff and the education department's reviewer do, in Chromium,
// with every signature made through the (fake) NCALayer: staff choose their
// DDO, find a referral by number, accept one child and refuse two others;
// the reviewer confirms one refusal (the child is back in the queue at its
// old position) and rejects the other (the DDO must enroll, and then does);
// staff mark a departure and are reminded to publish the freed place. Every
// page runs without a console error (the CSP forbids inline script).
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const { FakeNcaLayer } = require('../lib/ncalayer');
const fx = require('../lib/fixtures');

let srv;
let browser;
let layer;
let ddo;
const kids = {};

const one = (sql) => srv.sql(sql)[0];
function position(app) {
  return one(`SELECT 1 + count(*) AS p FROM application o JOIN application a ON a.id = ${app}
    WHERE o.status = 'queued' AND o.district_id = a.district_id AND o.group_year = a.group_year
    AND (o.benefit_rank < a.benefit_rank OR (o.benefit_rank = a.benefit_rank AND
    (o.queued_at < a.queued_at OR (o.queued_at = a.queued_at AND o.id < a.id))))`).p;
}

// The applications queued ahead of an application, and behind it.
function around(app) {
  const rows = srv.sql(`SELECT o.id, (o.benefit_rank < a.benefit_rank OR (o.benefit_rank = a.benefit_rank AND
    (o.queued_at < a.queued_at OR (o.queued_at = a.queued_at AND o.id < a.id)))) AS ahead
    FROM application o JOIN application a ON a.id = ${app}
    WHERE o.status = 'queued' AND o.id <> a.id AND o.district_id = a.district_id AND o.group_year = a.group_year ORDER BY o.id`);
  return { ahead: rows.filter((r) => r.ahead).map((r) => r.id), behind: rows.filter((r) => !r.ahead).map((r) => r.id) };
}

before(async () => {
  layer = await FakeNcaLayer.start({ person: 'staff1' });
  srv = await Server.start({ conf: layer.conf });
  browser = await Browser.launch();
  ddo = fx.ddoOf(srv, 'staff1');
  const now = srv.now();
  // A queue of 2019 in Кокшетау around the child whose refusal is confirmed.
  fx.application(srv, { groupYear: 2019, queuedAt: now - 50 * 86400 });
  for (const [key, surname, queuedAt] of [['accept', 'ПРИНЯТОВА', 40], ['confirm', 'ОЧЕРЕДНОВ', 30], ['reject', 'ОБЯЗАНОВА', 20]]) {
    const app = fx.application(srv, { groupYear: 2019, queuedAt: now - queuedAt * 86400, surname, name: 'БАЛА' });
    kids[key] = { app, position: position(app.id), around: around(app.id) };
  }
  fx.application(srv, { groupYear: 2019, queuedAt: now - 10 * 86400 });
  const place = fx.freePlace(srv, { ddo, groupYear: 2019, total: 3 });
  for (const key of Object.keys(kids)) {
    const k = kids[key];
    k.ref = fx.referral(srv, { application: k.app.id, place, status: 'docs_submitted' });
    fx.submittedDocs(srv, { application: k.app.id, referral: k.ref.id });
  }
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (layer) await layer.stop();
});

// The staff member's browser, kept across the tests (the chosen DDO stays).
let staffTab;
async function staffPage() {
  if (!staffTab) {
    staffTab = await browser.page(srv);
    await browser.login(staffTab, srv, 'staff1');
  }
  return staffTab;
}

// Submits a signed form and waits for the page it leads to.
async function signAndWait(page, buttonSelector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(buttonSelector)]);
}

test('staff choose their DDO, find a referral by number and accept the child with EDS', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = await staffPage();
  await page.goto(srv.url('/cabinet'));
  assert.match(await page.textContent('h1'), /Рабочий кабинет сотрудника ДДО/);
  await page.selectOption('select[name="ddo"]', String(ddo));
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Добавить")')]);
  assert.ok(await page.isVisible('text=Обработка направления'));
  await page.click('label[for="by-number"]');
  await page.fill('input[name="q"]', kids.accept.ref.number);
  await Promise.all([page.waitForNavigation(), page.click('form.search-row button[type="submit"]')]);
  const result = await page.textContent('.ref-result');
  assert.match(result, /ПРИНЯТОВА БАЛА/);
  assert.match(result, /Без льготы/);
  assert.match(result, /Форма №065/);
  await signAndWait(page, 'form.accept-form button[type="submit"]');
  assert.match(page.url(), new RegExp(`/cabinet\\?f_ref=${kids.accept.ref.number}`));
  assert.match(await page.textContent('.flash'), new RegExp(`Ребенок принят в ДДО по направлению\\s+${kids.accept.ref.number}`));
  const rows = await page.locator('table.enrolled-table tbody tr').allTextContents();
  assert.strictEqual(rows.length, 1);
  assert.match(rows[0], new RegExp(`${kids.accept.app.childIin}\\s*ПРИНЯТОВА БАЛА`));
  assert.match(rows[0], /Убыл/);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${kids.accept.ref.id}`).status, 'enrolled');
  const log = await layer.log();
  assert.ok(log.length >= 1);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('staff refuse two children with a reason, signed through NCALayer', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = await staffPage();
  for (const key of ['confirm', 'reject']) {
    const k = kids[key];
    await page.goto(srv.url('/cabinet'));
    await page.click('label[for="by-iin"]');
    await page.fill('input[name="q"]', k.app.childIin);
    await Promise.all([page.waitForNavigation(), page.click('form.search-row button[type="submit"]')]);
    await Promise.all([page.waitForNavigation(), page.click('a.btn-danger:has-text("Отказать")')]);
    assert.match(await page.textContent('fieldset.reason-choice legend'), /Причина отказа/);
    assert.match(await page.textContent('label[for="reason"]'), /Пояснение/);
    await page.check('input[name="reason_code"][value="incomplete_documents"]');
    await page.fill('textarea[name="reason"]', `Нечитаемая форма №027 (${key})`);
    await Promise.all([page.waitForNavigation(), page.click('form.refuse-form button[type="submit"]')]);
    assert.match(await page.textContent('pre.sign-text'),
      new RegExp(`Причина: Неполный пакет документов\\nПояснение: Нечитаемая форма №027 \\(${key}\\)`));
    await signAndWait(page, 'form.refuse-sign button[type="submit"]');
    assert.match(await page.textContent('.flash'), /Отказ подписан и направлен на проверку в Отдел образования/);
    assert.match(await page.textContent('.ref-status'), /Отказ на проверке в Отделе образования/);
    assert.strictEqual(one(`SELECT status FROM refusal WHERE referral_id = ${k.ref.id}`).status, 'pending');
  }
  // A cancelled NCALayer dialog changes nothing and says so.
  await layer.set({ person: 'staff1', mode: 'cancel' });
  const other = fx.application(srv, { groupYear: 2019 });
  const place = fx.freePlace(srv, { ddo, groupYear: 2019 });
  const ref = fx.referral(srv, { application: other.id, place, status: 'docs_submitted' });
  await page.goto(srv.url(`/cabinet?by=number&q=${ref.number}`));
  await page.click('form.accept-form button[type="submit"]');
  await page.waitForSelector('form.accept-form [data-eds-state="cancelled"]');
  assert.match(await page.textContent('form.accept-form .eds-status'), /Подписание отменено в окне NCALayer/);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${ref.id}`).status, 'docs_submitted');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('the reviewer confirms one refusal (the child is back at its old position) and rejects the other', async () => {
  await layer.set({ person: 'reviewer1', mode: 'ok' });
  const page = await browser.page(srv);
  await browser.login(page, srv, 'reviewer1');
  // A certificate's serial number is up to 20 bytes of hex (the test CA's
  // are random, signatures cannot be changed): the widest one, put in the
  // page as the browser shows it, wraps instead of widening a phone's page.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(srv.url('/review'));
  assert.ok(await page.locator('.serial').count() > 0);
  const wide = await page.evaluate(() => {
    for (const e of document.querySelectorAll('.serial')) e.textContent = 'D'.repeat(40);
    return document.documentElement.scrollWidth - window.innerWidth;
  });
  assert.ok(wide <= 1, `the review page is ${wide} px wider than a phone's screen`);
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const [key, button, flash] of [['confirm', 'Подтвердить отказ', /Отказ подтвержден, ребенок восстановлен в очереди/],
    ['reject', 'Отклонить отказ', /Отказ отклонен, ДДО обязано зачислить ребенка/]]) {
    const k = kids[key];
    const id = one(`SELECT id FROM refusal WHERE referral_id = ${k.ref.id}`).id;
    await page.goto(srv.url('/review'));
    const card = page.locator(`#refusal-${id}`);
    assert.match(await card.textContent(), new RegExp(`Нечитаемая форма №027 \\(${key}\\)`));
    assert.match(await card.textContent(), /Отказ подписан ЭЦП\s*АХМЕТОВА АЙГУЛЬ СЕРИКОВНА/);
    await card.locator('textarea[name="comment"]').fill(`Комментарий: ${key}`);
    await Promise.all([page.waitForNavigation(), card.locator(`button:has-text("${button}")`).click()]);
    assert.match(await page.textContent('pre.sign-text'), new RegExp(`Комментарий: Комментарий: ${key}`));
    await signAndWait(page, 'form.review-sign button[type="submit"]');
    assert.strictEqual(new URL(page.url()).pathname, '/review');
    assert.match(await page.textContent('.flash'), flash);
  }
  const c = kids.confirm;
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${c.app.id}`).status, 'queued');
  // The same children ahead as when it was queued (less the accepted one,
  // who left the queue), and those behind still behind it, with the
  // children queued meanwhile.
  const now = around(c.app.id);
  assert.deepStrictEqual(now.ahead, c.around.ahead.filter((id) => id !== kids.accept.app.id));
  for (const id of c.around.behind.filter((x) => x !== kids.reject.app.id)) assert.ok(now.behind.includes(id), `${id} behind`);
  assert.strictEqual(position(c.app.id), c.position - 1);
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${kids.reject.ref.id}`).status, 'must_enroll');
  const decided = await page.locator('table.decided-table tbody tr').allTextContents();
  assert.strictEqual(decided.filter((t) => /Решение \(PDF\)/.test(t)).length, 2);
  assert.deepStrictEqual(page.kgErrors, []);
});

test('the DDO sees the referral it must enroll and accepts it', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = await staffPage();
  await page.goto(srv.url('/cabinet'));
  const must = page.locator('table.waiting-table tr.must');
  assert.match(await must.textContent(), new RegExp(`${kids.reject.ref.number}[\\s\\S]*Отказ отклонен: ДДО обязано зачислить`));
  await Promise.all([page.waitForNavigation(), must.locator('a:has-text("Открыть")').click()]);
  assert.match(await page.textContent('.must-enroll'), /Комментарий Отдела образования: «Комментарий: reject»/);
  assert.strictEqual(await page.locator('a.btn-danger:has-text("Отказать")').count(), 0);
  await signAndWait(page, 'form.accept-form button[type="submit"]');
  assert.strictEqual(one(`SELECT status FROM referral WHERE id = ${kids.reject.ref.id}`).status, 'enrolled');
  assert.deepStrictEqual(page.kgErrors, []);
});

test('staff mark a departure with EDS and are reminded to publish the freed place', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = await staffPage();
  await page.goto(srv.url(`/cabinet?f_ref=${kids.accept.ref.number}`));
  await Promise.all([page.waitForNavigation(), page.click('table.enrolled-table a:has-text("Убыл")')]);
  assert.match(await page.textContent('h1'), /Обработка убытия/);
  assert.strictEqual(await page.inputValue('#d-iin'), kids.accept.app.childIin);
  assert.match(await page.inputValue('#d-fio'), /ПРИНЯТОВА БАЛА/);
  const today = await page.evaluate(() => {
    const d = new Date(Date.now() + 5 * 3600 * 1000);
    return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
  });
  await page.fill('#date', today);
  await page.fill('#reason', 'Переезд семьи в другой город');
  await Promise.all([page.waitForNavigation(), page.click('form.departure-form button[type="submit"]')]);
  assert.match(await page.textContent('pre.sign-text'), /Причина: Переезд семьи в другой город/);
  await signAndWait(page, 'form.departure-sign button[type="submit"]');
  assert.match(await page.textContent('.flash'), /Убытие отмечено и подписано/);
  assert.match(await page.textContent('main'), /После отметки убытия, Вам необходимо внести информацию о свободных местах\. \(Система НЕ будет автоматически добавлять освободившиеся места\)/);
  assert.strictEqual(await page.getAttribute('a:has-text("Внести свободные места")', 'href'), '/places');
  assert.strictEqual(one(`SELECT status FROM application WHERE id = ${kids.accept.app.id}`).status, 'departed');
  await page.goto(srv.url('/cabinet'));
  assert.match(await page.textContent('.freed'), /убыло детей:\s*1/);
  assert.deepStrictEqual(page.kgErrors, []);
});

run();
