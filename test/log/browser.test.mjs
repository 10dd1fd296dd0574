/**
 * A visitor's decisions, made with real clicks in Debian's Chromium, reach the consent log server
 * and come back out of `log verify` and `log export` (CNIL-18); a log that is down while the visitor
 * decides gets the record on the next page view, once (REC-05); a decision another tab applies is
 * not sent again.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../chromium.mjs';
import { serve } from '../../scripts/static-server.mjs';
import { readCatalogs } from '../../dist/node/log/catalogs.js';
import { buildServer } from '../../dist/node/log/server.js';
import { CATALOG, freePort, openStore, sqliteFile } from './helpers.mjs';

const cli = (...args) => spawnSync(process.execPath, ['bin/oph-consent.mjs', 'log', ...args], { encoding: 'utf8' });

let site, siteOrigin, logPort, catalogFile, catalogs, browser;
before(async () => {
  // A site of its own: the drop-in, a page, and a catalog whose consentLogUrl is the log server below.
  const root = mkdtempSync(join(tmpdir(), 'oph-consent-site-'));
  mkdirSync(join(root, 'dist'));
  symlinkSync(resolve('dist/oph-consent.min.js'), join(root, 'dist/oph-consent.min.js'));
  logPort = await freePort();
  catalogFile = join(root, 'catalog.json');
  writeFileSync(catalogFile, JSON.stringify({ ...CATALOG, $schema: undefined, consentLogUrl: `http://127.0.0.1:${logPort}/consent-log` }, null, 2) + '\n');
  writeFileSync(
    join(root, 'index.html'),
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>OPH31</title><script src="/dist/oph-consent.min.js" defer></script></head>
<body><oph-consent catalog="/catalog.json"></oph-consent><p>Page</p></body></html>`,
  );
  catalogs = await readCatalogs([catalogFile]);
  site = await serve(0, root);
  // localhost is a secure context: the page has Web Crypto, so its records carry the catalog's hash.
  siteOrigin = `http://localhost:${site.address().port}`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  site?.close();
});

async function startLog(db) {
  const store = await openStore(db);
  const app = await buildServer({ store, catalogs, allowOrigins: [siteOrigin] });
  await app.listen({ port: logPort, host: '127.0.0.1' });
  return { store, stop: async () => (await app.close(), await store.close()) };
}

async function visit(context) {
  const page = await context.newPage();
  await page.goto(`${siteOrigin}/`);
  await page.waitForSelector('oph-consent >>> [part~="banner"], oph-consent[data-ready]', { timeout: 5000 }).catch(() => {});
  return page;
}

const waitFor = async (check, what, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const unsent = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('oph-consent:unsent') ?? '[]').length);

test('CNIL-18: clicks in a real page reach the log, and verify and export show them, with the texts shown', async () => {
  const db = sqliteFile();
  const log = await startLog(db);
  const context = await browser.createBrowserContext();
  let stopped = false;
  try {
    const page = await visit(context);
    await page.locator('oph-consent >>> [part~="reject-all"]').click();
    await waitFor(async () => (await log.store.count()) === 1, 'the refusal to reach the log');
    // Later the visitor changes their mind in the panel: a second record chained to the first.
    await page.evaluate(() => document.querySelector('oph-consent').showPreferences());
    await page.locator('oph-consent >>> [part~="switch"]:not([disabled])').click();
    await page.locator('oph-consent >>> [part~="save"]').click();
    await waitFor(async () => (await log.store.count()) === 2, 'the new choice to reach the log');
    await waitFor(async () => (await unsent(page)) === 0, 'the page to forget what the log has');

    const records = [];
    for await (const r of log.store.records()) records.push(r);
    assert.deepEqual(records.map((r) => [r.method, r.state]), [['reject-all', 'refused'], ['custom', 'given']]);
    assert.equal(records[1].previousId, records[0].id);
    await log.stop();
    stopped = true;

    const verified = cli('verify', records[1].id, '--db', db);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /custom, given/);
    assert.match(verified.stdout, /row hash {2}holds/);
    assert.match(verified.stdout, /the hash holds/);
    assert.match(verified.stdout, /Cookies analytiques \[analytics: yes\]/, 'the French texts the visitor was shown');
    assert.match(verified.stdout, new RegExp(`${records[0].id} .+ reject-all, refused`), 'the earlier decision');
    assert.match(verified.stdout, /\nverified\n$/);

    const exported = cli('export', '--db', db, '--format', 'jsonl');
    assert.equal(exported.status, 0);
    assert.deepEqual(exported.stdout.trim().split('\n').map((l) => JSON.parse(l).id), records.map((r) => r.id));
  } finally {
    await context.close();
    if (!stopped) await log.stop();
  }
});

test('REC-05: the log is down while the visitor decides; the record arrives on the next page view, once', async () => {
  const db = sqliteFile();
  const context = await browser.createBrowserContext();
  let log;
  try {
    const page = await visit(context);
    await page.locator('oph-consent >>> [part~="accept-all"]').click();
    await waitFor(async () => (await unsent(page)) === 1, 'the record to wait in the page');

    log = await startLog(db);
    assert.equal(await log.store.count(), 0);
    await page.reload();
    await waitFor(async () => (await log.store.count()) === 1, 'the waiting record to arrive');
    await waitFor(async () => (await unsent(page)) === 0, 'the page to forget it');
    await page.reload();
    const second = await visit(context); // another page view, another tab
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await log.store.count(), 1, 'sent once, however many page views follow');
    await second.close();
    const [record] = [await log.store.records().next()].map((n) => n.value);
    assert.equal(record.method, 'accept-all');
  } finally {
    await context.close();
    await log?.stop();
  }
});

test('a decision another tab applies (method sync) is not sent again', async () => {
  const db = sqliteFile();
  const log = await startLog(db);
  const context = await browser.createBrowserContext();
  try {
    const [one, two] = [await visit(context), await visit(context)];
    await one.bringToFront(); // a background tab draws no frames to click in
    await one.locator('oph-consent >>> [part~="reject-all"]').click();
    await waitFor(async () => !(await two.evaluate(() => !!document.querySelector('oph-consent').shadowRoot.querySelector('[part~="banner"]'))), 'the other tab to apply it');
    await waitFor(async () => (await log.store.count()) === 1, 'the record');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await log.store.count(), 1);
    assert.equal(await unsent(two), 0);
  } finally {
    await context.close();
    await log.stop();
  }
});
