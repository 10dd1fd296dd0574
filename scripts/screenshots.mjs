/**
 * Screenshots of the banner and the open panel at 1280 and 320 CSS px, light and dark, from the
 * demo page with the built drop-in script: `npm run screenshots` → screenshots/*.png.
 * They are the "what the visitor saw" evidence of a release (CNIL-18) and a design check.
 */
import { mkdir } from 'node:fs/promises';
import puppeteer from 'puppeteer-core';
import { serve } from './static-server.mjs';

const server = await serve(0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
await mkdir('screenshots', { recursive: true });
try {
  for (const [width, height] of [[1280, 900], [320, 640]]) {
    for (const scheme of ['light', 'dark']) {
      for (const lang of ['fr', 'en']) {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        await page.setViewport({ width, height });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await page.goto(`${base}/demo/${lang === 'en' ? '?lang=en' : ''}`, { waitUntil: 'networkidle0' });
        await page.waitForFunction(() => document.querySelector('oph-consent')?.shadowRoot?.querySelector('[part~="banner"]'));
        if (lang === 'en') await page.evaluate(() => document.querySelector('oph-consent').setAttribute('lang', 'en'));
        const name = `${width}-${scheme}-${lang}`;
        await page.screenshot({ path: `screenshots/banner-${name}.png` });
        await page.evaluate(() => document.querySelector('oph-consent').showPreferences());
        await page.waitForFunction(() => document.querySelector('oph-consent').shadowRoot.querySelector('dialog[open]'));
        await page.screenshot({ path: `screenshots/panel-${name}.png` });
        await context.close();
        console.log(`screenshots/{banner,panel}-${name}.png`);
      }
    }
  }
} finally {
  await browser.close();
  server.close();
}
