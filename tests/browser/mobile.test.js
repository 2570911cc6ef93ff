// Phones first (issue 19 item 1): every screen of every role — a visitor,
// a parent, DDO staff, the education department's reviewer, support — in
// Russian and in Kazakh, at a phone's width (375 px): the page is not
// wider than the screen, and every visible link and button of the page's
// main content lies inside the screen, so that nothing a person needs is
// reached only by scrolling sideways. The lists are cards there: each cell
// shows its column's name, and the filters fold under «Фильтр» / «Сүзгі».
// One browser; one profile per role and language, its page reused.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const screens = require('../lib/screens');

const WIDTH = 375;
const SHOTS = process.env.KG_SCREENSHOTS || '';
let srv;
let browser;
const S = {};   // the ids the screens need, made in before()

before(async () => {
  srv = await Server.start();
  browser = await Browser.launch();
  if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
  Object.assign(S, screens.prepare(srv));
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// What sticks out of a phone's screen: the page's width and every visible
// link or button of <main> that is not wholly inside [0, width].
function measure(width) {
  const out = [];
  for (const el of document.querySelectorAll('main a, main button, main input[type=submit]')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;   // not shown (or visually hidden)
    if (r.left < -0.5 || r.right > width + 0.5) {
      out.push(`${el.tagName.toLowerCase()} «${(el.textContent || el.value || '').trim().slice(0, 40)}» at ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, out };
}

// Every screen of a role, in Russian and then in Kazakh: the faults found.
// KG_SCREENSHOTS=dir saves a full-page picture of each screen into dir.
async function check(who) {
  const page = await browser.page(srv);
  await page.setViewportSize({ width: WIDTH, height: 740 });
  if (who !== 'public') await browser.login(page, srv, who, who.startsWith('parent') ? 'eds' : 'password');
  await page.context().addCookies([{ name: 'district', value: '1110', url: srv.base },
    { name: 'kg_ddo', value: String(S.ddo), url: srv.base }]);
  const faults = [];
  for (const lang of ['ru', 'kk']) {
    await page.goto(srv.url(`/?lang=${lang}`));
    for (const s of screens.list(srv, S)[who]) {
      const res = await page.goto(srv.url(s.path));
      if (s.first) await s.first(page);
      const where = `${who} ${lang} ${s.path}`;
      if (!s.first) assert.strictEqual(res.status(), s.status || 200, `${where}: status`);
      assert.strictEqual(await page.getAttribute('html', 'lang'), lang, `${where} is in ${lang}`);
      if (s.sel) assert.ok(await page.locator(s.sel).count() > 0, `${where}: ${s.sel} is on the page`);
      if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${who}-${lang}${s.path.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
      const m = await page.evaluate(measure, WIDTH);
      if (m.scrollWidth > WIDTH) faults.push(`${where}: the page is ${m.scrollWidth} px wide`);
      for (const o of m.out) faults.push(`${where}: ${o} is outside the screen`);
    }
  }
  await page.context().close();
  return faults;
}

for (const who of ['public', 'parent1', 'staff1', 'reviewer1', 'support']) {
  test(`${who === 'public' ? 'a visitor' : who}: every screen at 375 px, ru and kk: not wider than the screen, every link and button inside it`, async () => {
    const faults = await check(who);
    for (const f of faults) console.log(`  ${f}`);
    assert.strictEqual(faults.length, 0, `${faults.length} faults (listed above)`);
  });
}

// The lists are cards on a phone: a cell shows its column's name, the
// action is inside the card, the filters fold under «Фильтр» and unfold.
test('a phone: the free places are cards with their labels, «Выбрать» is on the screen, the filters fold under «Фильтр»', async () => {
  const page = await browser.page(srv);
  await page.setViewportSize({ width: WIDTH, height: 740 });
  await browser.login(page, srv, 'parent1', 'eds');
  await page.goto(srv.url(`/places/choose?application=${S.choosing.id}`));
  const row = page.locator(`table.choices tr[data-place="${S.choice}"]`);
  const label = await row.locator('td').nth(5).evaluate((td) => getComputedStyle(td, '::before').content);
  assert.strictEqual(label, '"Свободно"');
  const take = await row.locator('a.btn').boundingBox();
  assert.ok(take.x >= 0 && take.x + take.width <= WIDTH, `«Выбрать» at ${take.x}..${take.x + take.width}`);
  // The staff's base: the filter row is folded until «Фильтр» is pressed.
  const staff = await browser.page(srv);
  await staff.setViewportSize({ width: WIDTH, height: 740 });
  await browser.login(staff, srv, 'staff1');
  await staff.context().addCookies([{ name: 'district', value: '1110', url: srv.base }]);
  await staff.goto(srv.url('/places'));
  const name = staff.locator('input[name="f_name"]');
  assert.strictEqual(await name.isVisible(), false, 'folded');
  await staff.click('details.filter-fold > summary:has-text("Фильтр")');
  assert.strictEqual(await name.isVisible(), true, 'unfolded');
  const free = await staff.locator('table.places-table tbody tr[data-id] td').nth(4)
    .evaluate((td) => getComputedStyle(td, '::before').content);
  assert.strictEqual(free, '"Свободно"');
  // A filter that is on keeps the fold open; the journal's filters fold too.
  await staff.goto(srv.url('/places?f_year=2019'));
  assert.strictEqual(await name.isVisible(), true, 'open while a filter is on');
  await staff.goto(srv.url('/journal'));
  assert.strictEqual(await staff.locator('#f-status').isVisible(), false);
  await staff.click('details.filter-fold > summary');
  assert.strictEqual(await staff.locator('#f-status').isVisible(), true);
  // At a desktop's width there is no fold: the filters are shown.
  await staff.setViewportSize({ width: 1280, height: 900 });
  await staff.goto(srv.url('/places'));
  assert.strictEqual(await staff.locator('details.filter-fold').isVisible(), false);
  assert.strictEqual(await name.isVisible(), true);
  await page.context().close();
  await staff.context().close();
});

run();
