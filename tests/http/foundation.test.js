// The foundation through real nginx and the real programs: home page and
// tiles, district choice, language switch, security headers, cookies, CSRF,
// error pages, limits, supervision, and the Apache snippet.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { test, before, after, run } = require('../lib/harness');
const { Server } = require('../lib/server');
const { textOf } = require('../lib/client');

let srv;
before(async () => { srv = await Server.start({ workers: 2 }); });
after(async () => { if (srv) await srv.stop(); });

test('the home page shows the six service tiles of figure 8 with their paths', async () => {
  const r = await srv.client().get('/');
  assert.strictEqual(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/html; charset=utf-8/);
  const tiles = [
    ['/journal', 'Журнал заявлений'], ['/places', 'База свободных мест в ДДО'],
    ['/cabinet', 'Рабочий кабинет сотрудника ДДО'], ['/queue/search', 'Поиск номера очереди в детский сад'],
    ['/queue', 'Постановка в очередь'], ['/stats', 'Просмотр статистики'],
  ];
  for (const [href, title] of tiles) {
    const re = new RegExp(`<a class="tile[^"]*" href="${href.replace('/', '\\/')}">[\\s\\S]*?<b>${title}</b>`);
    assert.match(r.text, re, `tile ${title}`);
  }
  assert.match(r.text, /Список очередников и архивных заявок/);
});

test('every page carries the security headers (CSP without inline script, nosniff, referrer, frames)', async () => {
  for (const p of ['/', '/district', '/district/help', '/no-such-page']) {
    const r = await srv.client().get(p);
    const csp = r.headers['content-security-policy'];
    assert.ok(csp, `CSP on ${p}`);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.strictEqual(r.headers['x-content-type-options'], 'nosniff');
    assert.strictEqual(r.headers['referrer-policy'], 'same-origin');
    assert.strictEqual(r.headers['x-frame-options'], 'DENY');
  }
  const css = await srv.client().get('/css/site.css');
  assert.strictEqual(css.status, 200);
  assert.match(css.headers['content-type'], /text\/css/);
  assert.strictEqual(css.headers['x-content-type-options'], 'nosniff');
});

test('the district list has the 3 cities first, then the 17 districts, in both languages', async () => {
  const c = srv.client();
  const r = await c.get('/district');
  assert.strictEqual(r.status, 200);
  const names = [...r.text.matchAll(/<button type="submit" name="code" value="(\d+)"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2].trim()]);
  assert.strictEqual(names.length, 20);
  assert.deepStrictEqual(names.slice(0, 3).map((n) => n[1]), ['г. Кокшетау', 'г. Косшы', 'г. Степногорск']);
  assert.deepStrictEqual(names[3], ['1132', 'Аккольский район']);
  assert.ok(names.some((n) => n[1] === 'район Биржан сал'));
  assert.deepStrictEqual(names[19], ['1170', 'Бурабайский район']);
  await c.get('/district?lang=kk');
  const kk = await c.get('/district');
  const kkNames = [...kk.text.matchAll(/name="code" value="(\d+)"[^>]*>([^<]+)</g)].map((m) => m[2].trim());
  assert.strictEqual(kkNames.length, 20);
  assert.strictEqual(kkNames[0], 'Көкшетау қаласы');
  assert.ok(kkNames.includes('Бұланды ауданы'));
});

test('choosing a district keeps it in a cookie and shows it in the header', async () => {
  const c = srv.client();
  await c.get('/district');
  const r = await c.post('/district', { code: 1166, next: '/district/help' });
  assert.strictEqual(r.status, 303);
  assert.strictEqual(r.location, '/district/help');
  assert.strictEqual(c.cookies.get('district'), '1166');
  const page = await c.get('/district/help');
  assert.match(textOf(page.text), /Район: Целиноградский район/);
  assert.match(page.text, /Район выбран/);                      // the flash message, once
  const again = await c.get('/');
  assert.doesNotMatch(again.text, /class="flash"/);
  assert.match(textOf(again.text), /Район: Целиноградский район/);
  assert.doesNotMatch(again.text, /Район не выбран/);
});

test('a district choice to a foreign site returns home instead (no open redirect)', async () => {
  const c = srv.client();
  await c.get('/district');
  for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil', 'javascript:alert(1)']) {
    const r = await c.post('/district', { code: 1110, next });
    assert.strictEqual(r.status, 303);
    assert.strictEqual(r.location, '/', next);
  }
});

