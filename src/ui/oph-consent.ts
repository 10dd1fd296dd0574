import { html, nothing, render } from 'lit/html.js';
import { CatalogError, LOAD_TIMEOUT_MS, fetchCatalog, localize, parseCatalogJson, sourceName, validateCatalog, type Catalog } from '../core/catalog.js';
import { deleteCookies, eraseRecord, readCookie, refusedPatterns, writeRecord } from '../core/cookies.js';
import { Gate } from '../integrations/gate.js';
import { announceConsent, consentModeDefault } from '../integrations/consent-mode.js';
import { logConsent, recordState } from '../integrations/consent-log.js';
import { gpcEnabled, openChannel } from '../integrations/tabs.js';
import { LABELS, formatList, pickLanguage, type Language } from './i18n.js';
import {
  StorageError,
  defaultConsent,
  newRecord,
  parseRecord,
  sha256,
  uniformConsent,
  type Consent,
  type ConsentRecord,
  type Method,
} from '../core/record.js';
import { styleSheet } from './styles.js';
import { banner, floatingButton, panel, type ViewModel } from './views.js';

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
export interface ErrorDetail {
  readonly message: string;
  /** `catalog`, `stored-choice`, `storage`, `duplicate` or `api`. */
  readonly code: string;
  readonly source?: string;
  readonly path?: string;
  readonly reason?: string;
  readonly errors?: readonly string[];
}

/** The one element that owns consent on this page; a second one reports an error and stays inert. */
let owner: OphConsent | null = null;

/**
 * Resolves once the page is parsed and every DOMContentLoaded listener has run (a task later), so
 * that listeners the page adds then still hear oph-consent-ready, however soon the catalog came.
 */
const domReady = () =>
  document.readyState === 'loading'
    ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => setTimeout(resolve), { once: true }))
    : Promise.resolve();

/** The focused element, looking through open shadow roots. */
const deepActiveElement = (): HTMLElement | null => {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active as HTMLElement | null;
};

/**
 * Cookie consent banner and preference panel, driven by a JSON catalog.
 *
 * @summary Asks, stores and applies a visitor's cookie choices; runs gated scripts only with consent.
 * @attr catalog - URL of the catalog JSON.
 * @attr lang - Language of the element (`fr`, `en`); defaults to the page's, then French.
 * @attr floating-button - Show a small button that reopens the panel after a decision.
 * @attr reload-on-withdrawal - Reload the page after a withdrawal, so that scripts that already ran stop.
 * @fires oph-consent-ready - Catalog loaded and stored choice read. detail: `{ consent, decided }`
 * @fires oph-consent-change - A choice was made or changed. detail: `{ consent, changed, method, record }`
 * @fires oph-consent-error - Catalog missing or invalid, stored choice unreadable, storage unusable. detail: `{ message, code, … }`
 * @csspart banner - The first-layer banner.
 * @csspart panel - The preference dialog.
 * @csspart button - Every button.
 * @csspart accept-all - The "accept all" buttons.
 * @csspart reject-all - The "reject all" buttons.
 * @csspart customize - The banner's "customize" button.
 * @csspart dismiss - "Continue without accepting".
 * @csspart save - "Save my choices".
 * @csspart switch - Each category switch.
 * @csspart close - The panel's "close" button.
 * @csspart floating-button - The button that reopens the panel.
 * @cssprop --oph-consent-background - Background of the banner, panel and floating button.
 * @cssprop --oph-consent-color - Text colour.
 * @cssprop --oph-consent-muted - Descriptions and table values.
 * @cssprop --oph-consent-accent - Buttons, and switches when on.
 * @cssprop --oph-consent-on-accent - Text on the accent colour.
 * @cssprop --oph-consent-border - Borders, and switches when off.
 * @cssprop --oph-consent-focus - Focus ring.
 * @cssprop --oph-consent-font - Font family.
 * @cssprop --oph-consent-radius - Corner radius.
 * @cssprop --oph-consent-spacing - Inner spacing.
 * @cssprop --oph-consent-z-index - Stacking of the banner and the floating button.
 */
export class OphConsent extends HTMLElement {
  static observedAttributes = ['catalog', 'lang', 'floating-button'];
  /** How long a catalog URL may take before it is reported as unreachable (ms). */
  static catalogTimeout = LOAD_TIMEOUT_MS;

