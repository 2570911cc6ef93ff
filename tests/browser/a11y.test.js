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
const fx = require('../lib/fixtures');

let srv;
let browser;
const S = {};   // the ids the screens need, made in before()

before(async () => {
  srv = await Server.start();
  browser = await Browser.launch();
  const [ddo] = fx.ddosOf(srv, 'staff1');
  const now = srv.now();
  // parent1: an application offered a place in the priority window ...
  const offered = fx.application(srv, { parent: 'parent1', groupYear: 2020, queuedAt: now - 400 * 86400 });
  fx.freePlace(srv, { ddo, groupYear: 2020, total: 1, createdAt: now - 60, windowUntil: now + 3600 });
  srv.kgctl('tick');
  // ... one that can choose a place in free choice ...
  const choosing = fx.application(srv, { parent: 'parent1', groupYear: 2022, queuedAt: now - 300 * 86400 });
  const choice = fx.freePlace(srv, { ddo, groupYear: 2022, total: 2 });
  // ... and one with a referral whose documents are due (/enroll).
  const referred = fx.application(srv, { parent: 'parent1', groupYear: 2023, queuedAt: now - 200 * 86400 });
  const ref = fx.referral(srv, { application: referred.id, place: fx.freePlace(srv, { ddo, groupYear: 2023 }) });
  // staff1's DDO: a referral with documents to accept, one refused (the
  // reviewer's), a child enrolled.
  const submitted = fx.application(srv, { parent: 'parent2', groupYear: 2019 });
  const toAccept = fx.referral(srv, { application: submitted.id, place: fx.freePlace(srv, { ddo, groupYear: 2019, total: 2 }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: submitted.id, referral: toAccept.id });
  const refusedApp = fx.application(srv, { parent: 'parent2', groupYear: 2019 });
  const refused = fx.referral(srv, { application: refusedApp.id, place: fx.freePlace(srv, { ddo, groupYear: 2019 }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: refusedApp.id, referral: refused.id });
  fx.refusal(srv, { referral: refused.id });
  fx.enrolled(srv, { ddo, parent: 'parent2', groupYear: 2020 });
  fx.guardianRequest(srv, {});
  Object.assign(S, { offered, choosing, choice, referred, ref, toAccept, ddo });
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// Each screen: its address, or [address, what is done on it first] for
// the state a form reaches when refused (its messages at the fields).
const refused = (button, fill = {}) => async (page) => {
  for (const [sel, value] of Object.entries(fill)) await page.fill(sel, value);
  // The server's messages, not the browser's own check of required fields.
  await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
  await Promise.all([page.waitForNavigation(), page.click(button)]);
  await page.waitForSelector('main .field-error, main [role=alert]');
};
const SCREENS = {
  public: () => ['/', '/district', '/district/help', '/places', `/queue/search?q=${S.offered.number}`,
    '/queue/search?q=UO.1', '/stats', '/queue', '/login', '/login?tab=iin', '/login?tab=otp',
    ['/login?tab=iin', refused('#form-iin button[type=submit]', { '#iin': '123', '#password': 'x' })], '/no/such/page'],
  parent1: () => ['/', '/queue', ['/queue', refused('button[value="save"]')], '/queue/my', `/queue/app/${S.offered.id}`,
    `/queue/offer/${S.offered.id}/decline`, `/queue/withdraw/${S.choosing.id}`, '/places/choose',
    `/places/choose?application=${S.choosing.id}`, `/places/choose/confirm?application=${S.choosing.id}&place=${S.choice}`,
    `/places/referral/${S.ref.id}`, '/enroll', '/enroll?help=1', '/journal', `/journal/${S.referred.id}`],
  staff1: () => ['/', '/places', '/places/add', ['/places/add', refused('form.places-add-form button[value=review]')], '/cabinet',
    `/cabinet?by=number&q=${S.toAccept.number}`, '/cabinet?by=number&q=', `/cabinet/refuse/${S.toAccept.id}`, '/journal'],
  reviewer1: () => ['/', '/review', '/review/benefits', '/review/guardians', '/places', '/journal'],
  support: () => ['/', '/admin', '/admin/ddo', '/admin/ddo/new', `/admin/ddo/${S.ddo}`, '/admin/accounts',
    '/admin/accounts/new', ['/admin/accounts/new', refused('#account-form button[type=submit]')],
    `/admin/accounts/${fx.accountId(srv, 'staff1')}`, '/admin/bmg', '/admin/gbd', '/admin/holidays', '/admin/audit'],
};

const show = (v) => `  ${v.rule} (${v.impact}) at ${v.target} on ${v.page} [${v.width}px]: ${v.help}`;

// Every screen of a role in one language, at both widths: the violations.
async function check(who, lang) {
  const page = await browser.page(srv, { lang });
  if (who !== 'public') await browser.login(page, srv, who);
  await page.context().addCookies([{ name: 'district', value: '1110', url: srv.base }]);
  await page.goto(srv.url(`/?lang=${lang}`));
  const found = [];
  for (const screen of SCREENS[who]()) {
    const [path, first] = Array.isArray(screen) ? screen : [screen, null];
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
for (const who of Object.keys(SCREENS)) {
  test(`${who === 'public' ? 'a visitor' : who}: every screen, ru and kk, 1280 and 375 px: no serious or critical violation`, async () => {
    const found = (await Promise.all([check(who, 'ru'), check(who, 'kk')])).flat();
    for (const v of found) console.log(show(v));   // all of them: the failure's text is cut short
    assert.strictEqual(found.length, 0, `${found.length} serious or critical violations (listed above)`);
  });
}

run();
