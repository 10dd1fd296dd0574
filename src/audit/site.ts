/**
 * First or third party: a host belongs to the audited site when both share their registrable
 * domain (`static.oph31.fr` and `www.oph31.fr`). Without shipping the Public Suffix List, the
 * registrable domain is the last two labels, or three under a known two-label suffix (`gouv.fr`).
 */

const TWO_LABEL_SUFFIXES = new Set([
  'gouv.fr', 'asso.fr', 'com.fr', 'nom.fr', 'co.uk', 'org.uk', 'gov.uk', 'ac.uk', 'com.au', 'co.jp', 'co.nz', 'com.br', 'co.za',
]);

/** `www.oph31.fr` → `oph31.fr`; an IP address or a single label stays as it is. */
export function registrableDomain(host: string): string {
  const h = host.replace(/^\./, '').toLowerCase();
  if (/^[\d.]+$/.test(h) || h.includes(':') || !h.includes('.')) return h;
  const labels = h.split('.');
  const lastTwo = labels.slice(-2).join('.');
  return TWO_LABEL_SUFFIXES.has(lastTwo) && labels.length > 2 ? labels.slice(-3).join('.') : lastTwo;
}

export const sameSite = (a: string, b: string) => registrableDomain(a) === registrableDomain(b);

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
