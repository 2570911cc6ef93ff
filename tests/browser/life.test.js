// The whole life of DOMAIN.md in Chromium, through the real screens only:
// the one thing written into the database directly is the register of
// persons (ГБД ФЛ) that says who the children's parents are, as support
// would import it; every person logs in once
// through the real login screen (the citizen by a one-time code read from
// the SMS spool and later by EDS, the DDO's staff by EDS through NCALayer,
// the reviewer by IIN and password) and otherwise keeps a session made by
// the session fixture. Every signature goes through the (fake) NCALayer.
//
//   1. parent1 registers a child (А) in /queue; anyone finds the number in
//      the public search. Other families register children Е, Б, Ф, В, Г in
//      the same queue (district, group year, language), in that order.
//   2. staff1 adds free places in /places exactly as seed 000 shows.
//   3. The places are offered in queue order (А, Е, Б, Ф, each by SMS):
//      parent1 sees А's offer on «Мои заявления», presses «Получить
//      направление», confirms and gets the referral (number, deadline,
//      PDF); parent2 declines Б's offer on its confirmation page and the
//      place passes at once to В, the next in the queue (parent3 sees it).
//      The priority window passes (clock + `kgctl tick`); Б, В, Г each
//      choose a place in free choice and get a referral.
//   4. parent1 uploads the three forms and signs the contract with EDS;
//      staff1 finds the referral in /cabinet and accepts it (EDS); А is in
//      the enrolled list; staff1 marks А's departure.
//   5. Б is refused; reviewer1 confirms: Б is back in the queue at its old
//      position, between Е and Ф (the public search shows it).
//   6. В is refused; reviewer1 rejects: the DDO must enroll and accepts.
//   7. Г's referral is overdue: `kgctl tick` annuls it and returns its place.
//   8. The journal shows А's whole history in its three tabs, to parent1
//      and to staff1.
// Every screen is also checked at a phone's width: nothing scrolls sideways.
// KG_SCREENSHOTS=dir saves a full-page PNG of each screen into dir, at the
// desktop's and the phone's width (a person can look at them); without it
// nothing is saved.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const { FakeNcaLayer } = require('../lib/ncalayer');
const files = require('../lib/files');
const { iin: makeIin, smsAfter } = require('../lib/fixtures');

const P = Server.persons();
const SHOTS = process.env.KG_SCREENSHOTS || '';
let srv;
let browser;
let layer;
let shotNo = 0;
// A refused form answers 422, which Chromium reports on the console.
const errors = (page) => page.kgErrors.filter((e) => !/status of 422/.test(e));
const esc = (s) => String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Each screen the test passes is checked at a phone's width (375 px): it
// must not scroll sideways. With KG_SCREENSHOTS, full-page pictures of it at
// the desktop's and the phone's width are saved too.
async function shot(page, name) {
  shotNo++;
  const base = path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}`);
  if (SHOTS) await page.screenshot({ path: `${base}.png`, fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  if (SHOTS) await page.screenshot({ path: `${base}-phone.png`, fullPage: true });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewportSize(size);
  assert.ok(wide <= 1, `${name}: the page is ${wide} px wider than a phone's screen`);
}

// The test's own world: the DDO where the places are published, the
// group year of the children, the children and the people's pages.
const YEAR = new Date((Date.now() + 5 * 3600 * 1000)).getUTCFullYear() - 3;
const kids = {
  A: { parent: 'parent1', surname: 'Нурланов', name: 'Алихан', serial: 7101 },
  E: { parent: 'parent3', surname: 'Смагулова', name: 'Ерке', serial: 7102 },
  B: { parent: 'parent2', surname: 'Тулеубаев', name: 'Бекзат', serial: 7103 },
  F: { parent: 'parent3', surname: 'Смагулов', name: 'Фарид', serial: 7104 },
  C: { parent: 'parent3', surname: 'Смагулова', name: 'Виктория', serial: 7105 },
  D: { parent: 'parent1', surname: 'Нурланова', name: 'Гаухар', serial: 7106 },
};
let ddo;        // { id, name } of staff1's first DDO
const pages = {};

before(async () => {
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  layer = await FakeNcaLayer.start({ person: 'parent1' });
  srv = await Server.start({ conf: layer.conf, workers: 2 });
  browser = await Browser.launch();
  const row = srv.sql(`SELECT d.id, d.name_ru FROM ddo d JOIN ddo_staff s ON s.ddo_id = d.id JOIN account a ON a.id = s.account_id
    WHERE a.iin = '${P.staff1.iin}' ORDER BY d.name_ru, d.id LIMIT 1`)[0];
  ddo = { id: row.id, name: row.name_ru };
  for (const k of Object.keys(kids)) {
    kids[k].iin = makeIin(`${YEAR}-0${1 + Object.keys(kids).indexOf(k)}-15`, k === 'E' || k === 'C' || k === 'D' ? 'F' : 'M', kids[k].serial);
    srv.gbdAdd(kids[k].iin, kids[k].parent, { surname: kids[k].surname, name: kids[k].name });   // the register of persons
  }
});
after(async () => {
  if (browser) await browser.close();
  if (layer) await layer.stop();
  if (srv) await srv.stop();
  if (SHOTS) console.log(`# screenshots: ${SHOTS}`);
});