  readonly #root = this.attachShadow({ mode: 'open' });
  #rendering: Promise<void> | null = null;

  #catalogInput: unknown;
  #model: Catalog | null = null;
  /** The catalog's text as loaded, and its SHA-256, computed once a record first needs it (never on a mere visit). */
  #catalogText = '';
  #catalogDigest: Promise<string | null> | null = null;
  #state: Consent = {};
  #record: ConsentRecord | null = null;
  #draft: Consent = {};
  #panelOpen = false;
  #storageBlocked = false;
  #opener: HTMLElement | null = null;
  #status = '';
  #openTables = new Set<string>();
  #loading: Promise<boolean> | null = null;
  #generation = 0;
  #gate = new Gate(
    (categories) => categories.split(/\s+/).every((id) => this.hasConsent(id)),
    (categories) => this.#describeBlocked(categories),
  );
  #channel: BroadcastChannel | null = null;

  constructor() {
    super();
    this.#root.adoptedStyleSheets = [styleSheet()];
  }

  connectedCallback(): void {
    this.requestUpdate();
    if (owner?.isConnected && owner !== this) {
      this.#report({ code: 'duplicate', message: 'another <oph-consent> already manages consent on this page; this one stays inactive' });
      return;
    }
    owner = this;
    document.addEventListener('click', this.#onDocumentClick);
    document.addEventListener('keydown', this.#onDocumentKeydown);
    if (this.#model) this.#listen();
    this.#loading ??= this.#load();
  }

  disconnectedCallback(): void {
    // Out of the page it acts on nothing: no gating, no other tabs.
    this.#gate.stop();
    this.#channel?.close();
    this.#channel = null;
    document.removeEventListener('click', this.#onDocumentClick);
    document.removeEventListener('keydown', this.#onDocumentKeydown);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name !== 'catalog') this.requestUpdate();
    else if (old !== value && this.#loading && this.#catalogInput === undefined) this.#loading = this.#load();
  }

  /**
   * Renders on the next microtask, once for any number of calls. Lit's templates do the DOM work;
   * the element needs none of LitElement's reactive properties, so it does not pay for them.
   */
  requestUpdate(): void {
    this.#rendering ??= Promise.resolve().then(() => {
      this.#rendering = null;
      render(this.#render(), this.#root);
    });
  }

  /** Resolves once the pending render (if any) is in the DOM. */
  get updateComplete(): Promise<void> {
    return this.#rendering ?? Promise.resolve();
  }

  /** The catalog: a URL (same as the attribute) or the catalog object itself. Setting it loads it again. */
  get catalog(): unknown {
    return this.#catalogInput ?? this.getAttribute('catalog');
  }
  set catalog(value: unknown) {
    this.#catalogInput = value ?? undefined;
    if (this.#loading) this.#loading = this.#load();
  }

  /** A snapshot: `{ [categoryId]: boolean }`, required categories always true. Empty until the catalog is loaded. */
  get consent(): Consent {
    return { ...this.#state };
  }

  /** Whether the visitor has made a choice that still applies. */
  get decided(): boolean {
    return this.#record !== null;
  }

  hasConsent(categoryId: string): boolean {
    return Object.hasOwn(this.#state, categoryId) && this.#state[categoryId];
  }

  async acceptAll(): Promise<void> {
    if (await this.#loading) await this.#decide(uniformConsent(this.#model!, true), 'accept-all');
  }

  async rejectAll(): Promise<void> {
    if (await this.#loading) await this.#decide(uniformConsent(this.#model!, false), 'reject-all');
  }

  /** Sets some categories (`{ analytics: true }`); the others keep their current value. */
  async setConsent(choices: Readonly<Record<string, boolean>>): Promise<void> {
    if (!(await this.#loading)) return;
    const next = { ...this.#state };
    for (const [id, value] of Object.entries(choices ?? {})) {
      if (!Object.hasOwn(next, id) || typeof value !== 'boolean') {
        this.#report({ code: 'api', message: `setConsent: "${id}" ignored: not a category, or not true/false` });
      } else next[id] = value;
    }
    await this.#decide(next, 'custom');
  }

  /** Opens the preference panel. */
  async showPreferences(): Promise<void> {
    const opener = deepActiveElement();
    if (!(await this.#loading) || this.#panelOpen) return;
    this.#opener = opener;
    this.#draft = { ...this.#state };
    this.#status = '';
    this.#panelOpen = true;
    this.requestUpdate();
    await this.updateComplete;
    this.#root.querySelector('dialog')?.showModal();
  }

  /**
   * Forgets the stored choice and asks again, as on a first visit: optional categories off (Consent
   * Mode and GTM told, their cookies deleted); fires `oph-consent-ready` with `decided: false`.
   */
  async reset(): Promise<void> {
    if (!(await this.#loading)) return;
    const catalog = this.#model!;
    try {
      eraseRecord(catalog);
    } catch (e) {
      this.#storageFailed(e);
    }
    this.#record = null;
    this.#state = defaultConsent(catalog);
    announceConsent(catalog, this.#state, 'reset');
    this.#applyConsent();
    this.requestUpdate();
    await this.updateComplete;
    this.#emit('oph-consent-ready', { consent: this.consent, decided: false } satisfies ReadyDetail);
  }

  get #language(): Language {
    return pickLanguage(this.getAttribute('lang'), document.documentElement.getAttribute('lang'));
  }

  async #load(): Promise<boolean> {
    const generation = ++this.#generation;
    this.#closePanel();
    this.#panelOpen = false;
    this.#model = null;
    this.requestUpdate();
    // A catalog URL is fetched at once, while the page is still parsed; the rest waits for the parsed
    // page, so that its own scripts have their listeners in place before oph-consent-ready.
    const reading = this.#readCatalog();
    reading.catch(() => {}); // its failure is handled below, once the page is parsed
    await domReady();
    try {
      const { value, text, source } = await reading;
      const catalog = validateCatalog(value, source);
      if (generation !== this.#generation) return false;
      this.#model = catalog;
      this.#catalogText = text;
      this.#catalogDigest = null;
    } catch (e) {
      if (generation !== this.#generation) return false;
      const error = e instanceof CatalogError ? e : new CatalogError('catalog', '', String(e));
      const { message, source, path, reason, errors } = error;
      this.#report({ code: 'catalog', message, source, path, reason, errors });
      return false;
    }
    const catalog = this.#model;
    this.#restore();
    // Google Consent Mode: the default goes first, before any gated tag can run (GCM-01).
    consentModeDefault(catalog, defaultConsent(catalog));
    const stored = this.#record;
    // GPC with nothing stored is a refusal; over an earlier consent (not given under GPC), a withdrawal (GPC-02).
    const gpc = gpcEnabled() && (!stored || (!stored.gpc && catalog.categories.some((c) => !c.required && stored.choices[c.id])));
    const before = this.#state;
    // After each wait, and after the page's ready listeners, another catalog may have been given: that load goes on.
    const replaced = () => generation !== this.#generation;
    const catalogHash = gpc ? await this.#catalogHash() : null;
    if (replaced()) return false;
    if (gpc) this.#commit(uniformConsent(catalog, false), 'gpc', catalogHash);
    else if (stored) announceConsent(catalog, this.#state, 'stored');
    this.requestUpdate();
    await this.updateComplete;
    if (replaced()) return false;
    this.#emit('oph-consent-ready', { consent: this.consent, decided: this.decided } satisfies ReadyDetail);
    if (replaced()) return false;
    if (gpc) this.#publish(before, stored?.choices ?? null, 'gpc');
    this.#applyConsent();
    // Removed while loading: it acts on nothing until it is connected again.
    if (this.isConnected) this.#listen();
    return true;
  }

  /** Gates the document (and elements added later) and hears the other tabs. */
  #listen(): void {
    this.#channel?.close();
    this.#channel = openChannel(this.#model!.consentCookie.name, (data) => this.#receive(data));
    void this.#gate.start();
  }

  /**
   * The catalog from the property, else the attribute's URL, else an inline JSON child (which, or
   * whose absence, is known only once the page is parsed).
   */
  async #readCatalog(): Promise<{ value: unknown; text: string; source: string }> {
    const input = this.catalog;
    if (typeof input === 'string' && input) {
      const text = await fetchCatalog(new URL(input, document.baseURI).href, OphConsent.catalogTimeout);
      return { value: parseCatalogJson(text, sourceName(input)), text, source: sourceName(input) };
    }
    if (input !== null && input !== undefined && input !== '') {
      return { value: input, text: JSON.stringify(input), source: 'catalog property' };
    }
    await domReady();
    const inline = this.querySelector(':scope > script[type="application/json"]');
    if (inline) {
      const text = inline.textContent ?? '';
      return { value: parseCatalogJson(text, 'inline catalog'), text, source: 'inline catalog' };
    }
    throw new CatalogError('<oph-consent>', '', 'no catalog: set the catalog attribute, the catalog property, or an inline <script type="application/json"> child');
  }

  /** Reads the stored choice; anything unusable means asking again. */
  #restore(): void {
    const catalog = this.#model!;
    this.#record = null;
    this.#state = defaultConsent(catalog);
    let raw: string | undefined;
    try {
      raw = readCookie(catalog.consentCookie.name);
    } catch (e) {
      this.#storageFailed(e);
    }
    if (raw === undefined) return;
    const result = parseRecord(raw, catalog);
    if ('record' in result) {
      this.#record = result.record;
      this.#state = { ...result.record.choices };
    } else if ('invalid' in result) {
      this.#report({ code: 'stored-choice', message: `cookie "${catalog.consentCookie.name}": ${result.invalid}`, reason: result.invalid });
    }
  }

  async #decide(choices: Consent, method: Method): Promise<void> {
    const catalogHash = await this.#catalogHash();
    const before = this.#state;
    const previous = this.#record?.choices ?? null;
    this.#commit(choices, method, catalogHash);
    this.requestUpdate();
    await this.updateComplete;
    this.#publish(before, previous, method);
    this.#applyConsent();
    await this.#gate.apply(document);
  }

  #catalogHash(): Promise<string | null> {
    return (this.#catalogDigest ??= sha256(this.#catalogText));
  }

  /** Makes and stores the record of a decision. */
  #commit(choices: Consent, method: Method, catalogHash: string | null): void {
    const catalog = this.#model!;
    const record = newRecord(catalog, choices, method, this.#language, catalogHash, this.#record?.id ?? null, Date.now(), gpcEnabled());
    this.#record = record;
    this.#state = { ...record.choices };
    try {
      writeRecord(record, catalog);
      this.#storageBlocked = false;
    } catch (e) {
      this.#storageFailed(e);
    }
  }

  /**
   * Tells everyone about a decision, in this order: Google Consent Mode and GTM, the page
   * (`oph-consent-change`), the consent log and the other tabs. Gated tags run only after.
   */
  #publish(before: Consent, previous: Consent | null, method: Method): void {
    const catalog = this.#model!;
    const record = this.#record!;
    announceConsent(catalog, this.#state, method);
    const changed = catalog.categories.map((c) => c.id).filter((id) => before[id] !== this.#state[id]);
    this.#emit('oph-consent-change', { consent: this.consent, changed, method, record } satisfies ChangeDetail);
    const state = recordState(catalog, previous, this.#state);
    if (method !== 'sync') {
      logConsent(catalog.consentLogUrl, record, state);
      this.#channel?.postMessage(record);
    }
    // Scripts that already ran cannot be unrun: a page may ask to start afresh (CNIL-16).
    if (state === 'withdrawn' && this.hasAttribute('reload-on-withdrawal')) location.reload();
  }

  /** A decision made in another tab of the site (the cookie is shared: nothing to write). */
  #receive(data: unknown): void {
    const catalog = this.#model;
    if (!catalog) return;
    const result = parseRecord(encodeURIComponent(JSON.stringify(data ?? null)), catalog);
    if (!('record' in result) || result.record.id === this.#record?.id) return;
    const before = this.#state;
    const previous = this.#record?.choices ?? null;
    this.#record = result.record;
    this.#state = { ...result.record.choices };
    this.requestUpdate();
    this.#publish(before, previous, 'sync');
    this.#applyConsent();
    void this.#gate.apply(document);
  }

  /** Deletes the cookies the catalog lists for the categories without consent (CNIL-16). */
  #applyConsent(): void {
    const catalog = this.#model!;
    try {
      deleteCookies(refusedPatterns(catalog, this.#state), catalog.consentCookie.name);
    } catch {
      // Cookies unreadable: already reported by the store, and nothing can be deleted.
    }
  }

  /** The words of a blocked iframe's placeholder, in the element's language. */
  #describeBlocked(categories: string) {
    const language = this.#language;
    const t = LABELS[language];
    const titles = categories
      .split(/\s+/)
      .map((id) => this.#model?.categories.find((c) => c.id === id))
      .map((c) => (c ? localize(c.title, language) : ''));
    return { text: t.blocked(formatList(titles, language)), button: t.reopen, lang: language };
  }

  #storageFailed(e: unknown): void {
    if (!(e instanceof StorageError)) throw e;
    this.#storageBlocked = true;
    this.#report({ code: 'storage', message: `${e.message}; the choice is kept for this page only` });
  }

  #report(detail: ErrorDetail): void {
    console.error(`<oph-consent> ${detail.message}`);
    this.#emit('oph-consent-error', detail);
  }

  #emit(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** Any `[data-oph-consent-open]` element opens the panel. */
  #onDocumentClick = (event: MouseEvent): void => {
    const trigger = (event.target as Element | null)?.closest?.('[data-oph-consent-open]');
    if (!trigger) return;
    event.preventDefault();
    void this.showPreferences();
  };

  /** …and Enter or Space on one that is neither a link nor a button (those click by themselves). */
  #onDocumentKeydown = (event: KeyboardEvent): void => {
    const trigger = (event.target as Element | null)?.closest?.('[data-oph-consent-open]');
    if (!trigger || trigger.matches('a[href], button, input, summary') || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    void this.showPreferences();
  };

  #closePanel = (): void => {
    this.#root.querySelector('dialog')?.close();
  };

  /** The dialog closed (Escape, close button or a decision): focus goes back to what opened it. */
  #onPanelClosed = (): void => {
    this.#panelOpen = false;
    this.requestUpdate();
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  };

  /** A button of the banner or the panel. */
  #onDecision = (method: Method): void => {
    const catalog = this.#model!;
    const choices = method === 'custom' ? this.#draft : uniformConsent(catalog, method === 'accept-all');
    if (this.#panelOpen) this.#announce(LABELS[this.#language].saved);
    this.#closePanel();
    void this.#decide(choices, method);
  };

  #toggle = (id: string): void => {
    this.#draft = { ...this.#draft, [id]: !this.#draft[id] };
    this.requestUpdate();
  };

  /** A cookie table was opened or closed: only open ones are rendered. */
  #showTable = (id: string, open: boolean): void => {
    if (open === this.#openTables.has(id)) return;
    if (open) this.#openTables.add(id);
    else this.#openTables.delete(id);
    this.requestUpdate();
  };

  /** Speaks a short message through the polite live region (RGAA 7.5). */
  #announce(message: string): void {
    this.#status = message;
    this.requestUpdate();
  }

  #render() {
    const catalog = this.#model;
    if (!catalog) return nothing;
    const v: ViewModel = {
      catalog,
      language: this.#language,
      draft: this.#draft,
      storageBlocked: this.#storageBlocked,
      gpc: gpcEnabled(),
      decide: this.#onDecision,
      openPanel: () => void this.showPreferences(),
      closePanel: this.#closePanel,
      toggle: this.#toggle,
      openTables: this.#openTables,
      showTable: this.#showTable,
      panelClosed: this.#onPanelClosed,
    };
    return html`<div class="root" lang=${v.language}>
      ${this.#record ? nothing : banner(v)} ${this.#panelOpen ? panel(v) : nothing}
      ${this.#record && this.hasAttribute('floating-button') ? floatingButton(v) : nothing}
      <div role="status" class="visually-hidden">${this.#status}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'oph-consent': OphConsent;
  }
  interface HTMLElementEventMap {
    'oph-consent-ready': CustomEvent<ReadyDetail>;
    'oph-consent-change': CustomEvent<ChangeDetail>;
    'oph-consent-error': CustomEvent<ErrorDetail>;
  }
}
