/**
 * `node scripts/returning-breakdown.mjs [--runs N] [--rate R]`: where a returning visitor's later page views spend their
 * time, from navigation start, for the site bundle, vanilla-cookieconsent and the floor (bench/floor.js: a hand-written
 * gate that reads one cookie and runs the gated scripts, nothing else). Per way: N fresh browser contexts in rotating
 * order, each accepting on a first visit and then loading the page four more times; the first of those is the second
 * page view (V8 builds its code cache), the next three are later ones (cache in use). It prints medians, from the page's
 * own Navigation and Resource Timing: the end of parsing (`domInteractive`), the gated script's fetch start (the
 * library inserted it), when it ran, and the library's own share: "ran − domInteractive". Issue #11: what part of the
 * returning visit a consent library can still win. Needs `npm run bench` once (the site bundle and vanilla-cookieconsent's
 * configuration it writes).
 */
import puppeteer from 'puppeteer-core';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PAGES, page } from '../bench/pages.mjs';
import { serve } from './static-server.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { runs: { type: 'string', default: '18' }, rate: { type: 'string', default: '1' } } });
const RUNS = Number(values.runs);
const RATE = Number(values.rate);
const WAYS = [
  ['oph-consent, site bundle', '/bench/oph-consent-bundle.html'],
  ['vanilla-cookieconsent', '/bench/cookieconsent.html'],
  ['floor (hand-written gate)', '/bench/floor.html'],
];
for (const generated of ['bench/oph-consent.oph31.js', 'bench/cookieconsent-config.js']) {
  if (!existsSync(join(ROOT, generated))) throw new Error(`${generated} is missing: run \`npm run bench\` once first`);
}
for (const [file, spec] of Object.entries(PAGES)) writeFileSync(join(ROOT, 'bench', file), page(spec));

const server = await serve(0, ROOT, { cache: true });
const BASE = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic'],
});

/** In the page, once the gated script ran: its timings, ms from navigation start. */
const timings = () => {
  const nav = performance.getEntriesByType('navigation')[0];
  const gated = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/bench/gated.js'));
  return { parsed: nav.domInteractive, inserted: gated?.startTime, ran: window.gatedRanAt };
};

const views = new Map(WAYS.map(([name]) => [name, { second: [], later: [] }]));
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, path] of WAYS.map((_, i) => WAYS[(i + run) % WAYS.length])) {
      const context = await browser.createBrowserContext();
      try {
        const tab = await context.newPage();
        await tab.goto(BASE + path);
        await tab.evaluate(() => window.bench.readyPromise);
        await (await tab.evaluateHandle(() => window.bench.accept())).click();
        await tab.waitForFunction(() => window.gatedRanAt !== undefined, { timeout: 10_000 });
        await (await tab.createCDPSession()).send('Emulation.setCPUThrottlingRate', { rate: RATE });
        for (let view = 2; view <= 5; view++) {
          await new Promise((resolve) => setTimeout(resolve, 80));
          await tab.goto(BASE + path, { waitUntil: 'load' });
          await tab.waitForFunction(() => window.gatedRanAt, { polling: 'raf', timeout: 10_000 }).catch(() => {
            throw new Error(`${name}: the gated script did not run on page view ${view}`);
          });
          views.get(name)[view === 2 ? 'second' : 'later'].push(await tab.evaluate(timings));
        }
      } finally {
        await context.close();
      }
    }
    process.stderr.write('.');
  }
} finally {
  await browser.close();
  server.close();
}

const median = (list) => {
  const sorted = list.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};
const ms = (x) => x.toFixed(1);
const peer = (which) => median(views.get(WAYS[1][0])[which].map((t) => t.ran));
console.log(`\nReturning visit at ${RATE}× CPU, ${RUNS} contexts per way (medians, ms from navigation start; ratios ÷ vanilla-cookieconsent)\n`);
console.log('| Way | Page view | Parsing ended | Gated script inserted | Gated script ran | Ran ÷ peer | Ran − parsing ended |');
console.log('|---|---|---|---|---|---|---|');
for (const [name] of WAYS) {
  for (const which of ['second', 'later']) {
    const list = views.get(name)[which];
    const ran = median(list.map((t) => t.ran));
    console.log(
      `| ${name} | ${which} | ${ms(median(list.map((t) => t.parsed)))} | ${ms(median(list.map((t) => t.inserted)))} | ${ms(ran)} | ${(ran / peer(which)).toFixed(2)}× | ${ms(median(list.map((t) => t.ran - t.parsed)))} |`,
    );
  }
}
