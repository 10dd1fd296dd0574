/**
 * `oph-consent audit <url>…` (CONTRACT.md §6.2): what a site really sets before and after consent,
 * against its catalog, in the system's Chrome/Chromium driven by playwright-core (an optional
 * package). Exit 0 clean (warnings allowed), 1 a violation (or a warning with --strict), 2 wrong
 * usage, a page that cannot be audited, a catalog that does not validate, no browser.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadCatalog } from '../audit/catalog-source.js';
import { NoBrowser, findChrome, launch } from '../audit/browser.js';
import { Unreachable } from '../audit/phases.js';
import { htmlReport } from '../audit/report-html.js';
import { markdownReport } from '../audit/report-md.js';
import { audit, preloadCatalog } from '../audit/run.js';
import { UsageError, optionalImport, parseCommand } from './usage.js';

export const USAGE = `Usage: oph-consent audit <url>… [options]

Drives the system's Chrome/Chromium through four phases, each in a fresh profile:
the first visit untouched (same-origin pages crawled), "Tout refuser" then a
reload and a second page, "Tout accepter" then a reload and a second page, and a
withdrawal. Records cookies (with who set them), storage and third-party
requests, and checks them against the catalog (the page's own by default).

Options:
  --catalog <file|url>   the catalog to check against (default: the page's own)
  --pages <n>            pages the first visit may crawl (default 5)
  --out <dir>            where to write the reports (default ./oph-consent-audit)
  --format <list>        which reports: json,md,html (default all three)
  --chrome <path>        the browser (default: CHROME_PATH, then /usr/bin/chromium,
                         chromium-browser, google-chrome)
  --chrome-arg <arg>     an extra browser flag, repeatable; for a staging site:
                         --chrome-arg=--host-resolver-rules="MAP www.example.fr 10.0.0.5"
  --timeout <ms>         the longest any page load or wait may take (default 15000)
  --strict               warnings fail too (exit 1)
  --draft <file>         write a catalog draft with the undeclared cookies
  -h, --help             print this help

Exit status: 0 no violation, 1 a violation (or a warning with --strict),
2 wrong usage, a page that cannot be audited, a bad catalog, no browser.
`;

const FORMATS = ['json', 'md', 'html'] as const;
type Format = (typeof FORMATS)[number];

function positiveInteger(value: string | undefined, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${option} takes a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`, USAGE);
  return n;
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`not a URL: ${JSON.stringify(value)} (give http:// or https://)`, USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`not an http(s) URL: ${JSON.stringify(value)}`, USAGE);
  return url.href;
}

async function packageVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A report or draft cannot be written (a read-only folder, a file in the way): exit 2. */
class CannotWrite extends Error {}

const fail = (message: string) => {
  process.stderr.write(`oph-consent audit: ${message}\n`);
  return 2;
};

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      catalog: { type: 'string' },
      pages: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      chrome: { type: 'string' },
      'chrome-arg': { type: 'string', multiple: true },
      timeout: { type: 'string' },
      strict: { type: 'boolean' },
      draft: { type: 'string' },
    },
    USAGE,
  );
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (!positionals.length) throw new UsageError('audit needs at least one URL', USAGE);
  const urls = positionals.map(parseUrl);
  const origins = new Set(urls.map((u) => new URL(u).origin));
  if (origins.size > 1) throw new UsageError(`audit one site at a time: the URLs have ${origins.size} origins (${[...origins].join(', ')})`, USAGE);
  const formats = (values.format ?? FORMATS.join(',')).split(',').map((f) => f.trim());
  for (const f of formats) if (!FORMATS.includes(f as Format)) throw new UsageError(`--format takes json, md and html, got ${JSON.stringify(f)}`, USAGE);
  const pages = positiveInteger(values.pages, '--pages', 5, 1, 100);
  const timeout = positiveInteger(values.timeout, '--timeout', 15_000, 100, 600_000);
  const out = values.out ?? 'oph-consent-audit';

  let browser;
  try {
    const preloaded = await preloadCatalog(values.catalog);
    const executable = findChrome(values.chrome);
    const { chromium } = await optionalImport<typeof import('playwright-core')>('playwright-core', 'audit');
    browser = await launch(chromium, executable, values['chrome-arg'] ?? [], timeout);
    const { report, draft } = await audit(
      browser,
      { urls, catalog: values.catalog, pages, timeout, strict: !!values.strict, draft: !!values.draft, version: await packageVersion(), executable },
      preloaded,
    );

    const written: string[] = [];
    const write = async (file: string, text: string) => {
      try {
        await writeFile(file, text);
      } catch (e) {
        throw new CannotWrite(`cannot write ${file}: ${(e as Error).message}`);
      }
      written.push(file);
    };
    await mkdir(out, { recursive: true }).catch((e: Error) => {
      throw new CannotWrite(`cannot create ${out}: ${e.message}`);
    });
    if (formats.includes('json')) await write(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (formats.includes('md')) await write(join(out, 'report.md'), markdownReport(report));
    if (formats.includes('html')) await write(join(out, 'report.html'), htmlReport(report));
    if (values.draft) {
      if (!draft) return fail(`${values.draft} not written: there is no catalog to add the undeclared cookies to (give --catalog <file>)`);
      await write(values.draft, `${JSON.stringify(draft, null, 2)}\n`);
    }

    const { violations, warnings, exitCode } = report.summary;
    const lines = report.findings.map((f) => `${f.level === 'violation' ? 'violation' : 'warning  '} ${f.id} [${f.rule}] ${f.phase}: ${f.message}\n`);
    process.stdout.write(
      lines.join('') +
        `${violations} violation${violations === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} on ${report.pages.length} page${report.pages.length === 1 ? '' : 's'} ` +
        `in ${(report.durationMs / 1000).toFixed(1)} s; wrote ${written.join(', ')}\n`,
    );
    return exitCode;
  } catch (e) {
    if (e instanceof BadCatalog || e instanceof NoBrowser || e instanceof Unreachable || e instanceof CannotWrite) return fail(e.message);
    throw e;
  } finally {
    await browser?.close().catch(() => undefined);
  }
}
