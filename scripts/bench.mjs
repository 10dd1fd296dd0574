/**
 * `npm run bench`: oph-consent side by side with vanilla-cookieconsent and tarteaucitron, in headless Chromium.
 *
 *   node scripts/bench.mjs [--runs N]      (default 15 measured runs per library and CPU rate, after 1 warm-up round)
 *
 * Each library gets the same OPH31 page (bench/*.html: header, paragraph, footer link to the preferences), OPH31's two
 * categories and 18 cookies (catalog/oph31.json; turned into each library's own configuration by this script), French
 * texts, and one gated "analytics" script (bench/gated.js). Runs are interleaved (round-robin, library order rotated
 * every round), each in a fresh browser context. Everything is served from 127.0.0.1 by the server below; Chromium
 * also resolves every other host name to nothing, and any request that is not local is reported.
 * Output: a markdown table on stdout and in bench/results.md, raw data in bench/results.json.
 * What each number means is written in bench/README.md and at the end of bench/results.md.
 */
import { PAGES, page } from '../bench/pages.mjs';
import { createServer } from 'node:http';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { spawnSync } from 'node:child_process';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();
// The machine's load (1-minute average) before and after the run: a busy machine slows every library, not evenly.
const loadBefore = loadavg()[0];

// ---------------------------------------------------------------------------------------------------------- options
const argv = process.argv.slice(2);
let RUNS = 15;
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split('=');
  if (flag === '--runs') RUNS = Number(inline ?? argv[++i]);
  else if (flag === '--help' || flag === '-h') {
    console.log('usage: node scripts/bench.mjs [--runs N]   (N measured runs per library and CPU rate; default 15)');
    process.exit(0);
  } else fail(`unknown argument "${argv[i]}" (usage: node scripts/bench.mjs [--runs N])`);
}
if (!Number.isInteger(RUNS) || RUNS < 1) fail('--runs expects a positive integer');
const WARMUP = 1;
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const TIMEOUT = 20_000;

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// ------------------------------------------------------------------------------------------ libraries and their files
const PEERS = { 'vanilla-cookieconsent': '3.1.0', tarteaucitronjs: '1.34.0' };
const LIBS = [
  {
    id: 'oph',
    name: 'oph-consent',
    page: '/bench/oph-consent.html',
    files: ['dist/oph-consent.min.js'],
    config: ['catalog/oph31.json'],
  },
  {
    id: 'cc',
    name: 'vanilla-cookieconsent',
    pkg: 'vanilla-cookieconsent',
    page: '/bench/cookieconsent.html',
    files: ['node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js', 'node_modules/vanilla-cookieconsent/dist/cookieconsent.css'],
    config: ['bench/cookieconsent-config.js'],
  },
  {
    id: 'tac',
    name: 'tarteaucitron',
    pkg: 'tarteaucitronjs',
    page: '/bench/tarteaucitron.html',
    // tarteaucitron.min.js loads the other three itself: its CSS, its language file and its services catalogue
    // (advertising.min.js, its ad-blocker probe, is loaded only with `adblocker: true`, off here and by default).
    files: [
      'node_modules/tarteaucitronjs/tarteaucitron.min.js',
      'node_modules/tarteaucitronjs/css/tarteaucitron.min.css',
      'node_modules/tarteaucitronjs/lang/tarteaucitron.fr.min.js',
      'node_modules/tarteaucitronjs/tarteaucitron.services.min.js',
    ],
    config: ['bench/tarteaucitron-config.js'],
  },
];
const BASELINE = { id: 'base', name: 'baseline (no library)', page: '/bench/baseline.html', files: [], config: [] };
/**
 * Every page view, by way of loading: oph-consent three ways (the README's drop-in with its preload hint, the plain
 * drop-in without it, the site bundle) and vanilla-cookieconsent, the fastest peer, on the same page.
 */
const WAYS = [
  { id: 'oph-preload', name: 'oph-consent, drop-in + preload', page: '/bench/oph-consent.html' },
  { id: 'oph-plain', name: 'oph-consent, plain drop-in', page: '/bench/oph-consent-plain.html' },
  { id: 'oph-bundle', name: 'oph-consent, site bundle', page: '/bench/oph-consent-bundle.html' },
  { id: 'cc', name: 'vanilla-cookieconsent', page: '/bench/cookieconsent.html' },
];
/** CPU slowdown and added latency per request (ms; CDP network emulation, which cached files skip, as they would). */
const CONDITIONS = [
  { rate: 1, latency: 0 },
  { rate: 4, latency: 0 },
  { rate: 4, latency: 150 },
];
const SCALE = { page: '/bench/oph-consent-scale.html', catalog: 'bench/catalog-1000.json', cookies: 1000, categories: 20 };

