// The browser tests' small harness: a runner that speaks cmocka's summary
// lines (tests/run-tests.sh reads them), the county run.sh provisioned, and
// a Chromium context per operator presenting that operator's certificate.

import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (run tests/browser/run.sh)`);
  return v;
}

export const env = {
  bin: need('LIANXI_BIN'),
  county: need('LX_COUNTY'),
  url: need('LX_CONSOLE_URL').replace(/\/*$/, '/'),
  chromium: need('LX_CHROMIUM'),
  work: need('LX_WORK'),
  shots: process.env.LX_SHOTS || path.join(need('LIANXI_BIN'), 'screenshots'),
  samples: {
    police: need('LX_SAMPLE_POLICE'),
    discipline: need('LX_SAMPLE_DISCIPLINE'),
  },
};
env.origin = new URL(env.url).origin;

// The data records of a CSV file (header excluded), quotes and quoted line
// breaks honoured: what a unit's adapter reads as rows.
export function csvRecords(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records = [];
  let field = '';
  let rec = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rec.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rec.push(field);
      field = '';
      if (rec.some((x) => x !== '')) records.push(rec);
      rec = [];
    } else field += c;
  }
  if (field !== '' || rec.length) {
    rec.push(field);
    if (rec.some((x) => x !== '')) records.push(rec);
  }
  return { header: records[0], rows: records.slice(1) };
}

let browser = null;

export async function launch() {
  // Chinese as the office's browsers are (date fields as 年/月/日 when the
  // Chromium build has its zh-CN resources: Debian's chromium-l10n).
  browser = await chromium.launch({
    executablePath: env.chromium,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-dev-shm-usage'],
    // LANGUAGE picks the UI's language; LANG stays a locale that exists
    // (else Chromium cannot write non-ASCII download names).
    env: Object.assign({}, process.env, { LANG: 'C.UTF-8', LANGUAGE: 'zh_CN:zh' }),
  });
  return browser;
}

export async function close() {
  if (browser) await browser.close();
  browser = null;
}

// A browser context as the operator NAME (their .p12 from lianxi init), or
// with no certificate at all (name null).  1366×768, Chinese, Beijing time.
export async function contextAs(name) {
  const opts = {
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
  };
  if (name) {
    const dir = path.join(env.county, 'operators', name);
    const pfxPath = path.join(dir, name + '.p12');
    const passphrase = fs.readFileSync(path.join(dir, name + '.p12.pass'), 'utf8').replace(/\r?\n$/, '');
    opts.clientCertificates = [{ origin: env.origin, pfxPath, passphrase }];
  }
  const ctx = await browser.newContext(opts);
  ctx.lxErrors = [];
  ctx.on('page', (p) => watch(ctx, p));
  return ctx;
}

// What the page says went wrong: script errors, CSP violations, failed
// requests.  A test asserts there were none.
function watch(ctx, page) {
  page.on('pageerror', (e) => ctx.lxErrors.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') ctx.lxErrors.push('console: ' + m.text());
  });
}

export async function page(ctx) {
  const p = await ctx.newPage();
  return p;
}

export async function shot(p, name) {
  fs.mkdirSync(env.shots, { recursive: true });
  const file = path.join(env.shots, name + '.png');
  await p.screenshot({ path: file, fullPage: true });
  return file;
}

// The printed page: an A4 PDF (as the browser's print would make it) and a
// screenshot of the print styles at the width of A4 inside 2 cm margins.
export async function printPreview(p, name) {
  fs.mkdirSync(env.shots, { recursive: true });
  await p.emulateMedia({ media: 'print' });
  await p.pdf({ path: path.join(env.shots, name + '.pdf'), format: 'A4', printBackground: false });
  const vp = p.viewportSize();
  await p.setViewportSize({ width: 643, height: 909 });
  await p.screenshot({ path: path.join(env.shots, name + '.png'), fullPage: true });
  await p.setViewportSize(vp);
  await p.emulateMedia({ media: 'screen' });
}

// The Latin words a view shows in #main, outside what is data by nature
// (hub-written audit details, raw actors and codes, case numbers, what was
// typed, operators' account names): the page speaks Chinese, so there
// should be none.
const LATIN_OK = new Set(['HTML', 'PDF', 'OFD', 'JPEG', 'PNG', 'Word', 'supervisor', 'convener', 'auditor', 'police-liaison']);
export async function latinWords(p) {
  const words = await p.evaluate(() => {
    const skip = 'script,style,.raw,code,.filename,.c-detail,.c-object,.c-case,.actor-name,input,select,textarea,option';
    const found = [];
    const main = document.getElementById('main');
    const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !el.getClientRects().length) continue;
      const m = n.textContent.match(/[A-Za-z][A-Za-z_.-]{2,}(?![0-9])/g);
      if (m) found.push(...m);
    }
    return found;
  });
  return words.filter((w) => !LATIN_OK.has(w));
}

export async function chineseOnly(p, what) {
  const w = await latinWords(p);
  if (w.length) throw new AssertionError(`${what}: Latin words on the page: ${Array.from(new Set(w)).join(', ')}`);
}

export class AssertionError extends Error {}

export function ok(cond, msg) {
  if (!cond) throw new AssertionError(msg);
}

export function equal(a, b, msg) {
  if (a !== b) throw new AssertionError(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

const tests = [];

export function test(name, fn) {
  tests.push({ name, fn });
}

// Runs the tests in order (they share one county), printing cmocka's lines.
export async function run() {
  const only = process.env.LX_ONLY ? process.env.LX_ONLY.split(',') : null;
  const todo = tests.filter((t) => !only || only.includes(t.name));
  const failed = [];
  console.log(`[==========] Running ${todo.length} test(s).`);
  await launch();
  for (const t of todo) {
    console.log(`[ RUN      ] ${t.name}`);
    const started = Date.now();
    try {
      await t.fn(t.name);
      console.log(`[       OK ] ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      console.log(`${e instanceof AssertionError ? '' : 'error: '}${e && e.stack ? e.stack : e}`);
      console.log(`[  FAILED  ] ${t.name}`);
      failed.push(t.name);
    }
  }
  await close();
  console.log(`[==========] ${todo.length} test(s) run.`);
  console.log(`[  PASSED  ] ${todo.length - failed.length} test(s).`);
  if (failed.length) {
    console.log(`[  FAILED  ] ${failed.length} test(s), listed below:`);
    for (const n of failed) console.log(`[  FAILED  ] ${n}`);
  }
  return failed.length ? 1 : 0;
}

// Runs fn with a context as NAME; on failure saves NAME-failed.png and the
// page's errors; the context is closed either way.
export async function as(name, testName, fn) {
  const ctx = await contextAs(name);
  const p = await page(ctx);
  try {
    await fn(p, ctx);
    ok(ctx.lxErrors.length === 0, 'the page reported errors:\n  ' + ctx.lxErrors.join('\n  '));
  } catch (e) {
    try { await shot(p, testName + '-failed'); } catch (e2) { /* the page may be gone */ }
    if (ctx.lxErrors.length) console.log('page errors:\n  ' + ctx.lxErrors.join('\n  '));
    throw e;
  } finally {
    await ctx.close();
  }
}
