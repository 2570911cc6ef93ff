// WCAG 2.1 AA, as axe-core measures it (issue 19 item 6): every screen of
// every role — a visitor, a parent, DDO staff, the education department's
// reviewer, support — in Russian and in Kazakh, at a desktop's width
// (1280 px) and a phone's (375 px), has no violation of impact serious or
// critical of axe-core's WCAG 2.0/2.1 A and AA rules (contrast, names of
// fields and buttons, landmarks, duplicate ids, ARIA). Each violation is
// printed with its rule, the element and the page. One browser; one profile
// per role and language, its page reused for every screen.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const screens = require('../lib/screens');

let srv;
let browser;
const S = {};   // the ids the screens need, made in before()

before(async () => {
  srv = await Server.start();
  browser = await Browser.launch();
  Object.assign(S, screens.prepare(srv));
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const show = (v) => `  ${v.rule} (${v.impact}) at ${v.target} on ${v.page} [${v.width}px]: ${v.help}`;

// Every screen of a role in one language, at both widths: the violations.
async function check(who, lang) {
  const page = await browser.page(srv, { lang });
  if (who !== 'public') await browser.login(page, srv, who);
  await page.context().addCookies([{ name: 'district', value: '1110', url: srv.base }]);
  await page.goto(srv.url(`/?lang=${lang}`));
  const found = [];
  for (const { path, first } of screens.list(srv, S)[who]) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(srv.url(path));
    if (first) await first(page);
    assert.strictEqual(await page.getAttribute('html', 'lang'), lang, `${path} is in ${lang}`);
    for (const width of [1280, 375]) {
      if (width !== 1280) await page.setViewportSize({ width, height: 740 });
      for (const v of await browser.axe(page)) found.push({ ...v, width });
    }
  }
  return found;
}

// Both languages at once: two pages of one browser.
for (const who of ['public', 'parent1', 'staff1', 'reviewer1', 'support']) {
  test(`${who === 'public' ? 'a visitor' : who}: every screen, ru and kk, 1280 and 375 px: no serious or critical violation`, async () => {
    const found = (await Promise.all([check(who, 'ru'), check(who, 'kk')])).flat();
    for (const v of found) console.log(show(v));   // all of them: the failure's text is cut short
    assert.strictEqual(found.length, 0, `${found.length} serious or critical violations (listed above)`);
  });
}

run();
