// edsform.js — signing a page's EDS form in the HTTP tests the way
// NCALayer would: the text is the base64 in the form's data-eds-challenge,
// the CMS is made by `openssl cms -sign -binary -md sha256 -nodetach` with a
// person's key from the test PKI (KG_PKI).
//
//   const eds = require('../lib/edsform');
//   const f = eds.form(page.text, '/cabinet/accept');   // { text, nonce, fields }
//   await c.post('/cabinet/accept', { ...f.fields, cms: eds.sign(f.text, 'staff1-sign') });
'use strict';

const path = require('path');
const { execFileSync } = require('child_process');
const { BUILD } = require('./server');

const PKI = process.env.KG_PKI || path.join(BUILD, 'pki');

function unescape(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&#10;/g, '\n').replace(/&#13;/g, '\r').replace(/&amp;/g, '&');
}

// The signed form whose action is `action` on the page: the text it asks to
// sign, its nonce and every hidden field it carries (csrf included).
function form(html, action) {
  const re = /<form\b[^>]*>[\s\S]*?<\/form>/g;
  let m;
  while ((m = re.exec(html))) {
    const open = m[0].slice(0, m[0].indexOf('>') + 1);
    if (!/\bdata-eds\b/.test(open)) continue;
    const a = open.match(/\baction="([^"]*)"/);
    if (!a || unescape(a[1]) !== action) continue;
    const ch = open.match(/data-eds-challenge="([^"]*)"/);
    const fields = {};
    for (const h of m[0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[h[1]] = unescape(h[2]);
    return { text: Buffer.from(unescape(ch[1]), 'base64').toString('utf8'), nonce: fields.nonce, fields, purpose: (open.match(/data-eds-purpose="([^"]*)"/) || [])[1] };
  }
  throw new Error(`no signed form for ${action} on the page`);
}

// Base64 of an attached CMS over text by a test PKI key ('staff1-sign').
function sign(text, who) {
  const der = execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-nodetach', '-outform', 'DER',
    '-signer', path.join(PKI, `${who}.pem`), '-inkey', path.join(PKI, `${who}.key`)], { input: Buffer.from(text, 'utf8') });
  return der.toString('base64');
}

module.exports = { form, sign, unescape };
