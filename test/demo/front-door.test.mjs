/**
 * The front door (README, "Quick start"): `npm start`'s server answers at its root with the demo, the three demo pages
 * link to each other, and the paste page says what it holds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDevServer } from '@web/dev-server';
import config from '../../web-dev-server.config.mjs';

let server, base;
before(async () => {
  // The real config's middleware and root, without its esbuild plugin (whose service would outlive the test).
  const { rootDir, middleware } = config;
  server = await startDevServer({ config: { rootDir, middleware, port: 0, hostname: '127.0.0.1' }, readCliArgs: false, readFileConfig: false, logStartMessage: false });
  base = `http://127.0.0.1:${server.server.address().port}`;
});
after(() => server?.stop());

test('the root URL redirects to the demo', async () => {
  const response = await fetch(`${base}/`, { redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), '/demo/');
});

const PAGES = ['/demo/', '/demo/integrations.html', '/demo/paste.html'];
test('each demo page links to the other two', async () => {
  for (const page of PAGES) {
    const html = await (await fetch(base + page)).text();
    for (const other of PAGES.filter((p) => p !== page)) assert.match(html, new RegExp(`href="${other.replace(/\./g, '\\.')}"`), `${page} links to ${other}`);
  }
});

test('the paste page holds exactly what it says: one gated script', async () => {
  const html = await (await fetch(`${base}/demo/paste.html`)).text();
  assert.equal(html.match(/data-oph-category=/g).length, 1);
  assert.match(html, /un script bloqué/);
});
