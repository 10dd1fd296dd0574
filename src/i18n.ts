/**
 * The element's own words in French (first) and English, and the language choice.
 * Plain module, no Lit. Catalog texts are data and are picked with `localize()` in catalog.ts.
 */

export type Language = 'fr' | 'en';

const fr = {
  region: 'Gestion des cookies',
  title: 'Vos choix en matière de cookies',
  intro: (controller: string) =>
    `${controller} dépose des cookies strictement nécessaires au fonctionnement du site. Avec votre accord, nous utilisons aussi les cookies suivants :`,
  withdraw:
    'Vous pouvez modifier ou retirer votre consentement à tout moment avec le lien « Gestion des cookies ». Refuser ne vous empêche pas d’utiliser le site.',
  policy: 'Politique de confidentialité',
  acceptAll: 'Tout accepter',
  rejectAll: 'Tout refuser',
  customize: 'Personnaliser',
  dismiss: 'Continuer sans accepter',
  panelTitle: 'Paramètres des cookies',
  panelIntro: 'Choisissez les cookies que vous acceptez. Votre choix est conservé et vous pouvez le modifier à tout moment.',
  categories: 'Catégories de cookies',
  alwaysOn: 'Toujours actifs',
  on: 'Activé',
  off: 'Désactivé',
  save: 'Enregistrer mes choix',
  close: 'Fermer',
  saved: 'Vos choix ont été enregistrés.',
  noStorage: 'Votre navigateur bloque les cookies : votre choix vaudra pour cette page seulement.',
};

export type Labels = typeof fr;

const en: Labels = {
  region: 'Cookie management',
  title: 'Your cookie choices',
  intro: (controller) =>
    `${controller} uses cookies that are strictly necessary for the site to work. With your consent, we also use the following cookies:`,
  withdraw: 'You can change or withdraw your consent at any time with the “Cookie management” link. Refusing does not stop you from using the site.',
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
  noStorage: 'Your browser blocks cookies: your choice will apply to this page only.',
};

export const LABELS: Record<Language, Labels> = { fr, en };

/** The element's `lang`, else the page's `<html lang>`, else French; any `en-*` is English. */
export function pickLanguage(own: string | null, page: string | null): Language {
  const tag = (own || page || 'fr').toLowerCase();
  return tag === 'en' || tag.startsWith('en-') ? 'en' : 'fr';
}