test('an unknown district re-renders the list with a message and sets nothing', async () => {
  const c = srv.client();
  await c.get('/district');
  for (const code of ['9999', 'abc', '', '1110; DROP TABLE district']) {
    const r = await c.post('/district', { code });
    assert.strictEqual(r.status, 422, `code ${code}`);
    assert.match(r.text, /class="field-error"/);
    assert.strictEqual(c.cookies.get('district'), undefined);
  }
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM district')[0].n, 20);
});

test('a POST without a CSRF token is refused with 403 and a page in the layout', async () => {
  const c = srv.client();
  await c.get('/district');
  const r = await c.post('/district', { code: 1110 }, { csrf: false });
  assert.strictEqual(r.status, 403);
  assert.match(r.text, /<header class="top">/);
  assert.match(r.text, /Форма устарела или отправлена с другого сайта/);
  assert.strictEqual(c.cookies.get('district'), undefined);
  const forged = await c.post('/district', { code: 1110 }, { csrf: 'A'.repeat(43) });
  assert.strictEqual(forged.status, 403);
  const nosession = await srv.client().post('/district', { code: 1110, csrf: 'x' });
  assert.strictEqual(nosession.status, 403);
});

test('a CSRF token of another session is refused', async () => {
  const a = srv.client();
  const b = srv.client();
  await a.get('/district');
  await b.get('/district');
  const r = await b.post('/district', { code: 1110 }, { csrf: a.csrf });
  assert.strictEqual(r.status, 403);
});

test('an unknown path gets the 404 page in the layout, in the chosen language', async () => {
  const c = srv.client();
  const r = await c.get('/no/such/page');
  assert.strictEqual(r.status, 404);
  assert.match(r.text, /<header class="top">/);
  assert.match(r.text, /Страница не найдена/);
  await c.get('/?lang=kk');
  const kk = await c.get('/no/such/page');
  assert.strictEqual(kk.status, 404);
  assert.match(kk.text, /Бет табылмады/);
});

test('a method a path does not take gets 405 with Allow', async () => {
  const c = srv.client();
  const r = await c.post('/district/help', {}, { csrf: false });
  assert.strictEqual(r.status, 405);
  assert.ok(r.headers.allow);
  const put = await c.get('/', { method: 'PUT' });
  assert.strictEqual(put.status, 405);
  assert.match(put.text, /Метод не поддерживается/);
});

test('HEAD answers with the headers and no body', async () => {
  const r = await srv.client().get('/', { method: 'HEAD' });
  assert.strictEqual(r.status, 200);
  assert.strictEqual(r.body.length, 0);
  assert.ok(Number(r.headers['content-length']) > 1000);
});

test('the language switch answers in Kazakh and the choice persists', async () => {
  const c = srv.client();
  const sw = await c.get('/district/help?lang=kk');
  assert.strictEqual(sw.status, 303);
  assert.strictEqual(sw.location, '/district/help');
  assert.strictEqual(c.cookies.get('lang'), 'kk');
  const r = await c.get('/');
  assert.match(r.text, /<html lang="kk">/);
  assert.match(r.text, /Өтініштер журналы/);
  assert.match(r.text, /Кезекке қою/);
  assert.match(r.text, /aria-current="true">Қазақша/);
  const back = await c.get('/?lang=ru', { follow: true });
  assert.match(back.text, /<html lang="ru">/);
  assert.match(back.text, /Журнал заявлений/);
  const bogus = await c.get('/?lang=en');
  assert.strictEqual(bogus.status, 200);   // ignored, not an error
  assert.match(bogus.text, /<html lang="ru">/);
});

test('a form body over the limit gets 413 and changes nothing', async () => {
  const c = srv.client();
  await c.get('/district');
  const r = await c.post('/district', { code: 1110, pad: 'x'.repeat(70000) });
  assert.strictEqual(r.status, 413);
  assert.match(r.text, /Слишком большой запрос/);
  assert.strictEqual(c.cookies.get('district'), undefined);
});

test('an unsupported body type gets 415 (a urlencoded type with a charset is accepted)', async () => {
  const c = srv.client();
  await c.get('/district');
  const json = await c.request('POST', '/district', `{"code":1110,"csrf":"${c.csrf}"}`, 'application/json');
  assert.strictEqual(json.status, 415);
  const mp = await c.upload('/district', { code: '1110' });
  assert.strictEqual(mp.status, 415);
  const body = `code=1110&csrf=${encodeURIComponent(c.csrf)}`;
  const cs = await c.request('POST', '/district', body, 'application/x-www-form-urlencoded; charset=UTF-8');
  assert.strictEqual(cs.status, 303);
  assert.strictEqual(c.cookies.get('district'), '1110');
});

