/**
 * What the audit records in the browser, phase by phase: the evidence a DPO keeps (CONTRACT.md
 * §6.2). Plain data, written as it is into report.json (catalog/audit-report.schema.json).
 */

export type PhaseId = 'first-visit' | 'refusal' | 'acceptance' | 'withdrawal';

/** The visitor's choice at the moment of a step. */
export type ConsentState = 'none' | 'refused' | 'accepted' | 'withdrawn';

export interface ObservedCookie {
  readonly name: string;
  readonly domain: string;
  readonly path: string;
  /** Seconds from when it was set to its expiry; null for a session cookie. */
  readonly lifetime: number | null;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly sameSite: string;
  readonly party: 'first' | 'third';
  /** Who set it: Set-Cookie response URLs, or the script URLs of `document.cookie` writes. */
  readonly setBy: readonly string[];
  /** When it was last written, as far as the audit saw (a Set-Cookie or a `document.cookie` write). */
  readonly setAt?: string;
}

/** A cookie written during a step (a `document.cookie` write or a Set-Cookie), deletions aside. */
export interface CookieWrite {
  readonly name: string;
  /** The host of the page or response that wrote it. */
  readonly host: string;
  readonly party: 'first' | 'third';
  readonly setBy: readonly string[];
}

export interface ObservedStorage {
  readonly area: 'localStorage' | 'sessionStorage' | 'indexedDB';
  /** The origin the item belongs to (a frame's origin). */
  readonly origin: string;
  /** The key, or the database name for IndexedDB. */
  readonly key: string;
  readonly party: 'first' | 'third';
  readonly setBy: readonly string[];
}

export interface ObservedRequest {
  readonly url: string;
  readonly host: string;
  /** Playwright's resource type: script, image, xhr, fetch, document… */
  readonly type: string;
  /** The script or document that caused it, when the browser says; else the frame's URL. */
  readonly initiator: string;
  readonly frame: string;
}

export interface Step {
  /** What was done: "page 1", "Tout refuser", "reload", "second page", "withdrawal"… */
  readonly label: string;
  readonly url: string;
  readonly consent: ConsentState;
  readonly at: string;
  readonly cookies: readonly ObservedCookie[];
  /** Cookies written during the step, even if deleted before the snapshot. */
  readonly cookieWrites: readonly CookieWrite[];
  readonly storage: readonly ObservedStorage[];
  /** Requests to third-party hosts made during this step. */
  readonly requests: readonly ObservedRequest[];
}

export interface Phase {
  readonly id: PhaseId;
  readonly steps: readonly Step[];
  /** PNG, base64: what the visitor saw (CNIL-18: screenshots as proof). */
  readonly screenshot?: string;
  readonly screenshotCaption?: string;
  /** What could not be done (a page that did not load, a button not found). */
  readonly notes: readonly string[];
}

/** Where the page's `<oph-consent>` stood on the first visit. */
export interface BannerState {
  readonly element: boolean;
  readonly ready: boolean;
  readonly error?: string;
  /** The `catalog` the element was given: a URL (resolved), an inline catalog's text, or a JSON-serialised object. */
  readonly catalog?: { readonly kind: 'url' | 'inline' | 'property'; readonly value: string };
}
