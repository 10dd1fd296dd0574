/**
 * One audit from start to end: the catalog (given, or the page's own), the phases in the browser,
 * the findings, the report. The command line (src/cli/audit.ts) parses the options and writes the
 * files; tests call this with a browser of their own.
 */
import type { Browser } from 'playwright-core';
import { catalogEntryFor } from '../core/cookies.js';
import { BadCatalog, catalogFromFile, catalogFromPage, catalogFromUrl, isCatalogUrl, type LoadedCatalog } from './catalog-source.js';
import { draftCatalog } from './draft.js';
import { findFindings } from './findings.js';
import { Unreachable, runPhases } from './phases.js';
import { REPORT_SCHEMA, exitCodeOf, type AuditReport } from './report.js';
import type { Catalog } from '../core/catalog.js';

export interface AuditOptions {
  readonly urls: readonly string[];
  readonly catalog?: string;
  readonly pages: number;
  readonly timeout: number;
  readonly strict: boolean;
  readonly draft: boolean;
  readonly version: string;
  readonly executable: string;
}

export interface AuditResult {
  readonly report: AuditReport;
  /** The catalog draft (`--draft`), when asked for and there is a catalog to add to. */
  readonly draft?: Catalog;
}

/** A `--catalog` file is read before the browser starts, so a bad one fails at once. */
export async function preloadCatalog(catalog: string | undefined): Promise<LoadedCatalog | undefined> {
  return catalog && !isCatalogUrl(catalog) ? catalogFromFile(catalog) : undefined;
}

export async function audit(browser: Browser, options: AuditOptions, preloaded?: LoadedCatalog): Promise<AuditResult> {
  const started = Date.now();
  let loaded = preloaded ?? (options.catalog ? (isCatalogUrl(options.catalog) ? await catalogFromUrl(browser, options.catalog, options.timeout) : await catalogFromFile(options.catalog)) : undefined);
  const { phases, banner, pages } = await runPhases(browser, options.urls, options);
  // An element that never comes to life (its script missing, broken or stuck) leaves nothing to audit.
  if (banner.element && !banner.ready && !banner.error)
    throw new Unreachable(`<oph-consent> is on ${pages[0]} but did not become ready within ${options.timeout} ms: its banner never appeared (is its script loaded?)`);
  if (!loaded && banner.element) {
    if (banner.error && !banner.catalog) throw new BadCatalog(`the page's <oph-consent> reports: ${banner.error}`);
    loaded = await catalogFromPage(browser, banner, options.timeout);
    if (!loaded && banner.ready) throw new BadCatalog('the page\'s catalog is built into its script (a site bundle): give it with --catalog <file>');
  }
  const catalog = loaded?.catalog;
  const findings = findFindings({ phases, banner, pages, catalog });
  const violations = findings.filter((f) => f.level === 'violation').length;
  const report: AuditReport = {
    schema: REPORT_SCHEMA,
    tool: { name: 'oph-consent', version: options.version },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    urls: options.urls,
    pages,
    browser: { executable: options.executable, version: `Chromium ${browser.version()}` },
    catalog: loaded ? { source: loaded.source, revision: loaded.catalog.revision, sha256: loaded.sha256, cookies: loaded.catalog.cookies.length } : null,
    banner: { element: banner.element, ready: banner.ready, ...(banner.error ? { error: banner.error } : {}) },
    summary: { violations, warnings: findings.length - violations, exitCode: exitCodeOf(findings, options.strict) },
    findings,
    phases,
  };
  const draft = options.draft && catalog ? draftCatalog(catalog, phases, (name) => name === catalog.consentCookie.name || !!catalogEntryFor(catalog, name)) : undefined;
  return { report, draft };
}
