/**
 * The catalog: what a site tells its visitors about its cookies, and how the choice is kept.
 * Plain module, no Lit: loading and validation are small hand-written code, because every
 * byte here ships to every visitor. Validation copies only known fields into fresh objects,
 * so hostile keys (`__proto__`, `constructor`) can never reach the element.
 */

/** A plain string, or a map by language: `{ "fr": "…", "en": "…" }`. */
export type Text = string | Readonly<Record<string, string>>;

export type GoogleConsentType = (typeof GCM_TYPES)[number];

export interface Category {
  readonly id: string;
  readonly title: Text;
  readonly description: Text;
  /** Strictly necessary: always on, never asked. */
  readonly required: boolean;
  /** CNIL consent-exempt audience measurement: on by default, the visitor can turn it off. */
  readonly exempt: boolean;
  readonly googleConsentMode: readonly GoogleConsentType[];
}

export interface CookieInfo {
  /** As published; a trailing `*` means a prefix. */
  readonly name: string;
  readonly category: string;
  readonly purpose: Text;
  /** ISO 8601 duration, or `session`, `unspecified` (no duration given), `persistent` (no end given). */
  readonly retention: string;
  readonly provider?: Text;
  /** The real names that deletion must match too (e.g. ga.js sets `__utma` for the published `_utma`). */
  readonly match: readonly string[];
  /** Set by `oph-consent audit --draft` on entries a person must still check; the linter warns while it is true. */
  readonly needsReview?: boolean;
}

export interface Controller {
  readonly name: Text;
  readonly dpo?: Text;
  readonly email: string;
  readonly address?: Text;
  readonly phone?: string;
  readonly privacyPolicyUrl: string;
  readonly complaintUrl?: string;
}

export interface ConsentCookieSettings {
  readonly name: string;
  readonly days: number;
  readonly domain?: string;
}

export interface Catalog {
  /** The editor's reference to the JSON Schema; ignored. */
  readonly $schema?: string;
  readonly revision: number;
  readonly controller: Controller;
  readonly consentCookie: ConsentCookieSettings;
  readonly consentLogUrl?: string;
  readonly categories: readonly Category[];
  readonly cookies: readonly CookieInfo[];
}

/** CNIL's recommendation for how long a choice is kept, used when the catalog says nothing. */
export const DEFAULT_CONSENT_DAYS = 180;

