/**
 * `oph-consent audit` on real pages in Debian's Chromium: fixture sites served on loopback under
 * real-looking names (www.oph31.fr, tracker.example, ads.example; see server.mjs), each planted
 * fault found with its culprit, a clean site and the project's own demo pages clean, and bad input
 * ending with a clear message and exit 2, never a hang. One browser for the in-process audits
 * (each phase gets a fresh context); the command line is run as a user would for the exit codes.
 * Needs `npm run build` (dist/oph-consent.min.js and dist/node/).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { chromium } from 'playwright-core';
import { audit } from '../../dist/node/audit/run.js';
import { htmlReport } from '../../dist/node/audit/report-html.js';
import { markdownReport } from '../../dist/node/audit/report-md.js';
import { lintCatalog } from '../../dist/node/cli/lint.js';
import { startSites } from './server.mjs';

const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const sites = await startSites();
const browser = await chromium.launch({ executablePath: CHROME, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', sites.hostRules] });
after(async () => {
  await browser.close();
  sites.close();
});

const options = (urls, extra = {}) => ({ urls, pages: 5, timeout: 10_000, strict: false, draft: false, version: 'test', executable: CHROME, ...extra });
const once = (f) => {
  let p;
  return () => (p ??= f());
};
const faulty = once(() => audit(browser, options(['http://www.oph31.fr/faulty/'], { draft: true })));

/** The findings of one id about one subject, with their culprits. */
const find = (report, id, name) => report.findings.filter((f) => f.id === id && f.subject.name === name);

function assertFound(report, id, name, culprit, phase) {
  const found = find(report, id, name);
  assert.ok(found.length, `${id} ${name} not found; findings: ${report.findings.map((f) => `${f.id} ${f.subject.name}`).join(', ')}`);
  if (phase) assert.ok(found.some((f) => f.phase === phase), `${id} ${name} in phase ${phase}: ${found.map((f) => f.phase)}`);
  assert.ok(found.some((f) => f.setBy.includes(culprit)), `${id} ${name} blames ${culprit}: ${found.map((f) => f.setBy.join(' '))}`);
}

test('CNIL-01: an ungated tag’s cookie is found before consent, with the tag that set it (even though the element deleted it at once)', async () => {
  const { report } = await faulty();
  assertFound(report, 'cookie-before-consent', '_ungated_id', 'http://www.oph31.fr/faulty/ungated.js', 'first-visit');
  assert.equal(find(report, 'cookie-before-consent', '_ungated_id')[0].rule, 'CNIL-01');
});

test('CNIL-01: a cookie set by the page’s own response (Set-Cookie) before consent is found with that response', async () => {
  const { report } = await faulty();
  assertFound(report, 'cookie-before-consent', 'srv_visit', 'http://www.oph31.fr/faulty/page2.html', 'first-visit');
  assert.ok(!find(report, 'retention-longer-than-declared', 'srv_visit').length, 'an hour is within its day');
});

test('a cookie the browser refused (Secure on http, SameSite=None without Secure) is no finding: it never existed', async () => {
  const { report } = await faulty();
  const names = report.findings.map((f) => f.subject.name);
  assert.ok(!names.includes('_rejected_secure'), names.join());
  assert.ok(!names.includes('tk_uid'), names.join());
});

test('CNIL-02: a tag that ignores "Tout refuser" is found after the refusal, with its script', async () => {
  const { report } = await faulty();
  assertFound(report, 'cookie-after-refusal', '_ads_id', 'http://www.oph31.fr/faulty/ignores-refusal.js', 'refusal');
  assert.ok(!find(report, 'cookie-before-consent', '_ads_id').length, 'it waits for a choice: nothing before consent');
  assert.equal(find(report, 'cookie-after-refusal', '_ads_id').find((f) => f.phase === 'refusal').rule, 'CNIL-02');
});

test('CNIL-01: a third-party pixel before consent is found by host, with the page that loaded it; it goes on after a refusal', async () => {
  const { report } = await faulty();
  assertFound(report, 'request-before-consent', 'ads.example', 'http://www.oph31.fr/faulty/', 'first-visit');
  assertFound(report, 'request-after-refusal', 'ads.example', 'http://www.oph31.fr/faulty/', 'refusal');
});

