// client.js — a small HTTP client that behaves like a browser for the
// tests: keeps cookies, remembers the last page's CSRF token and sends it
// with forms, never follows redirects unless asked.
//
//   const c = new Client('http://127.0.0.1:8080');
//   await c.get('/district');                       // picks up the csrf field
//   const r = await c.post('/district', { code: 1110 });   // csrf added
//   r.status === 303 && r.location === '/'
//   await c.post('/x', { a: 1 }, { csrf: false });  // no token
//   await c.upload('/enroll/upload', { csrf: c.csrf, kind: 'form065' },
//                  { file: { name: 'a.pdf', type: 'application/pdf', data: buf } });
'use strict';

const http = require('http');
const { URL } = require('url');
const crypto = require('crypto');

class Client {
  constructor(base, opts = {}) {
    this.base = base;
    // opts.cookies: { name: value } the client starts with.
    this.cookies = new Map(Object.entries(opts.cookies || {}));
    this.csrf = null;
    this.headers = opts.headers || {};
    // opts.localAddress: the loopback address the client connects from
    // ('127.0.0.2', ...), so that tests can be several client addresses.
    this.localAddress = opts.localAddress;
  }

  cookieHeader() {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  takeCookies(setCookie) {
    for (const line of setCookie || []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if (maxAge && Number(maxAge.split('=')[1]) <= 0) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  request(method, path, body, contentType, extraHeaders = {}) {
    const url = new URL(path, this.base);
    const headers = { ...this.headers, ...extraHeaders };
    const cookie = this.cookieHeader();
    if (cookie) headers.Cookie = cookie;
    if (body !== undefined && body !== null) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers, agent: false, localAddress: this.localAddress }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          this.takeCookies(res.headers['set-cookie']);
          const text = buf.toString('utf8');
          const ctype = res.headers['content-type'] || '';
          if (ctype.startsWith('text/html')) {
            const m = text.match(/name="csrf" value="([^"]+)"/);
            if (m) this.csrf = m[1];
          }
          resolve({
            status: res.statusCode,
            headers: res.headers,
            text,
            body: buf,
            location: res.headers.location || null,
          });
        });
      });
      req.on('error', reject);
      if (body !== undefined && body !== null) req.write(body);
      req.end();
    });
  }

  async get(path, opts = {}) {
    let r = await this.request(opts.method || 'GET', path, null, null, opts.headers);
    let hops = 0;
    while (opts.follow && r.status >= 300 && r.status < 400 && r.location && hops++ < 10) {
      r = await this.request('GET', r.location, null, null, opts.headers);
    }
    return r;
  }

  form(data, opts) {
    const d = { ...data };
    if (opts.csrf !== false && d.csrf === undefined && this.csrf) d.csrf = this.csrf;
    if (typeof opts.csrf === 'string') d.csrf = opts.csrf;
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(d)) {
      if (Array.isArray(v)) v.forEach((x) => p.append(k, String(x)));
      else if (v !== undefined && v !== null) p.append(k, String(v));
    }
    return p.toString();
  }

  async post(path, data = {}, opts = {}) {
    const body = this.form(data, opts);
    let r = await this.request('POST', path, body, opts.contentType || 'application/x-www-form-urlencoded',
      opts.headers);
    let hops = 0;
    while (opts.follow && r.status >= 300 && r.status < 400 && r.location && hops++ < 10) {
      r = await this.request('GET', r.location);
    }
    return r;
  }

  // multipart/form-data: fields are strings; files are { name, type, data }.
  async upload(path, fields = {}, files = {}, opts = {}) {
    const boundary = '----kgtest' + crypto.randomBytes(12).toString('hex');
    const d = { ...fields };
    if (opts.csrf !== false && d.csrf === undefined && this.csrf) d.csrf = this.csrf;
    const parts = [];
    for (const [k, v] of Object.entries(d)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    for (const [k, f] of Object.entries(files)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\n`
        + `Content-Type: ${f.type || 'application/octet-stream'}\r\n\r\n`));
      parts.push(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data));
      parts.push(Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const body = Buffer.concat(parts);
    return this.request('POST', path, body, `multipart/form-data; boundary=${boundary}`, opts.headers);
  }
}

// Helpers for assertions on pages.
function textOf(html) {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

module.exports = { Client, textOf };
