/**
 * Well-known cookies, for the audit's guesses about undeclared ones (is it strictly necessary?
 * which category, which purpose for `--draft`?).
 *
 * A small subset derived from the Open Cookie Database by Jan Kwakman and contributors
 * (https://github.com/jkwakman/Open-Cookie-Database), licensed under the Apache License 2.0:
 * the names, platforms and categories are theirs; the French and English purposes are short
 * rewordings of their descriptions. A name ending in `*` is a prefix (their "wildcard match").
 */
import { matchesName } from '../core/cookies.js';

/** The Open Cookie Database's categories. */
export type KnownCategory = 'Functional' | 'Security' | 'Analytics' | 'Marketing' | 'Personalization';

export interface KnownCookie {
  readonly name: string;
  readonly platform: string;
  readonly category: KnownCategory;
  readonly purpose: { readonly fr: string; readonly en: string };
}

const k = (name: string, platform: string, category: KnownCategory, fr: string, en: string): KnownCookie => ({ name, platform, category, purpose: { fr, en } });

export const KNOWN_COOKIES: readonly KnownCookie[] = [
  k('_ga', 'Google Analytics', 'Analytics', 'Identifiant utilisé pour distinguer les visiteurs', 'ID used to identify users'),
  k('_ga_*', 'Google Analytics', 'Analytics', 'Identifiant utilisé pour distinguer les visiteurs', 'ID used to identify users'),
  k('_gid', 'Google Analytics', 'Analytics', 'Identifiant des visiteurs pendant 24 heures après leur dernière activité', 'ID used to identify users for 24 hours after last activity'),
  k('_gat*', 'Google Analytics', 'Analytics', 'Limite le nombre de requêtes envoyées à Google Analytics', 'Used to monitor the number of Google Analytics server requests'),
  k('_dc_gtm_*', 'Google Analytics', 'Analytics', 'Limite le nombre de requêtes envoyées à Google Analytics', 'Used to monitor the number of Google Analytics server requests'),
  k('_gac_*', 'Google Analytics', 'Marketing', 'Informations sur les campagnes publicitaires, partagées avec Google Ads', 'Information on marketing campaigns, shared with Google Ads'),
  k('__utma', 'Google Analytics', 'Analytics', 'Identifiant des visiteurs et des sessions', 'ID used to identify users and sessions'),
  k('__utmb', 'Google Analytics', 'Analytics', 'Distingue les nouvelles sessions et visites', 'Used to distinguish new sessions and visits'),
  k('__utmc', 'Google Analytics', 'Analytics', 'Distingue les sessions (anciennes versions d’Urchin)', 'Used to distinguish sessions (old Urchin versions)'),
  k('__utmt', 'Google Analytics', 'Analytics', 'Limite le nombre de requêtes envoyées à Google Analytics', 'Used to monitor the number of Google Analytics server requests'),
  k('__utmz', 'Google Analytics', 'Analytics', 'Source du trafic ou campagne qui a amené le visiteur', 'Traffic source or campaign that brought the user'),
  k('__utmv', 'Google Analytics', 'Analytics', 'Variables personnalisées du site', 'Custom variables set by the site'),
  k('_gcl_au', 'Google AdSense', 'Marketing', 'Mesure de l’efficacité des publicités', 'Used to measure advertising efficiency'),
  k('IDE', 'Google (DoubleClick)', 'Marketing', 'Publicité ciblée et mesure de ses résultats', 'Used to target and measure advertising'),
  k('NID', 'Google', 'Marketing', 'Préférences et publicité personnalisée', 'Preferences and personalised advertising'),
  k('_GRECAPTCHA', 'Google reCAPTCHA', 'Security', 'Analyse de risque contre les robots', 'Risk analysis against bots'),
  k('_fbp', 'Meta (Facebook)', 'Marketing', 'Suivi des visites pour la publicité', 'Tracks visits for advertising'),
  k('fr', 'Meta (Facebook)', 'Marketing', 'Publicité ciblée', 'Targeted advertising'),
  k('_pk_id*', 'Matomo', 'Analytics', 'Identifiant du visiteur pour la mesure d’audience', 'Visitor ID for audience measurement'),
  k('_pk_ses*', 'Matomo', 'Analytics', 'Session de mesure d’audience', 'Audience measurement session'),
  k('_pk_ref*', 'Matomo', 'Analytics', 'Site d’origine du visiteur', 'Referrer of the visitor'),
  k('_hjSessionUser_*', 'Hotjar', 'Analytics', 'Identifiant du visiteur', 'Visitor ID'),
  k('_hjSession_*', 'Hotjar', 'Analytics', 'Données de la session en cours', 'Current session data'),
  k('_clck', 'Microsoft Clarity', 'Analytics', 'Identifiant du visiteur', 'Visitor ID'),
  k('_clsk', 'Microsoft Clarity', 'Analytics', 'Regroupe les pages vues d’une session', 'Groups the page views of a session'),
  k('MUID', 'Microsoft', 'Marketing', 'Identifiant du visiteur pour la publicité', 'Visitor ID for advertising'),
  k('_uetsid', 'Microsoft Bing Ads', 'Marketing', 'Suivi des conversions publicitaires', 'Advertising conversion tracking'),
  k('_uetvid', 'Microsoft Bing Ads', 'Marketing', 'Suivi des conversions publicitaires', 'Advertising conversion tracking'),
  k('li_sugr', 'LinkedIn', 'Marketing', 'Identifiant probabiliste du visiteur', 'Probabilistic visitor ID'),
  k('bcookie', 'LinkedIn', 'Marketing', 'Identifiant du navigateur', 'Browser ID'),
  k('YSC', 'YouTube', 'Marketing', 'Statistiques des vidéos vues', 'Statistics of the videos watched'),
  k('VISITOR_INFO1_LIVE', 'YouTube', 'Marketing', 'Estimation du débit et préférences du lecteur', 'Bandwidth estimate and player preferences'),
  k('PHPSESSID', 'PHP', 'Functional', 'Session de l’utilisateur sur le site', 'The user’s session on the site'),
  k('JSESSIONID', 'Java', 'Functional', 'Session de l’utilisateur sur le site', 'The user’s session on the site'),
  k('ASP.NET_SessionId', 'ASP.NET', 'Functional', 'Session de l’utilisateur sur le site', 'The user’s session on the site'),
  k('XSRF-TOKEN', 'Divers', 'Security', 'Protection contre la falsification de requêtes intersites', 'Protection against cross-site request forgery'),
  k('csrftoken', 'Django', 'Security', 'Protection contre la falsification de requêtes intersites', 'Protection against cross-site request forgery'),
  k('__cf_bm', 'Cloudflare', 'Security', 'Distingue les humains des robots', 'Distinguishes humans from bots'),
  k('cf_clearance', 'Cloudflare', 'Security', 'Preuve du contrôle anti-robots passé', 'Proof of a passed bot check'),
  k('wordpress_logged_in_*', 'WordPress', 'Functional', 'Connexion à l’administration du site', 'Login to the site’s administration'),
  k('wp-settings-*', 'WordPress', 'Functional', 'Préférences de l’administration', 'Administration preferences'),
];

/** The known cookie of that name (exact names before prefixes), if any. */
export function knownCookie(name: string): KnownCookie | undefined {
  return KNOWN_COOKIES.find((c) => c.name === name) ?? KNOWN_COOKIES.find((c) => matchesName(name, c.name));
}

/** Strictly necessary for the Open Cookie Database's reading (functional, security): no consent needed. */
export const isStrictlyNecessary = (c: KnownCookie | undefined) => c?.category === 'Functional' || c?.category === 'Security';
