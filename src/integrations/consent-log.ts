/**
 * The consent log (CNIL-18, REC-05): each decision's record, with its state, sent to the site's
 * endpoint. Plain module, no Lit; it never breaks the page.
 */
import type { Catalog } from '../core/catalog.js';
import type { Consent, ConsentRecord } from '../core/record.js';

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
