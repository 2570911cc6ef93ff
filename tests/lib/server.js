// server.js — a real instance of the service for a test file: nginx and
// every built program (supervised FastCGI pools) on a free loopback port,
// with a fresh database (migrations, reference and demo data) in a
// temporary directory. Driven through conf/serve.sh, exactly as `make run`.
//
//   const srv = await Server.start({ conf: 'Queue.SearchPerMinute = 5' });
//   const c = srv.client();            // a browser-like client with cookies
//   const r = await c.get('/');        // { status, headers, text, location, cookies }
//   srv.sql("SELECT count(*) AS n FROM audit")   // rows as objects (sqlite3 -json)
//   srv.advanceClock(86400)            // moves the programs' clock forward
//   srv.login(c, 'staff1')             // c is now logged in as that demo person
//                                      // (a persons.tsv key or an IIN)
//   srv.gbdAdd(childIin, 'parent1')    // the register of persons: parent1 may register the child
//   await srv.stop();
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { Client } = require('./client');

const TOP = process.env.KG_TOP || path.resolve(__dirname, '..', '..');
const BUILD = process.env.KG_BUILD || path.join(TOP, 'build');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

class Server {
  constructor(port, dir, env) {
    this.port = port;
    this.dir = dir;
    this.env = env;
    this.base = `http://127.0.0.1:${port}`;
    this.clockFile = path.join(dir, 'clock-offset');
    this.clockOffset = 0;
  }

