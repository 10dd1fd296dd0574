/**
 * The consent engine, headless: it owns the catalog in force, the stored record and the consent,
 * and every change of consent (a decision, GPC, another tab, a reset, a restored choice) goes
 * through one transition that does every effect in one documented order. No Lit, no rendering:
 * the element is a view over it.
 */
import { CatalogError, domReady, parsed, pickLanguage, validateCatalog, type Catalog, type CatalogRead, type Language } from './catalog.js';
import { deleteCookies, eraseRecord, readCookie, refusedPatterns, writeRecord } from './cookies.js';
import { StorageError, defaultConsent, newRecord, parseRecord, sha256, uniformConsent, type Consent, type ConsentRecord, type Method } from './record.js';
import { announceConsent, consentModeDefault } from '../integrations/consent-mode.js';
import { logConsent, recordState, sendUnsent } from '../integrations/consent-log.js';
import { Gate, type Describe } from '../integrations/gate.js';
import { gpcEnabled, openChannel } from '../integrations/tabs.js';

export interface ReadyDetail {
  readonly consent: Consent;
  readonly decided: boolean;
}
export interface ChangeDetail {
  readonly consent: Consent;
  /** The categories whose value this decision changed. */
  readonly changed: readonly string[];
  readonly method: Method;
  readonly record: ConsentRecord;
}
export type ErrorCode = 'catalog' | 'stored-choice' | 'storage' | 'duplicate' | 'api';
export interface ErrorDetail {
  readonly message: string;
  readonly code: ErrorCode;
  readonly source?: string;
  readonly path?: string;
  readonly reason?: string;
  readonly errors?: readonly string[];
}
export interface EventDetails {
  'oph-consent-ready': ReadyDetail;
  'oph-consent-change': ChangeDetail;
  'oph-consent-error': ErrorDetail;
}

/** What a transition is: a decision, or one of the three changes that are not (a restored choice, a reset). */
type Cause = Method | 'restore' | 'reset';

/**
 * The element drives it: events are dispatched on the element, the language and
 * `reload-on-withdrawal` are read from it; `update` renders the view synchronously and `describe`
 * gives the words of a blocked iframe's placeholder.
 */
export class ConsentController {
  readonly #element: HTMLElement;
  readonly #update: () => void;
  #catalog: Catalog | null = null;
  #record: ConsentRecord | null = null;
  #consent: Consent = {};
  #storageBlocked = false;
  /** The catalog's text as read, and its SHA-256, computed once a record first needs it (never on a mere visit). */
  #text = '';
  /** The catalog's SHA-256 (a site bundle's comes with it), or its digest under way. */
  #digest: Promise<string | null> | string | null = null;
  /** Raised by every new catalog: work begun under an older one stops or is dropped. */
  #generation = 0;
  #loading: Promise<boolean> = Promise.resolve(false);
  #listening = false;
  /** The gate's work for the last transition: a decision resolves once its scripts ran. */
  #gating: Promise<void> = Promise.resolve();
  #channel: BroadcastChannel | null = null;
  readonly #gate: Gate;

  constructor(element: HTMLElement, update: () => void, describe: Describe) {
    this.#element = element;
    this.#update = update;
    this.#gate = new Gate((categories) => categories.split(/\s+/).every((id) => this.hasConsent(id)), describe);
  }

