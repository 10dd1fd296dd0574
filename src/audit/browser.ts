/**
 * The browser side of the audit: finding and launching the system's Chrome/Chromium with
 * playwright-core, and recording in each fresh context who sets which cookie, who writes which
 * storage key and which third-party hosts are contacted.
 */
import { accessSync, constants } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bounded } from './bounded.js';
import type { CookieWrite, ObservedCookie, ObservedRequest, ObservedStorage } from './evidence.js';
import { hostOf, registrableDomain, sameSite } from './site.js';

/** The browser cannot be started: exit 2 with this message. */
export class NoBrowser extends Error {}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** `--chrome`, else `CHROME_PATH`, else the first of the usual places that exists. */
export function findChrome(given: string | undefined, env = process.env): string {
  const path = given || env.CHROME_PATH;
  const candidates = path ? [path] : CANDIDATES;
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new NoBrowser(
    path
      ? `no browser at ${path} (from ${given ? '--chrome' : 'CHROME_PATH'}): give the path of Chrome or Chromium`
      : `no Chrome or Chromium found (tried ${CANDIDATES.join(', ')}): install one (Debian: apt-get install chromium) or give --chrome <path>`,
  );
}

/** Whether a cookie's attributes (`; Max-Age=0`, `; Expires=<past>`) expire it at once: a deletion. */
function expiresAtOnce(line: string): boolean {
  const maxAge = /;\s*max-age\s*=\s*(-?\d+)/i.exec(line);
  if (maxAge) return Number(maxAge[1]) <= 0;
  const expires = /;\s*expires\s*=\s*([^;]+)/i.exec(line);
  return !!expires && Date.parse(expires[1]) <= Date.now();
}

type Chromium = (typeof import('playwright-core'))['chromium'];

