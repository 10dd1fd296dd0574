/**
 * The audit's small rules, without a browser: how a real lifetime is compared with a declared
 * retention, how an observed lifetime is written in a draft, first or third party, finding Chrome.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoBrowser, findChrome } from '../../dist/node/audit/browser.js';
import { knownCookie } from '../../dist/node/audit/cookie-db.js';
import { isoLifetime } from '../../dist/node/audit/draft.js';
import { longerThanDeclared, tolerance } from '../../dist/node/audit/findings.js';
import { markdownReport } from '../../dist/node/audit/report-md.js';
import { registrableDomain, sameSite } from '../../dist/node/audit/site.js';

const DAY = 86_400;

test('CNIL-09: a real lifetime beyond the declared retention, with a small tolerance; "session" allows no expiry', () => {
  assert.equal(longerThanDeclared(395 * DAY, 'P30D'), true);
  assert.equal(longerThanDeclared(30 * DAY + 3_000, 'P30D'), false, 'within a day');
  assert.equal(longerThanDeclared(31 * DAY + 60, 'P30D'), true);
  assert.equal(longerThanDeclared(183 * DAY, 'P6M'), false, 'P6M is 182.6 days');
  assert.equal(longerThanDeclared(400 * DAY, 'P2Y'), false, 'Chromium caps cookies at 400 days');
  assert.equal(longerThanDeclared(11 * 60, 'PT10M'), false, 'a minute of tolerance on ten');
  assert.equal(longerThanDeclared(12 * 60, 'PT10M'), true);
  assert.equal(longerThanDeclared(null, 'P30D'), false, 'a session cookie is shorter than any duration');
  assert.equal(longerThanDeclared(60, 'session'), true);
  assert.equal(longerThanDeclared(null, 'session'), false);
  assert.equal(longerThanDeclared(10 * 365 * DAY, 'persistent'), false, 'vague words are the linter’s');
  assert.equal(tolerance(730 * DAY), DAY);
  assert.equal(tolerance(600), 60);
});

test('--draft: an observed lifetime as an ISO 8601 duration', () => {
  assert.equal(isoLifetime(null), 'session');
  assert.equal(isoLifetime(395 * DAY), 'P395D');
  assert.equal(isoLifetime(2 * 3600), 'PT2H');
  assert.equal(isoLifetime(600), 'PT10M');
  assert.equal(isoLifetime(5), 'PT1M');
});

test('first or third party by registrable domain', () => {
  assert.equal(registrableDomain('www.oph31.fr'), 'oph31.fr');
  assert.equal(registrableDomain('.static.oph31.fr'), 'oph31.fr');
  assert.equal(registrableDomain('www.service-public.gouv.fr'), 'service-public.gouv.fr');
  assert.equal(registrableDomain('127.0.0.1'), '127.0.0.1');
  assert.ok(sameSite('www.oph31.fr', 'oph31.fr'));
  assert.ok(!sameSite('www.oph31.fr', 'tracker.example'));
  assert.ok(!sameSite('a.gouv.fr', 'b.gouv.fr'));
});

test('the Open Cookie Database subset: exact names first, then prefixes', () => {
  assert.equal(knownCookie('_ga').name, '_ga');
  assert.equal(knownCookie('_ga_ABC123').name, '_ga_*');
  assert.equal(knownCookie('PHPSESSID').category, 'Functional');
  assert.equal(knownCookie('_stats_id'), undefined);
});

test('the browser: --chrome, else CHROME_PATH, else the usual places; a missing one says which', () => {
  assert.equal(findChrome('/usr/bin/chromium', {}), '/usr/bin/chromium');
  assert.throws(() => findChrome(undefined, { CHROME_PATH: '/nonexistent/chrome' }), (e) => e instanceof NoBrowser && /no browser at \/nonexistent\/chrome \(from CHROME_PATH\)/.test(e.message));
  assert.throws(() => findChrome('/nonexistent/chrome', { CHROME_PATH: '/usr/bin/chromium' }), /from --chrome/);
});

test('report.md: a hostile name cannot break the table or add HTML', () => {
  const finding = (name) => ({ id: 'undeclared-cookie', level: 'warning', rule: 'CNIL-09', phase: 'acceptance', subject: { kind: 'cookie', name, where: 'www.oph31.fr' }, setBy: ['https://www.oph31.fr/a|b.js'], pages: [], message: `${name}\nis not in the catalog` });
  const report = {
    urls: ['https://www.oph31.fr/'], pages: ['https://www.oph31.fr/'], catalog: null, phases: [], startedAt: '2026-12-03T00:00:00.000Z', durationMs: 1000,
    browser: { version: 'Chromium' }, summary: { violations: 0, warnings: 2 },
    findings: [finding('a|b'), finding('<img src=x onerror=alert(1)>`')],
  };
  const rows = markdownReport(report).split('\n').filter((l) => l.startsWith('| ⚠️'));
  assert.equal(rows.length, 2, 'one line each');
  for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 9, `seven cells: ${row}`);
  assert.doesNotMatch(rows[1], /(?<!\\)</, 'every < escaped: CommonMark shows it as text');
});
