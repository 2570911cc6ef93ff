// One-time codes by purpose (issue 19, item 3) through real nginx and the
// real programs: the 60-second wait between codes counts per purpose, so a
// parent who has just logged in by code gets the contract's code at once;
// a second contract code within the minute is answered as information with
// the seconds left (and a countdown for the script), not as an error.
'use strict';

const assert = require('assert');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const files = require('../lib/files');

const P = Server.persons();
let srv;
before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

const codeOf = (sms) => sms.match(/\b(\d{6})\b/)[1];

// A client logged in through the login screen with a code from the SMS spool.
async function loginByCode(who) {
  const c = srv.client();
  await c.get('/login?tab=otp');
  const before = srv.sms().length;
  const asked = await c.post('/login/otp', { phone: P[who].phone, iin: P[who].iin });
  assert.strictEqual(asked.status, 303, textOf(asked.text).slice(0, 300));
  const sms = await fx.smsAfter(srv, before);
  assert.strictEqual(sms.length, 1, 'the login code is sent');
  await c.get(asked.location);
  const ok = await c.post('/login/otp/code', { code: codeOf(sms[0]) });
  assert.strictEqual(ok.status, 303, textOf(ok.text).slice(0, 300));
  return c;
}

// A referral of parent3's new child with its three forms uploaded: ready to sign.
async function readyToSign(c) {
  const app = fx.application(srv, { parent: 'parent3', district: 1110, groupYear: 2021 });
  const place = fx.freePlace(srv, { ddo: fx.ddoOf(srv, 'staff1'), groupYear: 2021, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place });
  await c.get('/enroll');
  assert.strictEqual((await c.post('/enroll/ok', { read: 1 })).status, 303);
  for (const kind of ['form065', 'form027', 'form052_2']) {
    const r = await c.upload(`/enroll/${ref.id}/upload`, { kind },
      { file: { name: `${kind}.pdf`, type: 'application/pdf', data: files.pdf(kind) } });
    assert.strictEqual(r.status, 303, `${kind}: ${textOf(r.text).slice(0, 300)}`);
  }
  await c.get(`/enroll?open=${ref.id}`);
  return ref;
}

test('a parent who logged in by code gets the contract code at once; a second one within 60 s is information with the seconds', async () => {
  srv.sql('DELETE FROM rate_event');
  const c = await loginByCode('parent3');
  const ref = await readyToSign(c);

  // Seconds after the login code: the contract code is sent all the same.
  const before = srv.sms().length;
  const first = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(first.status, 303, textOf(first.text).slice(0, 400));
  const sent = await fx.smsAfter(srv, before);
  assert.strictEqual(sent.length, 1);
  assert.match(sent[0], /^To: \+77015550009\n/);
  assert.match(sent[0], /код для подписания договора \d{6}/);

  // The same purpose again within the minute: nothing sent, an information.
  const again = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(again.status, 429);
  assert.match(again.headers['retry-after'] || '', /^(60|59|58)$/);
  const info = again.text.match(/<p class="notice code-wait" role="status" data-countdown="(\d+)"[^>]*>([^<]*)<\/p>/);
  assert.ok(info, 'the wait is shown as information with a countdown');
  assert.match(info[1], /^(60|59|58)$/);
  assert.strictEqual(info[2], `Код уже отправлен в SMS. Новый код можно запросить через ${info[1]} сек.`);
  assert.doesNotMatch(again.text, /class="(alert alert-error|field-error)"/, 'not an error');
  assert.strictEqual(srv.sms().length, before + 1, 'no second SMS');

  // After the minute a new code is sent.
  srv.advanceClock(61);
  assert.strictEqual((await c.post(`/enroll/${ref.id}/code`, {})).status, 303);
});

test('the wait in Kazakh is information too', async () => {
  srv.sql('DELETE FROM rate_event');
  const c = await loginByCode('parent3');
  const ref = await readyToSign(c);
  await c.get('/enroll?lang=kk');
  assert.strictEqual((await c.post(`/enroll/${ref.id}/code`, {})).status, 303);
  const again = await c.post(`/enroll/${ref.id}/code`, {});
  assert.strictEqual(again.status, 429);
  assert.match(textOf(again.text), /Код SMS арқылы жіберілді\. Жаңа кодты (60|59|58) сек\. кейін сұрауға болады\./);
  assert.match(again.text, /class="notice code-wait" role="status"/);
});

test('a login code within the minute is information on the login page, not an error', async () => {
  srv.sql('DELETE FROM rate_event');
  const c = srv.client();
  await c.get('/login?tab=otp');
  assert.strictEqual((await c.post('/login/otp', { phone: P.parent2.phone, iin: P.parent2.iin })).status, 303);
  const early = await c.post('/login/otp/resend', {});
  assert.strictEqual(early.status, 429);
  assert.doesNotMatch(early.text, /alert-error/);
  assert.match(early.text, /id="login-info" data-countdown="(60|59)"[^>]*data-countdown-button="otp-resend"/);
});

run();
