/**
 * Which catalog the site is checked against: `--catalog <file|url>`, else the page's own (the
 * `<oph-consent>` element's `catalog` URL, property or inline child). Validated with the element's
 * own validator: a catalog that does not validate stops the audit (exit 2) with the file and the
 * problem, as the element would refuse it.
 */
import type { Browser } from 'playwright-core';
import { CatalogError, parseCatalogJson, sourceName, validateCatalog, type Catalog } from '../core/catalog.js';
import { catalogHash } from '../cli/catalog-hash.js';
import { readJsonFile } from '../cli/lint-command.js';
import type { BannerState } from './evidence.js';

/** The catalog cannot be used: exit 2 with this message. */
export class BadCatalog extends Error {}

export interface LoadedCatalog {
  readonly catalog: Catalog;
  /** The file, the URL, or "inline catalog" / "catalog property". */
  readonly source: string;
  /** SHA-256 of the text, as the element's record hashes it. */
  readonly sha256: string;
}

function validated(value: unknown, text: string, source: string): LoadedCatalog {
  try {
    return { catalog: validateCatalog(value, source), source, sha256: catalogHash(text) };
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    throw new BadCatalog(`the catalog does not validate: ${e.errors.slice(0, 5).join('; ')}${e.errors.length > 5 ? ` (and ${e.errors.length - 5} more)` : ''}`);
  }
}

/** A catalog's text from the page or a URL: not JSON, or not valid, is a BadCatalog naming its source. */
function fromText(text: string, source: string, jsonSource = source): LoadedCatalog {
  try {
    return validated(parseCatalogJson(text, jsonSource), text, source);
  } catch (e) {
    if (e instanceof CatalogError) throw new BadCatalog(e.message);
    throw e;
  }
}

/**
 * Fetches a catalog URL through the browser, so that `--host-resolver-rules` and the site's own
 * certificates apply as they do to the pages.
 */
async function fetchInBrowser(browser: Browser, url: string, timeout: number): Promise<string> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    const response = await page.goto(url, { timeout, waitUntil: 'commit' });
    if (!response) throw new Error('no response');
    if (response.status() >= 400) throw new Error(`HTTP ${response.status()}`);
    return await response.text();
  } catch (e) {
    throw new BadCatalog(`the catalog ${url} could not be loaded: ${(e as Error).message.split('\n')[0].replace(/^page\.goto: /, '')}`);
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** A `--catalog` file, read and validated before any browser starts. */
export async function catalogFromFile(file: string): Promise<LoadedCatalog> {
  const read = await readJsonFile(file);
  if ('rule' in read) throw new BadCatalog(read.message);
  return validated(read.value, read.text, file);
}

export async function catalogFromUrl(browser: Browser, url: string, timeout: number): Promise<LoadedCatalog> {
  return fromText(await fetchInBrowser(browser, url, timeout), url, sourceName(url));
}

export const isCatalogUrl = (s: string) => /^https?:\/\//i.test(s);

/** The page's own catalog, as its element was given it; undefined when the page has none to read. */
export async function catalogFromPage(browser: Browser, banner: BannerState, timeout: number): Promise<LoadedCatalog | undefined> {
  const given = banner.catalog;
  if (!given) return undefined;
  if (given.kind === 'url') return catalogFromUrl(browser, given.value, timeout);
  return fromText(given.value, given.kind === 'inline' ? 'inline catalog' : 'catalog property');
}
