// The parent's whole path in Chromium, from a referral to a signed
// contract: the instruction and «ОК», the referral opened by the mark next
// to the child's name, the three forms uploaded, the contract downloaded,
// the mark, «Подписать договор» through the (fake) NCALayer with parent1's
// SIGN key; then the journal's row opened with its triangle and its three
// tabs, and the DDO's staff seeing the submitted application.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { Browser } = require('../lib/browser');
const { FakeNcaLayer } = require('../lib/ncalayer');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

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
  if (srv) await srv.stop();
  if (layer) await layer.stop();
});

test('a parent uploads the three forms, reads and signs the contract with EDS, and sees it all in the journal', async () => {
  const app = fx.application(srv, { parent: 'parent1', surname: 'ҚАЙРАТОВ', name: 'ЕРНҰР' });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1'), groupYear: 2021 });
  const ref = fx.referral(srv, { application: app.id, place });
  const page = await browser.page(srv);
  await browser.login(page, srv, 'parent1', 'eds');

  // The service description and the instruction, confirmed with «ОК».
  await page.goto(srv.url('/'));
  await page.click('a.tile[href="/enroll"]');
  assert.match(await page.textContent('.warning-box'), /На загрузку документов и подписание договора предоставляется 5 рабочих дней/);
  await page.check('input[name="read"]');
  await page.click('button:has-text("ОК")');
  await page.waitForURL(srv.url('/enroll'));

  // The mark next to the child's name opens the referral.
  const details = page.locator(`#ref-${ref.id}`);
  assert.strictEqual(await details.getAttribute('open'), null);
  await details.locator('summary').click();
  assert.notStrictEqual(await details.getAttribute('open'), null);
  assert.match(await details.textContent(), new RegExp(`Номер направления\\s*${ref.number}`));
  assert.match(await details.textContent(), /Осталось рабочих дней: \d|Сегодня последний день/);

  // The three forms: a PDF, a PNG, a JPEG.
  const uploads = [['form065', 'f065.pdf', 'application/pdf', files.pdf('065')],
    ['form027', 'f027.png', 'image/png', files.png()], ['form052_2', 'f052.jpg', 'image/jpeg', files.jpeg()]];
  for (const [kind, name, mimeType, buffer] of uploads) {
    const form = page.locator(`#doc-${ref.id}-${kind} form.upload`);
    await form.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
    await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
    assert.match(await page.textContent('.flash'), /Документ загружен/);
    assert.match(await page.locator(`#doc-${ref.id}-${kind}`).textContent(), new RegExp(`Загружен\\s*${name.replace('.', '\\.')}`));
  }
  assert.notStrictEqual(await details.getAttribute('open'), null, 'the referral stays open after each upload');

  // The contract opens by its link (a PDF download).
  const [download] = await Promise.all([page.waitForEvent('download'), details.locator('.contract-link a').click()]);
  assert.strictEqual(download.suggestedFilename(), `contract-${ref.number}.pdf`);

  // «Подписать договор»: the mark is required; NCALayer cancelled, then signed.
  await layer.set({ person: 'parent1', mode: 'cancel' });
  const sign = details.locator('form.sign-form');
  await sign.locator('input[name="agree"]').check();
  await sign.locator('button:has-text("Подписать договор")').click();
  await page.waitForFunction((id) => /отменено/.test(document.querySelector(`#ref-${id} [data-eds-status]`).textContent), ref.id);
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'issued');
  await layer.set({ person: 'parent1', mode: 'ok' });
  await Promise.all([page.waitForNavigation(), sign.locator('button:has-text("Подписать договор")').click()]);
  assert.match(await page.textContent('.flash'), /Договор подписан, документы поданы в дошкольную организацию/);
  assert.match(await page.locator(`#ref-${ref.id} .alert-ok`).textContent(), /Документы поданы, договор подписан/);
  assert.strictEqual(await page.locator(`#ref-${ref.id} form.upload`).count(), 0);
  const row = srv.sql(`SELECT r.status, s.method, s.signer_iin FROM referral r JOIN signature s ON s.id = r.contract_signature_id WHERE r.id = ${ref.id}`)[0];
  assert.deepStrictEqual(row, { status: 'docs_submitted', method: 'eds', signer_iin: '900517322416' });
  const log = await layer.log();
  assert.ok(log.some((e) => /sign/.test(JSON.stringify(e))), 'NCALayer was asked to sign');

  // The journal: the triangle opens the row; the three tabs.
  await page.click('a[href="/journal"]');
  const tri = page.locator(`#app-${app.id} a.tri`);
  await tri.click();
  await page.waitForSelector(`#app-${app.id}.open`);
  const detail = page.locator('tr.app-detail');
  assert.match(await detail.textContent(), new RegExp(`Номер направления\\s*${ref.number}`));
  assert.match(await detail.textContent(), /ҚАЙРАТОВ ЕРНҰР/);
  await detail.locator('nav.tabs a:has-text("История")').click();
  await page.waitForSelector('table.history');
  const hist = await page.locator('table.history').textContent();
  assert.match(hist, /Загружен документ: форма №065/);
  assert.match(hist, new RegExp(`Подписан договор № Д-${ref.number} \\(ЭЦП\\)`));
  await page.locator('tr.app-detail nav.tabs a:has-text("Документы")').click();
  await page.waitForSelector('table.docs-system');
  assert.strictEqual(await page.locator('table.docs-applicant tbody tr').count(), 3);
  const general = await page.locator('table.docs-system').textContent();
  assert.match(general, new RegExp(`Договор\\s*подписан \\d\\d\\.\\d\\d\\.\\d{4} \\d\\d:\\d\\d \\(ЭЦП\\)\\s*Д-${ref.number}`));
  assert.deepStrictEqual(page.kgErrors, []);

  // The DDO's staff see the submitted application in their journal.
  const staff = await browser.page(srv);
  await browser.login(staff, srv, 'staff1');
  await staff.goto(srv.url(`/journal?number=${ref.number}`));
  assert.match(await staff.locator(`#app-${app.id}`).textContent(), /Документы поданы/);
  assert.deepStrictEqual(staff.kgErrors, []);
});

run();
