// browser.js — Debian's Chromium driven by playwright-core, for the browser
// tests: what a person does, through the real nginx and programs.
//
//   const b = await Browser.launch();
//   const page = await b.page(srv);               // a fresh profile on the instance
//   await page.goto(srv.url('/'));
//   await b.login(page, srv, 'staff1');           // the session fixture, in the browser
//   await b.close();
//
// Chromium runs headless with the flags this machine needs (STACK.md); the
// fake NCALayer's self-signed TLS certificate is accepted (as the real
// NCALayer's is, after its installer adds it). Console errors and failed
// requests of the page are collected in page.kgErrors: a test can assert
// that a page ran without any (the CSP refuses inline script, for one).
'use strict';

const path = require('path');
const { TOP } = require('./server');

const { chromium } = require(path.join(TOP, 'tests', 'node_modules', 'playwright-core'));

const EXECUTABLE = process.env.KG_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

class Browser {
  constructor(b) { this.b = b; this.contexts = []; }

  static async launch() {
    const b = await chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
    return new Browser(b);
  }

  // A new page in a new, empty profile; lang sets Accept-Language.
  async page(srv, opts = {}) {
    const ctx = await this.b.newContext({
      ignoreHTTPSErrors: true,
      locale: opts.lang === 'kk' ? 'kk-KZ' : 'ru-RU',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    this.contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(opts.timeout || 15000);
    page.kgErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') page.kgErrors.push(m.text()); });
    page.on('pageerror', (e) => page.kgErrors.push(String(e)));
    page.kgSrv = srv;
    return page;
  }

  // Logs the page's profile in as a demo person (session fixture).
  async login(page, srv, who, method) {
    const { token } = srv.login(null, who, method);
    await page.context().addCookies([{ name: 'kg_sid', value: token, url: srv.base, httpOnly: true, sameSite: 'Lax' }]);
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.b.close();
  }
}

module.exports = { Browser };
