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

/** Where records the log has not confirmed wait for a later page view (the site's own storage). */
export const UNSENT_KEY = 'oph-consent:unsent';
/** At most this many wait; past it the oldest is dropped (and said so): storage is small and shared with the site. */
export const MAX_UNSENT = 50;

interface Unsent {
  readonly url: string;
  readonly body: string;
  readonly id: string;
}

/** The records of this page being sent now: a record is never sent twice at once. */
const sending = new Set<string>();

function readUnsent(): Unsent[] {
  try {
    return (JSON.parse(localStorage.getItem(UNSENT_KEY) ?? '[]') as Unsent[]).filter((u) => u?.id && u.url && u.body);
  } catch {
    return []; // storage blocked or garbage (not JSON, not an array: no filter to call): nothing waits
  }
}

function writeUnsent(list: Unsent[]): void {
  try {
    if (list.length) localStorage.setItem(UNSENT_KEY, JSON.stringify(list));
    else localStorage.removeItem(UNSENT_KEY);
  } catch {
    // Storage blocked: the record is still sent from this page, once.
  }
}

/**
 * Sends a decision's record, with its state, to the site's consent log (CNIL-18, REC-05). It is
 * kept in localStorage first, so that a page closed at once, a log that is down or that answers
 * an error (429, 5xx) loses nothing: every later page view sends what waits, until the log
 * answers 2xx (stored, or already stored: the log is idempotent by `id`). A refusal that no retry
 * can change (400, 409, 413, 422) is dropped with a console message. Never blocks or breaks the page.
 */
export function logConsent(url: string | undefined, record: ConsentRecord, state: string): void {
  if (!url) return;
  const list = readUnsent().filter((u) => u.id !== record.id);
  list.push({ url, id: record.id, body: JSON.stringify({ ...record, state }) });
  if (list.length > MAX_UNSENT) console.error(`<oph-consent> consent log: ${list.length - MAX_UNSENT} undelivered record(s) dropped (more than ${MAX_UNSENT} waiting)`);
  const kept = list.slice(-MAX_UNSENT);
  writeUnsent(kept);
  sendUnsent(kept);
}

/** Sends what waits (on every page view once the catalog is in force). */
export function sendUnsent(list = readUnsent()): void {
  for (const unsent of list) {
    if (sending.has(unsent.id)) continue;
    sending.add(unsent.id);
    // A string body is sent as `text/plain;charset=UTF-8` (Fetch): a simple request, no CORS preflight.
    fetch(unsent.url, { method: 'POST', body: unsent.body, keepalive: true, credentials: 'omit' })
      .then((response) => {
        const final = response.ok || [400, 409, 413, 422].includes(response.status);
        if (!response.ok && final) console.error(`<oph-consent> consent log: record ${unsent.id} refused by ${unsent.url} (HTTP ${response.status})`);
        if (final) writeUnsent(readUnsent().filter((u) => u.id !== unsent.id));
      })
      .catch(() => {
        // Down or unreachable: it waits for the next page view.
      })
      .finally(() => sending.delete(unsent.id));
  }
}