if (!existsSync(join(ROOT, 'dist/oph-consent.min.js'))) fail('dist/oph-consent.min.js is missing: run `npm run build` (or `npm run bench`, which builds first).');
for (const lib of LIBS.filter((l) => l.pkg)) {
  const missing = lib.files.filter((f) => !existsSync(join(ROOT, f)));
  if (missing.length) {
    fail(
      `peer package "${lib.pkg}" is missing (${missing[0]} not found).\n` +
        `  Run \`npm install\` (it is a devDependency), or for a one-off run: npm install --no-save ${Object.entries(PEERS).map(([n, v]) => `${n}@${v}`).join(' ')}`,
    );
  }
  lib.version = JSON.parse(readFileSync(join(ROOT, 'node_modules', lib.pkg, 'package.json'), 'utf8')).version;
  if (lib.version !== PEERS[lib.pkg]) console.warn(`bench: warning: ${lib.pkg} is ${lib.version}, the bench was written for ${PEERS[lib.pkg]}`);
}
LIBS[0].version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
if (!existsSync(CHROME)) fail(`Chromium not found at ${CHROME} (set CHROME_PATH, or apt-get install chromium).`);
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch {
  fail('puppeteer-core is missing: run `npm install`.');
}

// ------------------------------------------------------------------- configurations generated from catalog/oph31.json
const catalog = JSON.parse(readFileSync(join(ROOT, 'catalog/oph31.json'), 'utf8'));
const fr = (text) => (typeof text === 'string' ? text : text.fr ?? Object.values(text)[0]);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
function retentionFr(r) {
  if (r === 'session') return 'Jusqu’à la fermeture du navigateur';
  if (r === 'unspecified') return 'Non précisée';
  if (r === 'persistent') return 'Permanente, sans durée précisée';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(r) ?? [];
  const parts = m.slice(1).map((n, i) => n && new Intl.NumberFormat('fr', { style: 'unit', unit: UNITS[i], unitDisplay: 'long' }).format(Number(n)));
  return parts.filter(Boolean).join(' et ') || r;
}
const ctl = catalog.controller;
const byCategory = (id) => catalog.cookies.filter((c) => c.category === id);
const analyticsNames = byCategory('analytics').flatMap((c) => c.match ?? [c.name]);
const purposes = catalog.categories.filter((c) => !c.required).map((c) => fr(c.title).toLowerCase()).join(', ');
const bannerText =
  `${ctl.name} utilise des cookies nécessaires au site et, avec votre accord, d’autres cookies : ${purposes}. ` +
  'Refuser ne vous empêche pas d’utiliser le site. Vous pouvez modifier vos choix à tout moment via « Gestion des cookies ».';
const aboutText =
  `Responsable du traitement : ${ctl.name}. Délégué à la protection des données : ${ctl.dpo}. Contact : ${ctl.email}. ` +
  `Adresse postale : ${ctl.address}. Téléphone : ${ctl.phone}. ` +
  'Vous pouvez retirer votre consentement à tout moment, aussi simplement que vous l’avez donné, depuis ce panneau.';
const GENERATED = '// Generated by scripts/bench.mjs from catalog/oph31.json: do not edit (it is rewritten on every run).\n';

function cookieConsentConfig() {
  const table = (id) => ({
    caption: `Cookies : ${fr(catalog.categories.find((c) => c.id === id).title)}`,
    headers: { name: 'Nom', purpose: 'Finalité', retention: 'Durée de conservation', provider: 'Émetteur' },
    body: byCategory(id).map((c) => ({ name: esc(c.name), purpose: esc(fr(c.purpose)), retention: esc(retentionFr(c.retention)), provider: esc(c.provider ?? '') })),
  });
  const autoClear = analyticsNames.map((n) => (n.endsWith('*') ? { name: new RegExp(`^${n.slice(0, -1)}`) } : { name: n }));
  const config = {
    revision: catalog.revision,
    hideFromBots: false, // its default (true) hides the banner when navigator.webdriver is set, as under puppeteer
    cookie: { name: 'cc_cookie', expiresAfterDays: catalog.consentCookie.days },
    guiOptions: {
      consentModal: { layout: 'bar inline', position: 'bottom', equalWeightButtons: true, flipButtons: false },
      preferencesModal: { layout: 'box', equalWeightButtons: true, flipButtons: false },
    },
    categories: {
      necessary: { enabled: true, readOnly: true },
      analytics: { autoClear: { cookies: '__AUTOCLEAR__' } },
    },
    language: {
      default: 'fr',
      translations: {
        fr: {
          consentModal: {
            title: 'Vos choix en matière de cookies',
            description: `${esc(bannerText)} <a href="${ctl.privacyPolicyUrl}">Politique de confidentialité</a>`,
            acceptAllBtn: 'Tout accepter',
            acceptNecessaryBtn: 'Tout refuser',
            showPreferencesBtn: 'Personnaliser',
          },
          preferencesModal: {
            title: 'Paramètres des cookies',
            acceptAllBtn: 'Tout accepter',
            acceptNecessaryBtn: 'Tout refuser',
            savePreferencesBtn: 'Enregistrer mes choix',
            closeIconLabel: 'Fermer',
            sections: [
              { description: 'Choisissez les cookies que vous acceptez. Votre choix est conservé et vous pouvez le modifier à tout moment.' },
              ...catalog.categories.map((c) => ({ title: esc(fr(c.title)), description: esc(fr(c.description)), linkedCategory: c.id, cookieTable: table(c.id) })),
              {
                title: 'Qui traite vos données',
                description: `${esc(aboutText)} <a href="${ctl.complaintUrl}">Vous pouvez adresser une réclamation à la CNIL</a>. <a href="${ctl.privacyPolicyUrl}">Politique de confidentialité</a>.`,
              },
            ],
          },
        },
      },
    },
  };
  const json = JSON.stringify(config, null, 2)
    .replace('"hideFromBots": false,', '"hideFromBots": false, // default true hides the banner under automation (navigator.webdriver)')
    .replace('"__AUTOCLEAR__"', `[${autoClear.map((a) => `{ name: ${a.name instanceof RegExp ? a.name : JSON.stringify(a.name)} }`).join(', ')}]`);
  return `${GENERATED}CookieConsent.run(${json});\n`;
}

