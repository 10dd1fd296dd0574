/**
 * The element's own words in French (first) and English, and the language choice.
 * Plain module, no Lit. Catalog texts are data and are picked with `localize()` in catalog.ts.
 */

import { DURATION } from '../core/catalog.js';

export type { Language } from '../core/catalog.js';
import type { Language } from '../core/catalog.js';

const fr = {
  title: 'Vos choix en matière de cookies',
  // French typography: a no-break space before a colon and inside « guillemets ».
  intro: (controller: string) => `${controller} demande votre accord pour\u00a0:`,
  /** The third parties who receive a category's data ("tiers" is the same in the singular and the plural). */
  thirdParties: (parties: string[]) => ` (tiers\u00a0: ${formatList(parties, 'fr')})`,
  others: (n: number) => (n > 1 ? `${n} autres` : '1 autre'),
  withdraw: 'Refuser n’empêche pas d’utiliser le site. Vous pouvez modifier vos choix à tout moment via «\u00a0Gestion des cookies\u00a0».',
  policy: 'Politique de confidentialité',
  acceptAll: 'Tout accepter',
  rejectAll: 'Tout refuser',
  customize: 'Personnaliser',
  dismiss: 'Continuer sans accepter',
  panelTitle: 'Paramètres des cookies',
  panelIntro: 'Choisissez les cookies que vous acceptez. Votre choix est conservé et vous pouvez le modifier à tout moment.',
  categories: 'Catégories de cookies',
  alwaysOn: 'Toujours actifs',
  // They agree with "cookies", as "Toujours actifs" does.
  on: 'Activés',
  off: 'Désactivés',
  save: 'Enregistrer mes choix',
  close: 'Fermer',
  saved: 'Vos choix ont été enregistrés.',
  cookiesOf: (category: string) => `Cookies\u00a0: ${category}`,
  showCookies: (n: number) => (n > 1 ? `Voir les ${n} cookies` : 'Voir le cookie'),
  columns: ['Nom', 'Finalité', 'Durée de conservation', 'Émetteur'],
  session: 'Jusqu’à la fermeture du navigateur',
  unspecified: 'Non précisée',
  persistent: 'Permanente, sans durée précisée',
  about: 'Qui traite vos données',
  controller: 'Responsable du traitement',
  dpo: 'Délégué à la protection des données',
  contact: 'Contact',
  address: 'Adresse postale',
  phone: 'Téléphone',
  withdrawRight: 'Vous pouvez retirer votre consentement à tout moment, aussi simplement que vous l’avez donné, depuis ce panneau.',
  complain: 'Vous pouvez adresser une réclamation à la CNIL',
  reopen: 'Gestion des cookies',
  blocked: (categories: string) => `Ce contenu est bloqué\u00a0: il dépose des cookies «\u00a0${categories}\u00a0». Vous pouvez les accepter dans la gestion des cookies.`,
  gpc: 'Votre navigateur envoie le signal Global Privacy Control\u00a0: nous l’avons appliqué en refusant les cookies facultatifs. Vous pouvez tout de même en accepter ici.',
  noStorage: 'Votre navigateur bloque les cookies\u00a0: votre choix vaudra pour cette page seulement.',
};

export type Labels = typeof fr;

const en: Labels = {
  title: 'Your cookie choices',
  intro: (controller) => `${controller} asks for your consent to:`,
  thirdParties: (parties) => ` (${parties.length > 1 ? 'third parties' : 'third party'}: ${formatList(parties, 'en')})`,
  others: (n) => (n > 1 ? `${n} others` : '1 other'),
  withdraw: 'Refusing does not stop you from using the site. You can change your choices at any time via “Cookie management”.',
  policy: 'Privacy policy',
  acceptAll: 'Accept all',
  rejectAll: 'Reject all',
  customize: 'Customize',
  dismiss: 'Continue without accepting',
  panelTitle: 'Cookie settings',
  panelIntro: 'Choose the cookies you accept. Your choice is kept and you can change it at any time.',
  categories: 'Cookie categories',
  alwaysOn: 'Always on',
  on: 'On',
  off: 'Off',
  save: 'Save my choices',
  close: 'Close',
  saved: 'Your choices have been saved.',
  cookiesOf: (category) => `Cookies: ${category}`,
  showCookies: (n) => (n > 1 ? `Show the ${n} cookies` : 'Show the cookie'),
  columns: ['Name', 'Purpose', 'Retention', 'Provider'],
  session: 'Until the browser closes',
  unspecified: 'Not specified',
  persistent: 'Persistent, no duration given',
  about: 'Who processes your data',
  controller: 'Controller',
  dpo: 'Data protection officer',
  contact: 'Contact',
  address: 'Postal address',
  phone: 'Phone',
  withdrawRight: 'You can withdraw your consent at any time, as easily as you gave it, from this panel.',
  complain: 'You can lodge a complaint with the CNIL',
  reopen: 'Cookie management',
  blocked: (categories) => `This content is blocked: it sets “${categories}” cookies. You can accept them in cookie management.`,
  gpc: 'Your browser sends the Global Privacy Control signal: we honoured it by refusing optional cookies. You can still accept some here.',
  noStorage: 'Your browser blocks cookies: your choice will apply to this page only.',
};

export const LABELS: Record<Language, Labels> = { fr, en };

/** The element's `lang`, else the page's `<html lang>`, else French; any `en-*` is English. */
const UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];

// Intl formatters are costly to create (a panel of 1,000 cookies would create 1,000): make each once.
const formatters = new Map<string, Intl.NumberFormat>();
function unitFormatter(language: Language, unit: string): Intl.NumberFormat {
  let formatter = formatters.get(language + unit);
  if (!formatter) formatters.set(language + unit, (formatter = new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' })));
  return formatter;
}

/**
 * "a, b et c" / "a, b, and c". Written by hand: Intl.ListFormat loads its locale data on first use,
 * which cost 10 to 20 ms on the main thread before the banner could show.
 */
export function formatList(items: readonly string[], language: Language): string {
  if (items.length < 2) return items.join('');
  const last = items[items.length - 1];
  const head = items.slice(0, -1).join(', ');
  return language === 'fr' ? `${head} et ${last}` : `${head}${items.length > 2 ? ',' : ''} and ${last}`;
}

/** A retention in words, with Intl: `P365D` → "365 jours", `PT2H` → "2 hours", `session` → "Jusqu’à la fermeture du navigateur". */
export function formatRetention(retention: string, language: Language): string {
  const t = LABELS[language];
  if (retention === 'session' || retention === 'unspecified' || retention === 'persistent') return t[retention];
  const parts = (DURATION.exec(retention) ?? [])
    .slice(1)
    .map((n, i) => n && unitFormatter(language, UNITS[i]).format(Number(n)))
    .filter(Boolean) as string[];
  return parts.length ? formatList(parts, language) : retention;
}
