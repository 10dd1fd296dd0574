/**
 * The consent record and where it is kept: one first-party cookie.
 * Plain module, no Lit. Reading is strict: anything that is not exactly a record this catalog
 * could have written counts as no decision, so a forged or damaged cookie never grants anything.
 */
import type { Catalog } from './catalog.js';

export type Method = 'accept-all' | 'reject-all' | 'custom' | 'dismiss' | 'gpc' | 'sync';
export type Consent = Record<string, boolean>;

export const RECORD_SCHEMA = 'oph-consent-record/1';
const METHODS: readonly string[] = ['accept-all', 'reject-all', 'custom', 'dismiss', 'gpc', 'sync'];
const RECORD_KEYS = ['schema', 'id', 'previousId', 'decidedAt', 'expiresAt', 'revision', 'choices', 'method', 'language', 'catalogHash', 'gpc'];
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

/** The consent of someone who has not decided: required and exempt categories on, the rest off. */
export function defaultConsent(catalog: Catalog): Consent {
  const consent: Consent = {};
  for (const c of catalog.categories) consent[c.id] = c.required || c.exempt;
  return consent;
}

/** Every category on, or every optional one off (exempt ones too: refusing all means all). */
export function uniformConsent(catalog: Catalog, granted: boolean): Consent {
  const consent: Consent = {};
  for (const c of catalog.categories) consent[c.id] = c.required || granted;
  return consent;
}

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
  const clean: Consent = {};
  for (const c of catalog.categories) clean[c.id] = c.required || choices[c.id] === true;
  return {
    schema: RECORD_SCHEMA,
    id: randomUuid(),
    previousId,
    decidedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + catalog.consentCookie.days * DAY_MS).toISOString(),
    revision: catalog.revision,
    choices: clean,
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

/** Reads a stored value strictly. Never throws. */
export function parseRecord(raw: string, catalog: Catalog, now = Date.now()): ParseResult {
  const invalid = (why: string) => ({ invalid: `stored choice ignored: ${why}` });
  if (raw.length > MAX_STORED_LENGTH) return invalid(`longer than ${MAX_STORED_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(raw));
  } catch {
    return invalid('not a JSON consent record');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('not a JSON consent record');
  const r = value as Record<string, unknown>;
  const extra = Object.keys(r).find((k) => !RECORD_KEYS.includes(k));
  if (extra !== undefined) return invalid(`unexpected field "${extra.slice(0, 40)}"`);
  if (r.schema !== RECORD_SCHEMA) return invalid('unknown schema');
  if (typeof r.id !== 'string' || !UUID.test(r.id)) return invalid('id is not a random UUID');
  if (r.previousId !== null && (typeof r.previousId !== 'string' || !UUID.test(r.previousId))) return invalid('previousId is not a UUID');
  const decidedAt = time(r.decidedAt);
  const expiresAt = time(r.expiresAt);
  if (decidedAt === undefined || expiresAt === undefined) return invalid('timestamps are not ISO 8601 UTC');
  if (decidedAt > now + CLOCK_SKEW_MS) return invalid('decided in the future');
  if (expiresAt <= decidedAt || expiresAt - decidedAt > 730 * DAY_MS) return invalid('impossible lifetime');
  if (!Number.isInteger(r.revision) || (r.revision as number) < 1 || (r.revision as number) > catalog.revision)
    return invalid('revision the catalog never had');
  if (typeof r.method !== 'string' || !METHODS.includes(r.method)) return invalid('unknown method');
  if (typeof r.language !== 'string' || !/^[a-z]{2,3}$/.test(r.language)) return invalid('unknown language');
  if (r.catalogHash !== null && (typeof r.catalogHash !== 'string' || !HASH.test(r.catalogHash))) return invalid('catalogHash is not SHA-256');
  if (r.gpc !== undefined && r.gpc !== true) return invalid('gpc is not true');
  const choices = r.choices;
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) return invalid('choices is not an object');
  const known = new Set(catalog.categories.map((c) => c.id));
  for (const [id, v] of Object.entries(choices)) {
    if (typeof v !== 'boolean') return invalid(`choice "${id.slice(0, 40)}" is not true or false`);
    if (!known.has(id) && r.revision === catalog.revision) return invalid(`unknown category "${id.slice(0, 40)}"`);
  }

  if (r.revision !== catalog.revision) return { stale: 'the catalog revision was raised' };
  if (expiresAt <= now) return { stale: 'the choice expired' };
  // A category the visitor was never asked about means asking again (CNIL-17), never a silent default.
  const missing = catalog.categories.find((c) => !c.required && !Object.hasOwn(choices, c.id));
  if (missing) return { stale: `category "${missing.id}" was never asked` };

  const clean: Consent = {};
  for (const c of catalog.categories) clean[c.id] = c.required || (choices as Consent)[c.id] === true;
  return { record: { ...(r as unknown as ConsentRecord), choices: clean } };
}

function time(v: unknown): number | undefined {
  if (typeof v !== 'string' || !ISO_TIME.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** A version 4 UUID from getRandomValues, which (unlike randomUUID) also exists on plain http pages. */
export function randomUuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
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

/** Reads one cookie by name. Throws StorageError when the page may not touch cookies. */
export function readCookie(name: string): string | undefined {
  let all: string;
  try {
    all = document.cookie;
  } catch (e) {
    throw new StorageError(`cookies cannot be read (${(e as Error).message})`);
  }
  for (const pair of all.split('; ')) {
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

/**
 * Writes the record: `Path=/`, explicit `SameSite=Lax`, `Secure` on https, the catalog's domain if any.
 * Throws StorageError when the browser refuses it (cookies disabled, a throwing `document.cookie`).
 */
export function writeRecord(record: ConsentRecord, catalog: Catalog): void {
  const { name, domain } = catalog.consentCookie;
  const value = encodeURIComponent(JSON.stringify(record));
  const maxAge = Math.max(0, Math.round((Date.parse(record.expiresAt) - Date.now()) / 1000));
  setCookie(`${name}=${value}; Max-Age=${maxAge}; Expires=${new Date(record.expiresAt).toUTCString()}`, domain);
  if (readCookie(name) !== value) throw new StorageError('the browser did not keep the consent cookie (cookies disabled?)');
}

export function eraseRecord(catalog: Catalog): void {
  setCookie(`${catalog.consentCookie.name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`, catalog.consentCookie.domain);
}

/** The attributes every cookie of ours gets: `Path=/`, explicit `SameSite=Lax`, `Secure` on https, the catalog's domain. */
export function cookieAttributes(domain: string | undefined, secure = location.protocol === 'https:'): string {
  return `; Path=/; SameSite=Lax${domain ? '; Domain=' + domain : ''}${secure ? '; Secure' : ''}`;
}

function setCookie(cookie: string, domain?: string): void {
  try {
    document.cookie = cookie + cookieAttributes(domain);
  } catch (e) {
    throw new StorageError(`cookies cannot be written (${(e as Error).message})`);
  }
}
