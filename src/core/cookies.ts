/**
 * Every `document.cookie` access of the element: the consent record's cookie, and deleting the
 * cookies of refused categories (CNIL-16). Plain module, no Lit.
 * A cookie can only be deleted with the domain it was set on, so each one is expired on the current
 * host and on every parent domain (`www.oph31.fr`, `oph31.fr`), path `/`.
 */
import type { Catalog, CookieInfo } from './catalog.js';
import { StorageError, type Consent, type ConsentRecord } from './record.js';

/** The host and its parents, without the top-level domain: `a.www.oph31.fr` → a.www.oph31.fr, www.oph31.fr, oph31.fr. */
export function cookieDomains(hostname: string): string[] {
  if (!hostname.includes('.') || /^[\d.]+$|:/.test(hostname)) return [];
  const labels = hostname.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

/** `_ga_*` matches `_ga_ABC123`; any other pattern matches itself. */
export function matchesName(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** The catalog entry a real cookie belongs to: by its published name or a `match` name, as deletion matches it. */
export function catalogEntryFor(catalog: Catalog, name: string): CookieInfo | undefined {
  return catalog.cookies.find((c) => [c.name, ...c.match].some((p) => matchesName(name, p)));
}

/** The names and prefixes of the cookies of the categories without consent (published names and real ones). */
export function refusedPatterns(catalog: Catalog, consent: Consent): string[] {
  return catalog.cookies.filter((c) => consent[c.category] === false).flatMap((c) => [c.name, ...c.match]);
}

/** Expires every readable cookie that matches a pattern, except the consent cookie itself. */
export function deleteCookies(patterns: readonly string[], keep: string): string[] {
  if (!patterns.length) return [];
  const names = document.cookie
    .split('; ')
    .map((pair) => pair.split('=')[0])
    .filter((name) => name && name !== keep && patterns.some((p) => matchesName(name, p)));
  // On the host itself (no Domain), then on each parent domain.
  const domains = ['', ...cookieDomains(location.hostname).map((d) => '; Domain=' + d)];
  for (const name of names) for (const domain of domains) document.cookie = `${name}=; Max-Age=0; Path=/${domain}`;
  return names;
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
  const value = encodeURIComponent(JSON.stringify(record));
  setCookie(catalog, value, Date.parse(record.expiresAt));
  if (readCookie(catalog.consentCookie.name) !== value) throw new StorageError('the browser did not keep the consent cookie (cookies disabled?)');
}

export function eraseRecord(catalog: Catalog): void {
  setCookie(catalog, '', 0);
}

/** The attributes every cookie of ours gets: `Path=/`, explicit `SameSite=Lax`, `Secure` on https, the catalog's domain. */
export function cookieAttributes(domain: string | undefined, secure = location.protocol === 'https:'): string {
  return `; Path=/; SameSite=Lax${domain ? '; Domain=' + domain : ''}${secure ? '; Secure' : ''}`;
}

/**
 * The consent cookie, until `expires` (ms; 0 erases it). `Max-Age` only: every browser the element runs in
 * (it needs constructable style sheets) honours it, and it wins over `Expires` anyway (RFC 6265).
 */
function setCookie({ consentCookie: { name, domain } }: Catalog, value: string, expires: number): void {
  const maxAge = Math.max(0, Math.round((expires - Date.now()) / 1000));
  try {
    document.cookie = `${name}=${value}; Max-Age=${maxAge}${cookieAttributes(domain)}`;
  } catch (e) {
    throw new StorageError(`cookies cannot be written (${(e as Error).message})`);
  }
}
