// harness.js — the test runner of the HTTP and browser suites.
//
//   const { test, run } = require('../lib/harness');
//   test('a POST without a CSRF token is refused', async () => { ... });
//   run();   // runs every test in order, prints "ok - name" / "not ok - name",
//            // then "N passed, N failed"; exit status 1 if any failed.
//
// before(fn) / after(fn) run once around the file's tests (start and stop
// the server there). A test fails by throwing (node:assert).
'use strict';

const tests = [];
const befores = [];
const afters = [];

function test(name, fn) { tests.push({ name, fn }); }
function before(fn) { befores.push(fn); }
function after(fn) { afters.push(fn); }

function indent(text) {
  return String(text).split('\n').slice(0, 12).map((l) => '    ' + l).join('\n');
}

async function run() {
  let passed = 0;
  let failed = 0;
  const only = process.env.TEST_ONLY;
  try {
    for (const fn of befores) await fn();
  } catch (e) {
    console.log('not ok - setup');
    console.log(indent(e.stack || e));
    for (const fn of afters) { try { await fn(); } catch (_) { /* already failing */ } }
    console.log(`0 passed, ${tests.length || 1} failed`);
    process.exit(1);
  }
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const started = Date.now();
    try {
      await t.fn();
      passed++;
      console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`not ok - ${t.name}`);
      console.log(indent(e.stack || e));
    }
  }
  for (const fn of afters) {
    try { await fn(); } catch (e) { failed++; console.log('not ok - teardown'); console.log(indent(e.stack || e)); }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

module.exports = { test, before, after, run };
