// Keyboard only (issue 19 item 6, WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.7, 3.3.1):
// a parent logs in by one-time code, registers a child, chooses a place and
// uploads a document, and DDO staff accept a referral (EDS through the fake
// NCALayer), with nothing but page.keyboard: Tab, Shift+Tab, Enter, Space,
// arrows and typing (a test may open a screen by its address, as a bookmark
// would, and answers the browser's file dialog). At every step the focused
// element shows its focus (an outline or a shadow, its own or its label's),
// each Tab moves the focus on (no trap), the first Tab of a page reaches
// the skip link, which moves the focus to <main>; a form refused shows its
// errors in a container screen readers announce (role=alert or aria-live),
// each field in error marked aria-invalid and described by its message.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const { FakeNcaLayer } = require('../lib/ncalayer');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

const P = Server.persons();
// A refused form answers 422, which Chromium reports on the console.
const errors = (page) => page.kgErrors.filter((e) => !/status of 422/.test(e));
let srv;
let browser;
let layer;
before(async () => {
  layer = await FakeNcaLayer.start({ person: 'staff1' });
  srv = await Server.start({ conf: layer.conf });
  browser = await Browser.launch();
});
after(async () => {
  if (browser) await browser.close();
  if (layer) await layer.stop();
  if (srv) await srv.stop();
});

// The focused element: a description, whether its focus is visible (its
// own outline or box-shadow, or its label's for an input drawn by its
// label), whether it is the one focused before, and whether it matches sel.
function focusState(sel) {
  const el = document.activeElement;
  const prev = window.kgLastFocus;
  window.kgLastFocus = el;
  if (!el || el === document.body) return { none: true };
  const shows = (e) => {
    const c = getComputedStyle(e);
    return (c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) > 0) || (c.boxShadow && c.boxShadow !== 'none');
  };
  const desc = `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.name ? ' name=' + el.name : ''}> ` +
    `${(el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 50)}`;
  return { desc, visible: shows(el) || [...(el.labels || [])].some(shows), same: el === prev, match: el.matches(sel) };
}

// Presses Tab (Shift+Tab with back) until the focus is on sel. Every step
// must move the focus and show it; past the page's last element the focus
// leaves the page once and comes back at its start.
async function tabTo(page, sel, back = false) {
  const seen = [];
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const st = await page.evaluate(focusState, sel);
    if (st.none) { seen.push('(out of the page)'); continue; }
    seen.push(st.desc);
    assert.ok(!st.same, `Tab left the focus on ${st.desc} (a trap) on ${page.url()}`);
    assert.ok(st.visible, `the focus on ${st.desc} is not visible on ${page.url()}`);
    if (st.match) return seen.length;
  }
  throw new Error(`${sel} not reached by ${back ? 'Shift+Tab' : 'Tab'} on ${page.url()}:\n${seen.join('\n')}`);
}

// Tab to sel and press key (Enter by default), waiting for the page it loads.
async function activate(page, sel, key = 'Enter') {
  await tabTo(page, sel);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press(key)]);
}

// The first Tab of a freshly loaded page reaches the skip link, shown on
// the screen; Enter moves the focus to <main>.
async function skipLink(page, lang = 'ru') {
  await page.evaluate(() => { document.activeElement.blur(); window.kgLastFocus = null; });
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return { cls: el.className, text: el.textContent, href: el.getAttribute('href'), onScreen: r.left >= 0 && r.top >= 0 && r.width > 0 };
  });
  assert.strictEqual(skip.cls, 'skip', `the first Tab reaches the skip link on ${page.url()}`);
  assert.strictEqual(skip.text, lang === 'kk' ? 'Мазмұнға өту' : 'Перейти к содержанию');
  assert.ok(skip.onScreen, 'the focused skip link is shown');
  await page.keyboard.press('Enter');
  assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'main', 'the skip link moves the focus to <main>');
}