function tarteaucitronConfig() {
  const analytics = catalog.categories.find((c) => c.id === 'analytics');
  const necessary = byCategory('necessary').map((c) => c.name).join(', ');
  return `${GENERATED}/* global tarteaucitron */
// OPH31's analytics as one custom service (tarteaucitron has no categories of its own: a service has a type).
tarteaucitron.services.oph31analytics = {
  key: 'oph31analytics',
  type: 'analytic',
  name: ${JSON.stringify(fr(analytics.title) + ' (Google Analytics)')},
  uri: ${JSON.stringify(ctl.privacyPolicyUrl)},
  readmoreLink: ${JSON.stringify(ctl.privacyPolicyUrl)},
  needConsent: true,
  cookies: ${JSON.stringify(analyticsNames.map((n) => n.replace(/\*$/, '')))},
  js: function () {
    'use strict';
    tarteaucitron.addScript('/bench/gated.js');
  },
};
(tarteaucitron.job = tarteaucitron.job || []).push('oph31analytics');

var tarteaucitronCustomText = {
  alertBigPrivacy: ${JSON.stringify(bannerText)},
  mandatoryTitle: ${JSON.stringify(fr(catalog.categories[0].title))},
  mandatoryText: ${JSON.stringify(`${fr(catalog.categories[0].description)} Cookies : ${necessary}.`)},
  disclaimer: ${JSON.stringify(`${fr(analytics.description)} ${aboutText}`)},
  title: 'Paramètres des cookies',
};

tarteaucitron.init({
  privacyUrl: ${JSON.stringify(ctl.privacyPolicyUrl)},
  readmoreLink: ${JSON.stringify(ctl.privacyPolicyUrl)},
  bodyPosition: 'bottom',
  hashtag: '#tarteaucitron',
  cookieName: 'tarteaucitron',
  orientation: 'bottom',
  groupServices: false,
  showDetailsOnClick: true,
  serviceDefaultState: 'wait',
  showAlertSmall: false,
  cookieslist: false,
  closePopup: false,
  showIcon: false,
  adblocker: false,
  DenyAllCta: true,
  AcceptAllCta: true,
  highPrivacy: true,
  handleBrowserDNTRequest: false,
  removeCredit: true,
  moreInfoLink: true,
  useExternalCss: false,
  useExternalJs: false,
  mandatory: true,
  mandatoryCta: true,
});
`;
}

function scaleCatalog() {
  const retentions = ['P365D', 'PT2H', 'session', 'P13M', 'P6M', 'PT30M', 'P2Y', 'unspecified', 'P1D', 'persistent'];
  const categories = Array.from({ length: SCALE.categories }, (_, i) => ({
    id: i === 0 ? 'necessary' : `category-${String(i).padStart(2, '0')}`,
    title: { fr: i === 0 ? 'Cookies strictement nécessaires' : `Catégorie de test n° ${i}`, en: i === 0 ? 'Strictly necessary cookies' : `Test category #${i}` },
    description: {
      fr: `Description de la catégorie ${i} : à quoi servent ces cookies, qui les dépose et combien de temps ils sont conservés.`,
      en: `Description of category ${i}: what these cookies are for, who sets them and how long they are kept.`,
    },
    ...(i === 0 ? { required: true } : {}),
  }));
  const cookies = Array.from({ length: SCALE.cookies }, (_, i) => ({
    name: `cookie_${String(i).padStart(4, '0')}`,
    category: categories[i % SCALE.categories].id,
    purpose: { fr: `Finalité du cookie n° ${i}, décrite en une phrase de longueur habituelle pour un tableau de cookies.`, en: `Purpose of cookie #${i}.` },
    retention: retentions[i % retentions.length],
    provider: `Fournisseur ${i % 37}`,
  }));
  return `${JSON.stringify({ $schema: '../catalog/catalog.schema.json', revision: 1, controller: catalog.controller, consentCookie: catalog.consentCookie, categories, cookies })}\n`;
}