// The page of a person, logged in by the session fixture unless the test
// logged it in through the login screen; after the clock moves (sessions
// expire) it logs in again the same way.
async function pageOf(who) {
  if (!pages[who]) {
    pages[who] = await browser.page(srv);
    await browser.login(pages[who], srv, who, who.startsWith('parent') ? 'eds' : 'password');
  }
  return pages[who];
}
async function relogin() {
  for (const who of Object.keys(pages)) {
    await pages[who].context().clearCookies();
    await browser.login(pages[who], srv, who, who.startsWith('parent') ? 'eds' : 'password');
  }
}

// Through the header's menu, as a person finds a screen.
async function menu(page, label) {
  await Promise.all([page.waitForNavigation(), page.click(`nav.mainnav a:has-text("${label}")`)]);
}

// Registers a child through the /queue form; returns its application.
async function register(page, k) {
  const kid = kids[k];
  await menu(page, 'Постановка в очередь');
  await page.fill('#child_iin', kid.iin);
  await page.fill('#child_surname', kid.surname);
  await page.fill('#child_name', kid.name);
  await page.selectOption('#district', '1110');
  await page.waitForSelector(`#ddo1 option[value="${ddo.id}"]`, { state: 'attached' });
  await page.selectOption('#ddo1', String(ddo.id));
  await page.selectOption('#language', 'ru');
  if (k === 'A') await shot(page, 'queue-form');
  await Promise.all([page.waitForURL(/\/queue\/app\/\d+$/), page.click('button[value="save"]')]);
  kid.app = Number(page.url().match(/(\d+)$/)[1]);
  kid.number = (await page.textContent('.app-number')).trim();
  assert.match(kid.number, /^UO\.\d{4}\.\d{6}\.1$/);
  assert.match(await page.textContent('.flash'), new RegExp(`Номер заявления: ${esc(kid.number)}`));
  return kid;
}

// The public search, as anyone uses it: the overall position and the queue date.
async function publicSearch(q) {
  const page = await browser.page(srv);
  await page.goto(srv.url('/'));
  await page.click('a.tile:has-text("Поиск номера очереди в детский сад")');
  await page.fill('#q', q);
  await Promise.all([page.waitForNavigation(), page.click('.search-form button[type="submit"]')]);
  await page.waitForSelector('.search-result');
  const text = await page.textContent('.search-result');
  const pos = await page.locator('[data-pos="overall"]').count() ? Number((await page.textContent('[data-pos="overall"]')).trim()) : null;
  const res = { page, text, pos, queuedAt: (text.match(/постановки в\s*очередь\s*(\d\d\.\d\d\.\d{4} \d\d:\d\d)/) || [])[1] };
  assert.deepStrictEqual(errors(page), []);
  return res;
}

// Takes a place for a child through /places/choose; returns the referral.
async function choosePlace(page, k, screenshots) {
  const kid = kids[k];
  await menu(page, 'Выбор места');
  await Promise.all([page.waitForNavigation(), page.click(`a[href="/places/choose?application=${kid.app}"]`)]);
  const row = page.locator('table.choices tbody tr', { hasText: ddo.name });
  assert.match(await row.textContent(), /В свободном выборе/);
  if (screenshots) await shot(page, 'places-choose');
  await Promise.all([page.waitForNavigation(), row.locator('a:has-text("Выбрать")').click()]);
  return confirmPlace(page, k, screenshots ? 'places-choose' : '');
}

// The confirmation of a place (from the free choice or an offer): the DDO,
// the 5-working-day deadline, «Подтвердить и получить направление», the
// referral. shots: the prefix of the screenshots' names, or '' for none.
async function confirmPlace(page, k, shots) {
  const kid = kids[k];
  await page.waitForSelector('#confirm');
  assert.match(await page.textContent('#confirm .warning-box'), /5 рабочих дней/);
  assert.strictEqual((await page.textContent('#confirm-ddo')).trim(), ddo.name);
  if (shots) await shot(page, `${shots}-confirm`);
  const deadline = (await page.textContent('#confirm-deadline')).trim();
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Подтвердить и получить направление")')]);
  await page.waitForSelector('#ref-number');
  kid.ref = { number: (await page.textContent('#ref-number')).trim(), id: Number(page.url().match(/referral\/(\d+)/)[1]) };
  assert.match(kid.ref.number, /^\d{10}$/);
  assert.match(await page.textContent('.flash'), new RegExp(`Направление выдано:\\s*${kid.ref.number}`));
  assert.strictEqual((await page.textContent('#ref-ddo')).trim(), ddo.name);
  assert.ok((await page.textContent('#ref-deadline')).startsWith(deadline.slice(0, 10)), 'the deadline confirmed is the one issued');
  if (shots) await shot(page, `${shots}-referral`);
  return kid.ref;
}

// Opens the login screen's tab and waits for it.
async function loginTab(page, tab, next) {
  await page.goto(srv.url('/'));
  await Promise.all([page.waitForNavigation(), page.click('header a.btn:has-text("Войти")')]);
  if (next) await page.goto(srv.url(`/login?next=${encodeURIComponent(next)}`));
  await Promise.all([page.waitForNavigation(), page.click(`nav.login-tabs a:has-text("${tab}")`)]);
}

