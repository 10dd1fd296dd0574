/**
 * The banner detection of @slashgear/gdpr-cookie-scanner (a GDPR cookie-compliance CLI), its own code driving the
 * system's Chromium through playwright-core against the demo: it finds the banner inside the shadow root by the id
 * cookie scanners look for first (`#cookie-banner`), with its choices classified as they are. Before that id it found
 * no banner of ours at all: only a page element whose label mentions cookies. (Its search for a privacy-policy link
 * does not look into shadow roots: it finds the page's own link, if any.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/static-server.mjs';

// The package exports only its CLI's entry point: its detection module is loaded by path.
const entry = import.meta.resolve('@slashgear/gdpr-cookie-scanner');
const { detectConsentModal } = await import(new URL('./scanner/consent-modal.js', entry).href);

let browser;
let server;
before(async () => {
  server = await serve(0);
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  server?.close();
});

for (const [page, lang] of [['demo/', 'fr'], ['demo/paste.html', 'fr'], ['demo/paste.html', 'en']]) {
  test(`gdpr-cookie-scanner finds the banner of ${page} (${lang}): accept, reject and customise, refusing as prominent as accepting`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'en' ? 'en-GB' : 'fr-FR' });
    try {
      const tab = await context.newPage();
      await tab.goto(`http://127.0.0.1:${server.address().port}/${page}`);
      await tab.locator('oph-consent [part~="banner"] [part~="accept-all"]').waitFor();
      if (lang === 'en') await tab.evaluate(() => document.querySelector('oph-consent').setAttribute('lang', 'en'));
      await tab.locator('oph-consent [part~="banner"]').getByText(lang === 'en' ? 'Accept all' : 'Tout accepter').waitFor();
      const found = await detectConsentModal(tab, { screenshots: false, locale: lang });
      assert.equal(found.detected, true);
      assert.equal(found.selector, '#cookie-banner');
      const buttons = Object.fromEntries(found.buttons.map((b) => [b.text, b.type]));
      const words = lang === 'en' ? ['Accept all', 'Reject all', 'Customize'] : ['Tout accepter', 'Tout refuser', 'Personnaliser'];
      assert.deepEqual([buttons[words[0]], buttons[words[1]], buttons[words[2]]], ['accept', 'reject', 'preferences'], JSON.stringify(buttons));
      const [accept, reject] = [words[0], words[1]].map((text) => found.buttons.find((b) => b.text === text));
      const size = (b) => [Math.round(b.boundingBox.width), Math.round(b.boundingBox.height), b.fontSize, b.contrastRatio];
      assert.deepEqual(size(reject), size(accept));
    } finally {
      await context.close();
    }
  });
}