  /** The visitor's language: the element's `lang`, else the page's, else French. */
  get language(): Language {
    return pickLanguage(this.#element.getAttribute('lang'), document.documentElement.getAttribute('lang'));
  }

  get catalog(): Catalog | null {
    return this.#catalog;
  }
  get record(): ConsentRecord | null {
    return this.#record;
  }
  get storageBlocked(): boolean {
    return this.#storageBlocked;
  }
  /** A snapshot: required categories always true; empty until a catalog is in force. */
  get consent(): Consent {
    return { ...this.#consent };
  }
  /** Resolves to whether the catalog in force at the time of the call loaded. */
  get loading(): Promise<boolean> {
    return this.#loading;
  }

  hasConsent(categoryId: string): boolean {
    return Object.hasOwn(this.#consent, categoryId) && this.#consent[categoryId];
  }

  /**
   * Loads a new catalog, replacing the one in force: reads it (its source may start at once),
   * validates it, restores the stored choice and applies it. Fail-closed: nothing gated runs before
   * the catalog in force is known and valid and the stored choice read under it.
   */
  load(read: () => Promise<CatalogRead>): Promise<boolean> {
    const generation = ++this.#generation;
    // Fail-closed while it loads: nothing gated runs on the consent given under the catalog it replaces.
    this.#catalog = null;
    this.#record = null;
    this.#consent = {};
    this.#update();
    const reading = read();
    reading.catch(() => {}); // its failure is reported below, once the page is parsed
    return (this.#loading = this.#load(reading, generation));
  }

  /**
   * A returning visit does only what it needs, as soon as it can: once the catalog is valid and the
   * page parsed (at once for a deferred script), the stored choice is read, Consent Mode and GTM are
   * told and the gated tags run; `oph-consent-ready` (and a catalog error) waits, if the page was
   * still loading when the load began, for the page's DOMContentLoaded listeners.
   */
  async #load(reading: Promise<CatalogRead>, generation: number): Promise<boolean> {
    const pageReady = domReady();
    const replaced = () => generation !== this.#generation;
    let read: CatalogRead;
    let catalog: Catalog;
    try {
      read = await reading;
      catalog = read.hash ? (read.value as Catalog) : validateCatalog(read.value, read.source);
    } catch (e) {
      await pageReady;
      if (replaced()) return false;
      const error = e instanceof CatalogError ? e : new CatalogError('catalog', '', String(e));
      const { message, source, path, reason, errors } = error;
      this.report({ code: 'catalog', message, source, path, reason, errors });
      return false;
    }
    // Every gated element must be parsed before the first pass: an inline script's text may still be arriving.
    await parsed();
    if (replaced()) return false;
    this.#catalog = catalog;
    this.#text = read.text;
    this.#digest = read.hash ?? null;
    const stored = this.#restore(catalog);
    // Google Consent Mode: the default goes first, before any gated tag can run (GCM-01).
    consentModeDefault(catalog, defaultConsent(catalog));
    // GPC with nothing stored is a refusal; over an earlier consent (not given under GPC), a withdrawal (GPC-02).
    const gpc = gpcEnabled() && (!stored || (!stored.gpc && catalog.categories.some((c) => !c.required && stored.choices[c.id])));
    if (gpc) {
      const hash = await this.#hash();
      await pageReady;
      if (replaced() || !this.#apply(catalog, this.#newRecord(catalog, uniformConsent(catalog, false), 'gpc', hash), 'gpc', generation)) return false;
      this.#listen();
    } else {
      this.#apply(catalog, stored, 'restore', generation);
      await pageReady;
      if (replaced()) return false;
      this.#emit('oph-consent-ready', { consent: this.consent, decided: stored !== null });
      if (replaced()) return false;
    }
    // Records a consent log has not confirmed yet (it was down, or the page closed at once) go again,
    // after the gated tags: reading localStorage is the first touch of it on the page, and not free.
    if (catalog.consentLogUrl) setTimeout(sendUnsent);
    return true;
  }

  /**
   * A decision: `choose` gives the new consent under the catalog in force when the call was made.
   * If that catalog is replaced before the decision could be recorded, it is dropped with an
   * `oph-consent-error` of code `api`. Never rejects.
   */
  async decide(choose: (catalog: Catalog, consent: Consent) => Consent, method: Method): Promise<void> {
    const generation = this.#generation;
    try {
      const loaded = await this.#loading;
      if (generation !== this.#generation) return this.#dropped(method);
      if (!loaded) return;
      const catalog = this.#catalog!;
      const choices = choose(catalog, this.consent);
      const hash = await this.#hash();
      if (generation !== this.#generation) return this.#dropped(method);
      this.#apply(catalog, this.#newRecord(catalog, choices, method, hash), method, generation);
      await this.#gating;
    } catch (e) {
      this.report({ code: 'api', message: `${method}: ${(e as Error).message ?? e}` });
    }
  }

  /** Forgets the stored choice and asks again, as on a first visit. Never rejects. */
  async reset(): Promise<void> {
    const generation = this.#generation;
    if (!(await this.#loading) || generation !== this.#generation) return;
    this.#apply(this.#catalog!, null, 'reset', generation);
  }

  /** Gates the document (and elements added later) and hears the other tabs, once a catalog is in force. */
  #listen(): void {
    if (!this.#listening || !this.#catalog) return;
    void this.#gate.start();
    this.#channel?.close();
    this.#channel = openChannel(this.#catalog.consentCookie.name, (data) => this.#receive(data));
  }

  /** The view is in the page: act on it. */
  connect(): void {
    this.#listening = true;
    this.#listen();
  }

  /** Out of the page it acts on nothing: no gating, no other tabs. */
  disconnect(): void {
    this.#listening = false;
    this.#gate.stop();
    this.#channel?.close();
    this.#channel = null;
  }

  /** A decision made in another tab of the site (the cookie is shared: nothing to write). */
  #receive(data: unknown): void {
    const catalog = this.#catalog;
    if (!catalog) return;
    const result = parseRecord(encodeURIComponent(JSON.stringify(data ?? null)), catalog);
    if (!('record' in result) || result.record.id === this.#record?.id) return;
    this.#apply(catalog, result.record, 'sync', this.#generation);
  }

  /**
   * The one transition. In this order: the record is stored (or erased), Google Consent Mode and
   * GTM are told, the view renders, the page hears `oph-consent-ready` (a load or a reset) and
   * `oph-consent-change` (a decision), the record goes to the consent log and the other tabs, the
   * cookies of refused categories are deleted, and media and scripts follow the new consent.
   * A choice restored at a load does only what the visit needs, as soon as it can: Consent Mode and
   * GTM told, the gated tags run and the other tabs heard, the view rendered, the refused cookies
   * deleted; the page hears `oph-consent-ready` after that (#load), once its DOMContentLoaded
   * listeners have run. Returns false when a ready listener gave another catalog: that load goes on
   * instead.
   */
  #apply(catalog: Catalog, record: ConsentRecord | null, cause: Cause, generation: number): boolean {
    const before = this.#consent;
    const previous = this.#record?.choices ?? null;
    this.#record = record;
    this.#consent = record ? { ...record.choices } : defaultConsent(catalog);
    const decision = cause !== 'restore' && cause !== 'reset';
    try {
      if (cause === 'reset') eraseRecord(catalog);
      else if (decision && cause !== 'sync') {
        writeRecord(record!, catalog);
        this.#storageBlocked = false;
      }
    } catch (e) {
      this.#storageFailed(e);
    }
    if (record || cause === 'reset') announceConsent(catalog, this.#consent, cause === 'restore' ? 'stored' : cause);
    if (cause === 'restore') this.#listen();
    this.#update();
    if (cause === 'reset' || cause === 'gpc') {
      this.#emit('oph-consent-ready', { consent: this.consent, decided: record !== null });
      if (generation !== this.#generation) return false;
    }
    if (decision) {
      const changed = catalog.categories.map((c) => c.id).filter((id) => before[id] !== this.#consent[id]);
      this.#emit('oph-consent-change', { consent: this.consent, changed, method: cause, record: record! });
      const state = recordState(catalog, previous, this.#consent);
      if (cause !== 'sync') {
        logConsent(catalog.consentLogUrl, record!, state);
        this.#channel?.postMessage(record);
      }
      // Scripts that already ran cannot be unrun: a page may ask to start afresh (CNIL-16).
      if (state === 'withdrawn' && this.#element.hasAttribute('reload-on-withdrawal')) location.reload();
    }
    try {
      deleteCookies(refusedPatterns(catalog, this.#consent), catalog.consentCookie.name);
    } catch {
      // Cookies unreadable: already reported, and nothing can be deleted.
    }
    // At a load, the gate starts with the catalog in force (#listen).
    if (this.#listening && cause !== 'restore' && cause !== 'gpc') this.#gating = this.#gate.apply(document);
    return true;
  }

  #newRecord(catalog: Catalog, choices: Consent, method: Method, hash: string | null): ConsentRecord {
    return newRecord(catalog, choices, method, this.language, hash, this.#record?.id ?? null, Date.now(), gpcEnabled());
  }

  #hash(): Promise<string | null> | string {
    return (this.#digest ??= sha256(this.#text));
  }

  /** Reads the stored choice; anything unusable means asking again. */
  #restore(catalog: Catalog): ConsentRecord | null {
    this.#record = null;
    this.#consent = defaultConsent(catalog);
    let raw: string | undefined;
    try {
      raw = readCookie(catalog.consentCookie.name);
    } catch (e) {
      this.#storageFailed(e);
    }
    if (raw === undefined) return null;
    const result = parseRecord(raw, catalog);
    if ('invalid' in result) {
      this.report({ code: 'stored-choice', message: `cookie "${catalog.consentCookie.name}": ${result.invalid}`, reason: result.invalid });
    }
    if (!('record' in result)) return null;
    this.#record = result.record;
    this.#consent = { ...result.record.choices };
    return result.record;
  }

  #dropped(method: Method): void {
    this.report({ code: 'api', message: `${method}: dropped, the catalog was replaced before the decision was recorded` });
  }

  #storageFailed(e: unknown): void {
    if (!(e instanceof StorageError)) throw e;
    this.#storageBlocked = true;
    this.report({ code: 'storage', message: `${e.message}; the choice is kept for this page only` });
  }

  #emit<K extends keyof EventDetails>(type: K, detail: EventDetails[K]): void {
    this.#element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  report(detail: ErrorDetail): void {
    console.error(`<oph-consent> ${detail.message}`);
    this.#emit('oph-consent-error', detail);
  }
}
