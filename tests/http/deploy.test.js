// The deploy snippets and units (conf/gen-web.sh deploy) as a hosting team
// installs them elsewhere than Debian's places: everything they name
// follows the prefix and the settings; nginx accepts the snippets included
// from a copy of Debian's default nginx.conf run under another prefix (-p);
// the error pages both servers name exist, in Russian and Kazakh.
'use strict';

const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { test, run } = require('../lib/harness');
const { TOP } = require('../lib/server');

function generate(prefix, env = {}) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-deploy-'));
  execFileSync(path.join(TOP, 'conf', 'gen-web.sh'), ['deploy', prefix, out],
    { env: { ...process.env, KG_TOP: TOP, ...env } });
  const files = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(out, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(out);
  return { out, files };
}

// Every absolute path a generated file names (outside comments).
function pathsOf(text) {
  const code = text.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  return [...code.matchAll(/(?<![\w.])(\/(?:usr|opt|etc|var|run|srv|other)\/[\w./@%-]*)/g)].map((m) => m[1]);
}

test('another prefix and other places: the snippets and units name only them', () => {
  const { out, files } = generate('/opt/kg', {
    KG_RUN_DIR: '/srv/kg/run', KG_CONF_FILE: '/srv/kg/app.hdf', KG_DATA_DIR: '/srv/kg/data',
    KG_ACCESS_LOG: '/srv/kg/log/access.log', KG_PAGE_CACHE: '/srv/kg/pages', KG_APACHE_CACHE: '/srv/kg/apache',
  });
  assert.deepStrictEqual(Object.keys(files).sort(), ['kg-apache.conf', 'kg-nginx-http.conf', 'kg-nginx-server.conf',
    'systemd/kg-tick.service', 'systemd/kg-tick.timer', 'systemd/kg.target', 'systemd/kg@.service']);
  // The system's own programs and files, the same under any prefix.
  const system = new Set(['/usr/bin/spawn-fcgi', '/usr/bin/multiwatch', '/etc/nginx/fastcgi_params']);
  for (const [name, text] of Object.entries(files)) {
    for (const p of pathsOf(text)) {
      if (system.has(p)) continue;
      assert.ok(p.startsWith('/opt/kg/') || p.startsWith('/srv/kg/'), `${name} names ${p}`);
    }
  }
  const unit = files['systemd/kg@.service'];
  assert.match(unit, /^Environment=KG_CONF=\/srv\/kg\/app\.hdf$/m);
  assert.match(unit, /spawn-fcgi -n -s \/srv\/kg\/run\/%i\.sock .* -- \/opt\/kg\/lib\/kg\/cgi-bin\/%i$/m);
  assert.match(unit, /^ReadWritePaths=\/srv\/kg\/data \/srv\/kg\/run$/m);
  assert.doesNotMatch(unit, /^RuntimeDirectory=/m, 'systemd makes only directories under /run');
  assert.match(files['systemd/kg-tick.service'], /^ExecStart=\/opt\/kg\/bin\/kgctl tick$/m);
  assert.match(files['kg-nginx-server.conf'], /^root \/opt\/kg\/share\/kg\/htdocs;$/m);
  assert.match(files['kg-nginx-server.conf'], /^access_log \/srv\/kg\/log\/access\.log kg_masked/m);
  assert.match(files['kg-nginx-http.conf'], /^upstream kg_login \{ server unix:\/srv\/kg\/run\/login\.sock; \}$/m);
  assert.match(files['kg-apache.conf'], /"unix:\/srv\/kg\/run\/login\.sock\|fcgi:\/\/kg-login\/"/);
  fs.rmSync(out, { recursive: true, force: true });
});

