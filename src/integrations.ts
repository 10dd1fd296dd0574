/**
 * What the element tells the rest of the page and the site: Google Consent Mode v2 and Google Tag
 * Manager through `window.dataLayer`, the Global Privacy Control signal, the other tabs, and the
 * consent log. Plain module, no Lit. None of it may ever break the page: failures are swallowed here
 * and the element keeps working.
 */
import type { Catalog, GoogleConsentType } from './catalog.js';
import type { Consent, ConsentRecord, Method } from './store.js';

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

/** Global Privacy Control, read once per navigation (GPC-03). DNT is never read: it can grant nothing. */
export const gpcEnabled = (): boolean => (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;

/** `given`, `refused` or `withdrawn` (REC-02): withdrawn when an optional category that had consent lost it. */
export function recordState(catalog: Catalog, before: Consent | null, after: Consent): 'given' | 'refused' | 'withdrawn' {
  const optional = catalog.categories.filter((c) => !c.required).map((c) => c.id);
  if (before && optional.some((id) => before[id] && !after[id])) return 'withdrawn';
  return optional.some((id) => after[id]) ? 'given' : 'refused';
}

/**
 * Sends a decision's record to the site's consent log (CNIL-18, REC-05) with sendBeacon, which
 * survives page unloads and never blocks the page. Nothing personal beyond the record itself.
 */
export function logConsent(url: string | undefined, record: ConsentRecord, state: string): boolean {
  if (!url || typeof navigator.sendBeacon !== 'function') return false;
  try {
    return navigator.sendBeacon(url, new Blob([JSON.stringify({ ...record, state })], { type: 'application/json' }));
  } catch {
    return false;
  }
}

/** The other open tabs of the site: a decision in one reaches the others at once (method `sync`). */
export function openChannel(name: string, receive: (record: unknown) => void): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(`oph-consent:${name}`);
  channel.onmessage = (event: MessageEvent) => receive(event.data);
  return channel;
}
