// browser.js — Debian's Chromium driven by playwright-core, for the browser
// tests: what a person does, through the real nginx and programs.
//
//   const b = await Browser.launch();
//   const page = await b.page(srv);               // a fresh profile on the instance
//   await page.goto(srv.url('/'));
//   await b.login(page, srv, 'staff1');           // the session fixture, in the browser
//   const bad = await b.axe(page);                // axe-core's serious and critical violations
//   await b.close();
//
// Chromium runs headless with the flags this machine needs (STACK.md); the
// fake NCALayer's self-signed TLS certificate is accepted (as the real
// NCALayer's is, after its installer adds it). Console errors and failed
// requests of the page are collected in page.kgErrors: a test can assert
// that a page ran without any (the CSP refuses inline script, for one).
'use strict';

const fs = require('fs');
const path = require('path');
const { TOP } = require('./server');

const { chromium } = require(path.join(TOP, 'tests', 'node_modules', 'playwright-core'));

// axe-core (tests/package.json) checks a page against the WCAG 2.1 A and AA
// rules. It is evaluated in the page only when a test asks, through the
// DevTools protocol: a <script> tag (page.addScriptTag) would be refused by
// the pages' CSP, and the CSP stays on while they are checked.
const AXE = path.join(path.dirname(require.resolve(path.join(TOP, 'tests', 'node_modules', 'axe-core'))), 'axe.min.js');
let axeSource = null;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

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

  // A new page in a new, empty profile; lang sets Accept-Language,
  // javaScriptEnabled: false turns the page's scripts off.
  async page(srv, opts = {}) {
    const ctx = await this.b.newContext({
      javaScriptEnabled: opts.javaScriptEnabled !== false,
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

  // The page's violations of impact serious or critical, one per element:
  // { rule, impact, target, help, page } (page: the path checked).
  async axe(page) {
    if (!axeSource) axeSource = fs.readFileSync(AXE, 'utf8');
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
    const res = await page.evaluate((tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    }), AXE_TAGS);
    const where = new URL(page.url()).pathname + new URL(page.url()).search;
    const out = [];
    for (const v of res.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      for (const n of v.nodes) {
        out.push({ rule: v.id, impact: v.impact, target: n.target.join(' '), help: v.help,
          summary: n.failureSummary, page: where });
      }
    }
    return out;
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
    await this.b.close();
  }
}

module.exports = { Browser };
