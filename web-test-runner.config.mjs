import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { readFile } from 'node:fs/promises';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Test-only endpoints: a script that answers slowly (script order), status codes and slow
 * answers for catalogs (bad input).
 */
function testEndpoints() {
  const beacons = new Map();
  const down = new Set();
  return async (ctx, next) => {
    const url = new URL(ctx.url, 'http://localhost');
    const q = url.searchParams;
    if (url.pathname === '/test-api/script.js') {
      await sleep(Number(q.get('delay') || 0));
      ctx.type = 'application/javascript';
      ctx.body = `(window.ranScripts ||= []).push(${JSON.stringify(q.get('name') || 'unnamed')});`;
      return;
    }
    // The drop-in script byte for byte (a .js URL would be re-printed by the esbuild plugin).
    if (url.pathname === '/test-api/bundle') {
      ctx.type = 'application/javascript';
      ctx.body = await readFile('dist/oph-consent.min.js', 'utf8');
      return;
    }
    // A consent log: POST stores the body under ?log=…, GET returns what was stored.
    // ?down=1 or ?down=0 on /test-api/consent-log-state takes that log down (503, nothing kept) or up again.
    if (url.pathname === '/test-api/consent-log-state') {
      if (q.get('down') === '1') down.add(q.get('log'));
      else down.delete(q.get('log'));
      ctx.status = 204;
      return;
    }
    if (url.pathname === '/test-api/consent-log') {
      const log = q.get('log') || 'default';
      if (ctx.method === 'POST' && down.has(log)) {
        ctx.status = 503;
        return;
      }
      if (ctx.method === 'POST' && q.get('status')) {
        ctx.status = Number(q.get('status'));
        return;
      }
      if (ctx.method === 'POST') {
        let body = '';
        for await (const chunk of ctx.req) body += chunk;
        beacons.set(log, [...(beacons.get(log) ?? []), { type: ctx.get('content-type'), body }]);
        ctx.status = 204;
      } else {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify(beacons.get(log) ?? []);
      }
      return;
    }
    // The strict-CSP page: every header a security reviewer would ask for (a nonce for the page's own inline script).
    if (url.pathname === '/test/fixtures/csp.html') {
      await next();
      ctx.set(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self' 'nonce-r4nd0m'; style-src 'self'; img-src 'self'; frame-src 'self'; require-trusted-types-for 'script'",
      );
      return;
    }
    if (url.pathname === '/test-api/big-catalog') {
      // About 1 MB of valid catalog: 2,000 cookies with long purposes in 20 categories.
      const categories = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, title: `Catégorie ${i}`, description: 'x'.repeat(200), required: i === 0 }));
      const cookies = Array.from({ length: 2000 }, (_, i) => ({ name: `cookie_${i}`, category: `c${i % 20}`, purpose: { fr: 'é'.repeat(240), en: 'e'.repeat(240) }, retention: 'P30D', provider: 'OPH31' }));
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ revision: 1, controller: { name: 'OPH31', email: 'ril@oph31.fr', privacyPolicyUrl: 'https://www.oph31.fr/' }, consentCookie: { name: 'testConsent' }, categories, cookies });
      return;
    }
    if (url.pathname === '/test-api/status') {
      await sleep(Number(q.get('delay') || 0));
      ctx.status = Number(q.get('code') || 200);
      ctx.type = q.get('type') || 'application/json';
      ctx.body = q.get('body') ?? '';
      return;
    }
    return next();
  };
}

/** Prints `wtr: N passed, N failed` as the very last line, the plain summary CI reads. */
/**
 * `executeServerCommand('forced-colors', 'active' | 'none')`: high-contrast mode (Windows' contrast themes) for
 * a test. The Chrome launcher's emulateMedia has colour scheme and reduced motion, not forced colours.
 */
function forcedColorsCommand() {
  return {
    name: 'forced-colors-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'forced-colors') return undefined;
      const page = session.browser.getPage(session.id);
      // Puppeteer's emulateMediaFeatures refuses forced-colors; DevTools' own command takes it.
      const cdp = (forcedColorsCommand.sessions ??= new Map()).get(page) ?? (await page.createCDPSession());
      forcedColorsCommand.sessions.set(page, cdp);
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: payload }] });
      return true;
    },
  };
}

function plainSummaryReporter() {
  let passed = 0;
  let failed = 0;
  const count = (results) => {
    for (const t of results?.tests ?? []) t.passed ? passed++ : t.skipped ? null : failed++;
    for (const s of results?.suites ?? []) count(s);
  };
  process.on('exit', () => console.log(`\nwtr: ${passed} passed, ${failed} failed`));
  return {
    onTestRunFinished({ sessions }) {
      for (const session of sessions) {
        count(session.testResults);
        if (!session.passed && (session.errors?.length ?? 0) > 0) failed++;
      }
    },
  };
}

export default {
  files: 'test/**/*.test.ts',
  // WTR_PORT: a second checkout can run its tests beside this one.
  port: Number(process.env.WTR_PORT) || 8765,
  nodeResolve: true,
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args } })],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), forcedColorsCommand()],
  middleware: [testEndpoints()],
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 180000,
  testFramework: { config: { timeout: 10000 } },
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), plainSummaryReporter()],
};
