/** Debian's headless Chromium for the Node-side tests (CHROME_PATH to choose another; root needs --no-sandbox). */
import puppeteer from 'puppeteer-core';

export const launchChromium = (...extraArgs) =>
  puppeteer.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
