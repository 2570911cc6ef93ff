// What a signature must be, through real nginx and the real programs, for
// the cases that NCALayer never makes but an attacker can: MD5 and SHA-1
// digests, a self-signed leaf naming a real person, a forged leaf with the
// genuine chain attached, a CMS without certificates (-nocerts), content
// edited after signing, and a certificate of the genuine CA with no key
// usage extensions (refused for the login and for an action). Each refusal
// has its message, no session and nothing stored.
'use strict';

const assert = require('assert');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server, BUILD } = require('../lib/server');
const { textOf } = require('../lib/client');
const fx = require('../lib/fixtures');
const eds = require('../lib/edsform');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');
const DIGEST = 'Подпись сделана с устаревшим алгоритмом хеширования. Принимаются только SHA-256, SHA-384 и SHA-512: подпишите ключом RSA в NCALayer.';
const DIGEST_KK = 'Қолтаңба ескірген хэштеу алгоритмімен қойылған. Тек SHA-256, SHA-384 және SHA-512 қабылданады: NCALayer-де RSA кілтімен қол қойыңыз.';
const UNTRUSTED = 'Сертификат выдан не Национальным удостоверяющим центром РК (недоверенный издатель).';
const PURPOSE = 'Ключ не того назначения: для входа нужен ключ AUTH_RSA, для подписания действий — ключ RSA (подпись).';

let srv;
before(async () => { srv = await Server.start(); });
after(async () => { if (srv) await srv.stop(); });

// DER of an attached CMS over content by a PKI key (who: file name without
// .pem/.key), with opts.md (default sha256), opts.chain (a PKI file of
// certificates to attach) and opts.nocerts.
function cmsDer(content, who, opts = {}) {
  const args = ['cms', '-sign', '-binary', '-md', opts.md || 'sha256', '-nodetach', '-outform', 'DER',
    '-signer', path.join(PKI, `${who}.pem`), '-inkey', path.join(PKI, `${who}.key`)];
  if (opts.chain) args.push('-certfile', path.join(PKI, opts.chain));
  if (opts.nocerts) args.push('-nocerts');
  return execFileSync('openssl', args, { input: Buffer.from(content) });
}

const messageOf = (r) => {
  const m = r.text.match(/<div class="alert alert-error" role="alert" id="login-error">([^<]*)<\/div>/);
  return m ? m[1] : null;
};

async function challenge(c) {
  const page = await c.get('/login?tab=eds');
  assert.strictEqual(page.status, 200);
  return {
    content: Buffer.from(page.text.match(/data-eds-challenge="([^"]+)"/)[1], 'base64'),
    nonce: page.text.match(/name="nonce" value="([^"]+)"/)[1],
  };
}

// An EDS login with the CMS make(content) gives: refused with message.
async function loginRefused(make, message, outcome, c = srv.client()) {
  const ch = await challenge(c);
  const signatures = srv.sql('SELECT count(*) AS n FROM signature')[0].n;
  const r = await c.post('/login/eds', { nonce: ch.nonce, cms: make(ch.content).toString('base64') });
  assert.strictEqual(r.status, 422, textOf(r.text).slice(0, 300));
  assert.strictEqual(messageOf(r), message);
  assert.ok(!fx.sessionAccount(srv, c), 'no logged-in session');
  assert.strictEqual(fx.audit(srv, 'login')[0].outcome, outcome);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM signature')[0].n, signatures, 'nothing stored');
}

test('the test PKI\'s SHA-256 signature logs in (the cases below differ from it in one thing each)', async () => {
  const c = srv.client();
  const ch = await challenge(c);
  const r = await c.post('/login/eds', { nonce: ch.nonce, cms: cmsDer(ch.content, 'parent1-auth').toString('base64') });
  assert.strictEqual(r.status, 303, textOf(r.text).slice(0, 300));
});