/** Google Consent Mode v2's consent types, which a category may map to. */
export const GCM_TYPES = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;
const ID = /^[a-z][a-z0-9_-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Dot-separated labels of letters, digits and inner hyphens, with an optional leading dot. */
const DOMAIN = /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
/** An absolute http(s) URL, or a path on the site itself (`/politique`; not `//host`, which leaves it). */
const HTTP_URL = /^(https?:\/\/[^\s/?#]+\S*|\/(?!\/)\S*)$/;
/** An ISO 8601 duration (`P365D`, `PT2H`, `P1Y6M`); groups 1 to 7 are years, months, weeks, days, hours, minutes, seconds. */
export const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
/** A duration, or one of the words for what has no duration. */
const RETENTION = new RegExp(`^(session|unspecified|persistent)$|${DURATION.source}`);
const MAX_TEXT = 10_000;

/** A catalog that cannot be used. `message` names the source, the field path and the reason. */
export class CatalogError extends Error {
  readonly source: string;
  readonly path: string;
  readonly reason: string;
  /** Every problem found, structured: where (`cookies[3].retention`) and why. The first is the message. */
  readonly problems: readonly Problem[];
  /** The same problems as `source: path: reason` lines (the error event's `errors`). */
  readonly errors: readonly string[];
  constructor(source: string, path: string, reason: string, problems: readonly Problem[] = [{ path, reason }]) {
    const line = (p: Problem) => `${source}: ${p.path ? p.path + ': ' : ''}${p.reason}`;
    super(line({ path, reason }));
    this.name = 'CatalogError';
    this.source = source;
    this.path = path;
    this.reason = reason;
    this.problems = problems;
    this.errors = problems.map(line);
  }
}

type Obj = Record<string, unknown>;
/** Checks one value at a path; returns the clean value, or undefined after recording a problem. */
export type Check<T = unknown> = (v: unknown, path: string) => T | undefined;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

// The problems of the validation in progress (validation is synchronous: one at a time).
let problems: { path: string; reason: string }[] = [];
export const fail = (path: string, reason: string): undefined => void problems.push({ path, reason });
export const expected = (path: string, what: string, v: unknown): undefined => fail(path, `expected ${what}, got ${describe(v)}`);

export const string =
  (test?: RegExp, what = ''): Check<string> =>
  (v, path) =>
    typeof v !== 'string' || !v.trim()
      ? expected(path, 'a non-empty string', v)
      : v.length > MAX_TEXT
        ? fail(path, `longer than ${MAX_TEXT} characters`)
        : test && !test.test(v)
          ? fail(path, `expected ${what}, got ${JSON.stringify(v.slice(0, 80))}`)
          : v;

const url = string(HTTP_URL, 'an http(s) URL or a path on the site');

const text: Check<Text> = (v, path) => {
  if (typeof v === 'string') return string()(v, path);
  if (!isObject(v)) return expected(path, 'a string or an object', v);
  const keys = Object.keys(v);
  const map: Record<string, string> = {};
  for (const key of keys) {
    if (!LANGUAGE.test(key)) return fail(at(path, key), 'expected a language code such as "fr" or "en"');
    const s = string()(v[key], at(path, key));
    if (s === undefined) return;
    map[key.toLowerCase()] = s;
  }
  return map.fr ? map : fail(path, 'expected a French text ("fr")');
};

export const integer =
  (min: number, max: number, what: string): Check<number> =>
  (v, path) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : expected(path, what, v);

const boolean: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : expected(path, 'true or false', v));

/** An optional field: absent gives the fallback, present is checked. */
export const optional =
  <T>(check: Check<T>, fallback?: T): Check<T> =>
  (v, path) =>
    v === undefined ? fallback : check(v, path);

const list =
  <T>(check: Check<T>): Check<T[]> =>
  (v, path) =>
    Array.isArray(v) ? (v.map((item, i) => check(item, at(path, i))) as T[]) : expected(path, 'an array', v);

/**
 * An object with these fields: only they are copied, so no other key ever reaches the element.
 * `exact`: any other key is a problem (for what only we write, such as the consent record).
 */
export const object =
  <T>(fields: { [K in keyof T]: Check<T[K]> }, exact = false): Check<T> =>
  (v, path) => {
    if (!isObject(v)) return expected(path, 'an object', v);
    const out = {} as T;
    // Object.keys: a page that added keys to Object.prototype must not add fields here.
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const value = fields[key](Object.hasOwn(v, key) ? v[key] : undefined, at(path, key));
      if (value !== undefined) out[key] = value;
    }
    if (exact) for (const key of Object.keys(v)) if (!Object.hasOwn(fields, key)) fail(at(path, key.slice(0, 40)), 'unexpected field');
    return out;
  };

export const oneOf =
  <T extends string>(values: readonly T[], what: string): Check<T> =>
  (v, path) =>
    values.includes(v as T) ? (v as T) : expected(path, what, v);

const CATALOG = object<Catalog>({
  $schema: optional(string()),
  revision: integer(1, 2 ** 53 - 1, 'an integer of 1 or more'), // up to Number.MAX_SAFE_INTEGER
  controller: object<Controller>({
    name: text,
    dpo: optional(text),
    email: string(/^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/, 'an e-mail address'),
    address: optional(text),
    phone: optional(string()),
    privacyPolicyUrl: url,
    complaintUrl: optional(url),
  }, true),
  consentCookie: optional(
    object<ConsentCookieSettings>({
      name: optional(string(COOKIE_NAME, 'a cookie name'), 'cookieConsent'),
      days: optional(integer(1, 730, 'a whole number of days from 1 to 730'), DEFAULT_CONSENT_DAYS),
      domain: optional(string(DOMAIN, 'a domain such as ".oph31.fr"')),
    }, true),
    { name: 'cookieConsent', days: DEFAULT_CONSENT_DAYS },
  ),
  consentLogUrl: optional(url),
  categories: list(
    object<Category>({
      id: string(ID, 'a lower-case identifier such as "analytics"'),
      title: text,
      description: text,
      required: optional(boolean, false),
      exempt: optional(boolean, false),
      googleConsentMode: optional(list(oneOf(GCM_TYPES, `one of ${GCM_TYPES.join(', ')}`)), []),
    }, true),
  ),
  cookies: list(
    object<CookieInfo>({
      name: string(),
      category: string(),
      purpose: text,
      retention: string(RETENTION, 'an ISO 8601 duration (P365D, PT2H…) or "session", "unspecified", "persistent"'),
      provider: optional(text),
      match: optional(list(string(/^[!#$%&'+.^_`|~0-9A-Za-z-]+\*?$/, 'a cookie name, or a prefix ending in *')), []),
      needsReview: optional(boolean),
    }, true),
  ),
}, true);

/** One problem of a checked value: where, and why. */
export interface Problem {
  readonly path: string;
  readonly reason: string;
}

/**
 * Runs a check, then (once every field has its type) the rules across fields; returns the clean
 * value, or undefined with the problems found.
 */
export function check<T>(shape: Check<T>, input: unknown, rules?: (value: T) => void): [T | undefined, Problem[]] {
  problems = [];
  const value = shape(input, '');
  if (value !== undefined && !problems.length) rules?.(value);
  const found = problems;
  problems = [];
  return [found.length ? undefined : value, found];
}

/**
 * Checks a parsed JSON value and returns a clean Catalog, or throws a CatalogError whose message is
 * the first problem found and whose `errors` lists all of them.
 */
export function validateCatalog(input: unknown, source = 'catalog'): Catalog {
  const [catalog, found] = check(CATALOG, input, (catalog) => {
    const ids = new Set<string>();
    catalog.categories.forEach((c, i) => {
      if (ids.has(c.id)) fail(`categories[${i}].id`, `duplicate category id "${c.id}"`);
      if (c.required && c.exempt) fail(`categories[${i}].exempt`, 'a category cannot be both required and exempt');
      ids.add(c.id);
    });
    if (!ids.size) fail('categories', 'expected at least one category');
    catalog.cookies.forEach((c, i) => {
      if (!ids.has(c.category)) fail(`cookies[${i}].category`, `unknown category "${c.category.slice(0, 80)}"`);
    });
  });
  if (catalog) return catalog;
  throw new CatalogError(source, found[0].path, found[0].reason, found);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** How long a catalog URL may take before it counts as unreachable. */
export const LOAD_TIMEOUT_MS = 10_000;

/** The file name a URL points to, for error messages (`oph31.json: revision: …`). */
export function sourceName(url: string): string {
  return url.split(/[?#]/)[0].split('/').pop() || url;
}

/** Fetches a catalog's text by URL; every failure becomes a CatalogError naming the file. */
export async function fetchCatalog(url: string, timeoutMs = LOAD_TIMEOUT_MS): Promise<string> {
  const source = sourceName(url);
  let response: Response;
  try {
    // Relative to the page's base URL, with the default credentials (same-origin), as the README's preload hint asks.
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new CatalogError(source, '', `could not be loaded: HTTP ${response.status}`);
    return await response.text();
  } catch (e) {
    if (e instanceof CatalogError) throw e;
    const timedOut = (e as Error).name === 'TimeoutError';
    throw new CatalogError(source, '', timedOut ? `not loaded after ${timeoutMs / 1000} s (timeout)` : `could not be loaded (${(e as Error).message})`);
  }
}

export function parseCatalogJson(json: string, source: string): unknown {
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new CatalogError(source, '', `not valid JSON (${(e as Error).message})`);
  }
}

/** Resolves once the page is parsed: at once unless it is still loading, else at DOMContentLoaded (which fires once). */
export const parsed = (): Promise<unknown> =>
  document.readyState === 'loading' ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve)) : Promise.resolve();

/**
 * Resolves once the page is parsed and every DOMContentLoaded listener has run (a task later), so
 * that listeners the page adds then still hear oph-consent-ready, however soon the catalog came.
 */
export const domReady = (): Promise<unknown> =>
  document.readyState === 'loading' ? parsed().then(() => new Promise((resolve) => setTimeout(resolve))) : Promise.resolve();

/** A catalog as read from its source: the parsed value, the exact text (hashed for the record), and a name for errors. */
export interface CatalogRead {
  readonly value: unknown;
  readonly text: string;
  readonly source: string;
  /** Only for a site bundle's catalog, checked and hashed when the bundle was built: `value` is a clean Catalog already. */
  readonly hash?: string;
}

/**
 * The catalog built into a site bundle by `oph-consent bundle`, as read: the clean catalog its check returned, the
 * SHA-256 of the file's exact text (what a fetched one would hash to) and the file's name. A page view neither parses,
 * checks nor hashes it again.
 */
declare const OPH_CONSENT_CATALOG: CatalogRead | undefined;

/**
 * The element's catalog: the property's object, else the attribute's URL (fetched at once), else an
 * inline JSON child (which, or whose absence, is known only once the page is parsed), else the one
 * built into a site bundle.
 */
export async function readCatalog(element: Element, input: unknown, timeoutMs: number): Promise<CatalogRead> {
  if (typeof input === 'string' && input) {
    const text = await fetchCatalog(input, timeoutMs);
    const source = sourceName(input);
    return { value: parseCatalogJson(text, source), text, source };
  }
  if (input !== null && input !== undefined && input !== '') {
    return { value: input, text: JSON.stringify(input), source: 'catalog property' };
  }
  await parsed();
  const inline = element.querySelector(':scope > script[type="application/json"]');
  if (inline) {
    const text = inline.textContent ?? '';
    return { value: parseCatalogJson(text, 'inline catalog'), text, source: 'inline catalog' };
  }
  // The site bundle (`oph-consent bundle`) wraps the drop-in in a function whose parameter this is.
  if (typeof OPH_CONSENT_CATALOG === 'object') return OPH_CONSENT_CATALOG;
  throw new CatalogError('<oph-consent>', '', 'no catalog: set the catalog attribute, the catalog property, or an inline <script type="application/json"> child');
}

/** The languages the element speaks. */
export type Language = 'fr' | 'en';

/** The element's language: its own `lang`, else the page's, else French. */
export function pickLanguage(own: string | null, page: string | null): Language {
  return /^en(-|$)/i.test(own || page || '') ? 'en' : 'fr';
}

/** Picks the text for a language: the language itself, then French, then the first given. */
export function localize(t: Text | undefined, language: string): string {
  if (t === undefined) return '';
  if (typeof t === 'string') return t;
  return t[language] ?? t.fr ?? Object.values(t)[0] ?? '';
}

/** The language a text is actually shown in (for the `lang` attribute of parts in another language). */
export function textLanguage(t: Text, language: string): string {
  if (typeof t === 'string' || t[language] !== undefined) return language;
  return t.fr !== undefined ? 'fr' : Object.keys(t)[0];
}
