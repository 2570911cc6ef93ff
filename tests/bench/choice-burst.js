#!/usr/bin/env node
// choice-burst.js — the burst of place choices (issue 5, Performance): an
// instance of its own (real nginx and programs, Server.start), 1,000 free
// places (100 records of 10 in Кокшетау, past their priority window),
// 10,000 eligible queued applications of 10,000 citizens each with a
// logged-in session, then 10,000 choice POSTs through nginx at once (a
// client pool of CONCURRENCY connections kept open). It reports choices per
// second, latency percentiles, the outcome of every request, and checks
// that exactly 1,000 referrals exist and that no record drifted
// (free = total - live referrals).
//
//   KG_TOP=$PWD KG_BUILD=$PWD/build node tests/bench/choice-burst.js
//   WORKERS=3 CONCURRENCY=256 PLACES_PER_RECORD=10 RECORDS=100 APPS=10000 node tests/bench/choice-burst.js
//
// Attached to a running instance (`make bench` runs it so, on the
// national-scale data): BENCH_ATTACH=1 with BENCH_PORT (nginx), BENCH_VAR
// (the instance's folder: kg.db, app.hdf) and BENCH_PIDFILE (the places
// pool's multiwatch, whose workers' CPU time is counted); it then also
// prints one line "BURST {json}" for run.sh.
//
// The referral PDFs are made after the responses (lib/referral.h): the
// check waits for them (at most 60 s) and reports when the last one was
// there.
//
// Exit status 1 when the check fails (overbooked, drift, or an error).
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { execFileSync } = require('child_process');
const { Server, BUILD } = require('../lib/server');

const ATTACH = process.env.BENCH_ATTACH === '1';
const WORKERS = Number(process.env.WORKERS || 3);
const CONCURRENCY = Number(process.env.CONCURRENCY || 256);
const RECORDS = Number(process.env.RECORDS || 100);
const PER_RECORD = Number(process.env.PLACES_PER_RECORD || 10);
const APPS = Number(process.env.APPS || 10000);
const PLACES = RECORDS * PER_RECORD;

function sqlScript(srv, script) {
  return execFileSync('sqlite3', ['-bail', path.join(srv.dir, 'kg.db')], { input: `.timeout 10000\n${script}`, encoding: 'utf8', maxBuffer: 1 << 28 });
}

// Two leading digits no IIN of the database starts with, for the burst's
// own citizens and children (the national-scale data has parents and
// children of every birth year).
function freePrefix(srv) {
  const used = new Set(srv.sql(`SELECT DISTINCT substr(iin, 1, 2) AS p FROM account
    UNION SELECT DISTINCT substr(iin, 1, 2) FROM child`).map((r) => r.p));
  for (let i = 0; i < 100; i++) {
    const p = String(i).padStart(2, '0');
    if (!used.has(p)) return p;
  }
  throw new Error('no free IIN prefix');
}

