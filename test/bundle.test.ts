import { expect, fixture, waitUntil } from '@open-wc/testing';
import { validateCatalog } from '../src/core/catalog.js';
import { newRecord } from '../src/core/record.js';
import { CATALOG_URL, COOKIE, clearCookies } from './helpers.js';

/** Loads a page in an iframe, as an integrator would write it, with the built drop-in script. */
async function page(head: string, body = '') {
  const doc = `<!doctype html><html lang="fr"><head>${head}</head><body>
    <oph-consent catalog="${CATALOG_URL}"></oph-consent>
    <script type="text/plain" data-oph-category="analytics">(window.ranScripts ||= []).push('gated')</script>
    ${body}</body></html>`;
  const iframe = await fixture<HTMLIFrameElement>(`<iframe></iframe>`);
  iframe.srcdoc = doc;
  const win = () => iframe.contentWindow as (Window & { ranScripts?: string[]; bundleErrors?: string[] }) | null;
  const banner = () => win()?.document.querySelector('oph-consent')?.shadowRoot?.querySelector<HTMLElement>('[part~="banner"]');
  await waitUntil(() => banner(), 'the banner shows', { timeout: 5000 });
  return { win: win()!, banner: banner()! };
}

/** Serves dist/oph-consent.min.js byte for byte. */
const BUNDLE = '/test-api/bundle';
const SCRIPT = `<script src="${BUNDLE}"`;

describe('dist/oph-consent.min.js, the drop-in script', () => {
  afterEach(clearCookies);

  for (const [name, head, body] of [
    ['with defer', `${SCRIPT} defer></script>`, ''],
    ['with async', `${SCRIPT} async></script>`, ''],
    ['without defer or async, in <head>', `${SCRIPT}></script>`, ''],
    ['at the end of <body>', '', `${SCRIPT}></script>`],
  ]) {
    it(`works ${name}: banner, then gated scripts on consent`, async () => {
      const { win, banner } = await page(head, body);
      expect(win.ranScripts).to.equal(undefined);
      banner.querySelector<HTMLButtonElement>('[part~="accept-all"]')!.click();
      await waitUntil(() => win.ranScripts?.length === 1, 'the gated script ran');
      expect(win.ranScripts).to.deep.equal(['gated']);
    });
  }

  it('fires oph-consent-ready once the page is parsed, so that listeners added by later scripts catch it', async () => {
    // The catalog is fetched at once; a slow script further down gives it time to arrive mid-parse.
    const slow = `<script>for (const end = Date.now() + 300; Date.now() < end; );</script><p>…</p>`;
    const listen = `<script>window.readyStates = []; document.addEventListener('oph-consent-ready', () => readyStates.push(document.readyState));</script>`;
    const { win } = await page(`${SCRIPT}></script>`, slow + slow + listen);
    const states = () => (win as unknown as { readyStates?: string[] }).readyStates;
    await waitUntil(() => states()?.length === 1, 'oph-consent-ready reached the late listener');
    expect(states()![0]).to.not.equal('loading');
  });

  it('fires oph-consent-ready after the page’s DOMContentLoaded listeners, which may add theirs then', async () => {
    const slow = `<script>for (const end = Date.now() + 300; Date.now() < end; );</script><p>…</p>`;
    const onReady = `<script>document.addEventListener('DOMContentLoaded', () =>
      document.addEventListener('oph-consent-ready', () => (window.heardReady = true)));</script>`;
    const { win } = await page(`${SCRIPT}></script>`, slow + slow + onReady);
    await waitUntil(() => (win as unknown as { heardReady?: boolean }).heardReady, 'a listener added on DOMContentLoaded heard oph-consent-ready');
  });

  describe('a returning visit (a valid choice stored), with the script in <head> and the catalog inline', () => {
    /** The page: the catalog inline, a gated inline script, then the page's own listeners; resolves with what happened, in order. */
    async function visit(revision: number) {
      const text = await (await fetch(CATALOG_URL)).text();
      const catalog = validateCatalog(JSON.parse(text));
      const record = newRecord({ ...catalog, revision }, { analytics: true, video: false }, 'custom', 'fr', null, null);
      document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(record))}; Path=/`;
      const inline = text.replaceAll('<', '\\u003c');
      const doc = `<!doctype html><html lang="fr"><head>${SCRIPT}></script></head><body>
        <oph-consent><script type="application/json">${inline}</script></oph-consent>
        <script type="text/plain" data-oph-category="analytics">order.push('gated:' + document.readyState)</script>
        <script type="text/plain" data-oph-category="video">order.push('video')</script>
        <script>window.order = [];
          document.addEventListener('DOMContentLoaded', () => order.push('DOMContentLoaded'));
          document.addEventListener('oph-consent-ready', () => order.push('ready'));</script>
        </body></html>`;
      const iframe = await fixture<HTMLIFrameElement>(`<iframe></iframe>`);
      iframe.srcdoc = doc;
      const order = () => (iframe.contentWindow as unknown as { order?: string[] } | null)?.order;
      await waitUntil(() => order()?.includes('ready'), 'oph-consent-ready', { timeout: 5000 });
      await new Promise((r) => setTimeout(r, 50));
      return order()!;
    }

    it('the gated script runs as soon as the catalog and the choice are known, before the page’s DOMContentLoaded listeners; oph-consent-ready after them', async () => {
      const catalog = validateCatalog(await (await fetch(CATALOG_URL)).json());
      expect(await visit(catalog.revision)).to.deep.equal(['gated:interactive', 'DOMContentLoaded', 'ready']);
    });

    it('CNIL-01: a choice made under an older revision runs nothing, before or after DOMContentLoaded', async () => {
      const catalog = validateCatalog(await (await fetch(CATALOG_URL)).json());
      expect(await visit(catalog.revision - 1)).to.deep.equal(['DOMContentLoaded', 'ready']);
    });
  });

  it('included twice, the second copy is a no-op, not an exception', async () => {
    const catchErrors = `<script>window.bundleErrors = []; addEventListener('error', (e) => bundleErrors.push(e.message));</script>`;
    const { win } = await page(`${catchErrors}${SCRIPT}></script>${SCRIPT} defer></script>`);
    await new Promise((r) => setTimeout(r, 100));
    expect(win.bundleErrors).to.deep.equal([]);
    expect(win.document.querySelector('oph-consent')!.shadowRoot!.querySelectorAll('[part~="banner"]')).to.have.length(1);
  });

  it('adds no global of its own: only Lit’s version list and Consent Mode’s dataLayer', async () => {
    const blank = await fixture<HTMLIFrameElement>(`<iframe srcdoc="<!doctype html><p>blank</p>"></iframe>`);
    await waitUntil(() => blank.contentDocument?.readyState === 'complete');
    const standard = new Set(Object.keys(blank.contentWindow!));
    const { win } = await page(`${SCRIPT} defer></script>`);
    expect(Object.keys(win).filter((key) => !standard.has(key)).sort()).to.deep.equal(['dataLayer', 'litHtmlVersions']);
  });

  it('is one minified classic script with Lit inside and no import', async () => {
    const source = await (await fetch(BUNDLE)).text();
    expect(source).to.not.match(/^\s*import\s/m);
    expect(source).to.not.contain('Lit is in dev mode');
    expect(source.split('\n').length).to.be.below(3);
  });

  it('the ES module build ships with types', async () => {
    const types = await (await fetch('/dist/index.d.ts')).text();
    expect(types).to.contain('OphConsent');
    const module = await import(/* @vite-ignore */ '/dist/ui/oph-consent.js' as string);
    expect(module.OphConsent).to.be.a('function');
  });
});
