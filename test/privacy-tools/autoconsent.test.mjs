/**
 * DuckDuckGo's autoconsent (what browsers use to refuse banners for their users) with our rule,
 * autoconsent/oph-consent.json, against the demo in headless Chromium: its own content script
 * detects the banner inside the shadow root, opts out in one click (CNIL-03: refusing is one
 * click, like accepting), passes its self-test, and opts in on a fresh profile.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium } from '../chromium.mjs';
import { serve } from '../../scripts/static-server.mjs';

const require = createRequire(import.meta.url);
const SCRIPT = readFileSync(join(dirname(require.resolve('@duckduckgo/autoconsent')), 'autoconsent.playwright.js'), 'utf8');
const BUNDLED = JSON.parse(readFileSync(require.resolve('@duckduckgo/autoconsent/rules/rules.json'), 'utf8'));
const OURS = JSON.parse(readFileSync('autoconsent/oph-consent.json', 'utf8'));

let browser;
let server;
before(async () => {
  server = await serve(0);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** Runs autoconsent on the demo with `autoAction`; resolves with the messages it sent, once it is done. */
async function autoconsent(autoAction, { selfTest = false } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const messages = [];
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const send = (message) => page.evaluate((m) => window.autoconsentReceiveMessage?.(m), message).catch(() => {});
  const config = {
    enabled: true,
    autoAction,
    disabledCmps: [],
    enablePrehide: false,
    enableCosmeticRules: false,
    enableGeneratedRules: false,
    detectRetries: 20,
    isMainWorld: false,
    prehideTimeout: 2000,
    enableHeuristicDetection: false,
    logs: { lifecycle: false, rulesteps: false, detectionsteps: false, evals: false, errors: true, messages: false, waits: false },
  };
  await page.exposeFunction('autoconsentSendMessage', async (message) => {
    if (!message || typeof message !== 'object') return;
    messages.push(message);
    if (message.type === 'init') return send({ type: 'initResp', config, rules: { ...BUNDLED, autoconsent: [OURS, ...BUNDLED.autoconsent] } });
    if (message.type === 'eval') return send({ type: 'evalResp', id: message.id, result: await page.evaluate(message.code) });
    if (message.type === 'optOutResult' && selfTest) return send({ type: 'selfTest' });
    if (message.type === 'selfTestResult' || (!selfTest && (message.type === 'optOutResult' || message.type === 'optInResult'))) finish();
  });
  await page.evaluateOnNewDocument(SCRIPT);
  await page.goto(`http://127.0.0.1:${server.address().port}/demo/`, { waitUntil: 'load' });
  const timer = setTimeout(finish, 15_000); // bounded: a rule that never finds the banner ends the test, which then fails
  await done;
  clearTimeout(timer);
  const state = await page.evaluate(() => {
    const el = document.querySelector('oph-consent');
    return { decided: el.decided, consent: el.consent, banner: !!el.shadowRoot.querySelector('[part~="banner"]') };
  });
  await context.close();
  return { messages, state, of: (type) => messages.filter((m) => m.type === type) };
}

test('the rule is autoconsent’s own format: a name, detection, opt-in, opt-out and a self-test', () => {
  assert.equal(OURS.name, 'oph-consent');
  for (const key of ['detectCmp', 'detectPopup', 'optIn', 'optOut', 'test']) assert.ok(Array.isArray(OURS[key]) && OURS[key].length, key);
  assert.ok(!BUNDLED.autoconsent.some((r) => r.name === 'oph-consent'), 'not upstream yet: submit it (README)');
});

test('CNIL-03: autoconsent finds the banner in the shadow root, refuses in one click, and its self-test passes', async () => {
  const run = await autoconsent('optOut', { selfTest: true });
  assert.deepEqual(run.of('cmpDetected').map((m) => m.cmp), ['oph-consent']);
  assert.deepEqual(run.of('popupFound').map((m) => m.cmp), ['oph-consent']);
  assert.deepEqual(run.of('optOutResult').map((m) => m.result), [true]);
  assert.deepEqual(run.of('selfTestResult').map((m) => m.result), [true]);
  const [done] = run.of('autoconsentDone');
  assert.equal(done?.totalClicks, 1, 'one click');
  assert.deepEqual(run.state, { decided: true, consent: { necessary: true, analytics: false }, banner: false });
});

test('autoconsent opts in with the same rule on a fresh profile', async () => {
  const run = await autoconsent('optIn');
  assert.deepEqual(run.of('optInResult').map((m) => m.result), [true]);
  assert.deepEqual(run.state, { decided: true, consent: { necessary: true, analytics: true }, banner: false });
});