test('a CMS signed with MD5 or SHA-1 is refused, and the message names the accepted digests', async () => {
  await loginRefused((ch) => cmsDer(ch, 'parent1-auth', { md: 'md5' }), DIGEST, 'eds_digest');
  await loginRefused((ch) => cmsDer(ch, 'parent1-auth', { md: 'sha1' }), DIGEST, 'eds_digest');
  const kk = srv.client();
  await kk.get('/?lang=kk');
  await loginRefused((ch) => cmsDer(ch, 'parent1-auth', { md: 'sha1' }), DIGEST_KK, 'eds_digest', kk);
});

test('SHA-384 and SHA-512 are accepted', async () => {
  for (const md of ['sha384', 'sha512']) {
    const c = srv.client();
    const ch = await challenge(c);
    const r = await c.post('/login/eds', { nonce: ch.nonce, cms: cmsDer(ch.content, 'parent1-auth', { md }).toString('base64') });
    assert.strictEqual(r.status, 303, `${md}: ${textOf(r.text).slice(0, 300)}`);
  }
});

test('a self-signed leaf carrying a real person\'s IIN is untrusted', async () => {
  await loginRefused((ch) => cmsDer(ch, 'selfsigned-parent1-auth'), UNTRUSTED, 'eds_untrusted');
});

test('a forged leaf with the genuine root and intermediate attached is untrusted', async () => {
  await loginRefused((ch) => cmsDer(ch, 'forged-parent1-auth', { chain: 'ca.pem' }), UNTRUSTED, 'eds_untrusted');
});

test('a CMS without certificates (-nocerts) is refused', async () => {
  await loginRefused((ch) => cmsDer(ch, 'parent1-auth', { nocerts: true }),
    'Полученные данные не являются подписью ЭЦП (CMS).', 'eds_format');
});

test('eContent edited after signing is refused', async () => {
  await loginRefused((ch) => {
    const der = cmsDer(ch, 'parent1-auth');
    const at = der.indexOf(ch);
    assert.ok(at > 0, 'the challenge is inside the CMS');
    der[at + ch.length - 1] ^= 0x01;          // the last character of the signed time
    return der;
  }, 'Подписан не тот текст. Обновите страницу и подпишите еще раз.', 'eds_content');
});

test('a certificate with no key usage extensions: refused for the login', async () => {
  // noku.pem: staff1's subject, issued by the genuine intermediate.
  await loginRefused((ch) => cmsDer(ch, 'noku'), PURPOSE, 'eds_purpose');
});

test('a certificate with no key usage extensions: refused for an action («Принять в ДДО»)', async () => {
  const ddo = fx.ddoOf(srv, 'staff1');
  const app = fx.application(srv, {});
  const place = fx.freePlace(srv, { ddo, total: 1 });
  const ref = fx.referral(srv, { application: app.id, place, status: 'docs_submitted' });
  fx.submittedDocs(srv, { application: app.id, referral: ref.id });
  const c = srv.client();
  srv.login(c, 'staff1');
  await c.post('/cabinet/ddo', { ddo });
  const f = eds.form((await c.get(`/cabinet?by=number&q=${ref.number}`)).text, '/cabinet/accept');
  const r = await c.post('/cabinet/accept', { ...f.fields, cms: cmsDer(f.text, 'noku').toString('base64') });
  assert.strictEqual(r.status, 422, textOf(r.text).slice(0, 300));
  assert.ok(textOf(r.text).includes(PURPOSE), textOf(r.text).slice(0, 600));
  assert.strictEqual(srv.sql(`SELECT status FROM referral WHERE id = ${ref.id}`)[0].status, 'docs_submitted');
  // The same text signed with staff1's real SIGN key over a fresh challenge goes through.
  const g = eds.form(r.text, '/cabinet/accept');
  const ok = await c.post('/cabinet/accept', { ...g.fields, cms: eds.sign(g.text, 'staff1-sign') });
  assert.strictEqual(ok.status, 303);
});

run();
