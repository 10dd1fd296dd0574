/**
 * What the consent log's tests share: records as the element makes them, a throwaway PostgreSQL
 * cluster (Debian's server binaries, its own data folder and port, gone at the end), and stores of
 * both kinds.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogHash } from '../../dist/node/cli/catalog-hash.js';
import { openStore } from '../../dist/node/log/store.js';

export const CATALOG_FILE = 'catalog/oph31.json';
export const CATALOG_TEXT = readFileSync(CATALOG_FILE, 'utf8');
export const CATALOG = JSON.parse(CATALOG_TEXT);
export const CATALOG_HASH = catalogHash(CATALOG_TEXT);
const DAY = 86_400_000;

/** A record exactly as the element sends it for `method` (see src/core/record.ts), with `overrides`. */
export function makeRecord(method = 'accept-all', overrides = {}) {
  const granted = method === 'accept-all';
  const choices = Object.fromEntries(CATALOG.categories.map((c) => [c.id, Boolean(c.required) || granted]));
  const now = Date.now();
  return {
    schema: 'oph-consent-record/1',
    id: randomUUID(),
    previousId: null,
    decidedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + CATALOG.consentCookie.days * DAY).toISOString(),
    revision: CATALOG.revision,
    choices,
    method,
    language: 'fr',
    catalogHash: CATALOG_HASH,
    ...(method === 'gpc' ? { gpc: true } : {}),
    state: granted ? 'given' : 'refused',
    ...overrides,
  };
}

/** A fresh SQLite file in a temporary folder. */
export function sqliteFile() {
  return join(mkdtempSync(join(tmpdir(), 'oph-consent-log-')), 'consent.sqlite');
}

/** Both backends, for the tests that must hold for each: [name, () => a fresh --db location]. */
export function backends(pg) {
  return [
    ['SQLite', () => sqliteFile()],
    ['PostgreSQL', () => pg().database()],
  ];
}

export { openStore };
export { freePort, startPostgres } from '../../scripts/postgres.mjs';
