/**
 * The catalog: what a site tells its visitors about its cookies, and how the choice is kept.
 * Plain module, no Lit: loading and validation are small hand-written code, because every
 * byte here ships to every visitor. Validation copies only known fields into fresh objects,
 * so hostile keys (`__proto__`, `constructor`) can never reach the element.
 */

/** A plain string, or a map by language: `{ "fr": "…", "en": "…" }`. */
export type Text = string | Readonly<Record<string, string>>;

export type GoogleConsentType =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

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
  readonly revision: number;
  readonly controller: Controller;
  readonly consentCookie: ConsentCookieSettings;
  readonly consentLogUrl?: string;
  readonly categories: readonly Category[];
  readonly cookies: readonly CookieInfo[];
}

/** CNIL's recommendation for how long a choice is kept, used when the catalog says nothing. */
export const DEFAULT_CONSENT_DAYS = 180;

const GCM_TYPES = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
];
const ID = /^[a-z][a-z0-9_-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DOMAIN = /^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i;
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const RETENTION_WORDS = ['session', 'unspecified', 'persistent'];
const MAX_TEXT = 10_000;

/** A catalog that cannot be used. `message` names the source, the field path and the reason. */
export class CatalogError extends Error {
  readonly source: string;
  readonly path: string;
  readonly reason: string;
  readonly errors: readonly string[];
  constructor(source: string, path: string, reason: string, errors: readonly string[] = []) {
    super(`${source}: ${path ? path + ': ' : ''}${reason}`);
    this.name = 'CatalogError';
    this.source = source;
    this.path = path;
    this.reason = reason;
    this.errors = errors.length ? errors : [this.message];
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/**
 * Checks a parsed JSON value and returns a clean, frozen-shape Catalog, or throws a CatalogError
 * whose message is the first problem found and whose `errors` lists all of them.
 */
export function validateCatalog(input: unknown, source = 'catalog'): Catalog {
  const problems: { path: string; reason: string }[] = [];
  const fail = (path: string, reason: string): undefined => {
    problems.push({ path, reason });
    return undefined;
  };

  const object = (v: unknown, path: string): Obj | undefined =>
    isObject(v) ? v : fail(path, `expected an object, got ${describe(v)}`);

  const string = (v: unknown, path: string, test?: RegExp, what?: string): string | undefined => {
    if (typeof v !== 'string' || !v.trim()) return fail(path, `expected a non-empty string, got ${describe(v)}`);
    if (v.length > MAX_TEXT) return fail(path, `longer than ${MAX_TEXT} characters`);
    if (test && !test.test(v)) return fail(path, `expected ${what}, got ${JSON.stringify(v.slice(0, 80))}`);
    return v;
  };

  const url = (v: unknown, path: string): string | undefined => {
    const s = string(v, path);
    if (s === undefined) return undefined;
    let protocol = '';
    try {
      protocol = new URL(s, 'https://relative.invalid/').protocol;
    } catch {
      /* reported below */
    }
    return protocol === 'https:' || protocol === 'http:' ? s : fail(path, `expected an http(s) URL, got ${JSON.stringify(s.slice(0, 80))}`);
  };

  const text = (v: unknown, path: string): Text | undefined => {
    if (typeof v === 'string') return string(v, path);
    const o = object(v, path);
    if (!o) return undefined;
    const keys = Object.keys(o);
    if (!keys.length) return fail(path, 'expected at least one language');
    const map: Record<string, string> = {};
    for (const key of keys) {
      if (!LANGUAGE.test(key)) return fail(`${path}.${key}`, 'expected a language code such as "fr" or "en"');
      const s = string(o[key], `${path}.${key}`);
      if (s === undefined) return undefined;
      map[key.toLowerCase()] = s;
    }
    return map;
  };

  const optional = <T>(o: Obj, key: string, path: string, check: (v: unknown, path: string) => T | undefined) => {
    const v = own(o, key);
    return v === undefined ? undefined : check(v, `${path}${key}`);
  };

  const boolean = (o: Obj, key: string, path: string): boolean => {
    const v = own(o, key);
    if (v === undefined || typeof v === 'boolean') return v === true;
    fail(`${path}${key}`, `expected true or false, got ${describe(v)}`);
    return false;
  };

  const list = (v: unknown, path: string): unknown[] =>
    Array.isArray(v) ? v : (fail(path, `expected an array, got ${describe(v)}`), []);

  const root = object(input, '');
  if (!root) throw toError(source, problems);

  const revision = own(root, 'revision');
  if (!Number.isInteger(revision) || (revision as number) < 1) fail('revision', `expected an integer of 1 or more, got ${describe(revision)}`);

  const c = object(own(root, 'controller'), 'controller') ?? {};
  const controller: Controller = {
    name: text(own(c, 'name'), 'controller.name')!,
    dpo: optional(c, 'dpo', 'controller.', text),
    email: string(own(c, 'email'), 'controller.email', /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/, 'an e-mail address')!,
    address: optional(c, 'address', 'controller.', text),
    phone: optional(c, 'phone', 'controller.', string),
    privacyPolicyUrl: url(own(c, 'privacyPolicyUrl'), 'controller.privacyPolicyUrl')!,
    complaintUrl: optional(c, 'complaintUrl', 'controller.', url),
  };

  const cc = own(root, 'consentCookie') === undefined ? {} : object(own(root, 'consentCookie'), 'consentCookie') ?? {};
  const days = own(cc, 'days') ?? DEFAULT_CONSENT_DAYS;
  if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 730)
    fail('consentCookie.days', `expected a whole number of days from 1 to 730, got ${describe(days)}`);
  const consentCookie: ConsentCookieSettings = {
    name: own(cc, 'name') === undefined ? 'cookieConsent' : string(own(cc, 'name'), 'consentCookie.name', COOKIE_NAME, 'a cookie name')!,
    days: days as number,
    domain: optional(cc, 'domain', 'consentCookie.', (v, p) => string(v, p, DOMAIN, 'a domain such as ".oph31.fr"')),
  };

  const categories: Category[] = [];
  const ids = new Set<string>();
  list(own(root, 'categories'), 'categories').forEach((value, i) => {
    const path = `categories[${i}].`;
    const o = object(value, `categories[${i}]`);
    if (!o) return;
    const id = string(own(o, 'id'), `${path}id`, ID, 'a lower-case identifier such as "analytics"');
    if (id !== undefined && ids.has(id)) fail(`${path}id`, `duplicate category id "${id}"`);
    const gcm = list(own(o, 'googleConsentMode') ?? [], `${path}googleConsentMode`);
    gcm.forEach((t, j) => {
      if (!GCM_TYPES.includes(t as string)) fail(`${path}googleConsentMode[${j}]`, `expected one of ${GCM_TYPES.join(', ')}, got ${describe(t)}`);
    });
    const category: Category = {
      id: id!,
      title: text(own(o, 'title'), `${path}title`)!,
      description: text(own(o, 'description'), `${path}description`)!,
      required: boolean(o, 'required', path),
      exempt: boolean(o, 'exempt', path),
      googleConsentMode: gcm as GoogleConsentType[],
    };
    if (category.required && category.exempt) fail(`${path}exempt`, 'a category cannot be both required and exempt');
    if (id !== undefined) ids.add(id);
    categories.push(category);
  });
  if (Array.isArray(own(root, 'categories')) && !categories.length && !problems.length) fail('categories', 'expected at least one category');

  const cookies: CookieInfo[] = [];
  list(own(root, 'cookies'), 'cookies').forEach((value, i) => {
    const path = `cookies[${i}].`;
    const o = object(value, `cookies[${i}]`);
    if (!o) return;
    const category = string(own(o, 'category'), `${path}category`);
    if (category !== undefined && !ids.has(category)) fail(`${path}category`, `unknown category "${category.slice(0, 80)}"`);
    const retention = string(own(o, 'retention'), `${path}retention`);
    if (retention !== undefined && !RETENTION_WORDS.includes(retention) && !DURATION.test(retention))
      fail(`${path}retention`, `expected an ISO 8601 duration (P365D, PT2H…) or "session", "unspecified", "persistent", got ${JSON.stringify(retention.slice(0, 80))}`);
    const match = list(own(o, 'match') ?? [], `${path}match`).map((m, j) => string(m, `${path}match[${j}]`)!);
    cookies.push({
      name: string(own(o, 'name'), `${path}name`)!,
      category: category!,
      purpose: text(own(o, 'purpose'), `${path}purpose`)!,
      retention: retention!,
      provider: optional(o, 'provider', path, text),
      match,
    });
  });

  const catalog: Catalog = {
    revision: revision as number,
    controller,
    consentCookie,
    consentLogUrl: optional(root, 'consentLogUrl', '', url),
    categories,
    cookies,
  };
  if (problems.length) throw toError(source, problems);
  return catalog;
}

function toError(source: string, problems: { path: string; reason: string }[]): CatalogError {
  const [first] = problems;
  return new CatalogError(
    source,
    first.path,
    first.reason,
    problems.map((p) => `${source}: ${p.path ? p.path + ': ' : ''}${p.reason}`),
  );
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
    response = await fetch(url, { credentials: 'same-origin', signal: AbortSignal.timeout(timeoutMs) });
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
