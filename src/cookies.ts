/**
 * Deleting the cookies of refused categories (CNIL-16). Plain module, no Lit.
 * A cookie can only be deleted with the domain it was set on, so each one is expired on the current
 * host and on every parent domain (`www.oph31.fr`, `oph31.fr`), path `/`.
 */
import type { Catalog } from './catalog.js';
import type { Consent } from './store.js';

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
  const expire = '=; Max-Age=0; Path=/';
  for (const name of names) {
    document.cookie = name + expire;
    for (const domain of cookieDomains(location.hostname)) document.cookie = `${name}${expire}; Domain=${domain}`;
  }
  return names;
}