export async function launch(chromium: Chromium, executablePath: string, chromeArgs: readonly string[], timeout: number): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      timeout: Math.max(timeout, 30_000),
      // Root needs --no-sandbox; the rest keeps the browser from calling home during an audit.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...chromeArgs],
    });
  } catch (e) {
    throw new NoBrowser(`could not start ${executablePath}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** A write seen in the page: a `document.cookie` assignment, a storage `setItem`, an IndexedDB `open`. */
interface Write {
  readonly kind: 'cookie' | 'localStorage' | 'sessionStorage' | 'indexedDB';
  readonly name: string;
  /** A cookie write that expires it at once. */
  readonly deletes?: boolean;
  /** Whether the browser kept the cookie written (readable right after the write). */
  readonly stored?: boolean;
  readonly by: string;
  readonly origin: string;
  readonly at: number;
}

/**
 * Runs in every frame before the page's own scripts: wraps the `document.cookie` setter,
 * `Storage.prototype.setItem` and `indexedDB.open`, and reports each write (a cookie's attributes
 * too, never its value) with the first script
 * URL of its stack trace (the script that wrote, or the page for an inline script). Also keeps the
 * element's events where the audit can wait for them.
 */
const INIT_SCRIPT = `(() => {
  const report = (kind, name, attributes = '', stored = true) => {
    const stack = new Error().stack || '';
    const urls = stack.match(/(?:https?|file):\\/\\/[^\\s()]+?(?=:\\d+:\\d+)/g) || [];
    try { window.__ophAuditWrite({ kind, name: String(name).slice(0, 200), attributes: attributes.slice(0, 500), stored, by: urls[0] || location.href, origin: location.origin }); } catch {}
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true, enumerable: cookie.enumerable,
      get() { return cookie.get.call(this); },
      set(value) {
        const [pair, ...attributes] = String(value).split(';');
        const name = pair.split('=')[0].trim();
        const result = cookie.set.call(this, value);
        // Whether the browser kept it (it refuses a Secure cookie on http, a foreign Domain…).
        let stored = false;
        try { stored = ('; ' + cookie.get.call(this)).includes('; ' + name + '='); } catch {}
        report('cookie', name, ';' + attributes.join(';'), stored);
        return result;
      },
    });
  }
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    let area = 'sessionStorage';
    try { if (this === window.localStorage) area = 'localStorage'; } catch {}
    report(area, key);
    return setItem.call(this, key, value);
  };
  if (window.IDBFactory) {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name, version) { report('indexedDB', name); return open.apply(this, arguments); };
  }
  if (window === window.top) {
    const state = { ready: false, decided: false, errors: [], changes: [] };
    Object.defineProperty(window, '__ophAudit', { value: state });
    const on = (type, f) => document.addEventListener(type, (e) => { try { f(e.detail || {}); } catch {} }, true);
    on('oph-consent-ready', (d) => { state.ready = true; state.decided = !!d.decided; });
    on('oph-consent-change', (d) => { state.changes.push(String(d.method)); state.decided = true; });
    on('oph-consent-error', (d) => { state.errors.push(String(d.message)); });
  }
})();`;

/** Reads every frame's storage: its origin, localStorage and sessionStorage keys, IndexedDB names. */
const STORAGE_SNAPSHOT = `(async () => {
  const keys = (area) => { try { const s = window[area]; return Array.from({ length: s.length }, (_, i) => s.key(i)); } catch { return []; } };
  let databases = [];
  try { databases = (await indexedDB.databases()).map((d) => d.name).filter(Boolean); } catch {}
  return { origin: location.origin, localStorage: keys('localStorage'), sessionStorage: keys('sessionStorage'), indexedDB: databases };
})()`;

/** Cookie writers from Set-Cookie headers, by cookie name. */
interface CookieSetter {
  readonly name: string;
  readonly deletes: boolean;
  readonly url: string;
  readonly at: number;
}

/**
 * Everything one browser context records. `site` is the audited site's host: requests and cookies
 * of another registrable domain are third party.
 */
export class Recorder {
  readonly writes: Write[] = [];
  readonly setters: CookieSetter[] = [];
  readonly requests: (ObservedRequest & { at: number })[] = [];
  /** When the last request was sent or answered (ms): the page is quiet once this is old enough. */
  lastActivity = Date.now();
  #pending = new Set<Promise<unknown>>();
  #initiators = new Map<string, string>();
  /**
   * `url name` of the Set-Cookie headers the browser kept, as Chromium reports them: it refuses some
   * (third-party cookies, SameSite=None without Secure), and a refused cookie never existed.
   */
  #kept = new Set<string>();
  #urls = new Map<string, string>();

  private constructor(
    readonly context: BrowserContext,
    readonly site: string,
  ) {}

  static async create(browser: Browser, site: string): Promise<Recorder> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', ignoreHTTPSErrors: true });
    const recorder = new Recorder(context, site);
    await context.exposeBinding('__ophAuditWrite', (_source, { attributes, ...write }: Omit<Write, 'at' | 'deletes'> & { attributes: string }) => {
      recorder.writes.push({ ...write, deletes: write.kind === 'cookie' && expiresAtOnce(attributes), at: Date.now() });
    });
    await context.addInitScript({ content: INIT_SCRIPT });
    context.on('request', (request) => {
      recorder.lastActivity = Date.now();
      const url = request.url();
      const host = hostOf(url);
      if (!host || sameSite(host, site)) return;
      let frame = '';
      try {
        frame = request.frame().url();
      } catch {
        // a service worker's request has no frame
      }
      recorder.requests.push({ url: url.slice(0, 500), host, type: request.resourceType(), initiator: '', frame, at: Date.now() });
    });
    context.on('response', (response) => {
      recorder.lastActivity = Date.now();
      const read = response
        .headersArray()
        .then((headers) => {
          for (const h of headers) {
            if (h.name.toLowerCase() !== 'set-cookie') continue;
            for (const line of h.value.split('\n')) {
              const name = line.split(';')[0].split('=')[0].trim();
              if (name) recorder.setters.push({ name, deletes: expiresAtOnce(line), url: response.url().slice(0, 500), at: Date.now() });
            }
          }
        })
        .catch(() => undefined);
      recorder.#pending.add(read);
      void read.finally(() => recorder.#pending.delete(read));
    });
    return recorder;
  }

  /** A page of this context, whose requests get their initiator (the script that caused them) from Chromium. */
  async newPage(): Promise<Page> {
    const page = await this.context.newPage();
    try {
      const cdp = await this.context.newCDPSession(page);
      cdp.on('Network.requestWillBeSent', (event) => {
        const initiator = event.initiator;
        // The script on the stack says more than the parser's "the page" when both are given.
        const url = initiator.stack?.callFrames.find((f) => f.url)?.url || initiator.url || '';
        if (url) this.#initiators.set(event.request.url.slice(0, 500), url);
        this.#urls.set(event.requestId, event.request.url.slice(0, 500));
      });
      cdp.on('Network.responseReceivedExtraInfo', (event) => {
        const url = this.#urls.get(event.requestId);
        if (!url) return;
        const name = (line: string) => line.split(';')[0].split('=')[0].trim();
        const refused = new Set(event.blockedCookies.map((b) => b.cookie?.name ?? name(b.cookieLine)));
        const header = Object.entries(event.headers).find(([key]) => key.toLowerCase() === 'set-cookie')?.[1] ?? '';
        for (const line of header.split('\n')) if (name(line) && !refused.has(name(line))) this.#kept.add(`${url} ${name(line)}`);
      });
      await cdp.send('Network.enable');
    } catch {
      // initiators are a nicety: the frame's URL stands in
    }
    return page;
  }

  /** Waits (bounded) for the Set-Cookie headers still being read. */
  async settle(ms: number): Promise<void> {
    await Promise.race([Promise.all([...this.#pending]), new Promise((r) => setTimeout(r, ms))]);
  }

  /** The third-party requests made since `from` (ms). */
  requestsSince(from: number, to = Date.now()): ObservedRequest[] {
    return this.requests
      .filter((r) => r.at >= from && r.at <= to)
      .map(({ at: _at, ...r }) => ({ ...r, initiator: this.#initiators.get(r.url) || r.frame }));
  }

  /**
   * The cookies set (not deleted) between two times, by name and site, each with who set it: a
   * cookie set and deleted again before a snapshot was still written (and maybe sent). Only writes
   * the browser kept count: a `document.cookie` write readable right after it, a Set-Cookie that
   * Chromium says it stored.
   */
  cookieWritesSince(from: number, to: number): CookieWrite[] {
    const out = new Map<string, { name: string; host: string; by: Set<string> }>();
    const add = (name: string, host: string, by: string) => {
      const key = `${name} ${registrableDomain(host)}`;
      const known = out.get(key) ?? { name, host, by: new Set<string>() };
      known.by.add(by);
      out.set(key, known);
    };
    for (const w of this.writes) if (w.kind === 'cookie' && w.stored && !w.deletes && w.at >= from && w.at <= to) add(w.name, hostOf(w.origin), w.by);
    // A third-party Set-Cookie that was kept is in the jar still (the page cannot delete it); one that is not was never
    // kept (a request without credentials, which Chromium does not report as refused).
    for (const s of this.setters)
      if (!s.deletes && sameSite(hostOf(s.url), this.site) && this.#kept.has(`${s.url} ${s.name}`) && s.at >= from && s.at <= to) add(s.name, hostOf(s.url), s.url);
    return [...out.values()].map(({ name, host, by }) => ({ name, host, party: sameSite(host, this.site) ? 'first' : 'third', setBy: [...by] }));
  }

  /** Every cookie of the context now, with who set it and its real lifetime. */
  async cookies(): Promise<ObservedCookie[]> {
    const now = Date.now();
    const cookies = await this.context.cookies();
    return cookies
      .map((c) => {
        const domain = c.domain.replace(/^\./, '');
        const writes = this.writes.filter((w) => w.kind === 'cookie' && !w.deletes && w.name === c.name && sameSite(hostOf(w.origin), domain));
        const setters = this.setters.filter((s) => !s.deletes && s.name === c.name && sameSite(hostOf(s.url), domain));
        const setBy = [...new Set([...setters.map((s) => s.url), ...writes.map((w) => w.by)])];
        const seenAt = Math.max(0, ...writes.map((w) => w.at), ...setters.map((s) => s.at));
        const lastSet = seenAt || now;
        return {
          name: c.name,
          domain: c.domain,
          path: c.path,
          lifetime: c.expires < 0 ? null : Math.max(0, Math.round(c.expires - lastSet / 1000)),
          httpOnly: c.httpOnly,
          secure: c.secure,
          sameSite: c.sameSite,
          party: sameSite(domain, this.site) ? ('first' as const) : ('third' as const),
          setBy,
          ...(seenAt ? { setAt: new Date(seenAt).toISOString() } : {}),
        };
      })
      .sort((a, b) => (a.name + a.domain).localeCompare(b.name + b.domain));
  }

  /** Every frame's storage keys and IndexedDB names, with who wrote them. */
  async storage(page: Page, timeout: number): Promise<ObservedStorage[]> {
    const found: ObservedStorage[] = [];
    const seen = new Set<string>();
    for (const frame of page.frames()) {
      type Snapshot = { origin: string; localStorage: string[]; sessionStorage: string[]; indexedDB: string[] };
      const snap = (await bounded(frame.evaluate(STORAGE_SNAPSHOT), timeout, null)) as Snapshot | null;
      if (!snap || !/^https?:/.test(snap.origin)) continue;
      for (const area of ['localStorage', 'sessionStorage', 'indexedDB'] as const) {
        for (const key of snap[area]) {
          const id = `${area} ${snap.origin} ${key}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const setBy = [...new Set(this.writes.filter((w) => w.kind === area && w.name === key && w.origin === snap.origin).map((w) => w.by))];
          found.push({ area, origin: snap.origin, key, party: sameSite(hostOf(snap.origin), this.site) ? 'first' : 'third', setBy });
        }
      }
    }
    return found;
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