function setUp(srv) {
  const now = srv.now();
  const pre = freePrefix(srv);
  const year = new Date((now + 5 * 3600) * 1000).getUTCFullYear() - 3;
  const staff = srv.sql(`SELECT s.account_id AS a FROM ddo_staff s JOIN ddo d ON d.id = s.ddo_id WHERE d.district_id = 1110 ORDER BY s.account_id LIMIT 1`)[0].a;
  const ddos = srv.sql('SELECT id FROM ddo WHERE district_id = 1110 ORDER BY id').map((r) => r.id);
  const rows = [];
  for (let i = 0; i < RECORDS; i++) {
    rows.push(`(${ddos[i % ddos.length]}, 1110, ${year}, 'ru', ${PER_RECORD}, ${PER_RECORD}, ${staff}, ${now - 10 * 86400}, ${now - 86400}, 'free_choice')`);
  }
  // Citizens, children, queued applications (generated in SQL), then one
  // session per citizen with a token only this script knows.
  const sessions = [];
  const values = [];
  for (let i = 1; i <= APPS; i++) {
    const token = crypto.randomBytes(32).toString('base64url');
    const csrf = crypto.randomBytes(32).toString('base64url');
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    sessions.push({ token, csrf, iin: `${pre}${String(i).padStart(10, '0')}` });
    values.push(`(X'${hash}', '${csrf}', '${pre}${String(i).padStart(10, '0')}')`);
  }
  const script = `
BEGIN;
INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, created_at, window_until, status) VALUES
${rows.join(',\n')};
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${APPS})
INSERT INTO account(iin, surname, name, roles, phone, created_at, updated_at)
SELECT printf('${pre}%010d', i), 'БЕНЧ', 'РОДИТЕЛЬ', 1, printf('+7700%07d', i), ${now}, ${now} FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${APPS})
INSERT INTO child(iin, surname, name, birth_date, sex, created_at)
SELECT printf('${pre}%010d', i), 'БЕНЧ', 'БАЛА', '${year}-01-01', 'M', ${now} FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${APPS})
INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, benefit, phone, status,
  queued_at, created_at, updated_at)
SELECT printf('UO.BENCH.%06d.1', i), (SELECT id FROM child WHERE iin = printf('${pre}%010d', i)),
  (SELECT id FROM account WHERE iin = printf('${pre}%010d', i)), 1110, ${year}, 'ru', 'none', printf('+7700%07d', i),
  'queued', ${now - 86400} + i, ${now - 86400}, ${now - 86400} FROM n;
CREATE TEMP TABLE s(token_hash BLOB, csrf TEXT, iin TEXT);
INSERT INTO s VALUES
${values.join(',\n')};
INSERT INTO session(token_hash, account_id, csrf, auth_method, created_at, seen_at, expires_at)
SELECT s.token_hash, a.id, s.csrf, 'otp', ${now}, ${now}, ${now + 12 * 3600} FROM s JOIN account a ON a.iin = s.iin;
COMMIT;
SELECT a.iin, p.id FROM application p JOIN account a ON a.id = p.applicant_id WHERE p.number LIKE 'UO.BENCH.%';
SELECT id FROM free_place WHERE group_year = ${year} AND language = 'ru' AND district_id = 1110 AND status = 'free_choice' ORDER BY id DESC LIMIT ${RECORDS};
`;
  const out = sqlScript(srv, script).trim().split('\n');
  const appOf = new Map();
  const places = [];
  for (const line of out) {
    const [a, b] = line.split('|');
    if (b !== undefined) appOf.set(a, Number(b));
    else places.push(Number(a));
  }
  for (const s of sessions) s.application = appOf.get(s.iin);
  return { sessions, places: places.reverse(), year };
}

function post(agent, srv, s, place) {
  const body = new URLSearchParams({ csrf: s.csrf, application: String(s.application), place: String(place) }).toString();
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({
      host: '127.0.0.1', port: srv.port, path: '/places/choose', method: 'POST', agent,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body), Cookie: `kg_sid=${s.token}` },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - t0) / 1e6, error: e.message }));
    req.end(body);
  });
}

// CPU seconds used so far by the places workers: those of the pool whose
// multiwatch pid is in pidfile (attached), else this instance's processes
// running the places program. Tells the cost per choice apart from what
// other work on a shared machine does to the wall-clock figures.
function cpuOf(exe, pidfile) {
  const hz = 100;
  let ticks = 0;
  const parent = pidfile ? fs.readFileSync(pidfile, 'utf8').trim() : null;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      if (parent ? f[1] !== parent : fs.readlinkSync(`/proc/${pid}/exe`) !== exe) continue;
      ticks += Number(f[11]) + Number(f[12]);   // utime, stime
    } catch (_) { /* gone meanwhile */ }
  }
  return ticks / hz;
}

function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]; }

