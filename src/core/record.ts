/**
 * The consent record and where it is kept: one first-party cookie.
 * Plain module, no Lit. Reading is strict: anything that is not exactly a record this catalog
 * could have written counts as no decision, so a forged or damaged cookie never grants anything.
 */
import { check, expected, fail, integer, isObject, object, oneOf, optional, string, type Catalog, type Category, type Check } from './catalog.js';

export const METHODS = ['accept-all', 'reject-all', 'custom', 'dismiss', 'gpc', 'sync'] as const;
export type Method = (typeof METHODS)[number];
export type Consent = Record<string, boolean>;

export const RECORD_SCHEMA = 'oph-consent-record/1' as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;
const HASH = /^[0-9a-f]{64}$/;
const DAY_MS = 86_400_000;
/** Clocks differ a little between the server that wrote nothing and the visitor's device. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Browsers keep about 4 KB per cookie; a larger value was not written by us. */
export const MAX_STORED_LENGTH = 4096;

/** What the visitor was told and chose, kept as proof (CNIL-18, REC-01). */
export interface ConsentRecord {
  readonly schema: typeof RECORD_SCHEMA;
  /** Random, new for every decision, so the cookie is never a stable identifier (CNIL-12). */
  readonly id: string;
  readonly previousId: string | null;
  readonly decidedAt: string;
  readonly expiresAt: string;
  readonly revision: number;
  /** One boolean per category of the catalog, required ones always true. */
  readonly choices: Readonly<Consent>;
  readonly method: Method;
  readonly language: string;
  /** SHA-256 (hex) of the catalog the visitor was shown; null where the browser offers no Web Crypto. */
  readonly catalogHash: string | null;
  /** Present and true when the browser sent Global Privacy Control as the visitor decided. */
  readonly gpc?: true;
}

/** A storage failure: the element keeps working in memory and reports it. */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** One boolean per category of the catalog: required ones true, the others as `on` says. */
const consentOf = (catalog: Catalog, on: (c: Category) => boolean): Consent =>
  Object.fromEntries(catalog.categories.map((c) => [c.id, c.required || on(c)]));

/** The consent of someone who has not decided: required and exempt categories on, the rest off. */
export const defaultConsent = (catalog: Catalog): Consent => consentOf(catalog, (c) => c.exempt);

/** Every category on, or every optional one off (exempt ones too: refusing all means all). */
export const uniformConsent = (catalog: Catalog, granted: boolean): Consent => consentOf(catalog, () => granted);

export function newRecord(
  catalog: Catalog,
  choices: Consent,
  method: Method,
  language: string,
  catalogHash: string | null,
  previousId: string | null,
  now = Date.now(),
  gpc = false,
): ConsentRecord {
  return {
    schema: RECORD_SCHEMA,
    id: randomUuid(),
    previousId,
    decidedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + catalog.consentCookie.days * DAY_MS).toISOString(),
    revision: catalog.revision,
    choices: consentOf(catalog, (c) => choices[c.id] === true),
    method,
    language,
    catalogHash,
    ...(gpc ? { gpc: true as const } : {}),
  };
}

export type ParseResult =
  | { readonly record: ConsentRecord }
  /** `stale`: a real record that no longer applies (expired, older revision): ask again, no error. */
  | { readonly stale: string }
  /** `invalid`: not something we wrote: ask again and report it. */
  | { readonly invalid: string };

const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, path) =>
    v === null ? null : check(v, path);

/** `{ [categoryId]: boolean }`. Only the catalog's ids are ever read from it. */
const booleans: Check<Consent> = (v, path) =>
  !isObject(v)
    ? expected(path, 'an object', v)
    : Object.entries(v).every(([id, b]) => typeof b === 'boolean' || expected(`${path}.${id.slice(0, 40)}`, 'true or false', b))
      ? (v as Consent)
      : undefined;

/** The fields newRecord() writes, each with its check (shared with the consent log server). */
export const RECORD_FIELDS: { [K in keyof ConsentRecord]-?: Check<ConsentRecord[K]> } = {
  schema: oneOf([RECORD_SCHEMA], RECORD_SCHEMA),
  id: string(UUID, 'a random UUID'),
  previousId: nullable(string(UUID, 'a UUID')),
  decidedAt: string(ISO_TIME, 'an ISO 8601 UTC time'),
  expiresAt: string(ISO_TIME, 'an ISO 8601 UTC time'),
  revision: integer(1, 2 ** 53 - 1, 'a revision'), // up to Number.MAX_SAFE_INTEGER
  choices: booleans,
  method: oneOf(METHODS, 'a method'),
  language: string(/^[a-z]{2,3}$/, 'a language'),
  catalogHash: nullable(string(HASH, 'a SHA-256 in hex')),
  gpc: optional((v, path) => (v === true ? v : expected(path, 'true', v))),
};

/** Exactly what newRecord() writes: any other field, or one of another type, is not ours. */
const RECORD = object<ConsentRecord>(RECORD_FIELDS, true);

/** Reads a stored value strictly. Never throws. */
export function parseRecord(raw: string, catalog: Catalog, now = Date.now()): ParseResult {
  const invalid = (why: string) => ({ invalid: `stored choice ignored: ${why}` });
  if (raw.length > MAX_STORED_LENGTH) return invalid(`longer than ${MAX_STORED_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(raw));
  } catch {
    // Not JSON: left undefined, which the check below refuses as not a record.
  }
  const [record, problems] = check(RECORD, value, (r) => {
    const decidedAt = Date.parse(r.decidedAt);
    const expiresAt = Date.parse(r.expiresAt);
    if (isNaN(decidedAt)) fail('decidedAt', 'not a real date');
    else if (isNaN(expiresAt)) fail('expiresAt', 'not a real date');
    else if (decidedAt > now + CLOCK_SKEW_MS) fail('decidedAt', 'decided in the future');
    else if (!(expiresAt > decidedAt && expiresAt - decidedAt <= 730 * DAY_MS)) fail('expiresAt', 'impossible lifetime');
    if (r.revision > catalog.revision) fail('revision', 'a revision the catalog never had');
    else if (r.revision === catalog.revision)
      for (const id of Object.keys(r.choices))
        if (!catalog.categories.some((c) => c.id === id)) fail(`choices.${id.slice(0, 40)}`, 'unknown category');
  });
  if (!record) {
    const [{ path, reason }] = problems;
    return invalid(path ? `${path}: ${reason}` : 'not a JSON consent record');
  }

  if (record.revision !== catalog.revision) return { stale: 'the catalog revision was raised' };
  if (Date.parse(record.expiresAt) <= now) return { stale: 'the choice expired' };
  // A category the visitor was never asked about means asking again (CNIL-17), never a silent default.
  const missing = catalog.categories.find((c) => !c.required && !Object.hasOwn(record.choices, c.id));
  if (missing) return { stale: `category "${missing.id}" was never asked` };

  return { record: { ...record, choices: consentOf(catalog, (c) => record.choices[c.id] === true) } };
}

/** A version 4 UUID from getRandomValues, which (unlike randomUUID) also exists on plain http pages. */
export function randomUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  // 8-4-4-4-12 hex digits: a dash before bytes 4, 6, 8 and 10.
  return Array.from(b, (x, i) => (i > 3 && i < 11 && !(i & 1) ? '-' : '') + x.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a text, in hex; null where Web Crypto is missing (plain http pages). */
export async function sha256(text: string): Promise<string | null> {
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, '0')).join('');
  } catch {
    return null;
  }
}
