// ncalayer.js — the fake NCALayer (tests/tools/fake-ncalayer.js) as a child
// process of a test file, on free ports, signing with the test PKI.
//
//   const layer = await FakeNcaLayer.start({ person: 'parent1' });
//   const srv = await Server.start({ conf: layer.conf });   // pages point at it
//   await layer.set({ person: 'staff1', mode: 'cancel' });
//   await layer.stop();
'use strict';

const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const { TOP, BUILD } = require('./server');

class FakeNcaLayer {
  constructor(proc, url, control) {
    this.proc = proc;
    this.url = url;
    this.controlUrl = control;
    // The setting that makes every page talk to this fake.
    this.conf = `Eds.NcaLayerUrl = ${url}`;
  }

  static start(opts = {}) {
    const pki = process.env.KG_PKI || path.join(BUILD, 'pki');
    const args = [path.join(TOP, 'tests', 'tools', 'fake-ncalayer.js'), '--pki', pki, '--port', '0',
      '--control-port', '0', '--person', opts.person || 'parent1', '--mode', opts.mode || 'ok'];
    if (opts.basics === false) args.push('--no-basics');
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let buf = '';
      let done = false;
      p.stderr.on('data', (b) => {
        buf += b.toString();
        if (process.env.KG_VERBOSE) process.stderr.write(b);
        const m = buf.match(/listening on (wss:\/\/127\.0\.0\.1:\d+) control (http:\/\/127\.0\.0\.1:\d+)/);
        if (m && !done) {
          done = true;
          resolve(new FakeNcaLayer(p, m[1], m[2]));
        }
      });
      p.on('exit', (code) => { if (!done) reject(new Error(`fake NCALayer exited ${code}: ${buf}`)); });
    });
  }

  control(method, p, body) {
    return new Promise((resolve, reject) => {
      const req = http.request(this.controlUrl + p, { method }, (res) => {
        let data = '';
        res.on('data', (c) => { data += c; });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`fake NCALayer ${p}: ${res.statusCode} ${data}`));
          else resolve(JSON.parse(data));
        });
      });
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  }

  // Changes whose key is "inserted" and what the "user" does (see the fake).
  set(state) { return this.control('POST', '/state', state); }

  // Every signing request since start or reset.
  log() { return this.control('GET', '/log'); }

  reset() { return this.control('POST', '/reset'); }

  stop() {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) { resolve(); return; }
      this.proc.on('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }
}

module.exports = { FakeNcaLayer };