for (const [file, spec] of Object.entries(PAGES)) writeFileSync(join(ROOT, 'bench', file), page(spec));
writeFileSync(join(ROOT, 'bench/cookieconsent-config.js'), cookieConsentConfig());
writeFileSync(join(ROOT, 'bench/tarteaucitron-config.js'), tarteaucitronConfig());
writeFileSync(join(ROOT, SCALE.catalog), scaleCatalog());
// The site bundle of catalog/oph31.json, made by the command line as a site would make it.
const bundled = spawnSync(process.execPath, [join(ROOT, 'bin/oph-consent.mjs'), 'bundle', 'catalog/oph31.json', '-o', 'bench/oph-consent.oph31.js'], { cwd: ROOT, encoding: 'utf8' });
if (bundled.status !== 0) fail(`oph-consent bundle failed: ${bundled.stderr}`);

// ---------------------------------------------------------------------------------- metric 1: bytes, from the files
const gz = (file) => gzipSync(readFileSync(join(ROOT, file)), { level: 9 }).length;
const raw = (file) => readFileSync(join(ROOT, file)).length;
for (const lib of LIBS) {
  lib.bytes = {
    files: Object.fromEntries(lib.files.concat(lib.config).map((f) => [f, { raw: raw(f), gzip: gz(f) }])),
    libGzip: lib.files.reduce((s, f) => s + gz(f), 0),
    libRaw: lib.files.reduce((s, f) => s + raw(f), 0),
    configGzip: lib.config.reduce((s, f) => s + gz(f), 0),
  };
}

// ------------------------------------------------------------------------------------------------------- the server
// Like scripts/static-server.mjs, but it answers gzip (-9) when asked, as any production server would, so that the
// transfer sizes the page sees are realistic. Files are read once and kept in memory: a rebuild or an `npm install`
// during the run cannot change what is measured. HTML is no-store; other files may be cached for 10 minutes (the
// returning visit is a new navigation in the same browser context, as a visitor's next page would be).
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json' };
const files = new Map();
function load(path) {
  if (!files.has(path)) {
    const body = readFileSync(join(ROOT, path));
    files.set(path, { body, gzip: gzipSync(body, { level: 9 }), type: TYPES[extname(path)] ?? 'application/octet-stream' });
  }
  return files.get(path);
}
for (const lib of LIBS) for (const f of lib.files.concat(lib.config)) load(f);
load('bench/oph-consent.oph31.js');

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '');
  if (path.split(sep).includes('..') || !/^(bench|dist|catalog|node_modules)[/\\]/.test(path)) return void res.writeHead(404).end('not found');
  let file;
  try {
    file = load(path);
  } catch {
    return void res.writeHead(404).end('not found');
  }
  const zipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = zipped ? file.gzip : file.body;
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': body.length,
    'cache-control': path.endsWith('.html') ? 'no-store' : 'max-age=600',
    vary: 'accept-encoding',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------------------------------------------ the browser
const browser = await puppeteer.launch({
  executablePath: CHROME,
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run', '--disable-quic',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', // nothing can leave the machine
  ],
});
const chromiumVersion = await browser.version();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (promise, what) =>
  Promise.race([promise, sleep(TIMEOUT).then(() => Promise.reject(new Error(`timed out after ${TIMEOUT / 1000} s waiting for ${what}`)))]);
const metric = (m, name) => m.metrics.find((x) => x.name === name)?.value ?? NaN;
const isLocal = (url) => /^(data:|blob:|about:)/.test(url) || url.startsWith(BASE);
const libPath = (lib, url) => {
  const p = url.startsWith(BASE) ? new URL(url).pathname.slice(1) : null;
  if (!p) return null;
  if (lib.files.includes(p)) return 'lib';
  if (lib.config.includes(p)) return 'config';
  return null;
};

/**
 * One first visit in a fresh browser context at the given CPU rate. With `full`, it then opens the preference panel
 * with the library's API (over the banner, as "Personnaliser" would) and, unless full is 'panel', accepts everything
 * from the panel (a real click on its accept-all button), waits for the gated script, and comes back to the page
 * (returning visit) to wait for the gated script again.
 */