// A refused form: its errors in an announced container, every message
// referred to by a field marked invalid. Returns the ids of the messages.
async function errorsLinked(page) {
  const r = await page.evaluate(() => {
    const msgs = [...document.querySelectorAll('main .field-error')];
    const announced = [...document.querySelectorAll('main [role=alert], main [aria-live]')].some((e) => e.textContent.trim());
    const unlinked = msgs.filter((m) => !m.id || !document.querySelector(`[aria-describedby~="${m.id}"][aria-invalid=true]`)).map((m) => m.id || m.textContent);
    const invalidBare = [...document.querySelectorAll('main [aria-invalid=true]')].filter((f) => {
      const ids = (f.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      return !ids.some((id) => document.getElementById(id));
    }).map((f) => f.id || f.name);
    return { ids: msgs.map((m) => m.id), announced, unlinked, invalidBare };
  });
  assert.ok(r.announced, `the errors are announced (role=alert or aria-live) on ${page.url()}`);
  assert.deepStrictEqual(r.unlinked, [], 'every message is linked to its field (aria-describedby, aria-invalid)');
  assert.deepStrictEqual(r.invalidBare, [], 'every invalid field is described by its message');
  return r.ids;
}

async function typeInto(page, sel, text) {
  await tabTo(page, sel);
  await page.keyboard.type(text);
}

test('a parent logs in by a one-time code with the keyboard only, a wrong code announced at its field', async () => {
  const page = await browser.page(srv);
  await page.goto(srv.url('/login'));
  await skipLink(page);
  await activate(page, 'nav.login-tabs a[href*="otp"]');
  await typeInto(page, '#phone', '+7 701 555 00 07');
  await typeInto(page, '#otp-iin', P.parent1.iin);
  const before = srv.sms().length;
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await page.waitForSelector('#form-code');
  const sms = await fx.smsAfter(srv, before);
  const code = sms[0].match(/\b(\d{6})\b/)[1];
  await typeInto(page, '#code', code === '000000' ? '111111' : '000000');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  await errorsLinked(page);
  assert.strictEqual(await page.getAttribute('#code', 'aria-invalid'), 'true');
  assert.match(await page.textContent(`#${await page.getAttribute('#code', 'aria-describedby')}`), /код/i);
  await skipLink(page);
  await tabTo(page, '#code');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(code);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('.user'), /НУРЛАНОВ АСХАТ БОЛАТОВИЧ/);
  // Back through the page: Shift+Tab moves too.
  await tabTo(page, 'header form[action="/logout"] button');
  await tabTo(page, 'a.brand', true);
  assert.deepStrictEqual(errors(page), []);
});

test('a parent registers a child with the keyboard only, the errors first announced and linked', async () => {
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent2');
  await page.goto(srv.url('/'));
  await skipLink(page);
  await activate(page, 'main a[href="/queue"]');
  await activate(page, 'button[value="save"]');
  const ids = await errorsLinked(page);
  assert.ok(ids.includes('err-child_iin') && ids.includes('err-child_name'), ids.join(' '));

  const year = new Date(srv.now() * 1000).getUTCFullYear() - 2;
  const iin = fx.iin(`${year}-05-17`, 'M', 7117);
  srv.gbdAdd(iin, 'parent2', { surname: 'Тулеубаев', name: 'Арман' });
  await tabTo(page, '#child_iin');
  await page.keyboard.type(iin);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#iin-info').textContent));
  await typeInto(page, '#child_surname', 'Тулеубаев');
  await typeInto(page, '#child_name', 'Арман');
  await tabTo(page, '#district');
  await page.keyboard.press('ArrowDown');   // the first city
  assert.notStrictEqual(await page.inputValue('#district'), '');
  await tabTo(page, 'input[name=benefit]:checked');
  await activate(page, 'button[value="save"]');
  await page.waitForURL(/\/queue\/app\/\d+$/);
  assert.match(await page.textContent('.flash'), /Ребенок поставлен в очередь/);
  assert.deepStrictEqual(errors(page), []);
});

