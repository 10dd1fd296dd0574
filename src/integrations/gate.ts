/**
 * Gating: what the page marks with `data-oph-category` only runs or loads with consent.
 * Plain module, no Lit.
 *
 * - `<script type="text/plain" data-oph-category="…">` runs once its categories have consent, exactly
 *   once, in document order, never before. It is replaced by a fresh `<script>` (a script whose type
 *   changes is never run by the browser). An external script holds back the scripts after it until it
 *   has loaded or failed, as it would in the page without gating; `async` ones do not.
 * - `<iframe data-src>` and `<img data-src>` get their `src`; a blocked iframe shows a placeholder that
 *   says which category it needs, with a button that opens the panel.
 * - Elements added later (single-page apps) are seen by a MutationObserver that looks only at the
 *   added nodes, never the whole document again.
 */

/** Is this element's gate open? All of its space-separated categories must have consent. */
export type Allowed = (categories: string) => boolean;
/** The words of a placeholder: what it needs, and the button that opens the panel. */
export type Describe = (categories: string) => { readonly text: string; readonly button: string; readonly lang: string };

const SCRIPTS = 'script[type="text/plain"][data-oph-category]';
const MEDIA = 'iframe[data-oph-category][data-src], img[data-oph-category][data-src]';
const started = new WeakSet<Element>();
const placeholders = new WeakMap<Element, HTMLElement>();
let queue: Promise<void> = Promise.resolve();
let placeholderStyles = false;

/** Placeholders live in the page, not in the shadow root: a low-specificity sheet the site can override (no inline style). */
function stylePlaceholders(): void {
  if (placeholderStyles) return;
  placeholderStyles = true;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(
    ':where(.oph-consent-placeholder){box-sizing:border-box;display:grid;place-content:center;gap:.5em;min-height:8em;padding:1em;border:1px dashed;text-align:center}' +
      ':where(.oph-consent-placeholder) button{font:inherit;min-height:2.75em;padding:.5em 1em}',
  );
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

type Policy = { createScript(s: string): unknown; createScriptURL(s: string): unknown };
/** Trusted Types: one policy, created on first need, for the scripts the page itself marked for gating. */
let policy: Policy | null | undefined;
function trusted(value: string, kind: 'createScript' | 'createScriptURL'): string {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: { createPolicy(n: string, p: object): Policy } }).trustedTypes;
    // The page wrote these scripts and asked for them to run with consent: they pass through unchanged.
    const same = (s: string) => s;
    policy = tt ? tt.createPolicy('oph-consent', { createScript: same, createScriptURL: same }) : null;
  }
  return (policy ? policy[kind](value) : value) as string;
}

export class Gate {
  readonly #allowed: Allowed;
  readonly #describe: Describe;
  #observer: MutationObserver | null = null;

  constructor(allowed: Allowed, describe: Describe) {
    this.#allowed = allowed;
    this.#describe = describe;
  }

  /** Applies the current consent to the whole document, then watches for elements added later. */
  start(): Promise<void> {
    this.#observer ??= new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) void this.apply(node);
    });
    this.#observer.observe(document.documentElement, { childList: true, subtree: true });
    return this.apply(document);
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
  }

  /** Runs, loads or holds what `root` (and `root` itself) contains, following the current consent. */
  apply(root: ParentNode): Promise<void> {
    const all = <T extends Element>(selector: string) => {
      const found = [...root.querySelectorAll<T>(selector)];
      return root instanceof Element && root.matches(selector) ? [root as T, ...found] : found;
    };
    for (const media of all<HTMLIFrameElement | HTMLImageElement>(MEDIA)) this.#media(media);
    const scripts = all<HTMLScriptElement>(SCRIPTS);
    if (!scripts.length) return queue;
    // Passes are queued so two decisions in a row never run a script twice or out of order; consent is
    // asked again for each script, so a withdrawal stops the rest of a pass.
    queue = queue.then(async () => {
      for (const blocked of scripts) {
        if (started.has(blocked) || !blocked.isConnected || !this.#allowed(blocked.dataset.ophCategory ?? '')) continue;
        started.add(blocked);
        await activate(blocked);
      }
    });
    return queue;
  }

  #media(element: HTMLIFrameElement | HTMLImageElement): void {
    const categories = element.dataset.ophCategory ?? '';
    if (this.#allowed(categories)) {
      placeholders.get(element)?.remove();
      placeholders.delete(element);
      element.hidden = false;
      if (element.getAttribute('src') !== element.dataset.src) element.src = element.dataset.src!;
      return;
    }
    if (element.getAttribute('src') === element.dataset.src) {
      // Withdrawn: unload what was loaded, so the third party stops reading and writing in this page (CNIL-16).
      // An iframe keeps its document when its src goes: a fresh copy without src replaces it.
      if (element instanceof HTMLIFrameElement) {
        const fresh = element.cloneNode() as HTMLIFrameElement;
        element.replaceWith(fresh);
        element = fresh;
      }
      element.removeAttribute('src');
    }
    if (element instanceof HTMLIFrameElement && !placeholders.has(element) && !element.getAttribute('src')) {
      const words = this.#describe(categories);
      stylePlaceholders();
      const box = document.createElement('div');
      box.className = 'oph-consent-placeholder';
      box.lang = words.lang;
      const text = document.createElement('p');
      text.textContent = words.text;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = words.button;
      button.setAttribute('data-oph-consent-open', '');
      box.append(text, button);
      element.hidden = true;
      element.before(box);
      placeholders.set(element, box);
    }
  }
}

/** Creates the runnable copy and waits for an external (non-async) one to load or fail. */
function activate(blocked: HTMLScriptElement): Promise<unknown> | undefined {
  const script = document.createElement('script');
  for (const { name, value } of blocked.attributes) {
    if (name !== 'type' && name !== 'nonce' && name !== 'src') script.setAttribute(name, value);
  }
  // The nonce attribute is hidden once a CSP is in force; the property keeps it.
  if (blocked.nonce) script.nonce = blocked.nonce;
  script.type = blocked.dataset.ophType ?? 'text/javascript';
  const src = blocked.getAttribute('src');
  let done: Promise<unknown> | undefined;
  if (src) {
    // Dynamically inserted scripts are async by default; keep them in order among themselves.
    script.async = blocked.hasAttribute('async');
    if (!script.async)
      done = new Promise((resolve) => {
        script.addEventListener('load', resolve);
        script.addEventListener('error', resolve);
      });
    script.src = trusted(src, 'createScriptURL');
  } else {
    script.text = trusted(blocked.text, 'createScript');
  }
  blocked.replaceWith(script);
  return done;
}