// The running instance `make bench` made, seen as the tests' Server is.
function attached() {
  const dir = process.env.BENCH_VAR;
  const db = path.join(dir, 'kg.db');
  return {
    port: Number(process.env.BENCH_PORT),
    dir,
    sql(q) {
      const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 10000', db, q], { encoding: 'utf8', maxBuffer: 1 << 28 });
      return out.trim() ? JSON.parse(out) : [];
    },
    now() { return Math.floor(Date.now() / 1000); },
    async stop() {},
  };
}

// The state after a burst, checked: exactly one referral per place, none
// overbooked, no drift, every winner's SMS and (waited for) PDF.
async function check(srv, places, counts) {
  const mine = "(SELECT id FROM application WHERE number LIKE 'UO.BENCH.%')";
  // The referral PDFs and the SMS are made after the responses: wait for them.
  let docs = 0;
  const waitStart = Date.now();
  for (;;) {
    docs = srv.sql(`SELECT count(*) AS n FROM document WHERE kind = 'referral' AND application_id IN ${mine}`)[0].n;
    if (docs >= PLACES || Date.now() - waitStart > 60000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const pdfsAfter = (Date.now() - waitStart) / 1000;
  const referrals = srv.sql(`SELECT count(*) AS n FROM referral WHERE application_id IN ${mine}`)[0].n;
  const drift = srv.sql(`SELECT count(*) AS n FROM free_place f WHERE f.id IN (${places.join(',')}) AND f.free <> f.total - (SELECT count(*) FROM referral r
    WHERE r.free_place_id = f.id AND r.status NOT IN ('annulled','refusal_confirmed'))`)[0].n;
  const free = srv.sql(`SELECT sum(free) AS n FROM free_place WHERE id IN (${places.join(',')})`)[0].n;
  const sms = srv.sql(`SELECT count(*) AS n FROM notification WHERE kind = 'referral' AND application_id IN ${mine}`)[0].n;
  console.log(`responses: ${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  console.log(`referrals: ${referrals} (places ${PLACES}), referral PDFs: ${docs} (all there ${pdfsAfter.toFixed(1)} s after the last response), SMS queued: ${sms}, free left: ${free}, records drifted: ${drift}`);
  const out = { referrals, docs, pdfs_after: pdfsAfter, sms, free, drift, ok: false };
  assert.strictEqual(referrals, PLACES, 'exactly as many referrals as places');
  assert.strictEqual(counts[303], PLACES, 'as many winners as places');
  assert.strictEqual(counts[409], APPS - PLACES, 'every other request refused with 409');
  assert.strictEqual(drift, 0);
  assert.strictEqual(free, 0);
  assert.strictEqual(sms, PLACES, 'every winner has the SMS');
  assert.strictEqual(docs, PLACES, 'every referral has its PDF');
  console.log('ok - exactly one referral per place, never overbooked');
  out.ok = true;
  return out;
}

// make bench (run.sh) drives the burst with wrk (burst.lua), the same
// client as every other scenario: `--prepare FILE` writes one request a
// line (session token, CSRF token, application, place) and the places' ids
// to FILE.places; `--check FILE 303=N 409=M ...` checks the outcome and
// prints "BURST {json}".
async function attachedStep(mode, file, rest) {
  const srv = attached();
  try {
    if (mode === '--prepare') {
      const t0 = Date.now();
      const { sessions, places } = setUp(srv);
      assert.strictEqual(places.length, RECORDS);
      assert.strictEqual(sessions.filter((s) => s.application).length, APPS);
      fs.writeFileSync(file, sessions.map((s, i) => `${s.token} ${s.csrf} ${s.application} ${places[i % places.length]}`).join('\n') + '\n');
      fs.writeFileSync(`${file}.places`, places.join(',') + '\n');
      console.log(`set up: ${RECORDS} records x ${PER_RECORD} = ${PLACES} places, ${APPS} queued applications with sessions (${Date.now() - t0} ms)`);
      return 0;
    }
    const places = fs.readFileSync(`${file}.places`, 'utf8').trim().split(',').map(Number);
    const counts = {};
    for (const kv of rest) {
      const [k, v] = kv.split('=');
      counts[k] = Number(v);
    }
    let out = { ok: false };
    try {
      out = await check(srv, places, counts);
    } catch (e) {
      console.log(`not ok - ${e.message}`);
    }
    console.log(`BURST ${JSON.stringify(out)}`);
    return out.ok ? 0 : 1;
  } catch (e) {
    console.log(`not ok - ${e.message}`);
    return 1;
  }
}

async function main() {
  if (ATTACH && (process.argv[2] === '--prepare' || process.argv[2] === '--check')) {
    process.exit(await attachedStep(process.argv[2], process.argv[3], process.argv.slice(4)));
  }
  const srv = ATTACH ? attached() : await Server.start({ workers: WORKERS });
  let failed = false;
  const summary = {};
  try {
    const t0 = Date.now();
    const { sessions, places } = setUp(srv);
    assert.strictEqual(places.length, RECORDS);
    assert.strictEqual(sessions.filter((s) => s.application).length, APPS);
    console.log(`set up: ${RECORDS} records x ${PER_RECORD} = ${PLACES} places, ${APPS} queued applications with sessions (${Date.now() - t0} ms)`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const placesExe = path.join(BUILD, 'cgi-bin', 'places');
    const pidfile = ATTACH ? process.env.BENCH_PIDFILE : null;
    const cpu0 = cpuOf(placesExe, pidfile);
    const load0 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    const started = process.hrtime.bigint();
    const client0 = process.cpuUsage();
    let next = 0;
    const results = new Array(APPS);
    async function lane() {
      for (;;) {
        const i = next++;
        if (i >= APPS) return;
        results[i] = await post(agent, srv, sessions[i], places[i % places.length]);
      }
    }
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, APPS) }, lane));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const clientCpu = process.cpuUsage(client0);
    agent.destroy();
    const byStatus = {};
    for (const r of results) byStatus[r.status] = (byStatus[r.status] || 0) + 1;
    const lat = results.map((r) => r.ms).sort((a, b) => a - b);
    const won = results.filter((r) => r.status === 303).map((r) => r.ms).sort((a, b) => a - b);
    console.log(`workers per program: ${ATTACH ? 'as the instance runs' : WORKERS}, client connections: ${CONCURRENCY}`);
    console.log(`${APPS} choices in ${seconds.toFixed(2)} s: ${(APPS / seconds).toFixed(0)} choices/s`);
    console.log(`latency ms: p50 ${pct(lat, 50).toFixed(1)}, p90 ${pct(lat, 90).toFixed(1)}, p99 ${pct(lat, 99).toFixed(1)}, max ${lat[lat.length - 1].toFixed(1)}`);
    if (won.length) console.log(`winners' latency ms: p50 ${pct(won, 50).toFixed(1)}, p99 ${pct(won, 99).toFixed(1)}`);
    Object.assign(summary, {
      rps: APPS / seconds, p50: pct(lat, 50), p99: pct(lat, 99), requests: APPS,
      refused: byStatus[409] || 0, other: APPS - (byStatus[303] || 0) - (byStatus[409] || 0),
    });
    const checked = await check(srv, places, byStatus);
    const cpu = cpuOf(placesExe, pidfile) - cpu0;
    const load1 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    console.log(`CPU: places workers ${cpu.toFixed(2)} s (${(cpu * 1000 / APPS).toFixed(2)} ms per choice, the PDFs made after the responses included); `
      + `this client ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)} s; `
      + `load average ${load0} before, ${load1} after (the machine's other work shares its ${require('os').cpus().length} cores)`);
    Object.assign(summary, checked, { cpu_us: cpu * 1e6 / APPS });
  } catch (e) {
    failed = true;
    summary.ok = false;
    console.log(`not ok - ${e.message}`);
    if (process.env.KG_BENCH_LOGS && srv.logs) console.log(srv.logs().slice(-4000));
  } finally {
    await srv.stop();
  }
  if (ATTACH) console.log(`BURST ${JSON.stringify(summary)}`);
  process.exit(failed ? 1 : 0);
}

main();