test('a parent chooses a place and uploads a document with the keyboard only', async () => {
  const ddo = fx.ddoOf(srv, 'staff1');
  const app = fx.application(srv, { parent: 'parent1', groupYear: 2022 });
  const place = fx.freePlace(srv, { ddo, groupYear: 2022, total: 1 });
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent1');
  await page.goto(srv.url('/'));
  await activate(page, '.mainnav a[href="/places/choose"]');
  await activate(page, `main a[href="/places/choose?application=${app.id}"]`);
  await skipLink(page);
  await activate(page, `main a[href="/places/choose/confirm?application=${app.id}&place=${place}"]`);
  await activate(page, 'main form button[data-once]', 'Space');
  assert.match(page.url(), /\/places\/referral\/\d+$/);

  await activate(page, '.mainnav a[href="/enroll"]');
  if (await page.$('form.confirm-form')) {          // the instructions, read once
    await tabTo(page, 'input[name=read]');
    await page.keyboard.press('Space');
    await activate(page, 'form.confirm-form button');
  }
  const ref = srv.sql(`SELECT id FROM referral WHERE application_id = ${app.id}`)[0].id;
  const summary = `#ref-${ref} > summary`;
  if (!(await page.$eval(`#ref-${ref}`, (d) => d.open))) {
    await tabTo(page, summary);
    await page.keyboard.press('Enter');
  }
  await tabTo(page, `#file-${ref}-form065`);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles({ name: 'f065.pdf', mimeType: 'application/pdf', buffer: files.pdf('form 065 by keyboard') });
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.activeElement.matches('form.upload button[type=submit]')));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent(`#doc-${ref}-form065`), /f065\.pdf/);
  assert.deepStrictEqual(errors(page), []);
});

test('staff accept a referral with the keyboard only, signing through NCALayer', async () => {
  await layer.set({ person: 'staff1', mode: 'ok' });
  const ddo = fx.ddoOf(srv, 'staff1');
  const app = fx.application(srv, { parent: 'parent3', groupYear: 2019, surname: 'КЛАВИШЕВА', name: 'БАЛА' });
  const ref = fx.referral(srv, { application: app.id, place: fx.freePlace(srv, { ddo, groupYear: 2019 }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  const page = await browser.page(srv);
  await browser.login(page, srv, 'staff1');
  await page.goto(srv.url('/cabinet'));
  await skipLink(page);
  if (await page.$('form.ddo-choice')) {
    await tabTo(page, 'form.ddo-choice select');
    for (let i = 0; i < 40 && await page.inputValue('form.ddo-choice select') !== String(ddo); i++) await page.keyboard.press('ArrowDown');
    await activate(page, 'form.ddo-choice button');
  }
  // An empty search is refused at its field.
  await activate(page, 'form.search-row button');
  assert.deepStrictEqual(await errorsLinked(page), ['err-q']);
  await tabTo(page, 'input[name=by]:checked');
  if (!(await page.isChecked('#by-number'))) await page.keyboard.press('ArrowRight');
  assert.ok(await page.isChecked('#by-number'));
  await typeInto(page, 'input[name=q]', ref.number);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('.ref-result'), /КЛАВИШЕВА БАЛА/);
  await activate(page, 'form.accept-form button[type="submit"]');
  assert.match(await page.textContent('.flash'), new RegExp(`Ребенок принят в ДДО по направлению\\s+${ref.number}`));
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'enrolled');
  assert.deepStrictEqual(errors(page), []);
});

test('in Kazakh the skip link says so and leads to <main>', async () => {
  const page = await browser.page(srv, { lang: 'kk' });
  await page.goto(srv.url('/?lang=kk'));
  await skipLink(page, 'kk');
  await tabTo(page, 'main a');
});

run();
