/**
 * `node scripts/profile-returning.mjs [page] [--runs N] [--rate R]`: where a returning visit's main thread goes.
 * Serves the bench pages (run `npm run bench` once to write them), accepts on a first visit, then records the V8
 * CPU profile (100 µs sampling) of N returning visits at R× CPU and prints the self time per function of
 * oph-consent's script, summed over the runs, and the total until the gated script ran. Issue #11's tool for
 * "found with a profile, not guessed".
 */
import puppeteer from 'puppeteer-core';
import { parseArgs } from 'node:util';
import { serve } from './static-server.mjs';

const { values, positionals } = parseArgs({ options: { runs: { type: 'string', default: '10' }, rate: { type: 'string', default: '4' } }, allowPositionals: true });
const pagePath = positionals[0] ?? '/bench/oph-consent.html';
const server = await serve(0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });

const self = new Map();
let total = 0;
let gated = [];
for (let run = 0; run < Number(values.runs); run++) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(base + pagePath);
  await page.evaluate(() => window.bench.readyPromise);
  await (await page.evaluateHandle(() => window.bench.accept())).click();
  await page.waitForFunction(() => window.gatedRanAt !== undefined);
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(values.rate) });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.goto(base + pagePath, { waitUntil: 'load' });
  const ran = await (await page.waitForFunction(() => window.gatedRanAt, { polling: 'raf' })).jsonValue();
  gated.push(ran);
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const isOurs = (n) => /oph-consent[^/]*\.js$/.test(n.callFrame.url);
  profile.samples.forEach((id, i) => {
    const leaf = nodes.get(id);
    const dt = profile.timeDeltas[i] / 1000;
    total += dt;
    // Time inside the script: its own functions, and what they call (builtins, DOM, GC) under its frames.
    let frame = leaf;
    while (frame && !isOurs(frame)) frame = parent.get(frame.id);
    if (!frame) return;
    const { functionName, url, lineNumber, columnNumber } = leaf.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}:${columnNumber + 1}` : '(native)'}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  await context.close();
}
await browser.close();
server.close();
gated = gated.sort((a, b) => a - b);
const ours = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`${pagePath}, ${values.runs} returning visits at ${values.rate}× CPU: gated script ran at ${gated[gated.length >> 1].toFixed(1)} ms (median)`);
console.log(`oph-consent's functions and what they call: ${(ours / Number(values.runs)).toFixed(1)} ms per visit, of ${(total / Number(values.runs)).toFixed(1)} ms sampled (idle included)`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(ms / Number(values.runs)).toFixed(2).padStart(7)} ms  ${key}`);