test('the session cookie is HttpOnly and SameSite, holds a 256-bit token stored only hashed', async () => {
  const c = srv.client();
  const r = await c.get('/district');
  const sc = (r.headers['set-cookie'] || []).find((l) => l.startsWith('kg_sid='));
  assert.ok(sc);
  assert.match(sc, /HttpOnly/);
  assert.match(sc, /SameSite=Lax/);
  const token = c.cookies.get('kg_sid');
  assert.strictEqual(token.length, 43);
  const rows = srv.sql(`SELECT count(*) AS n FROM session WHERE token_hash = '${token}' OR csrf = '${token}'`);
  assert.strictEqual(rows[0].n, 0);
});

test('a session that expired while the form was open gets a precise answer', async () => {
  const c = srv.client();
  await c.get('/district');
  srv.advanceClock(3 * 3600);   // beyond Session.AnonIdleMinutes
  try {
    const r = await c.post('/district', { code: 1110 });
    assert.strictEqual(r.status, 403);
    assert.match(r.text, /Сеанс завершен из-за долгого бездействия/);
    assert.strictEqual(c.cookies.get('district'), undefined);
  } finally {
    srv.advanceClock(-3 * 3600);
  }
});

test('IINs in URLs do not reach the logs', async () => {
  const c = srv.client();
  await c.get('/no-such/850312412032?iin=850312412032');
  await new Promise((res) => setTimeout(res, 200));
  assert.doesNotMatch(srv.logs(), /850312412032/);
});

test('a crashed worker is restarted by its supervisor and the site keeps answering', async () => {
  const pid = Number(fs.readFileSync(path.join(srv.dir, 'run', 'district.pid'), 'utf8'));
  const children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.strictEqual(children.length, 2);
  for (const child of children) process.kill(child, 'SIGKILL');
  await new Promise((res) => setTimeout(res, 300));
  const after = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.strictEqual(after.length, 2);
  assert.ok(after.every((p) => !children.includes(p)));
  const r = await srv.client().get('/');
  assert.strictEqual(r.status, 200);
});

test('the data survives a restart of the instance (a second run reuses it)', async () => {
  const c = srv.client();
  await c.get('/district');
  await c.post('/district', { code: 1110 });
  const before = srv.sql('SELECT count(*) AS n FROM session')[0].n;
  const ddos = srv.sql('SELECT count(*) AS n FROM ddo')[0].n;
  const serve = path.join(srv.env.KG_TOP, 'conf', 'serve.sh');
  execFileSync(serve, ['stop'], { env: srv.env });
  execFileSync(serve, ['setup'], { env: srv.env, stdio: 'ignore' });
  execFileSync(serve, ['start'], { env: srv.env, stdio: 'ignore' });
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM session')[0].n, before);
  assert.strictEqual(srv.sql('SELECT count(*) AS n FROM ddo')[0].n, ddos);
  const r = await c.get('/');
  assert.strictEqual(r.status, 200);
});

test('the Apache snippet (mod_proxy_fcgi) serves the same programs', async () => {
  const base = await srv.startApache();
  const { Client } = require('../lib/client');
  const c = new Client(base);
  const home = await c.get('/');
  assert.strictEqual(home.status, 200);
  assert.match(home.text, /Просмотр статистики/);
  assert.ok(home.headers['content-security-policy']);
  const list = await c.get('/district');
  assert.strictEqual(list.status, 200);
  assert.strictEqual((list.text.match(/name="code" value=/g) || []).length, 20);
  const ok = await c.post('/district', { code: 1118 });
  assert.strictEqual(ok.status, 303);
  const refused = await c.post('/district', { code: 1118 }, { csrf: false });
  assert.strictEqual(refused.status, 403);
  const missing = await c.get('/no/such/page');
  assert.strictEqual(missing.status, 404);
  assert.match(missing.text, /Страница не найдена/);
  const css = await c.get('/css/site.css');
  assert.strictEqual(css.status, 200);
  assert.strictEqual(css.headers['x-content-type-options'], 'nosniff');
  // Public pages are kept for a second as nginx keeps them (mod_cache);
  // a visitor with a session (c has one, from the district form) is not
  // served the anonymous copy.
  const anon = new Client(base);
  const first = await anon.get('/stats');
  const second = await anon.get('/stats');
  assert.strictEqual(second.text, first.text);
  assert.match(String(second.headers['x-cache']), /HIT/);
  const personal = await c.get('/stats');
  assert.doesNotMatch(String(personal.headers['x-cache']), /HIT/);
  // Apache sends the end of a GET's (empty) stdin after its parameters; a
  // program that closed before reading it (lib/req.c) made some of these
  // 503. Two hundred, ten at a time.
  for (let i = 0; i < 20; i++) {
    const rs = await Promise.all(Array.from({ length: 10 }, (_, j) => c.get(j % 2 ? '/' : '/no/such/page')));
    assert.deepStrictEqual(rs.map((x) => x.status), Array.from({ length: 10 }, (_, j) => (j % 2 ? 200 : 404)));
  }
});

