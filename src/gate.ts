/**
 * Script gating: `<script type="text/plain" data-oph-category="…">` runs once its categories have
 * consent, exactly once, in document order, and never before. Plain module, no Lit.
 *
 * A blocked script is replaced by a fresh `<script>` (a script element whose type changes is never
 * run by the browser). An external script holds back the scripts after it until it has loaded or
 * failed, as it would have in the page without gating; `async` ones do not.
 */

const BLOCKED = 'script[type="text/plain"][data-oph-category]';
const started = new WeakSet<Element>();
let queue: Promise<void> = Promise.resolve();

/** Is this element's gate open? All of its space-separated categories must have consent. */
export type Allowed = (categories: string) => boolean;

/**
 * Runs every blocked script of the document that `allowed` lets through, in document order.
 * Passes are queued, so two decisions in a row never run a script twice or out of order;
 * `allowed` is asked again for each script, so a withdrawal stops the rest of a pass.
 */
export function runAllowedScripts(allowed: Allowed, root: ParentNode = document): Promise<void> {
  queue = queue.then(async () => {
    for (const blocked of Array.from(root.querySelectorAll<HTMLScriptElement>(BLOCKED))) {
      if (started.has(blocked) || !blocked.isConnected || !allowed(blocked.dataset.ophCategory ?? '')) continue;
      started.add(blocked);
      await activate(blocked);
    }
  });
  return queue;
}

/** Creates the runnable copy and waits for an external (non-async) one to load or fail. */
function activate(blocked: HTMLScriptElement): Promise<void> {
  const script = document.createElement('script');
  for (const { name, value } of Array.from(blocked.attributes)) {
    if (name !== 'type' && name !== 'nonce' && name !== 'src') script.setAttribute(name, value);
  }
  // The nonce attribute is hidden once a CSP is in force; the property keeps it.
  if (blocked.nonce) script.nonce = blocked.nonce;
  script.type = blocked.dataset.ophType ?? 'text/javascript';
  const src = blocked.getAttribute('src');
  let done: Promise<void> = Promise.resolve();
  if (src) {
    // Dynamically inserted scripts are async by default; keep them in order among themselves.
    script.async = blocked.hasAttribute('async');
    if (!script.async)
      done = new Promise((resolve) => {
        script.addEventListener('load', () => resolve());
        script.addEventListener('error', () => resolve());
      });
    script.src = src;
  } else {
    script.text = blocked.text;
  }
  blocked.replaceWith(script);
  return done;
}
