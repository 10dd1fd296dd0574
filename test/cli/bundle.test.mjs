/**
 * `oph-consent bundle` (CONTRACT.md §6.1): the drop-in with a catalog built in. The command (lint
 * first, errors fail the build) and the script in a real headless Chromium: no catalog request,
 * the record's catalogHash is the file's SHA-256 (REC-01), and an attribute still wins. The catalog
 * is checked and hashed at build time only: the script carries the clean catalog and its hash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { launchChromium } from '../chromium.mjs';
import { serve } from '../../scripts/static-server.mjs';
import { validateCatalog } from '../../dist/core/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'oph-consent-bundle-'));
const cli = (...args) => spawnSync(process.execPath, ['bin/oph-consent.mjs', ...args], { encoding: 'utf8' });
const page = (body) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title>
<script src="/oph-consent.oph31.js" defer></script><script src="/e2e-log.js"></script></head>
<body>${body}<script type="text/plain" data-oph-category="analytics">window.ranScripts.push('analytics')</script></body></html>`;

let browser;
let server;
before(async () => {
  const r = cli('bundle', 'catalog/oph31.json', '-o', join(dir, 'oph-consent.oph31.js'));
  assert.equal(r.status, 0, r.stderr);
  copyFileSync('test/fixtures/e2e-log.js', join(dir, 'e2e-log.js'));
  copyFileSync('catalog/oph31.json', join(dir, 'oph31.json'));
  writeFileSync(join(dir, 'index.html'), page('<oph-consent></oph-consent>'));
  writeFileSync(join(dir, 'attribute.html'), page('<oph-consent catalog="/other.json"></oph-consent>'));
  const other = JSON.parse(readFileSync('catalog/oph31.json', 'utf8'));
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...other, revision: 99, consentCookie: { name: 'otherConsent' } }));
  server = await serve(0, dir);
  // www.oph31.test is plain http on a name, not loopback: not a secure context, so the page has no crypto.subtle.
  browser = await launchChromium('--host-resolver-rules=MAP www.oph31.test 127.0.0.1');
});
after(async () => {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${server.address().port}`;

async function open(path, at = origin()) {
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  const requests = [];
  tab.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await tab.goto(`${at}${path}`);
  await tab.waitForFunction(() => window.events.some((e) => e.type !== 'oph-consent-change'), { timeout: 10_000 });
  return { tab, requests, context };
}

test('the command lints first, writes one script and says its size and the catalog’s SHA-256', () => {
  const out = join(dir, 'again.js');
  const r = cli('bundle', 'catalog/oph31.json', '-o', out);
  assert.equal(r.status, 0);
  const hash = createHash('sha256').update(readFileSync('catalog/oph31.json')).digest('hex');
  const [, bytes, gzip] = r.stdout.match(new RegExp(`again\\.js: (\\d+) bytes, (\\d+) bytes gzip -9; catalog oph31\\.json, sha256 ${hash}`)) ?? [];
  // The file's bytes, UTF-8 (its French text makes them more than the string's length).
  assert.equal(Number(bytes), readFileSync(out).length);
  assert.equal(Number(gzip), gzipSync(readFileSync(out), { level: 9 }).length);
  assert.match(r.stderr, /warning catalog\/oph31\.json: consentCookie\.days: .*\[consent-cookie-lifetime\]/);
  assert.ok(readFileSync(out, 'utf8').startsWith(`/*! oph-consent site bundle: oph31.json, catalog sha256 ${hash} */`));
});

test('the script carries the clean catalog its check returned and the file’s SHA-256, not the text to parse again', () => {
  const script = readFileSync(join(dir, 'oph-consent.oph31.js'), 'utf8');
  const built = JSON.parse(script.match(/\}\((\{"value":.*\})\);\n$/s)?.[1] ?? 'null');
  const text = readFileSync('catalog/oph31.json', 'utf8');
  assert.deepEqual(built, { value: validateCatalog(JSON.parse(text), 'oph31.json'), text: '', source: 'oph31.json', hash: createHash('sha256').update(text).digest('hex') });
  assert.ok(built.value.cookies.every((c) => Array.isArray(c.match)), 'defaults filled in by the check');
});

test('REC-01: the built-in hash holds where the page cannot hash (plain http: no crypto.subtle); a URL catalog’s is null there', async () => {
  const at = `http://www.oph31.test:${server.address().port}`;
  const hashes = [];
  for (const path of ['/', '/attribute.html']) {
    const { tab, context } = await open(path, at);
    try {
      hashes.push(await tab.evaluate(async () => {
        const el = document.querySelector('oph-consent');
        const change = new Promise((resolve) => el.addEventListener('oph-consent-change', (e) => resolve(e.detail.record), { once: true }));
        await el.acceptAll();
        return [window.isSecureContext, (await change).catalogHash];
      }));
    } finally {
      await context.close();
    }
  }
  assert.deepEqual(hashes, [[false, createHash('sha256').update(readFileSync('catalog/oph31.json')).digest('hex')], [false, null]]);
});

test('a catalog with schema errors fails the build (exit 1), names file, field and reason, and writes nothing', () => {
  const bad = join(dir, 'bad.json');
  const catalog = JSON.parse(readFileSync('catalog/oph31.json', 'utf8'));
  catalog.cookies[2].retention = 'forever';
  writeFileSync(bad, JSON.stringify(catalog));
  const out = join(dir, 'bad.js');
  const r = cli('bundle', bad, '-o', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error .*bad\.json: cookies\[2\]\.retention: expected an ISO 8601 duration.*\[schema\]/);
  assert.match(r.stderr, /bad\.js not written: 1 error/);
  assert.equal(existsSync(out), false);
});

test('wrong usage: no -o, no catalog, a missing file: exit 2 or 1 with the reason', () => {
  assert.equal(cli('bundle', 'catalog/oph31.json').status, 2);
  assert.match(cli('bundle', 'catalog/oph31.json').stderr, /bundle needs -o <file\.js>/);
  assert.equal(cli('bundle', '-o', 'x.js').status, 2);
  const missing = cli('bundle', join(dir, 'nope.json'), '-o', join(dir, 'nope.js'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /cannot read .*nope\.json: no such file/);
});

test('REC-01: on the page, one request and no catalog fetch; the record’s catalogHash is the file’s SHA-256', async () => {
  const { tab, requests, context } = await open('/');
  try {
    assert.deepEqual(requests.filter((p) => p.endsWith('.json')), [], 'no catalog request');
    const record = await tab.evaluate(async () => {
      const el = document.querySelector('oph-consent');
      const change = new Promise((resolve) => el.addEventListener('oph-consent-change', (e) => resolve(e.detail.record), { once: true }));
      await el.acceptAll();
      return change;
    });
    assert.equal(record.catalogHash, createHash('sha256').update(readFileSync('catalog/oph31.json')).digest('hex'));
    assert.equal(record.revision, JSON.parse(readFileSync('catalog/oph31.json', 'utf8')).revision);
    await tab.waitForFunction(() => window.ranScripts.length === 1, { timeout: 5000 });
  } finally {
    await context.close();
  }
});

test('a catalog attribute still wins over the built-in one', async () => {
  const { tab, requests, context } = await open('/attribute.html');
  try {
    assert.ok(requests.includes('/other.json'));
    const consentCookie = await tab.evaluate(async () => {
      await document.querySelector('oph-consent').rejectAll();
      return document.cookie.split('; ').map((c) => c.split('=')[0]);
    });
    assert.ok(consentCookie.includes('otherConsent'), consentCookie.join(' '));
  } finally {
    await context.close();
  }
});