test('the deployable snippets are generated for a production prefix', async () => {
  const out = fs.mkdtempSync(path.join(srv.dir, 'deploy-'));
  execFileSync(path.join(srv.env.KG_TOP, 'conf', 'gen-web.sh'), ['deploy', '/usr/local', out], { env: srv.env });
  const server = fs.readFileSync(path.join(out, 'kg-nginx-server.conf'), 'utf8');
  assert.match(server, /root \/usr\/local\/share\/kg\/htdocs;/);
  assert.match(server, /location = \/queue\/search/);
  const http = fs.readFileSync(path.join(out, 'kg-nginx-http.conf'), 'utf8');
  assert.match(http, /upstream kg_district \{ server unix:\/run\/kg\/district.sock;/);
  const apache = fs.readFileSync(path.join(out, 'kg-apache.conf'), 'utf8');
  assert.match(apache, /ProxyPassMatch "\^\/admin\(\/\.\*\)\?\$" "unix:\/run\/kg\/admin.sock\|fcgi:\/\/kg-admin\/"/);
  // nginx accepts the generated snippets.
  fs.copyFileSync('/etc/nginx/fastcgi_params', path.join(out, 'fastcgi_params'));
  const main = path.join(out, 'nginx-test.conf');
  fs.writeFileSync(main, `pid ${out}/n.pid; error_log ${out}/e.log; events {} http { include /etc/nginx/mime.types; `
    + `include ${out}/kg-nginx-http.conf; server { listen 127.0.0.1:1; include ${out}/kg-nginx-server.conf; } }`);
  execFileSync('nginx', ['-t', '-q', '-p', out, '-c', main, '-e', `${out}/e.log`], { stdio: 'pipe' });
  // systemd units: a pool per program and the timed jobs every minute.
  const unit = fs.readFileSync(path.join(out, 'systemd', 'kg@.service'), 'utf8');
  assert.match(unit, /ExecStart=\/usr\/bin\/spawn-fcgi -n -s \/run\/kg\/%i\.sock .*multiwatch .*\/usr\/local\/lib\/kg\/cgi-bin\/%i/);
  const target = fs.readFileSync(path.join(out, 'systemd', 'kg.target'), 'utf8');
  for (const p of ['district', 'login', 'admin']) assert.match(target, new RegExp(`kg@${p}\\.service`));
  assert.match(fs.readFileSync(path.join(out, 'systemd', 'kg-tick.service'), 'utf8'), /ExecStart=\/usr\/local\/bin\/kgctl tick/);
  if (fs.existsSync('/usr/bin/systemd-analyze')) {
    // Verified against a prefix that holds the built programs.
    const prefix = fs.mkdtempSync(path.join(srv.dir, 'prefix-'));
    fs.mkdirSync(path.join(prefix, 'lib', 'kg', 'cgi-bin'), { recursive: true });
    fs.mkdirSync(path.join(prefix, 'bin'));
    fs.symlinkSync(path.join(srv.env.KG_BUILD, 'cgi-bin', 'district'), path.join(prefix, 'lib', 'kg', 'cgi-bin', 'district'));
    fs.symlinkSync(path.join(srv.env.KG_BUILD, 'kgctl'), path.join(prefix, 'bin', 'kgctl'));
    fs.mkdirSync(path.join(prefix, 'share', 'kg', 'conf'), { recursive: true });   // the unit's ExecReload
    fs.symlinkSync(path.join(srv.env.KG_TOP, 'conf', 'roll.sh'), path.join(prefix, 'share', 'kg', 'conf', 'roll.sh'));
    const out2 = fs.mkdtempSync(path.join(srv.dir, 'deploy2-'));
    execFileSync(path.join(srv.env.KG_TOP, 'conf', 'gen-web.sh'), ['deploy', prefix, out2], { env: srv.env });
    const d = path.join(out2, 'systemd');
    fs.copyFileSync(path.join(d, 'kg@.service'), path.join(d, 'kg@district.service'));
    execFileSync('systemd-analyze', ['verify', 'kg@district.service', 'kg-tick.service', 'kg-tick.timer'],
      { cwd: d, stdio: 'pipe' });
  }
});

run();
