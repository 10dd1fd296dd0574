/** The catalogs a consent log knows: read from files, checked as the element checks them, keyed by hash. */
import { basename } from 'node:path';
import { CatalogError, parseCatalogJson, validateCatalog } from '../core/catalog.js';
import { catalogHash } from '../cli/catalog-hash.js';
import { readJsonFile } from '../cli/lint-command.js';
import type { KnownCatalog } from './records.js';

/** Reads each file; the first that cannot be read or does not validate throws a CatalogError naming it. */
export async function readCatalogs(files: readonly string[]): Promise<Map<string, KnownCatalog>> {
  const known = new Map<string, KnownCatalog>();
  for (const file of files) {
    const read = await readJsonFile(file);
    if ('rule' in read) throw new CatalogError(file, '', read.message.replace(`${file} `, '').replace(`cannot read ${file}: `, 'cannot be read: '));
    const catalog = validateCatalog(read.value, file);
    const hash = catalogHash(read.text);
    known.set(hash, { hash, text: read.text, catalog, source: basename(file) });
  }
  return known;
}

/** A catalog from its archived text (verify): the same checks, so a damaged archive says so. */
export function parseKnownCatalog(text: string, source: string): KnownCatalog {
  return { hash: catalogHash(text), text, catalog: validateCatalog(parseCatalogJson(text, source), source), source };
}