test('CNIL-01: a tracker writing localStorage before consent is found with the tracker’s script', async () => {
  const { report } = await faulty();
  assertFound(report, 'storage-before-consent', 'tk_fingerprint', 'http://tracker.example/tag.js', 'first-visit');
  assertFound(report, 'storage-before-consent', 'tk_db', 'http://tracker.example/tag.js', 'first-visit');
  assert.equal(find(report, 'storage-before-consent', 'tk_db')[0].subject.where, 'indexedDB http://www.oph31.fr');
  assertFound(report, 'request-before-consent', 'tracker.example', 'http://www.oph31.fr/faulty/', 'first-visit');
  // The tag's own beacon to the ad server: the initiator is the tag, from the browser's stack.
  assertFound(report, 'request-before-consent', 'ads.example', 'http://tracker.example/tag.js', 'first-visit');
});

test('CNIL-09: an undeclared cookie, a cookie living longer than declared and a declared cookie never set are warnings', async () => {
  const { report } = await faulty();
  assertFound(report, 'undeclared-cookie', '_undeclared_pref', 'http://www.oph31.fr/faulty/analytics.js');
  assertFound(report, 'retention-longer-than-declared', '_stats_long', 'http://www.oph31.fr/faulty/analytics.js');
  assert.equal(find(report, 'declared-not-seen', '_never_set').length, 1);
  for (const id of ['undeclared-cookie', 'retention-longer-than-declared', 'declared-not-seen']) assert.ok(report.findings.filter((f) => f.id === id).every((f) => f.level === 'warning'));
  // Kept to their catalog entries: no false alarm.
  assert.ok(!find(report, 'retention-longer-than-declared', '_stats_id').length);
  assert.ok(!find(report, 'undeclared-cookie', 'cookieConsent').length);
});

test('CNIL-16: after a withdrawal, the undeclared cookies the element could not delete are still there', async () => {
  const { report } = await faulty();
  assertFound(report, 'cookie-after-refusal', '_undeclared_pref', 'http://www.oph31.fr/faulty/analytics.js', 'withdrawal');
  // Declared ones were deleted by the element, and the tag does not come back.
  assert.ok(!find(report, 'cookie-after-refusal', '_stats_long').length);
});

test('evidence: each cookie with its real lifetime, flags, party and who set it; four phases with a screenshot each', async () => {
  const { report } = await faulty();
  assert.deepEqual(report.phases.map((p) => p.id), ['first-visit', 'refusal', 'acceptance', 'withdrawal']);
  for (const p of report.phases) assert.ok(p.screenshot?.startsWith('iVBOR'), `${p.id} has a PNG screenshot`);
  const accepted = report.phases.find((p) => p.id === 'acceptance').steps.find((s) => s.label === 'reload');
  const long = accepted.cookies.find((c) => c.name === '_stats_long');
  assert.ok(Math.abs(long.lifetime - 395 * 86400) < 120, `lifetime ${long.lifetime}`);
  assert.equal(long.party, 'first');
  assert.equal(long.sameSite, 'Lax');
  const consent = accepted.cookies.find((c) => c.name === 'cookieConsent');
  assert.ok(consent.setBy[0].endsWith('/oph-consent.min.js'), consent.setBy.join());
  assert.deepEqual(report.pages, ['http://www.oph31.fr/faulty/', 'http://www.oph31.fr/faulty/page2.html']);
  assert.equal(report.catalog.source, 'http://www.oph31.fr/faulty/catalog.json');
  assert.equal(report.summary.exitCode, 1);
});