async function visit(lib, { rate, full, page: pagePath = lib.page }) {
  const context = await browser.createBrowserContext();
  const out = { lib: lib.id, rate, page: pagePath };
  try {
    const page = await context.newPage();
    await page.setViewport(VIEWPORT);
    const cdp = await page.createCDPSession();
    const requests = new Map();
    const external = [];
    let firstVisit = true;
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!firstVisit) return;
      requests.set(e.requestId, { url: e.request.url, bytes: 0 });
      if (!isLocal(e.request.url)) external.push(e.request.url);
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r && firstVisit) r.bytes = e.encodedDataLength;
    });
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const before = await cdp.send('Performance.getMetrics');

    await page.goto(BASE + pagePath, { waitUntil: 'domcontentloaded' });
    out.readyMs = await withTimeout(page.evaluate(() => window.bench.readyPromise), `the accept button on ${pagePath}`);
    out.visibleMs = await page.evaluate(() => window.bench.visibleAt);
    const after = await cdp.send('Performance.getMetrics');
    out.taskMs = (metric(after, 'TaskDuration') - metric(before, 'TaskDuration')) * 1000;
    out.scriptMs = (metric(after, 'ScriptDuration') - metric(before, 'ScriptDuration')) * 1000;
    out.layoutMs = (metric(after, 'LayoutDuration') + metric(after, 'RecalcStyleDuration') - metric(before, 'LayoutDuration') - metric(before, 'RecalcStyleDuration')) * 1000;

    await sleep(200); // let the observers deliver; lets banner entrance animations settle before the CLS reading
    const perf = await page.evaluate(() => ({ longTasks: window.bench.longTasks.slice(), shifts: window.bench.shifts.slice(), noLongTask: window.bench.noLongTask }));
    if (perf.noLongTask) throw new Error(`no longtask observer: ${perf.noLongTask}`);
    const early = perf.longTasks.filter((t) => t.start < out.readyMs);
    out.longTasks = early.length;
    out.longTaskMs = early.reduce((s, t) => s + t.duration, 0);
    out.cls = perf.shifts.reduce((s, x) => s + x.value, 0);

    if (full) {
      const open = await withTimeout(page.evaluate(() => window.bench.measureOpen()), `the preference panel on ${pagePath}`);
      out.openMs = open.visible;
      out.openSyncMs = open.sync;
      await sleep(150);
      const tasks = await page.evaluate((s, e) => window.bench.longTasks.filter((t) => t.start + t.duration > s && t.start < e), open.start, open.end);
      out.openLongestTaskMs = tasks.reduce((m, t) => Math.max(m, t.duration), 0);

      if (full !== 'panel') {
        const button = await page.evaluateHandle(() => window.bench.panelAccept());
        await button.click();
        await withTimeout(page.waitForFunction(() => window.gatedRanAt !== undefined, { polling: 50, timeout: 0 }), `the gated script after accepting on ${pagePath}`);
        await sleep(100);
        firstVisit = false;
        const own = [...requests.values()].map((r) => ({ ...r, kind: libPath(lib, r.url) }));
        out.transferLib = own.filter((r) => r.kind === 'lib').reduce((s, r) => s + r.bytes, 0);
        out.transferConfig = own.filter((r) => r.kind === 'config').reduce((s, r) => s + r.bytes, 0);
        out.requestsLib = own.filter((r) => r.kind === 'lib').length;
        out.requests = own.map(({ url, bytes }) => ({ url: url.slice(BASE.length), bytes }));

        // Returning visit: same context (consent cookie and HTTP cache kept), CPU 1×.
        await page.goto(BASE + pagePath, { waitUntil: 'domcontentloaded' });
        const handle = await withTimeout(page.waitForFunction(() => window.gatedRanAt, { polling: 'raf', timeout: 0 }), `the gated script on the returning visit to ${pagePath}`);
        out.returnGatedMs = await handle.jsonValue();
        await sleep(50);
        out.returnBannerShown = await page.evaluate(() => window.bench.usable((() => { try { return window.bench.accept(); } catch { return null; } })()));
      }
    }
    out.external = external;
    return out;
  } finally {
    await context.close();
  }
}

/**
 * A first visit (banner usable; long tasks until then), a click on its accept button, then the returning visit: a new
 * navigation in the same context, until the gated script ran, with the main-thread time that navigation cost.
 */
async function wayVisit(way, { rate, latency }) {
  const context = await browser.createBrowserContext();
  const out = { way: way.id, rate, latency };
  try {
    const page = await context.newPage();
    await page.setViewport(VIEWPORT);
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    if (latency) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 });
    await page.goto(BASE + way.page, { waitUntil: 'domcontentloaded' });
    out.readyMs = await withTimeout(page.evaluate(() => window.bench.readyPromise), `the accept button on ${way.page}`);
    out.visibleMs = await page.evaluate(() => window.bench.visibleAt);
    await sleep(100);
    const tasks = await page.evaluate((until) => window.bench.longTasks.filter((t) => t.start < until), out.readyMs);
    out.longTasks = tasks.length;
    await (await page.evaluateHandle(() => window.bench.accept())).click();
    await withTimeout(page.waitForFunction(() => window.gatedRanAt !== undefined, { polling: 50, timeout: 0 }), `the gated script after accepting on ${way.page}`);
    await sleep(100);

    // The second page view, then a later one (the third): Chromium compiles a script and builds its V8 code cache on the
    // second load within 72 hours and uses that cache from the third on, so the third is what most page views cost.
    ({ gatedMs: out.returnGatedMs, taskMs: out.returnTaskMs, bannerShown: out.returnBannerShown } = await returnVisit(page, cdp, way.page, 'the returning visit'));
    await sleep(100);
    ({ gatedMs: out.laterGatedMs, taskMs: out.laterTaskMs, bannerShown: out.laterBannerShown } = await returnVisit(page, cdp, way.page, 'a later visit'));
    return out;
  } finally {
    await context.close();
  }
}

