// Every screen of every role, in the state a person sees it in: the one
// list the accessibility test (axe-core, both widths) and the phone test
// (375 px, nothing outside the screen) walk, so a new screen is added once.
//
//   const S = screens.prepare(srv);      // the fixtures the screens need
//   screens.list(srv, S)[role]           // [{ path, sel?, status?, first? }]
//
// sel: an element that must be there (the state was reached: a list has
// its rows); status: the answer expected when not 200; first(page): what is
// done on the page first (a form sent with faults, to see its messages).
'use strict';

const fx = require('./fixtures');

// A parent with an offer, a free choice and a referral whose documents are
// due; staff1's DDO with documents to accept, a refusal under review and an
// enrolled child; a guardian's request.
function prepare(srv) {
  const [ddo] = fx.ddosOf(srv, 'staff1');
  const now = srv.now();
  const offered = fx.application(srv, { parent: 'parent1', groupYear: 2020, queuedAt: now - 400 * 86400 });
  fx.freePlace(srv, { ddo, groupYear: 2020, total: 1, createdAt: now - 60, windowUntil: now + 3600 });
  srv.kgctl('tick');
  const choosing = fx.application(srv, { parent: 'parent1', groupYear: 2022, queuedAt: now - 300 * 86400 });
  const choice = fx.freePlace(srv, { ddo, groupYear: 2022, total: 2 });
  const referred = fx.application(srv, { parent: 'parent1', groupYear: 2023, queuedAt: now - 200 * 86400 });
  const ref = fx.referral(srv, { application: referred.id, place: fx.freePlace(srv, { ddo, groupYear: 2023 }) });
  const submitted = fx.application(srv, { parent: 'parent2', groupYear: 2019 });
  const toAccept = fx.referral(srv, { application: submitted.id, place: fx.freePlace(srv, { ddo, groupYear: 2019, total: 2 }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: submitted.id, referral: toAccept.id });
  const refusedApp = fx.application(srv, { parent: 'parent2', groupYear: 2019 });
  const refused = fx.referral(srv, { application: refusedApp.id, place: fx.freePlace(srv, { ddo, groupYear: 2019 }), status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: refusedApp.id, referral: refused.id });
  fx.refusal(srv, { referral: refused.id });
  fx.enrolled(srv, { ddo, parent: 'parent2', groupYear: 2020 });
  fx.guardianRequest(srv, {});
  return { offered, choosing, choice, referred, ref, toAccept, ddo };
}

// A form sent with faults: the server's messages at its fields (not the
// browser's own check of required fields).
const refused = (button, fill = {}) => async (page) => {
  for (const [sel, value] of Object.entries(fill)) await page.fill(sel, value);
  await page.evaluate(() => { for (const f of document.forms) f.noValidate = true; });
  await Promise.all([page.waitForNavigation(), page.click(button)]);
  await page.waitForSelector('main .field-error, main [role=alert]');
};

function list(srv, S) {
  return {
    public: [
      { path: '/' }, { path: '/district' }, { path: '/district/help' },
      { path: '/places', sel: 'table.places-table tbody tr[data-id]' },
      { path: `/queue/search?q=${S.offered.number}` }, { path: `/queue/search?q=${S.offered.number}&hist=1` },
      { path: '/queue/search?q=UO.1', status: 422 }, { path: '/stats' }, { path: `/places/protocol/${S.choice}` },
      { path: '/audit/heads' },
      { path: '/queue' }, { path: '/login' }, { path: '/login?tab=iin' }, { path: '/login?tab=otp' },
      { path: '/login?tab=iin', first: refused('#form-iin button[type=submit]', { '#iin': '123', '#password': 'x' }) },
      { path: '/no/such/page', status: 404 }],
    parent1: [
      { path: '/' }, { path: '/queue' }, { path: '/queue', first: refused('button[value="save"]') },
      { path: '/queue/my', sel: 'section.offer' }, { path: `/queue/app/${S.offered.id}` },
      { path: `/queue/offer/${S.offered.id}/decline` }, { path: `/queue/withdraw/${S.choosing.id}` },
      { path: '/places/choose', sel: 'table.data tbody tr' },
      { path: `/places/choose?application=${S.choosing.id}`, sel: `table.choices tr[data-place="${S.choice}"]` },
      { path: `/places/choose/confirm?application=${S.choosing.id}&place=${S.choice}` },
      { path: `/places/referral/${S.ref.id}` }, { path: '/enroll' }, { path: '/enroll?help=1' },
      { path: '/journal', sel: 'table.journal tbody tr' }, { path: `/journal/${S.referred.id}` }, { path: '/moves' },
      { path: `/moves/waitlist/${S.choosing.id}` }],
    staff1: [
      { path: '/' }, { path: '/places', sel: 'table.places-table tbody tr.mine' }, { path: '/places/add' },
      { path: '/places/add', first: refused('form.places-add-form button[value=review]') },
      { path: '/cabinet', sel: 'table.enrolled-table tbody tr .departed-link' },
      { path: `/cabinet?by=number&q=${S.toAccept.number}#result` }, { path: '/cabinet?by=number&q=', status: 422 },
      { path: `/cabinet/refuse/${S.toAccept.id}` }, { path: '/journal', sel: 'table.journal tbody tr' }],
    reviewer1: [
      { path: '/' }, { path: '/review', sel: 'table.data tbody tr' }, { path: '/review/benefits' },
      { path: '/review/guardians', sel: 'table.data tbody tr' }, { path: '/places' }, { path: '/journal' }],
    support: [
      { path: '/' }, { path: '/admin' }, { path: '/admin/ddo', sel: 'table.data tbody tr' }, { path: '/admin/ddo/new' },
      { path: `/admin/ddo/${S.ddo}` }, { path: '/admin/accounts', sel: 'table.data tbody tr' },
      { path: '/admin/accounts/new' }, { path: '/admin/accounts/new', first: refused('#account-form button[type=submit]') },
      { path: `/admin/accounts/${fx.accountId(srv, 'staff1')}` }, { path: '/admin/bmg' }, { path: '/admin/gbd' },
      { path: '/admin/holidays' }, { path: '/admin/audit', sel: 'table.data tbody tr' },
      { path: '/admin/districts' }, { path: '/admin/refresh' }, { path: '/admin/places?district=1110' }],
  };
}

module.exports = { prepare, list };
