/**
 * Google Consent Mode v2 and Google Tag Manager, through `window.dataLayer`. Plain module, no Lit.
 */
import type { Catalog, GoogleConsentType } from '../core/catalog.js';
import type { Consent, Method } from '../core/record.js';

/** The dataLayer event pushed on each decision and on each page where a stored choice applies. */
export const GTM_EVENT = 'oph_consent_update';
/** How long Google tags wait for an update after `consent default` (GCM-03). */
export const WAIT_FOR_UPDATE_MS = 500;

type DataLayer = unknown[];
const dataLayer = (): DataLayer => ((window as unknown as { dataLayer?: DataLayer }).dataLayer ??= []);

/** Pushes exactly what `gtag()` pushes: an `arguments` object, which is what Google's tags read. */
function gtag(..._args: unknown[]): void {
  // eslint-disable-next-line prefer-rest-params
  dataLayer().push(arguments);
}

/** `{ analytics_storage: 'granted' | 'denied', … }` for every type the catalog maps, or null if it maps none. */
export function consentModeState(catalog: Catalog, consent: Consent): Partial<Record<GoogleConsentType, string>> | null {
  const state: Partial<Record<GoogleConsentType, string>> = {};
  for (const c of catalog.categories) {
    // A type mapped by several categories is granted only if all of them are.
    for (const type of c.googleConsentMode) state[type] = consent[c.id] && state[type] !== 'denied' ? 'granted' : 'denied';
  }
  return Object.keys(state).length ? state : null;
}

/** `consent default` at start-up, before any gated tag can run (GCM-01, GCM-02, GCM-03). */
export function consentModeDefault(catalog: Catalog, consent: Consent): void {
  const state = consentModeState(catalog, consent);
  if (state) gtag('consent', 'default', { ...state, wait_for_update: WAIT_FOR_UPDATE_MS });
}

/**
 * `consent update` and the GTM event, on every decision and on every page where a stored choice
 * applies, before gated tags run (GCM-05, GCM-08).
 */
export function announceConsent(catalog: Catalog, consent: Consent, method: Method | 'stored' | 'reset'): void {
  const state = consentModeState(catalog, consent);
  if (state) gtag('consent', 'update', state);
  dataLayer().push({ event: GTM_EVENT, oph_consent: { ...consent }, oph_consent_method: method });
}
