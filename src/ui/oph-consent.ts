import { html, nothing, render } from 'lit/html.js';
import { LOAD_TIMEOUT_MS, localize, readCatalog } from '../core/catalog.js';
import { ConsentController, type EventDetails } from '../core/controller.js';
import { uniformConsent, type Consent, type Method } from '../core/record.js';
import { gpcEnabled } from '../integrations/tabs.js';
import { LABELS, formatList, type Language } from './i18n.js';
import { styleSheet } from './styles.js';
import { banner, floatingButton, panel, type ViewModel } from './views.js';

export type { ChangeDetail, ErrorCode, ErrorDetail, ReadyDetail } from '../core/controller.js';

/** The one element that owns consent on this page; a second one reports an error and stays inert. */
let owner: OphConsent | null = null;

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
 * @attr theme - `light`, `dark` or `auto` (the visitor's preference). Without it, the page's: dark only when the page supports a dark colour scheme and the visitor prefers dark.
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
  /** Set once the element first connects: from then on a new catalog loads at once. */
  #started = false;
  readonly #consent: ConsentController = new ConsentController(this, () => this.#renderNow(), (categories) => this.#describeBlocked(categories));

  // The view's own state: the panel, its draft of the switches, focus, the live region.
  #draft: Consent = {};
  #panelOpen = false;
  #opener: HTMLElement | null = null;
  #status = '';
  #openTables = new Set<string>();

  connectedCallback(): void {
    this.requestUpdate();
    if (owner?.isConnected && owner !== this) {
      this.#consent.report({ code: 'duplicate', message: 'another <oph-consent> already manages consent on this page; this one stays inactive' });
      return;
    }
    owner = this;
    // The hook that auditing tools and privacy tools look for (`[id*=consent]`), unless the page named it already.
    if (!this.id && !document.getElementById('oph-consent')) this.id = 'oph-consent';
    document.addEventListener('click', this.#onDocumentClick);
    document.addEventListener('keydown', this.#onDocumentKeydown);
    this.#consent.connect();
    if (!this.#started) {
      this.#started = true;
      this.#load();
    }
  }

  disconnectedCallback(): void {
    this.#consent.disconnect();
    document.removeEventListener('click', this.#onDocumentClick);
    document.removeEventListener('keydown', this.#onDocumentKeydown);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (name !== 'catalog') this.requestUpdate();
    else if (old !== value && this.#started && this.#catalogInput === undefined) this.#load();
  }

  /**
   * Renders on the next microtask, once for any number of calls. Lit's templates do the DOM work;
   * the element needs none of LitElement's reactive properties, so it does not pay for them.
   */
  requestUpdate(): void {
    this.#rendering ??= Promise.resolve().then(() => this.#renderNow());
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
    if (this.#started) this.#load();
  }

  /** A snapshot: `{ [categoryId]: boolean }`, required categories always true. Empty until the catalog is loaded. */
  get consent(): Consent {
    return this.#consent.consent;
  }

  /** Whether the visitor has made a choice that still applies. */
  get decided(): boolean {
    return this.#consent.record !== null;
  }

  hasConsent(categoryId: string): boolean {
    return this.#consent.hasConsent(categoryId);
  }

  acceptAll(): Promise<void> {
    return this.#consent.decide((catalog) => uniformConsent(catalog, true), 'accept-all');
  }

  rejectAll(): Promise<void> {
    return this.#consent.decide((catalog) => uniformConsent(catalog, false), 'reject-all');
  }

  /** Sets some categories (`{ analytics: true }`); the others keep their current value. */
  setConsent(choices: Readonly<Record<string, boolean>>): Promise<void> {
    return this.#consent.decide((_, next) => {
      for (const [id, value] of Object.entries(choices ?? {})) {
        if (!Object.hasOwn(next, id) || typeof value !== 'boolean') {
          this.#consent.report({ code: 'api', message: `setConsent: "${id}" ignored: not a category, or not true/false` });
        } else next[id] = value;
      }
      return next;
    }, 'custom');
  }

  /** Opens the preference panel. */
  async showPreferences(): Promise<void> {
    const opener = deepActiveElement();
    if (!(await this.#consent.loading) || this.#panelOpen) return;
    this.#opener = opener;
    this.#draft = this.#consent.consent;
    this.#status = '';
    this.#panelOpen = true;
    this.#renderNow();
    this.#root.querySelector('dialog')?.showModal();
  }

  /**
   * Forgets the stored choice and asks again, as on a first visit: optional categories off (Consent
   * Mode and GTM told, their cookies deleted, gated media unloaded); fires `oph-consent-ready` with
   * `decided: false`.
   */
  reset(): Promise<void> {
    return this.#consent.reset();
  }

  get #language(): Language {
    return this.#consent.language;
  }

  /** A new catalog: the panel closes, and the controller loads it (a URL is fetched at once). */
  #load(): void {
    this.#closePanel();
    this.#panelOpen = false;
    const input = this.catalog;
    void this.#consent.load(() => readCatalog(this, input, OphConsent.catalogTimeout));
  }

  /** The words of a blocked iframe's placeholder, in the element's language. */
  #describeBlocked(categories: string) {
    const language = this.#language;
    const t = LABELS[language];
    const titles = categories
      .split(/\s+/)
      .map((id) => this.#consent.catalog?.categories.find((c) => c.id === id))
      .map((c) => (c ? localize(c.title, language) : ''));
    return { text: t.blocked(formatList(titles, language)), button: t.reopen, lang: language };
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
    const draft = this.#draft;
    if (this.#panelOpen) this.#announce(LABELS[this.#language].saved);
    this.#closePanel();
    void this.#consent.decide((catalog) => (method === 'custom' ? draft : uniformConsent(catalog, method === 'accept-all')), method);
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

  /**
   * A returning visit with nothing to show (no banner, no panel, no floating button) costs no style
   * and no render: the styles are parsed, and Lit's templates first run, when something first shows.
   */
  #renderNow(): void {
    this.#rendering = null;
    const root = this.#root;
    if (!root.adoptedStyleSheets.length) {
      if (!this.#consent.catalog || (this.decided && !this.#panelOpen && !this.hasAttribute('floating-button'))) return;
      root.adoptedStyleSheets = [styleSheet()];
    }
    render(this.#render(), root);
  }

  #render() {
    const catalog = this.#consent.catalog;
    if (!catalog) return nothing;
    const decided = this.decided;
    const v: ViewModel = {
      catalog,
      language: this.#language,
      draft: this.#draft,
      storageBlocked: this.#consent.storageBlocked,
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
      ${decided ? nothing : banner(v)} ${this.#panelOpen ? panel(v) : nothing}
      ${decided && this.hasAttribute('floating-button') ? floatingButton(v) : nothing}
      <div role="status" class="visually-hidden">${this.#status}</div>
    </div>`;
  }
}

type OphConsentEvents = { [K in keyof EventDetails]: CustomEvent<EventDetails[K]> };

declare global {
  interface HTMLElementTagNameMap {
    'oph-consent': OphConsent;
  }
  interface HTMLElementEventMap extends OphConsentEvents {}
  interface GlobalEventHandlersEventMap extends OphConsentEvents {}
}