/**
 * A new navigation to the page in the same context (consent cookie and HTTP cache kept): ms until the gated script ran,
 * the new document's main-thread time, and whether the banner showed again (the stored choice was lost).
 */
async function returnVisit(page, cdp, pagePath, label) {
  await page.goto(BASE + pagePath, { waitUntil: 'load' });
  const gated = await withTimeout(page.waitForFunction(() => window.gatedRanAt, { polling: 'raf', timeout: 0 }), `the gated script on ${label} to ${pagePath}`);
  return {
    gatedMs: await gated.jsonValue(),
    // The metrics start again with the new document (they were seen to be lower than the first visit's): this page view's.
    taskMs: metric(await cdp.send('Performance.getMetrics'), 'TaskDuration') * 1000,
    bannerShown: await page.evaluate(() => window.bench.usable((() => { try { return window.bench.accept(); } catch { return null; } })())),
  };
}

// ----------------------------------------------------------------------------------------------------------- the runs
const results = { warmup: [], runs: [], baseline: [], scale: [], ways: [] };
const rotate = (list, n) => list.map((_, i) => list[(i + n) % list.length]);
const progress = (s) => process.stderr.write(s);
const total = WARMUP + RUNS;
try {
  for (let round = 0; round < total; round++) {
    const measured = round >= WARMUP;
    progress(`${measured ? `round ${round - WARMUP + 1}/${RUNS}` : 'warm-up'}: `);
    const sink = measured ? results.runs : results.warmup;
    for (const lib of rotate(LIBS, round)) sink.push({ round, ...(await visit(lib, { rate: 1, full: true })) }), progress('.');
    for (const lib of rotate(LIBS, round + 1)) sink.push({ round, ...(await visit(lib, { rate: 4, full: false })) }), progress('.');
    // Baseline: the same page without any consent library, to show what the page itself costs.
    for (const rate of [1, 4]) (measured ? results.baseline : results.warmup).push({ round, ...(await visit(BASELINE, { rate, full: false })) }), progress('.');
    // Scale case (oph-consent only): the panel opened from the banner, OPH31's 18 cookies vs 1,000 cookies, 1× CPU.
    for (const page of round % 2 ? [LIBS[0].page, SCALE.page] : [SCALE.page, LIBS[0].page]) {
      const r = await visit(LIBS[0], { rate: 1, full: 'panel', page });
      (measured ? results.scale : results.warmup).push({ round, ...r });
      progress('.');
    }
    for (const condition of CONDITIONS) {
      for (const way of rotate(WAYS, round)) (measured ? results.ways : results.warmup).push({ round, ...(await wayVisit(way, condition)) }), progress('.');
    }
    progress(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
} catch (error) {
  await browser.close().catch(() => {});
  server.close();
  fail(`run failed: ${error.message}`);
} finally {
  await browser.close();
  server.close();
}

// ---------------------------------------------------------------------------------------------------------- the table
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : null);
const pick = (id, rate, key, list = results.runs) => list.filter((r) => r.lib === id && r.rate === rate && r[key] !== undefined).map((r) => r[key]);
const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
const fmt = {
  ms: (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1)),
  bytes: kB,
  int: (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)),
  cls: (v) => v.toFixed(3),
};
const cell = (s, f) => (s ? (s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`) : 'n/a');
const ratio = (other, oph) => (other == null || oph == null ? 'n/a' : oph === 0 ? (other === 0 ? '=' : '∞') : `${(other / oph).toFixed(1)}×`);

const ROWS = [
  { label: 'JS + CSS (+ language, services) gzip -9, library files only', once: (l) => l.bytes.libGzip, f: fmt.bytes },
  { label: '… plus the site configuration (oph: catalog JSON; others: config script)', once: (l) => l.bytes.libGzip + l.bytes.configGzip, f: fmt.bytes },
  { label: 'Transfer seen by the page, library files (CDP encodedDataLength, gzip, headers incl.)', key: 'transferLib', rate: 1, f: fmt.bytes },
  { label: 'Requests for library files', key: 'requestsLib', rate: 1, f: fmt.int },
  { label: 'Accept button first visible and hit-testable, 1× CPU (ms from navigation start)', key: 'visibleMs', rate: 1, f: fmt.ms },
  { label: 'Accept button visible, clickable and wired (click listener), 1× CPU (ms)', key: 'readyMs', rate: 1, f: fmt.ms },
  { label: 'Accept button first visible and hit-testable, 4× CPU (ms)', key: 'visibleMs', rate: 4, f: fmt.ms },
  { label: 'Accept button visible, clickable and wired, 4× CPU (ms)', key: 'readyMs', rate: 4, f: fmt.ms },
  { label: 'Main-thread busy until then, 1× (TaskDuration, ms)', key: 'taskMs', rate: 1, f: fmt.ms },
  { label: 'Main-thread busy until then, 4× (TaskDuration, ms)', key: 'taskMs', rate: 4, f: fmt.ms },
  { label: 'Script until then, 1× (ScriptDuration, ms)', key: 'scriptMs', rate: 1, f: fmt.ms },
  { label: 'Script until then, 4× (ScriptDuration, ms)', key: 'scriptMs', rate: 4, f: fmt.ms },
  { label: 'Long tasks (> 50 ms) until then, 1×: count', key: 'longTasks', rate: 1, f: fmt.int },
  { label: 'Long tasks until then, 1×: total ms', key: 'longTaskMs', rate: 1, f: fmt.ms },
  { label: 'Long tasks until then, 4×: count', key: 'longTasks', rate: 4, f: fmt.int },
  { label: 'Long tasks until then, 4×: total ms', key: 'longTaskMs', rate: 4, f: fmt.ms },
  { label: 'Cumulative layout shift (until 200 ms after ready), 1×', key: 'cls', rate: 1, f: fmt.cls },
  { label: 'Returning visit: gated script ran (ms from navigation start), 1×', key: 'returnGatedMs', rate: 1, f: fmt.ms },
  { label: 'Open the preference panel (API call → first frame showing it, ms), 1×', key: 'openMs', rate: 1, f: fmt.ms },
  { label: '… of which the API call itself (synchronous part, ms), 1×', key: 'openSyncMs', rate: 1, f: fmt.ms },
];
const [oph, cc, tac] = LIBS;
const lines = [
  `| Metric (lower is better) | ${oph.name} ${oph.version} | ${cc.name} ${cc.version} | ${tac.name} ${tac.version} | cookieconsent / oph | tarteaucitron / oph |`,
  '|---|---|---|---|---|---|',
];
const summary = {};
for (const row of ROWS) {
  const s = LIBS.map((l) => (row.once ? { median: row.once(l), min: row.once(l), max: row.once(l), n: 1 } : stats(pick(l.id, row.rate, row.key))));
  summary[row.label] = Object.fromEntries(LIBS.map((l, i) => [l.name, s[i]]));
  lines.push(`| ${row.label} | ${s.map((x) => cell(x, row.f)).join(' | ')} | ${ratio(s[1]?.median, s[0]?.median)} | ${ratio(s[2]?.median, s[0]?.median)} |`);
}
const table = lines.join('\n');

const scaleRows = [
  ['Catalog, gzip -9', () => null, (p) => kB(gz(p === SCALE.page ? SCALE.catalog : 'catalog/oph31.json'))],
  ['Accept button visible and clickable (ms)', 'readyMs'],
  ['Open the preference panel from the banner (ms)', 'openMs'],
  ['… of which the API call itself (ms, synchronous part)', 'openSyncMs'],
  ['Longest task overlapping the opening (ms; 0 = none over 50 ms)', 'openLongestTaskMs'],
];
const scaleLines = ['| oph-consent, 1× CPU | OPH31 catalog (18 cookies, 2 categories) | 1,000 cookies, 20 categories |', '|---|---|---|'];
const scaleSummary = {};
for (const [label, key, once] of scaleRows) {
  const cols = [LIBS[0].page, SCALE.page].map((p) => (once ? once(p) : cell(stats(results.scale.filter((r) => r.page === p).map((r) => r[key])), fmt.ms)));
  scaleSummary[label] = cols;
  scaleLines.push(`| ${label} | ${cols.join(' | ')} |`);
}
const scaleTable = scaleLines.join('\n');

const WAY_ROWS = [
  { label: 'First visit: banner usable (visible, clickable, wired), 1× CPU (ms)', key: 'readyMs', rate: 1, latency: 0 },
  { label: 'First visit: banner usable, 4× CPU (ms)', key: 'readyMs', rate: 4, latency: 0 },
  { label: 'First visit: banner usable, 4× CPU, 150 ms per request (ms)', key: 'readyMs', rate: 4, latency: 150 },
  { label: 'First visit: long tasks (> 50 ms) until the banner, 4× CPU: count', key: 'longTasks', rate: 4, latency: 0, f: fmt.int },
  { label: 'Returning visit, second page view: gated script ran, 1× CPU (ms from navigation start)', key: 'returnGatedMs', rate: 1, latency: 0 },
  { label: 'Returning visit, second page view: gated script ran, 4× CPU (ms)', key: 'returnGatedMs', rate: 4, latency: 0 },
  { label: 'Returning visit, second page view: gated script ran, 4× CPU, 150 ms per request (ms)', key: 'returnGatedMs', rate: 4, latency: 150 },
  { label: 'Returning visit, second page view: main-thread time until load and the gated script, 4× CPU (ms)', key: 'returnTaskMs', rate: 4, latency: 0 },
  { label: 'Returning visit, later page views (code cache in use): gated script ran, 1× CPU (ms)', key: 'laterGatedMs', rate: 1, latency: 0 },
  { label: 'Returning visit, later page views: gated script ran, 4× CPU (ms)', key: 'laterGatedMs', rate: 4, latency: 0 },
  { label: 'Returning visit, later page views: gated script ran, 4× CPU, 150 ms per request (ms)', key: 'laterGatedMs', rate: 4, latency: 150 },
  { label: 'Returning visit, later page views: main-thread time until load and the gated script, 4× CPU (ms)', key: 'laterTaskMs', rate: 4, latency: 0 },
];
const wayStats = (id, row) => stats(results.ways.filter((r) => r.way === id && r.rate === row.rate && r.latency === row.latency).map((r) => r[row.key]));
const ophWays = WAYS.filter((w) => w.id !== 'cc');
const wayLines = [
  `| Metric (lower is better) | ${WAYS.map((w) => w.name).join(' | ')} | ${ophWays.map((w) => `${w.name.replace('oph-consent, ', '')} ÷ cookieconsent`).join(' | ')} |`,
  `|---|${WAYS.map(() => '---').join('|')}|${ophWays.map(() => '---').join('|')}|`,
];
const waySummary = {};
for (const row of WAY_ROWS) {
  const s = WAYS.map((w) => wayStats(w.id, row));
  waySummary[row.label] = Object.fromEntries(WAYS.map((w, i) => [w.id, s[i]]));
  const cc = s.at(-1)?.median;
  // Here the ratio is oph-consent ÷ the peer, as the goals are written: below 1× means oph-consent is better.
  const ratios = s.slice(0, -1).map((x) => (x == null || cc == null ? 'n/a' : cc === 0 ? (x.median === 0 ? '=' : '∞') : `${(x.median / cc).toFixed(2)}×`));
  wayLines.push(`| ${row.label} | ${s.map((x) => cell(x, row.f ?? fmt.ms)).join(' | ')} | ${ratios.join(' | ')} |`);
}
const wayTable = wayLines.join('\n');

const baseStats = Object.fromEntries([1, 4].map((rate) => [rate, ['readyMs', 'taskMs', 'scriptMs'].map((k) => stats(pick('base', rate, k, results.baseline)))]));
const baselineLine =
  'Baseline, the same page with no consent library (footer link visible and hit-testable): ' +
  [1, 4].map((rate) => `${rate}× CPU: at ${fmt.ms(baseStats[rate][0].median)} ms, main thread ${fmt.ms(baseStats[rate][1].median)} ms, script ${fmt.ms(baseStats[rate][2].median)} ms`).join('; ') +
  ' (medians). The "main-thread busy" rows include this page cost.';
const external = [...results.runs, ...results.baseline, ...results.scale, ...results.warmup].flatMap((r) => r.external);
const returning = [...results.runs, ...results.ways].filter((r) => r.returnBannerShown || r.laterBannerShown);
const elapsed = ((Date.now() - started) / 1000).toFixed(0);
const env = `Chromium ${chromiumVersion} headless, ${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'CPU'}, viewport ${VIEWPORT.width}×${VIEWPORT.height}; ${RUNS} interleaved runs per library and CPU rate after ${WARMUP} warm-up round; ${new Date().toISOString().slice(0, 10)}; ${elapsed} s; load average ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after (the run itself keeps about one core busy).`;
const markdown = `# oph-consent vs vanilla-cookieconsent vs tarteaucitron

Generated by \`npm run bench\` (scripts/bench.mjs). ${env}
Cells: median (min–max). Ratios divide medians: above 1× means oph-consent is better (lower). Method: bench/README.md.

${table}

${baselineLine}

## Every page view, by way of loading (oph-consent three ways, and vanilla-cookieconsent)

${wayTable}

Ratios in this table are oph-consent ÷ vanilla-cookieconsent (below 1× is better). "150 ms per request" adds that
latency to every request that is not answered from the browser's cache (CDP network emulation); on the returning
visit the scripts and the catalog come from the cache (max-age=600), the page itself does not. The second page view
is the one where Chromium compiles the scripts again and builds their V8 code cache (on the main thread, after they
ran); from the third on it uses that cache, so "later page views" are most of a returning visitor's page views.

## Scale: a 1,000-cookie catalog (oph-consent only)

${scaleTable}

Requests that left 127.0.0.1: ${external.length}. Returning visits that showed the banner again: ${returning.length}.
`;
writeFileSync(join(ROOT, 'bench/results.md'), markdown);
writeFileSync(
  join(ROOT, 'bench/results.json'),
  `${JSON.stringify({ environment: { chromium: chromiumVersion, cpus: cpus().length, cpu: cpus()[0]?.model, viewport: VIEWPORT, runs: RUNS, warmup: WARMUP, date: new Date().toISOString(), seconds: Number(elapsed) }, libraries: LIBS.map(({ id, name, version, page, files, config, bytes }) => ({ id, name, version, page, files, config, bytes })), summary, waySummary, scaleSummary, external, ...results }, null, 1)}\n`,
);
console.log(`\n${table}\n\n${baselineLine}\n\n${wayTable}\n\n${scaleTable}\n\n${env}\nRequests that left 127.0.0.1: ${external.length}. Written: bench/results.md, bench/results.json`);
if (external.length) console.warn(`bench: warning: non-local requests were attempted (blocked): ${[...new Set(external)].join(', ')}`);
if (returning.length) console.warn(`bench: warning: ${returning.length} returning visit(s) showed the banner again: the stored choice was not kept`);
process.exit(0);