test('report.json validates against the published schema (catalog/audit-report.schema.json)', async () => {
  const schema = JSON.parse(readFileSync('catalog/audit-report.schema.json', 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);
  const { report } = await faulty();
  const json = JSON.parse(JSON.stringify(report));
  assert.ok(validate(json), JSON.stringify(validate.errors));
  assert.equal(json.schema, 'oph-consent-audit/1');
  assert.ok(!validate({ ...json, schema: 'oph-consent-audit/0' }));
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(pkg.exports['./audit-report.schema.json'], './catalog/audit-report.schema.json');
  assert.ok(pkg.files.includes('catalog/audit-report.schema.json'));
});

test('CNIL-18: report.html is one self-contained page: no script, screenshots as data: URLs, a hostile cookie name escaped', async () => {
  const { report } = await faulty();
  const html = htmlReport(report);
  assert.ok(report.findings.some((f) => f.subject.name === '"><script>alert(1)</script>'), 'the fixture plants a hostile name');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
  assert.match(html, /&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.equal((html.match(/<img [^>]*src="data:image\/png;base64,/g) ?? []).length, 4);
  assert.doesNotMatch(html, /(src|href)="(?!data:)/, 'nothing loaded from elsewhere');
  const md = markdownReport(report);
  assert.match(md, /^## oph-consent audit: \d+ violations, 4 warnings/);
  assert.match(md, /\| ❌ \| `cookie-before-consent` \| CNIL-01 \| first-visit \| `_ungated_id`/);
  assert.doesNotMatch(md, /<script>/);
});

test('--draft: the undeclared cookies drafted with their observed lifetime pass the linter, needsReview where unknown', async () => {
  const { draft } = await faulty();
  const { errors, warnings } = lintCatalog(JSON.parse(JSON.stringify(draft)), 'draft.json');
  assert.deepEqual(errors, []);
  const entry = draft.cookies.find((c) => c.name === '_undeclared_pref');
  assert.equal(entry.retention, 'P7D');
  assert.equal(entry.needsReview, true);
  assert.ok(warnings.some((w) => w.rule === 'needs-review' && w.message.includes('_undeclared_pref')));
  assert.equal(draft.cookies.filter((c) => c.name === '_stats_long').length, 1, 'declared cookies are not drafted again');
});

test('a clean site audits clean: no finding at all, exit 0 even with --strict', async () => {
  const { report } = await audit(browser, options(['http://www.oph31.fr/clean/'], { strict: true }));
  assert.deepEqual(report.findings, []);
  assert.equal(report.summary.exitCode, 0);
  // The gated pixel and cookie did come after "Tout accepter": the audit saw them.
  const accepted = report.phases.find((p) => p.id === 'acceptance').steps.find((s) => s.label === 'reload');
  assert.ok(accepted.requests.some((r) => r.host === 'ads.example'));
  assert.ok(accepted.cookies.some((c) => c.name === '_stats_id'));
  // CNIL-15: the withdrawal went through the site's own "Gestion des cookies" link, and deleted the cookie.
  const withdrawal = report.phases.find((p) => p.id === 'withdrawal');
  assert.deepEqual(withdrawal.notes, []);
  assert.ok(!withdrawal.steps.find((s) => s.label === 'withdrawal').cookies.some((c) => c.name === '_stats_id'));
});

test('the demo and paste pages audit with no violation (exit 0)', async () => {
  const started = Date.now();
  const { report } = await audit(browser, options(['http://www.oph31.fr/demo/', 'http://www.oph31.fr/demo/paste.html'], { pages: 2 }));
  const seconds = (Date.now() - started) / 1000;
  assert.deepEqual(report.findings.filter((f) => f.level === 'violation'), []);
  assert.equal(report.summary.exitCode, 0);
  // The demo's analytics ran after consent and are declared (as `_utma`… with their real lifetimes).
  assert.ok(!report.findings.some((f) => f.id === 'undeclared-cookie' || f.id === 'retention-longer-than-declared'), JSON.stringify(report.findings.map((f) => f.id)));
  console.log(`demo audit (2 pages, 4 phases): ${seconds.toFixed(1)} s`);
});

test('a page without the banner: banner-not-found, only the first visit audited (exit 0, 1 with --strict)', async () => {
  const { report } = await audit(browser, options(['http://www.oph31.fr/nobanner/']));
  assert.deepEqual(report.findings.map((f) => f.id), ['banner-not-found']);
  assert.deepEqual(report.phases.map((p) => p.id), ['first-visit']);
  assert.equal(report.summary.exitCode, 0);
  const strict = await audit(browser, options(['http://www.oph31.fr/nobanner/'], { strict: true }));
  assert.equal(strict.report.summary.exitCode, 1);
});

test('--catalog <url> is fetched through the browser (host resolver rules apply), a --catalog file read as it is', async () => {
  const url = 'http://www.oph31.fr/clean/catalog.json';
  const byUrl = await audit(browser, options(['http://www.oph31.fr/nobanner/'], { catalog: url }));
  assert.equal(byUrl.report.catalog.source, url);
  assert.equal(byUrl.report.catalog.revision, 1);
  const byFile = await audit(browser, options(['http://www.oph31.fr/nobanner/'], { catalog: 'test/audit/fixtures/clean/catalog.json' }));
  assert.equal(byFile.report.catalog.sha256, byUrl.report.catalog.sha256, 'the same bytes, the same hash');
});

// The command line, as a user runs it.
const cli = (args, timeout = 60_000) =>
  new Promise((resolve) => {
    const started = Date.now();
    execFile(process.execPath, ['bin/oph-consent.mjs', 'audit', ...args], { timeout }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 'killed') : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
const hostRules = `--chrome-arg=${sites.hostRules}`;

test('command line: a full audit writes report.json, report.md and report.html to --out and prints a summary', async () => {
  const out = mkdtempSync(join(tmpdir(), 'oph-audit-'));
  const { code, stdout, stderr } = await cli(['http://www.oph31.fr/clean/', '--out', out, '--strict', '--timeout', '10000', hostRules]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /0 violations, 0 warnings on 2 pages/);
  for (const f of ['report.json', 'report.md', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).summary.exitCode, 0);
});

test('command line: --help, an unknown option, no URL, a bad --format', async () => {
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: oph-consent audit <url>/);
  const unknown = await cli(['http://www.oph31.fr/', '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--frobnicate/);
  assert.equal((await cli([])).code, 2);
  const format = await cli(['http://www.oph31.fr/', '--format', 'pdf']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format takes json, md and html, got "pdf"/);
});

test('command line: an unreachable URL, a page that never loads, a page that never answers, a banner that never appears, an --out that cannot be written, no browser: a clear message and exit 2', async () => {
  const closed = createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  // Independent runs that mostly wait: side by side.
  const [unreachable, slow, busy, stuck, cannotWrite, noBrowser] = await Promise.all([
    cli([`http://127.0.0.1:${port}/`, '--timeout', '5000']),
    cli(['http://slow.oph31.fr/', '--timeout', '1500', hostRules]),
    cli(['http://www.oph31.fr/busy/', '--timeout', '1000', '--out', mkdtempSync(join(tmpdir(), 'oph-audit-')), hostRules]),
    cli(['http://www.oph31.fr/stuck/', '--timeout', '1500', hostRules]),
    cli(['http://www.oph31.fr/nobanner/', '--out', 'package.json/audit', hostRules]),
    cli(['http://www.oph31.fr/', '--chrome', '/nonexistent/chrome']),
  ]);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.stderr, new RegExp(`http://127\\.0\\.0\\.1:${port}/ could not be loaded: net::ERR_CONNECTION_REFUSED`));

  assert.equal(slow.code, 2);
  assert.match(slow.stderr, /http:\/\/slow\.oph31\.fr\/ did not load within 1500 ms/);
  assert.ok(slow.ms < 20_000, 'bounded by --timeout');

  assert.equal(busy.code, 0, busy.stderr);
  assert.match(busy.stdout, /banner-not-found/);
  assert.ok(busy.ms < 30_000, 'a page whose main thread never answers still ends the audit');

  assert.equal(stuck.code, 2);
  assert.match(stuck.stderr, /<oph-consent> is on http:\/\/www\.oph31\.fr\/stuck\/ but did not become ready within 1500 ms: its banner never appeared/);

  assert.equal(cannotWrite.code, 2);
  assert.match(cannotWrite.stderr, /cannot create package\.json\/audit: ENOTDIR/);

  assert.equal(noBrowser.code, 2);
  assert.match(noBrowser.stderr, /no browser at \/nonexistent\/chrome \(from --chrome\)/);
});

test('command line: a catalog that does not validate, the page’s own or --catalog: exit 2 naming the file and the problem; --draft without a catalog', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oph-audit-'));
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{ "revision": 1, ');
  const [page, given, invalid, noCatalog] = await Promise.all([
    cli(['http://www.oph31.fr/badcatalog/', '--timeout', '5000', hostRules]),
    cli(['http://www.oph31.fr/clean/', '--catalog', file]),
    cli(['http://www.oph31.fr/clean/', '--catalog', 'test/audit/fixtures/badcatalog/catalog.json']),
    cli(['http://www.oph31.fr/nobanner/', '--out', dir, '--draft', join(dir, 'draft.json'), hostRules]),
  ]);
  assert.equal(page.code, 2);
  assert.match(page.stderr, /catalog\.json: revision: expected an integer of 1 or more, got number 0/);
  assert.equal(given.code, 2);
  assert.match(given.stderr, /broken\.json is not valid JSON/);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /badcatalog\/catalog\.json: revision: expected an integer of 1 or more/);
  assert.ok(given.ms < 5_000 && invalid.ms < 5_000, 'a --catalog file is checked before any browser starts');
  assert.equal(noCatalog.code, 2);
  assert.match(noCatalog.stderr, /draft\.json not written: there is no catalog to add the undeclared cookies to/);
});
