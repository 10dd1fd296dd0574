/**
 * `--draft <file>`: the catalog with an entry for each undeclared cookie the audit saw, for a
 * person to check (`needsReview: true` where the cookie is unknown, which the linter warns about
 * until it is removed). Lifetime as observed; category and purpose from the small Open Cookie
 * Database table (cookie-db.ts), else the site's first category that asks for consent, so that a
 * draft adopted unread still blocks the cookie.
 */
import type { Catalog, Category, CookieInfo, GoogleConsentType } from '../core/catalog.js';
import { isStrictlyNecessary, knownCookie, type KnownCategory } from './cookie-db.js';
import type { ObservedCookie, Phase } from './evidence.js';

/** An observed lifetime as an ISO 8601 duration: `P395D`, `PT2H`, `PT10M`, or `session`. */
export function isoLifetime(seconds: number | null): string {
  if (seconds === null) return 'session';
  if (seconds >= 86_400) return `P${Math.round(seconds / 86_400)}D`;
  if (seconds >= 3_600) return `PT${Math.round(seconds / 3_600)}H`;
  return `PT${Math.max(1, Math.round(seconds / 60))}M`;
}

/** For each Open Cookie Database category: the Consent Mode type and the ids that say the same, and a category to add if the site has none. */
const FITS: Record<Exclude<KnownCategory, 'Functional' | 'Security'>, { gcm: GoogleConsentType; id: RegExp; add: Category }> = {
  Analytics: {
    gcm: 'analytics_storage',
    id: /analyt|statist|audience|mesure/,
    add: category('analytics', 'Mesure d’audience', 'Audience measurement', 'Statistiques de fréquentation du site.', 'Statistics on how the site is used.', 'analytics_storage'),
  },
  Marketing: {
    gcm: 'ad_storage',
    id: /market|advert|publicit|^ads?$|^pub/,
    add: category('marketing', 'Publicité', 'Advertising', 'Publicité et mesure de son efficacité.', 'Advertising and measuring how well it works.', 'ad_storage'),
  },
  Personalization: {
    gcm: 'personalization_storage',
    id: /personal|prefer|fonction|function/,
    add: category('personalization', 'Personnalisation', 'Personalisation', 'Préférences et contenus personnalisés.', 'Preferences and personalised content.', 'personalization_storage'),
  },
};

function category(id: string, fr: string, en: string, dfr: string, den: string, gcm: GoogleConsentType): Category {
  return { id, title: { fr, en }, description: { fr: dfr, en: den }, required: false, exempt: false, googleConsentMode: [gcm] };
}

const OTHER = category('other', 'Autres traceurs', 'Other trackers', 'Traceurs à vérifier, repérés par l’audit.', 'Trackers to be checked, found by the audit.', 'ad_storage');

/** The undeclared cookies of the audit, once each by name (longest lifetime seen, every setter). */
function undeclared(phases: readonly Phase[], isDeclared: (name: string) => boolean): ObservedCookie[] {
  const byName = new Map<string, ObservedCookie>();
  for (const c of phases.flatMap((p) => p.steps.flatMap((s) => s.cookies))) {
    if (isDeclared(c.name)) continue;
    const known = byName.get(c.name);
    const longer = !known || (c.lifetime === null ? false : known.lifetime === null || c.lifetime > known.lifetime);
    byName.set(c.name, { ...(longer ? c : known!), setBy: [...new Set([...(known?.setBy ?? []), ...c.setBy])] });
  }
  return [...byName.values()];
}

export function draftCatalog(catalog: Catalog, phases: readonly Phase[], isDeclared: (name: string) => boolean): Catalog {
  const categories = [...catalog.categories];
  const cookies: CookieInfo[] = [...catalog.cookies];
  const required = categories.find((c) => c.required);
  const pick = (fit: (typeof FITS)[keyof typeof FITS]) => {
    const found = categories.find((c) => !c.required && (c.googleConsentMode.includes(fit.gcm) || fit.id.test(c.id)));
    if (found) return found.id;
    categories.push(fit.add);
    return fit.add.id;
  };
  const fallback = () => {
    const found = categories.find((c) => !c.required && !c.exempt);
    if (found) return found.id;
    categories.push(OTHER);
    return OTHER.id;
  };
  const names = new Set<string>();
  for (const c of undeclared(phases, isDeclared)) {
    const known = knownCookie(c.name);
    const name = known?.name.endsWith('*') ? known.name : c.name;
    if (names.has(name)) continue;
    names.add(name);
    const necessary = isStrictlyNecessary(known);
    const categoryId = known ? (necessary ? (required?.id ?? fallback()) : pick(FITS[known.category as keyof typeof FITS])) : fallback();
    const by = c.setBy[0] ?? 'unknown';
    cookies.push({
      name,
      category: categoryId,
      purpose: known?.purpose ?? {
        fr: `À compléter : cookie vu par l’audit, déposé par ${by}`,
        en: `To be completed: cookie seen by the audit, set by ${by}`,
      },
      retention: isoLifetime(c.lifetime),
      ...(known ? { provider: known.platform } : c.party === 'third' ? { provider: c.domain.replace(/^\./, '') } : {}),
      match: [],
      ...(known && !(necessary && !required) ? {} : { needsReview: true }),
    });
  }
  return { ...catalog, categories, cookies };
}