// Submits a signed form (NCALayer answers) and waits for the page it leads to.
async function signAndWait(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

test('a citizen logs in by a one-time code, registers a child and finds the number in the public search', async () => {
  const page = await browser.page(srv);
  pages.parent1 = page;
  await page.goto(srv.url('/'));
  await shot(page, 'home-visitor');
  await loginTab(page, 'По одноразовому коду');
  const sent = srv.sms().length;
  await page.fill('#phone', P.parent1.phone);
  await page.fill('#otp-iin', P.parent1.iin);
  await shot(page, 'login-otp');
  await Promise.all([page.waitForNavigation(), page.click('#form-otp button[type="submit"]')]);
  await page.waitForSelector('#form-code');
  const sms = await smsAfter(srv, sent);   // the code leaves after the response
  assert.strictEqual(sms.length, 1);
  await page.fill('#code', sms[0].match(/\b(\d{6})\b/)[1]);
  await Promise.all([page.waitForNavigation(), page.click('#form-code button[type="submit"]')]);
  assert.match(await page.textContent('.user'), /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.match(await page.textContent('.roles'), /Заявитель/);
  await shot(page, 'home-citizen');
  // The citizen's screens are in the menu; the staff's are not.
  const menuItems = await page.locator('nav.mainnav a').allTextContents();
  for (const m of ['Постановка в очередь', 'Мои заявления', 'Выбор места', 'Подать документы', 'Журнал заявлений']) assert.ok(menuItems.includes(m), m);
  assert.ok(!menuItems.includes('Рабочий кабинет'));
  assert.strictEqual(await page.locator('a.tile[href="/cabinet"]').count(), 0, 'no tile that would answer 403');

  await register(page, 'A');
  const overall = Number((await page.textContent('[data-pos="overall"]')).trim());
  assert.strictEqual(overall, 1, 'the first child of this queue');
  await shot(page, 'queue-registered');
  const found = await publicSearch(kids.A.number);
  assert.match(found.text, /г\. Кокшетау/);
  assert.match(found.text, /В очереди/);
  assert.doesNotMatch(found.text, /Алихан|АЛИХАН/i, 'the name is masked');
  assert.strictEqual(found.pos, 1);
  await shot(found.page, 'search-found');
  assert.deepStrictEqual(errors(page), []);
});

test('other families put their children in the same queue (session fixture: their login screen is tested elsewhere)', async () => {
  for (const k of ['E', 'B', 'F', 'C', 'D']) {
    const page = await pageOf(kids[k].parent);
    await page.goto(srv.url('/'));
    await register(page, k);
  }
  const my = pages.parent1;
  await menu(my, 'Мои заявления');
  const rows = await my.locator('table.my-apps tbody tr').allTextContents();
  assert.strictEqual(rows.length, 2);
  assert.ok(rows.every((r) => /В очереди/.test(r)));
  await shot(my, 'queue-my');
  for (const k of ['A', 'E', 'B', 'F', 'C', 'D']) assert.ok(kids[k].app, k);
});

let place;   // the record staff1 adds: { id, windowUntil }

test('staff log in by EDS and add free places as seed 000 shows: «+», the form, «Сохранить», the confirmation, «ОК»', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = await browser.page(srv);
  pages.staff1 = page;
  await loginTab(page, 'По ЭЦП');
  await shot(page, 'login-eds');
  await page.click('#eds-choose');
  await page.waitForSelector('#eds-owner');
  assert.strictEqual(await page.textContent('#eds-iin'), P.staff1.iin);
  await shot(page, 'login-eds-owner');
  await Promise.all([page.waitForNavigation(), page.click('#eds-confirm')]);
  assert.match(await page.textContent('.user'), /АХМЕТОВА АЙГУЛЬ СЕРИКОВНА/);
  await page.goto(srv.url('/'));
  // Figure 8: the staff member's three tiles, in the seed's order.
  const tiles = await page.locator('ul.tiles-role a.tile b').allTextContents();
  assert.deepStrictEqual(tiles, ['Журнал заявлений', 'База свободных мест в ДДО', 'Рабочий кабинет сотрудника ДДО']);
  await shot(page, 'home-staff');
  await Promise.all([page.waitForNavigation(), page.click('a.tile:has-text("База свободных мест в ДДО")')]);
  const heads = (await page.locator('table.places-table thead tr:first-child th').allTextContents()).map((h) => h.replace(/[▲▼⇅]/g, '').trim());
  assert.deepStrictEqual(heads, ['Название детского сада', 'Год группы', 'Язык', 'Всего', 'Свободно', 'Пользователь',
    'Тип детского сада', 'Дата добавления', 'Состояние']);
  await shot(page, 'places');
  await Promise.all([page.waitForNavigation(), page.click('#add-places')]);
  await page.waitForSelector('#add');
  await page.selectOption('#f-ddo', String(ddo.id));
  await page.selectOption('#f-language', 'ru');
  await page.selectOption('#f-year', String(YEAR));
  await page.fill('#f-count', '4');
  await shot(page, 'places-add');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Сохранить")')]);
  await page.waitForSelector('#confirm');
  assert.match(await page.textContent('#confirm .warning-box'), /Сохраненные данные редактированию не подлежат!/);
  assert.strictEqual(await page.textContent('#confirm-ddo'), ddo.name);
  assert.strictEqual(await page.textContent('#confirm-language'), 'Русский');
  assert.strictEqual(await page.textContent('#confirm-year'), String(YEAR));
  assert.strictEqual(await page.textContent('#confirm-count'), '4');
  await shot(page, 'places-confirm');
  await Promise.all([page.waitForNavigation(), page.click('#confirm button:has-text("ОК")')]);
  assert.match(await page.textContent('.flash'), /Свободные места сохранены/);
  const row = page.locator('table.places-table tbody tr.mine').first();
  const cells = await row.locator('td').allTextContents();
  assert.strictEqual(cells[0].trim(), ddo.name);
  assert.deepStrictEqual(cells.slice(1, 5).map((c) => c.trim()), [String(YEAR), 'Русский', '4', '4']);
  assert.match(cells[8], /Ожидает/);
  await shot(page, 'places-saved');
  const id = Number(await row.getAttribute('data-id'));
  place = { id, windowUntil: srv.sql(`SELECT window_until FROM free_place WHERE id = ${id}`)[0].window_until };
  assert.deepStrictEqual(errors(page), []);
});

// The SMS messages about an application's number that say `re`, waiting a
// moment for them: an SMS leaves through the outbox after the response.
async function smsAbout(number, re, ms = 3000) {
  const until = Date.now() + ms;
  for (;;) {
    const found = srv.sms().filter((m) => m.includes(number) && re.test(m));
    if (found.length || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The applications whose offer a parent sees on «Мои заявления».
async function offersSeen(who) {
  const page = await pageOf(who);
  await menu(page, 'Мои заявления');
  const ids = await page.locator('section.offer').evaluateAll((els) => els.map((e) => Number(e.id.replace('offer-', ''))));
  return Object.keys(kids).filter((k) => ids.includes(kids[k].app));
}

test('the places are offered in queue order: А, first in the queue, sees its offer, presses «Получить направление» and gets a referral: number, deadline, PDF', async () => {
  // Four places: А, Е, Б, Ф (the queue's first four) are offered one each, by SMS.
  for (const k of ['A', 'E', 'B', 'F']) assert.strictEqual((await smsAbout(kids[k].number, /предложено место/)).length, 1, k);
  assert.deepStrictEqual(await smsAbout(kids.C.number, /предложено место/, 0), [], 'В is fifth: not offered');
  assert.deepStrictEqual(await offersSeen('parent2'), ['B']);
  assert.deepStrictEqual(await offersSeen('parent3'), ['E', 'F']);
  assert.deepStrictEqual(await offersSeen('parent1'), ['A'], 'Г, sixth in the queue, is not offered');
  const page = pages.parent1;
  const offer = page.locator(`#offer-${kids.A.app}`);
  assert.match(await offer.textContent(), /Вам предложено место/);
  assert.strictEqual((await offer.locator('.offer-ddo').textContent()).trim(), ddo.name);
  assert.match(await offer.textContent(), /до \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.strictEqual(await offer.locator('a:has-text("Отказаться")').count(), 1);
  await shot(page, 'queue-my-offer');
  await Promise.all([page.waitForNavigation(), offer.locator('a:has-text("Получить направление")').click()]);
  await confirmPlace(page, 'A', 'offer');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#ref-pdf')]);
  assert.strictEqual(download.suggestedFilename(), `napravlenie-${kids.A.ref.number}.pdf`);
  const pdf = fs.readFileSync(await download.path());
  assert.strictEqual(pdf.slice(0, 5).toString(), '%PDF-');
  assert.match(files.pdfText(pdf), new RegExp(kids.A.ref.number));
  // The offer is taken: it is no longer on «Мои заявления»; the record keeps three places offered.
  assert.deepStrictEqual(await offersSeen('parent1'), []);
  assert.match(await page.locator(`tr[data-number="${kids.A.number}"]`).textContent(), /Выдано направление/);
  await pages.staff1.goto(srv.url('/places'));
  const row = pages.staff1.locator(`table.places-table tr[data-id="${place.id}"]`);
  const cells = await row.locator('td').allTextContents();
  assert.deepStrictEqual([cells[3], cells[4]].map((c) => c.trim()), ['4', '3']);
  assert.match(await row.textContent(), /Ожидает\s*до .*Предложено: 3/);
  assert.deepStrictEqual(errors(page), []);
});

test('a parent declines an offer on its confirmation page: the place passes at once to В, the next in the queue, whose parent sees it', async () => {
  const page = await pageOf('parent2');
  await menu(page, 'Мои заявления');
  await Promise.all([page.waitForNavigation(), page.locator(`#offer-${kids.B.app} a:has-text("Отказаться")`).click()]);
  assert.ok(page.url().endsWith(`/queue/offer/${kids.B.app}/decline`), page.url());
  assert.match(await page.textContent('h1'), /Отказ от предложенного места/);
  assert.strictEqual((await page.textContent('#offer .offer-ddo')).trim(), ddo.name);
  assert.match(await page.textContent('.warning-box'), /это место сразу перейдет следующему по очереди/);
  await shot(page, 'offer-decline');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Да, отказаться от места")')]);
  assert.ok(page.url().endsWith('/queue/my'), page.url());
  assert.match(await page.textContent('.flash'), new RegExp(`Вы отказались от предложенного места\\. Заявление:\\s*${esc(kids.B.number)}`));
  assert.strictEqual(await page.locator('section.offer').count(), 0);
  assert.match(await page.locator(`tr[data-number="${kids.B.number}"]`).textContent(), /В очереди/);
  await shot(page, 'offer-declined');
  // В, fifth in the queue, has the place now: SMS, «Мои заявления», and the place to choose.
  assert.strictEqual((await smsAbout(kids.C.number, /предложено место/)).length, 1);
  assert.deepStrictEqual(await offersSeen('parent3'), ['E', 'F', 'C']);
  const p3 = pages.parent3;
  assert.match(await p3.locator(`#offer-${kids.C.app}`).textContent(), /Вам предложено место/);
  await shot(p3, 'offer-passed-on');
  await p3.goto(srv.url(`/places/choose?application=${kids.C.app}`));
  assert.match(await p3.textContent('#waiting-info'), /предлагаются по очереди/);
  assert.strictEqual(await p3.locator(`table.choices tr[data-place="${place.id}"]`).count(), 1);
  // Г, not offered, waits: the record is not among its choices.
  const p1 = pages.parent1;
  await p1.goto(srv.url(`/places/choose?application=${kids.D.app}`));
  assert.match(await p1.textContent('#waiting-info'), /предлагаются по очереди/);
  assert.strictEqual(await p1.locator(`table.choices tr[data-place="${place.id}"]`).count(), 0);
  await shot(p1, 'places-choose-waiting');
  // Staff see the record's places still all offered.
  await pages.staff1.goto(srv.url('/places'));
  assert.match(await pages.staff1.locator(`table.places-table tr[data-id="${place.id}"]`).textContent(), /Предложено: 3/);
  for (const p of [page, p3, p1]) assert.deepStrictEqual(errors(p), []);
});

test('when the priority window ends the offers not taken lapse and the places are in free choice', async () => {
  srv.advanceClock(place.windowUntil - srv.now() + 60);
  srv.kgctl('tick');
  await relogin();
  await pages.staff1.goto(srv.url('/places'));
  const row = pages.staff1.locator(`table.places-table tr[data-id="${place.id}"]`);
  assert.match(await row.textContent(), /В свободном выборе/);
  assert.deepStrictEqual(await offersSeen('parent3'), []);
});

test('three children choose a place in free choice and get referrals', async () => {
  // Б's place in the queue before it takes a place: Е is ahead of it.
  kids.B.before = await publicSearch(kids.B.number);
  assert.strictEqual(kids.B.before.pos, 2, 'Е is ahead of Б');
  await choosePlace(await pageOf('parent2'), 'B', true);
  for (const k of ['C', 'D']) await choosePlace(await pageOf(kids[k].parent), k, false);
  const places = pages.staff1;
  await places.goto(srv.url('/places'));
  const cells = await places.locator(`tr[data-id="${place.id}"] td`).allTextContents();
  assert.deepStrictEqual([cells[3], cells[4]].map((c) => c.trim()), ['4', '0']);
  assert.match(cells[8], /Распределено/);
});

test('the citizen logs in by EDS, uploads the three forms and signs the contract with the SIGN key', async () => {
  const page = pages.parent1;
  await Promise.all([page.waitForNavigation(), page.click('header form[action="/logout"] button')]);
  await layer.set({ person: 'parent1', mode: 'ok' });
  await loginTab(page, 'По ЭЦП');
  await page.click('#eds-choose');
  await page.waitForSelector('#eds-owner');
  await Promise.all([page.waitForNavigation(), page.click('#eds-confirm')]);
  await page.goto(srv.url('/'));
  await Promise.all([page.waitForNavigation(), page.click('a.tile[href="/enroll"]')]);
  assert.match(await page.textContent('.warning-box'), /На загрузку документов и подписание договора предоставляется 5 рабочих дней/);
  await shot(page, 'enroll-intro');
  await page.check('input[name="read"]');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("ОК")')]);
  const ref = kids.A.ref;
  const details = page.locator(`#ref-${ref.id}`);
  await details.locator('summary').click();
  assert.match(await details.textContent(), new RegExp(`Номер направления\\s*${ref.number}`));
  await shot(page, 'enroll-open');
  const uploads = [['form065', 'f065.pdf', 'application/pdf', files.pdf('065')],
    ['form027', 'f027.png', 'image/png', files.png()], ['form052_2', 'f052.jpg', 'image/jpeg', files.jpeg()]];
  for (const [kind, name, mimeType, buffer] of uploads) {
    const form = page.locator(`#doc-${ref.id}-${kind} form.upload`);
    await form.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
    await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
    assert.match(await page.textContent('.flash'), /Документ загружен/);
  }
  await shot(page, 'enroll-uploaded');
  const sign = details.locator('form.sign-form');
  await sign.locator('input[name="agree"]').check();
  await Promise.all([page.waitForNavigation(), sign.locator('button:has-text("Подписать договор")').click()]);
  assert.match(await page.textContent('.flash'), /Договор подписан, документы поданы в дошкольную организацию/);
  assert.match(await page.locator(`#ref-${ref.id} .alert-ok`).textContent(), /Документы поданы, договор подписан/);
  await shot(page, 'enroll-signed');
  const log = await layer.log();
  assert.ok(log.some((e) => e.keyType === 'sign'), 'the SIGN key signed the contract');
  assert.deepStrictEqual(errors(page), []);
});

// The forms and the contract of another family (session fixture, EDS).
async function submit(k) {
  const kid = kids[k];
  await layer.set({ person: kid.parent, mode: 'ok' });
  const page = await pageOf(kid.parent);
  await page.goto(srv.url('/enroll'));
  if (await page.locator('input[name="read"]').count()) {
    await page.check('input[name="read"]');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("ОК")')]);
  }
  const details = page.locator(`#ref-${kid.ref.id}`);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  for (const kind of ['form065', 'form027', 'form052_2']) {
    const form = page.locator(`#doc-${kid.ref.id}-${kind} form.upload`);
    await form.locator('input[type="file"]').setInputFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: files.pdf(kind) });
    await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  }
  const sign = page.locator(`#ref-${kid.ref.id} form.sign-form`);
  await sign.locator('input[name="agree"]').check();
  await Promise.all([page.waitForNavigation(), sign.locator('button:has-text("Подписать договор")').click()]);
  assert.match(await page.textContent('.flash'), /Договор подписан/);
}

test('staff find the referral in the cabinet by its number and accept the child with the SIGN key', async () => {
  for (const k of ['B', 'C']) await submit(k);
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = pages.staff1;
  await page.goto(srv.url('/'));
  await Promise.all([page.waitForNavigation(), page.click('a.tile:has-text("Рабочий кабинет сотрудника ДДО")')]);
  // Figure 17: the DDO from the list and «Добавить».
  await page.selectOption('select[name="ddo"]', String(ddo.id));
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Добавить")')]);
  await shot(page, 'cabinet');
  // The three submitted referrals wait for a decision.
  const waiting = await page.locator('table.waiting-table tbody tr').allTextContents();
  for (const k of ['A', 'B', 'C']) assert.ok(waiting.some((w) => w.includes(kids[k].ref.number)), k);
  // Figures 18–20: by number, «Поиск», the child's data, «Принять в ДДО».
  await page.click('label[for="by-number"]');
  await page.fill('input[name="q"]', kids.A.ref.number);
  await Promise.all([page.waitForNavigation(), page.click('form.search-row button[type="submit"]')]);
  const result = await page.textContent('.ref-result');
  assert.match(result, new RegExp(kids.A.iin));
  assert.match(result, /НУРЛАНОВ АЛИХАН/);
  assert.match(result, /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.match(result, /Без льготы/);
  assert.match(result, new RegExp(`Год очереди\\s*${YEAR}`));
  await shot(page, 'cabinet-found');
  await signAndWait(page, 'form.accept-form button[type="submit"]');
  assert.match(await page.textContent('.flash'), new RegExp(`Ребенок принят в ДДО по направлению\\s+${kids.A.ref.number}`));
  // Figure 21: the child is in the enrolled list.
  const enrolled = page.locator('table.enrolled-table tbody tr', { hasText: kids.A.ref.number });
  assert.match(await enrolled.textContent(), new RegExp(`${kids.A.iin}\\s*НУРЛАНОВ АЛИХАН\\s*${esc(kids.A.number)}\\s*${kids.A.ref.number}\\s*${YEAR}\\s*Убыл`));
  await shot(page, 'cabinet-enrolled');
  assert.deepStrictEqual(errors(page), []);
});

test('staff refuse two children with a reason, signed with EDS', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = pages.staff1;
  for (const k of ['B', 'C']) {
    await page.goto(srv.url('/cabinet'));
    await page.click('label[for="by-iin"]');
    await page.fill('input[name="q"]', kids[k].iin);
    await Promise.all([page.waitForNavigation(), page.click('form.search-row button[type="submit"]')]);
    await Promise.all([page.waitForNavigation(), page.click('a.btn-danger:has-text("Отказать")')]);
    if (k === 'B') {
      // Figure 23: the child's card can still be downloaded before refusing.
      const [card] = await Promise.all([page.waitForEvent('download'), page.click('form.card-form button')]);
      assert.strictEqual(card.suggestedFilename(), `child-card-${kids.B.ref.number}.pdf`);
    }
    await page.check('input[name="reason_code"][value="incomplete_documents"]');
    await page.fill('textarea[name="reason"]', `Форма №052-2 нечитаема (${kids[k].name})`);
    if (k === 'B') await shot(page, 'cabinet-refuse');
    await Promise.all([page.waitForNavigation(), page.click('form.refuse-form button[type="submit"]')]);
    assert.match(await page.textContent('pre.sign-text'),
      new RegExp(`Причина: Неполный пакет документов\\nПояснение: Форма №052-2 нечитаема \\(${kids[k].name}\\)`));
    if (k === 'B') await shot(page, 'cabinet-refuse-sign');
    await signAndWait(page, 'form.refuse-sign button[type="submit"]');
    assert.match(await page.textContent('.flash'), /Отказ подписан и направлен на проверку в Отдел образования/);
  }
  assert.deepStrictEqual(errors(page), []);
});

test('the reviewer logs in by IIN and password, confirms one refusal and rejects the other', async () => {
  await layer.set({ person: 'reviewer1', mode: 'ok' });
  const page = await browser.page(srv);
  pages.reviewer1 = page;
  await loginTab(page, 'По ИИН');
  await page.fill('#iin', P.reviewer1.iin);
  await page.fill('#password', srv.kgctl('demo-password').trim());
  await shot(page, 'login-iin');
  await Promise.all([page.waitForNavigation(), page.click('#form-iin button[type="submit"]')]);
  assert.match(await page.textContent('.roles'), /Отдел образования/);
  await menu(page, 'Рассмотрение отказов');
  assert.strictEqual(await page.textContent('.pending-count'), '2');
  await shot(page, 'review');
  for (const [k, button, flash] of [['B', 'Подтвердить отказ', /Отказ подтвержден, ребенок восстановлен в очереди/],
    ['C', 'Отклонить отказ', /Отказ отклонен, ДДО обязано зачислить ребенка/]]) {
    const card = page.locator('article.refusal', { hasText: kids[k].ref.number });
    assert.match(await card.textContent(), new RegExp(`Форма №052-2 нечитаема \\(${kids[k].name}\\)`));
    assert.match(await card.textContent(), /Отказ подписан ЭЦП\s*АХМЕТОВА АЙГУЛЬ СЕРИКОВНА/);
    await card.locator('textarea[name="comment"]').fill(k === 'B' ? 'Документ действительно нечитаем' : 'Форма читается, зачислить');
    await Promise.all([page.waitForNavigation(), card.locator(`button:has-text("${button}")`).click()]);
    if (k === 'B') await shot(page, 'review-sign');
    await signAndWait(page, 'form.review-sign button[type="submit"]');
    assert.match(await page.textContent('.flash'), flash);
  }
  await shot(page, 'review-decided');
  assert.strictEqual(await page.locator('table.decided-table tbody tr', { hasText: 'Решение (PDF)' }).count(), 2);
  assert.deepStrictEqual(errors(page), []);
});

test('the refused child is back in the queue at its old position: after Е, before Ф (the public search)', async () => {
  const b = await publicSearch(kids.B.number);
  assert.match(b.text, /В очереди/);
  assert.strictEqual(b.pos, kids.B.before.pos, 'the same place as before it took a place');
  assert.strictEqual(b.queuedAt, kids.B.before.queuedAt, 'the original queue date is kept');
  await shot(b.page, 'search-returned');
  assert.strictEqual((await publicSearch(kids.E.number)).pos, 1);
  assert.strictEqual((await publicSearch(kids.F.number)).pos, 3);
  // The parent sees it too.
  const page = await pageOf('parent2');
  await menu(page, 'Мои заявления');
  assert.match(await page.locator(`tr[data-number="${kids.B.number}"]`).textContent(), /В очереди/);
});

test('the DDO must enroll the child whose refusal was rejected, and does', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = pages.staff1;
  await menu(page, 'Рабочий кабинет');
  const must = page.locator('table.waiting-table tr.must', { hasText: kids.C.ref.number });
  assert.match(await must.textContent(), /ДДО обязано зачислить/);
  await shot(page, 'cabinet-must-enroll');
  await Promise.all([page.waitForNavigation(), must.locator('a:has-text("Открыть")').click()]);
  assert.match(await page.textContent('.must-enroll'), /Форма читается, зачислить/);
  assert.strictEqual(await page.locator('a.btn-danger:has-text("Отказать")').count(), 0, 'no second refusal');
  await signAndWait(page, 'form.accept-form button[type="submit"]');
  assert.match(await page.textContent('.flash'), new RegExp(`Ребенок принят в ДДО по направлению\\s+${kids.C.ref.number}`));
  await menu(page, 'Рабочий кабинет');
  const rows = await page.locator('table.enrolled-table tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes(kids.C.ref.number)));
  assert.ok(rows.some((r) => r.includes(kids.A.ref.number)));
});

test('staff mark a departure with EDS and are reminded to publish the freed place', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const page = pages.staff1;
  await page.goto(srv.url('/cabinet'));
  const row = page.locator('table.enrolled-table tbody tr', { hasText: kids.A.ref.number });
  await Promise.all([page.waitForNavigation(), row.locator('a:has-text("Убыл")').click()]);
  // Figure 27.
  assert.match(await page.textContent('h1'), /Обработка убытия/);
  assert.strictEqual(await page.inputValue('#d-iin'), kids.A.iin);
  const today = (await page.textContent('.departure-form .hint')).match(/(\d\d\.\d\d\.\d{4})\s*$/)[1];
  await page.fill('#date', today);
  await page.fill('#reason', 'Переезд семьи в другой город');
  await shot(page, 'departure');
  await Promise.all([page.waitForNavigation(), page.click('form.departure-form button[type="submit"]')]);
  await shot(page, 'departure-sign');
  await signAndWait(page, 'form.departure-sign button[type="submit"]');
  assert.match(await page.textContent('.flash'), /Убытие отмечено и подписано/);
  assert.match(await page.textContent('main'), /Система НЕ будет автоматически добавлять освободившиеся места/);
  await shot(page, 'departure-done');
  // «Внести свободные места»: the base reminds how many children left.
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Внести свободные места")')]);
  const reminder = page.locator('details.places-departed');
  assert.notStrictEqual(await reminder.getAttribute('open'), null, 'open when a child departed');
  assert.match(await reminder.textContent(), new RegExp(`${esc(ddo.name)}: с момента последнего добавления мест убыло детей: 1`));
  await shot(page, 'places-reminder');
  await menu(page, 'Рабочий кабинет');
  assert.strictEqual(await page.locator('table.enrolled-table tbody tr', { hasText: kids.A.ref.number }).count(), 0);
  assert.match(await page.textContent('.freed'), /убыло детей:\s*1/);
});

test('an overdue referral is annulled by `kgctl tick` and its place returned', async () => {
  const page = pages.staff1;
  await page.goto(srv.url('/places'));
  const freeBefore = Number((await page.locator(`tr[data-id="${place.id}"] td`).nth(4).textContent()).trim());
  const deadline = srv.sql(`SELECT deadline_at FROM referral WHERE number = '${kids.D.ref.number}'`)[0].deadline_at;
  srv.advanceClock(deadline - srv.now() + 60);
  srv.kgctl('tick');
  await relogin();
  await page.goto(srv.url('/places'));
  const freeAfter = Number((await page.locator(`tr[data-id="${place.id}"] td`).nth(4).textContent()).trim());
  assert.strictEqual(freeAfter, freeBefore + 1, 'the place is back');
  await shot(page, 'places-returned');
  const parent = pages.parent1;
  await menu(parent, 'Мои заявления');
  const row = parent.locator(`tr[data-number="${kids.D.number}"]`);
  assert.match(await row.textContent(), /В архиве/);
  assert.match(await row.textContent(), /срок/i);
  await menu(parent, 'Журнал заявлений');
  await parent.locator(`#app-${kids.D.app} a.tri`).click();
  await parent.waitForSelector(`#app-${kids.D.app}.open`);
  await parent.locator('tr.app-detail nav.tabs a:has-text("История")').click();
  await parent.waitForSelector('table.history');
  assert.match(await parent.textContent('table.history'), new RegExp(`Направление № ${kids.D.ref.number} аннулировано: истек срок`));
  await shot(parent, 'journal-annulled');
});

// The three tabs of one application in the journal, for whoever looks.
async function journalTabs(page, who) {
  await menu(page, 'Журнал заявлений');
  await page.fill('input[name="number"]', kids.A.number);
  await Promise.all([page.waitForNavigation(), page.click('form.filters-form button[type="submit"]')]);
  const tri = page.locator(`#app-${kids.A.app} a.tri`);
  await tri.click();
  await page.waitForSelector(`#app-${kids.A.app}.open`);
  const detail = page.locator('tr.app-detail');
  const info = await detail.textContent();
  assert.match(info, new RegExp(`Номер заявления\\s*${esc(kids.A.number)}`));
  assert.match(info, new RegExp(`Номер направления\\s*${kids.A.ref.number}`));
  assert.match(info, /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  assert.match(info, /НУРЛАНОВ АЛИХАН/);
  await shot(page, `journal-info-${who}`);
  await detail.locator('nav.tabs a:has-text("История")').click();
  await page.waitForSelector('table.history');
  const hist = await page.textContent('table.history');
  for (const re of [/Заявление зарегистрировано, ребенок поставлен в очередь/,
    new RegExp(`Предложено место в ${esc(ddo.name)} \\(по очереди\\) до \\d\\d\\.\\d\\d\\.\\d{4}`),
    new RegExp(`Предложение места в ${esc(ddo.name)} принято`), new RegExp(`Выдано направление № ${kids.A.ref.number}`),
    /Загружен документ: форма №065/, /Загружен документ: форма №027/, /Загружен документ: форма №052-2/,
    new RegExp(`Подписан договор № Д-${kids.A.ref.number} \\(ЭЦП\\)`), /Ребенок принят в ДДО/, /Отмечено убытие ребенка из ДДО/]) {
    assert.match(hist, re, `${who}: ${re}`);
  }
  await shot(page, `journal-history-${who}`);
  await page.locator('tr.app-detail nav.tabs a:has-text("Документы")').click();
  await page.waitForSelector('table.docs-system');
  assert.strictEqual(await page.locator('table.docs-applicant tbody tr').count(), 3);
  const general = await page.textContent('table.docs-system');
  assert.match(general, /Направление/);
  assert.match(general, /Договор/);
  await shot(page, `journal-docs-${who}`);
  assert.deepStrictEqual(errors(page), []);
}

test('the journal shows the whole history in its three tabs to the citizen', async () => {
  await journalTabs(pages.parent1, 'citizen');
});

test('the journal shows the whole history in its three tabs to the staff member', async () => {
  await journalTabs(pages.staff1, 'staff');
});

run();