  static async start(opts = {}) {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-test-'));
    fs.chmodSync(dir, 0o755);   // Apache's workers (www-data) reach the sockets through it
    const clockFile = path.join(dir, 'clock-offset');
    fs.writeFileSync(clockFile, '0\n');
    const extra = [`Clock.OffsetFile = ${clockFile}`, opts.conf || ''].join('\n');
    const env = {
      ...process.env,
      // opts.top: another copy of the source tree (conf, templates, sql,
      // htdocs, tests/tools), e.g. one in a folder others cannot read.
      KG_TOP: opts.top || TOP,
      KG_BUILD: BUILD,
      KG_VAR: dir,
      PORT: String(port),
      WORKERS: String(opts.workers || 1),
      KG_CONF_EXTRA: extra,
      KG_SEARCH_RATE: opts.searchRate || process.env.KG_SEARCH_RATE || '5r/s',
      // The session-making pages' limit (/login, /district, /check): lifted
      // unless a test asks for it (tests log in and out many times a second).
      KG_FORM_RATE: opts.formRate || '100000r/s',
      KG_FORM_BURST: opts.formBurst || '100000',
      // The demo DDOs and accounts; the demo's applications, places and
      // referrals only when a test asks for them (opts.scenarios), so each
      // test starts from the state it makes itself.
      KG_DEMO_BASE: opts.scenarios ? '' : '1',
    };
    if (process.env.KG_PKI) env.KG_PKI = process.env.KG_PKI;
    const serve = path.join(TOP, 'conf', 'serve.sh');
    try {
      execFileSync(serve, ['setup'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      execFileSync(serve, ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const out = `${e.stdout || ''}${e.stderr || ''}`;
      throw new Error(`the test server did not start: ${out}`);
    }
    return new Server(port, dir, env);
  }

  client(opts) { return new Client(this.base, opts); }

  url(p) { return this.base + p; }

  // Rows of a query, as objects. Test code only: values in the SQL text are
  // the test's own constants.
  sql(query) {
    const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 5000', path.join(this.dir, 'kg.db'), query],
      { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }

  // The demo and test persons of tests/tools/persons.tsv, by key.
  static persons() {
    if (!Server._persons) {
      Server._persons = {};
      const text = fs.readFileSync(path.join(TOP, 'tests', 'tools', 'persons.tsv'), 'utf8');
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const [key, iin, surname, name, patronymic, role, bin, phone] = line.split('\t');
        Server._persons[key] = { key, iin, surname, name, patronymic, role, bin: bin === '-' ? '' : bin, phone };
      }
    }
    return Server._persons;
  }

  // The programs' current time (seconds), with the test clock's offset.
  now() { return Math.floor(Date.now() / 1000) + this.clockOffset; }

  // A logged-in session for an account, made directly in the database: a
  // test fixture so that screens can be tested without going through the
  // login screen each time (the login screen has tests of its own). who is
  // a persons.tsv key or an IIN. Returns { token, csrf }; with a client,
  // also sets its cookie and CSRF token.
  login(client, who, method = 'password') {
    const p = Server.persons()[who];
    const iin = p ? p.iin : String(who);
    if (!/^\d{12}$/.test(iin)) throw new Error(`login: unknown person ${who}`);
    const token = crypto.randomBytes(32).toString('base64url');
    const csrf = crypto.randomBytes(32).toString('base64url');
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    const now = this.now();
    const rows = this.sql(`INSERT INTO session(token_hash, account_id, csrf, auth_method, created_at, seen_at, expires_at)
      SELECT X'${hash}', id, '${csrf}', '${method}', ${now}, ${now}, ${now + 12 * 3600} FROM account WHERE iin = '${iin}'
      RETURNING id`);
    if (rows.length !== 1) throw new Error(`login: no account with IIN ${iin}`);
    if (client) {
      client.cookies.set('kg_sid', token);
      client.csrf = csrf;
    }
    return { token, csrf };
  }

  // Puts a child and a legal representative in the register of persons
  // (ГБД ФЛ, table gbd_person) as support's import would: registration
  // checks the pair. parent: a persons.tsv key or an IIN; opts: surname,
  // name, patronymic (stored as given: the form shows them as the parent
  // typed them and saves them in capitals; default ТЕСТОВ РЕБЁНОК),
  // relation ('mother'). The birth date is the child IIN's. Replaces the
  // pair's row if it is there.
  gbdAdd(childIin, parent = 'parent1', opts = {}) {
    const p = Server.persons()[parent];
    const rep = p ? p.iin : String(parent);
    if (!/^\d{12}$/.test(childIin) || !/^\d{12}$/.test(rep)) throw new Error(`gbdAdd: bad IIN ${childIin} ${rep}`);
    const century = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 }[childIin[6]] || 2000;
    const birth = `${century + Number(childIin.slice(0, 2))}-${childIin.slice(2, 4)}-${childIin.slice(4, 6)}`;
    const up = (s) => String(s || '').replace(/'/g, "''");
    this.sql(`INSERT OR REPLACE INTO gbd_person(child_iin, surname, name, patronymic, birth_date, representative_iin,
      relation, imported_at) VALUES ('${childIin}', '${up(opts.surname || 'ТЕСТОВ')}', '${up(opts.name || 'РЕБЁНОК')}',
      '${up(opts.patronymic)}', '${birth}', '${rep}', '${opts.relation || 'mother'}', ${this.now()})`);
  }

  // Runs kgctl with the instance's settings.
  kgctl(...args) {
    return execFileSync(path.join(BUILD, 'kgctl'), args,
      { env: { ...this.env, KG_CONF: path.join(this.dir, 'app.hdf') }, encoding: 'utf8' });
  }

  // Moves the clock of the programs (and of kgctl) forward by seconds.
  advanceClock(seconds) {
    this.clockOffset += seconds;
    fs.writeFileSync(this.clockFile, `${this.clockOffset}\n`);
  }

  // The text the instance logged: nginx's error log and each program's.
  logs() {
    const dir = path.join(this.dir, 'log');
    return fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  }

  // The SMS messages written by the spool gateway, oldest first.
  sms() {
    const dir = path.join(this.dir, 'sms');
    if (!fs.existsSync(dir)) return [];
    // Only finished messages: the gateway writes a temporary name, then renames.
    return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  }

  async startApache() {
    const port = await freePort();
    this.apachePort = port;
    execFileSync(path.join(TOP, 'conf', 'serve.sh'), ['apache'],
      { env: { ...this.env, APACHE_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    return `http://127.0.0.1:${port}`;
  }

  async stop() {
    try {
      execFileSync(path.join(TOP, 'conf', 'serve.sh'), ['stop'], { env: this.env, stdio: 'ignore' });
    } finally {
      if (!process.env.KG_KEEP_TEST_VAR) fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

module.exports = { Server, TOP, BUILD, freePort };
