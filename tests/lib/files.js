// files.js — documents for the upload tests, made on the spot: a real
// one-page PDF (with a correct cross-reference table), and a PNG and a JPEG
// rendered from it by pdftoppm (poppler-utils, in conf/deps.sh). Also the
// helpers that read generated PDFs: their text (pdftotext) and the URLs of
// their QR codes (pdftoppm + zbarimg).
//
//   const files = require('../lib/files');
//   const pdf = files.pdf('Форма 065');         // Buffer
//   const png = files.png(), jpg = files.jpeg();
//   files.pdfText(buf)   -> text;   files.qrCodes(buf) -> ['http://.../check/...']
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

// A PDF 1.4 with one page showing `label` (ASCII), whose xref offsets are
// right, so that any reader opens it.
function pdf(label = 'Test document', pad = 0) {
  const text = String(label).replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 20 100 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  if (pad) out += `%${'x'.repeat(pad)}\n`;
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function tmpdir() { return fs.mkdtempSync(path.join(os.tmpdir(), 'kg-files-')); }

function render(fmt) {
  const dir = tmpdir();
  try {
    fs.writeFileSync(path.join(dir, 'in.pdf'), pdf('Scan of a form'));
    execFileSync('pdftoppm', [`-${fmt}`, '-r', '36', '-singlefile', path.join(dir, 'in.pdf'), path.join(dir, 'out')]);
    return fs.readFileSync(path.join(dir, fmt === 'png' ? 'out.png' : 'out.jpg'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let pngCache = null;
let jpegCache = null;
function png() { return pngCache || (pngCache = render('png')); }
function jpeg() { return jpegCache || (jpegCache = render('jpeg')); }

function pdfText(buf) {
  const dir = tmpdir();
  try {
    fs.writeFileSync(path.join(dir, 'd.pdf'), buf);
    return execFileSync('pdftotext', ['-q', '-layout', path.join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Every QR code on every page, as decoded text.
function qrCodes(buf) {
  const dir = tmpdir();
  try {
    fs.writeFileSync(path.join(dir, 'd.pdf'), buf);
    execFileSync('pdftoppm', ['-q', '-png', '-r', '150', path.join(dir, 'd.pdf'), path.join(dir, 'p')]);
    const out = [];
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.png')).sort()) {
      let text = '';
      try {
        text = execFileSync('zbarimg', ['-q', '--raw', path.join(dir, f)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch (e) {
        text = e.stdout || ''; // exit status 4: no code on this page
      }
      out.push(...text.split('\n').filter(Boolean));
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { pdf, png, jpeg, pdfText, qrCodes };
