/**
 * End-to-end tests that need a whole browser rather than one test page: a site served as
 * www.oph31.fr (Chromium's --host-resolver-rules maps it to this machine) to check cookies on parent
 * domains, and two pages of one browser context for the tabs.
 */
import assert from 'node:assert/strict';
import { launchChromium } from '../chromium.mjs';
import { serve } from '../../scripts/static-server.mjs';
import { after, test } from 'node:test';

const server = await serve(0);
const origin = `http://www.oph31.fr:${server.address().port}`;
const browser = await launchChromium('--host-resolver-rules=MAP *.oph31.fr 127.0.0.1, MAP oph31.fr 127.0.0.1');

async function openPage(context) {
  const page = await context.newPage();
  await page.goto(`${origin}/test/fixtures/e2e.html`);
  await page.waitForFunction(() => window.events.some((e) => e.type === 'oph-consent-ready'));
  return page;
}

const cookieNames = async (page) => (await page.browserContext().cookies()).map((c) => `${c.name}@${c.domain}`).sort();

const tests = {
  'CNIL-16: refusing deletes the cookies of refused categories on the host and its parent domain': async (context) => {
    const page = await openPage(context);
    await context.setCookie(
      { name: '_ga', value: '1', domain: '.oph31.fr', path: '/' },
      { name: '_ga_ABC', value: '1', domain: 'www.oph31.fr', path: '/' },
      { name: 'yt_pref', value: '1', domain: '.www.oph31.fr', path: '/' },
      { name: 'site_pref', value: 'keep', domain: '.oph31.fr', path: '/' },
    );
    assert.deepEqual(await cookieNames(page), ['_ga@.oph31.fr', '_ga_ABC@www.oph31.fr', 'site_pref@.oph31.fr', 'yt_pref@.www.oph31.fr']);
    await page.evaluate(() => document.querySelector('oph-consent').rejectAll());
    assert.deepEqual(await cookieNames(page), ['site_pref@.oph31.fr', 'testConsent@www.oph31.fr']);
  },

  'a decision in one tab reaches another page of the same browser at once (method sync)': async (context) => {
    const first = await openPage(context);
    const second = await openPage(context);
    await first.evaluate(() => document.querySelector('oph-consent').acceptAll());
    await second.waitForFunction(() => window.events.some((e) => e.type === 'oph-consent-change'), { timeout: 5000 });
    const heard = await second.evaluate(() => window.events.filter((e) => e.type === 'oph-consent-change'));
    assert.deepEqual(heard, [{ type: 'oph-consent-change', method: 'sync', consent: { necessary: true, analytics: true, video: true } }]);
    await second.waitForFunction(() => window.ranScripts.length === 1, { timeout: 5000 });
    const banner = await second.evaluate(() => !!document.querySelector('oph-consent').shadowRoot.querySelector('[part~="banner"]'));
    assert.equal(banner, false);
  },
};

for (const [name, fn] of Object.entries(tests)) {
  test(name, async () => {
    const context = await browser.createBrowserContext();
    try {
      await fn(context);
    } finally {
      await context.close();
    }
  });
}
after(async () => {
  await browser.close();
  server.close();
});