test('the defaults are Debian\'s places; an empty KG_ACCESS_LOG leaves the log to the including server', () => {
  const { out, files } = generate('/usr');
  assert.match(files['systemd/kg@.service'], /^Environment=KG_CONF=\/etc\/kg\/app\.hdf$/m);
  assert.match(files['systemd/kg@.service'], /^RuntimeDirectory=kg$/m);
  assert.match(files['systemd/kg@.service'], /^ReadWritePaths=\/var\/lib\/kg \/run\/kg$/m);
  assert.match(files['kg-nginx-server.conf'], /^access_log \/var\/log\/nginx\/kg-access\.log kg_masked/m);
  // Cache hits counted where the programs keep their metrics (Paths.Metrics).
  assert.match(files['kg-nginx-server.conf'], /^access_log \/run\/kg\/metrics\/\$kg_prog\.hits kg_tally if=\$kg_cache_hit;$/m);
  // fastcgi_params by an absolute path: found under any nginx prefix.
  assert.doesNotMatch(files['kg-nginx-server.conf'], /include fastcgi_params;/);
  assert.match(files['kg-nginx-server.conf'], /include \/etc\/nginx\/fastcgi_params;/);
  fs.rmSync(out, { recursive: true, force: true });
  const none = generate('/usr', { KG_ACCESS_LOG: '' });
  assert.doesNotMatch(none.files['kg-nginx-server.conf'], /access_log/);
  fs.rmSync(none.out, { recursive: true, force: true });
});

// nginx -t on a copy of Debian's nginx.conf with the snippets in its http
// block, under a prefix of its own: 0, or its complaint.
function nginxTest(env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-nginx-prefix-'));
  const { out } = generate('/opt/kg', { KG_ACCESS_LOG: path.join(dir, 'kg-access.log'),
    KG_PAGE_CACHE: path.join(dir, 'pages'), ...env });
  const conf = fs.readFileSync('/etc/nginx/nginx.conf', 'utf8')
    .replace(/^pid .*$/m, `pid ${dir}/nginx.pid;`)
    .replace(/^(\s*)(error_log|access_log) [^;]*;/gm, `$1$2 ${dir}/$2.log;`)
    .replace(/^\s*include \/etc\/nginx\/sites-enabled\/\*;$/m,
      `include ${out}/kg-nginx-http.conf;\nserver { listen 127.0.0.1:9; include ${out}/kg-nginx-server.conf; }`);
  assert.ok(conf.includes('kg-nginx-server.conf'), 'Debian\'s nginx.conf includes sites-enabled');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  fs.mkdirSync(path.join(dir, 'prefix'));
  const r = spawnSync('nginx', ['-t', '-q', '-p', path.join(dir, 'prefix'), '-c', path.join(dir, 'nginx.conf'),
    '-e', path.join(dir, 'error.log')], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  return r.status === 0 ? 0 : r.stderr;
}

test('nginx accepts the deploy snippets from a copy of Debian\'s nginx.conf under another prefix', () => {
  if (!fs.existsSync('/etc/nginx/nginx.conf')) {
    console.log('# skipped: no /etc/nginx/nginx.conf (Debian\'s nginx is not installed)');
    return;
  }
  assert.strictEqual(nginxTest({}), 0);
  // A relative fastcgi_params is looked for under that prefix, and fails.
  assert.match(String(nginxTest({ KG_FASTCGI_PARAMS: 'fastcgi_params' })), /fastcgi_params/);
});

test('the error pages both servers name exist, in Russian and Kazakh', () => {
  const { out, files } = generate('/usr');
  const nginx = [...files['kg-nginx-server.conf'].matchAll(/^error_page (\d+) (\S+);$/gm)];
  const apache = [...files['kg-apache.conf'].matchAll(/^ErrorDocument (\d+) (\S+)$/gm)];
  for (const list of [nginx, apache]) {
    assert.deepStrictEqual(list.map((m) => m[1]), ['413', '429', '502', '503', '504']);
    for (const [, code, page] of list) {
      assert.strictEqual(page, `/errors/${code}.html`);
      const html = fs.readFileSync(path.join(TOP, 'htdocs', page), 'utf8');
      assert.match(html, new RegExp(`<p class="error-code">${code}</p>`));
      assert.match(html, /<h1 class="page-title">[А-Яа-яЁё ]+<\/h1>/, `${page}: Russian`);
      assert.match(html, /<h1 class="page-title" lang="kk">[^<]*[ӘәҒғҚқҢңӨөҰұҮүҺһІі][^<]*<\/h1>/, `${page}: Kazakh`);
    }
  }
  assert.match(files['kg-apache.conf'], /mime dir authz_core authz_host proxy proxy_fcgi headers/);
  fs.rmSync(out, { recursive: true, force: true });
});

run();
