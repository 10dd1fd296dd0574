/**
 * The consent engine's guarantees that no single view test shows: one transition for every
 * change of consent, in one order, and decisions that race a new catalog. Scenarios of the
 * element's API live in element.test.ts; gating in gate.test.ts.
 */
import { aTimeout, expect, oneEvent } from '@open-wc/testing';
import { validateCatalog } from '../src/core/catalog.js';
import { newRecord } from '../src/core/record.js';
import type { ErrorDetail } from '../src/ui/oph-consent.js';
import { CATALOG_URL, COOKIE, captureConsoleErrors, clearCookies, mount } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const OTHER = {
  revision: 7,
  controller: { name: 'Autre', email: 'dpo@example.org', privacyPolicyUrl: 'https://example.org/p' },
  consentCookie: { name: 'otherConsent' },
  categories: [
    { id: 'necessary', title: 'Nécessaires', description: 'x', required: true },
    { id: 'stats', title: 'Mesure', description: 'x' },
  ],
  cookies: [{ name: '_pk_id*', category: 'stats', purpose: 'x', retention: 'P13M' }],
};

describe('consent controller: a decision racing a new catalog', () => {
  let unhandled: PromiseRejectionEvent[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => unhandled.push(e);
  beforeEach(() => {
    unhandled = [];
    window.addEventListener('unhandledrejection', onUnhandled);
  });
  afterEach(() => {
    window.removeEventListener('unhandledrejection', onUnhandled);
    clearCookies();
  });

  it('acceptAll() then a new catalog: the promise resolves, the decision is dropped with an api error, nothing is stored', async () => {
    const { el } = await mount(ELEMENT);
    const console = captureConsoleErrors();
    try {
      const error = oneEvent(el, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
      const ready = oneEvent(el, 'oph-consent-ready');
      const decision = el.acceptAll();
      el.catalog = OTHER;
      await decision; // resolves: a throw here (TypeError on a null catalog) was the bug
      expect((await error).detail).to.include({ code: 'api' });
      expect((await error).detail.message).to.match(/accept-all: dropped, the catalog was replaced/);
      await ready;
      expect(el.decided).to.equal(false);
      expect(el.consent).to.deep.equal({ necessary: true, stats: false });
      expect(document.cookie).to.not.match(/testConsent=|otherConsent=/);
    } finally {
      console.restore();
    }
    await aTimeout(50);
    expect(unhandled.length, 'no unhandled rejection').to.equal(0);
  });

  it('a banner click then a new catalog at once: no unhandled rejection, the new catalog asks again', async () => {
    const { el } = await mount(ELEMENT);
    const console = captureConsoleErrors();
    try {
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="accept-all"]')!.click();
      el.catalog = OTHER;
      await oneEvent(el, 'oph-consent-ready');
      await aTimeout(50);
      expect(el.decided).to.equal(false);
      expect(unhandled.length, 'no unhandled rejection').to.equal(0);
    } finally {
      console.restore();
    }
  });

  it('CNIL-01: while a new catalog loads, nothing gated runs on the consent given under the old one', async () => {
    const { el, root } = await mount(ELEMENT);
    await el.acceptAll();
    el.catalog = '/test-api/status?delay=300&body=' + encodeURIComponent(JSON.stringify(OTHER));
    expect(el.consent).to.deep.equal({});
    expect(el.hasConsent('analytics')).to.equal(false);
    (window as unknown as { ranScripts: string[] }).ranScripts = [];
    const late = document.createElement('script');
    late.type = 'text/plain';
    late.dataset.ophCategory = 'analytics';
    late.text = "window.ranScripts.push('late')";
    root.append(late);
    await oneEvent(el, 'oph-consent-ready');
    await aTimeout(50);
    expect((window as unknown as { ranScripts: string[] }).ranScripts).to.deep.equal([]);
  });

  it('a decision made once the new catalog is in force applies to it', async () => {
    const { el } = await mount(ELEMENT);
    el.catalog = OTHER;
    await oneEvent(el, 'oph-consent-ready');
    await el.acceptAll();
    expect(el.consent).to.deep.equal({ necessary: true, stats: true });
    expect(document.cookie).to.match(/otherConsent=/);
  });
});

describe('consent controller: one transition, one order', () => {
  afterEach(clearCookies);

  /** What the page sees of a change, in order: Consent Mode, the events, the cookies, the gated script. */
  async function effects(act: (el: HTMLElement & { acceptAll(): Promise<void>; reset(): Promise<void> }) => Promise<void>) {
    const { el } = await mount(`${ELEMENT}<script type="text/plain" data-oph-category="analytics">window.order.push('script')</script>`);
    const w = window as unknown as { order: string[]; dataLayer: unknown[] };
    w.order = [];
    const push = w.dataLayer.push.bind(w.dataLayer);
    w.dataLayer.push = (...items: unknown[]) => {
      for (const item of items) w.order.push((item as { event?: string }).event ?? `gtag:${Array.from(item as ArrayLike<unknown>).slice(0, 2).join(' ')}`);
      return push(...items);
    };
    const note = (e: Event) => w.order.push(e.type);
    for (const type of ['oph-consent-change', 'oph-consent-ready']) el.addEventListener(type, note);
    try {
      await act(el);
    } finally {
      w.dataLayer.push = push;
    }
    return w.order;
  }

  it('GCM-05: a decision tells Consent Mode and GTM, then the page, then runs the gated script', async () => {
    expect(await effects((el) => el.acceptAll())).to.deep.equal(['gtag:consent update', 'oph_consent_update', 'oph-consent-change', 'script']);
  });

  it('GCM-05: reset() takes the same path: Consent Mode and GTM told, then oph-consent-ready', async () => {
    expect(await effects((el) => el.reset())).to.deep.equal(['gtag:consent update', 'oph_consent_update', 'oph-consent-ready']);
  });

  it('GCM-05: a returning visit does only what it needs, gated tags first: Consent Mode and GTM told, the script run, then oph-consent-ready', async () => {
    const catalog = validateCatalog(await (await fetch(CATALOG_URL)).json());
    const record = newRecord(catalog, { analytics: true, video: false }, 'custom', 'fr', null, null);
    document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(record))}; Path=/`;
    const w = window as unknown as { order: string[]; dataLayer: unknown[] };
    w.order = [];
    const push = w.dataLayer.push;
    w.dataLayer.push = (...items: unknown[]) => {
      for (const item of items) w.order.push((item as { event?: string }).event ?? `gtag:${Array.from(item as ArrayLike<unknown>).slice(0, 2).join(' ')}`);
      return push.apply(w.dataLayer, items);
    };
    const note = (e: Event) => w.order.push(e.type);
    document.addEventListener('oph-consent-ready', note);
    try {
      await mount(`${ELEMENT}<script type="text/plain" data-oph-category="analytics">window.order.push('script')</script>`);
    } finally {
      document.removeEventListener('oph-consent-ready', note);
      w.dataLayer.push = push;
    }
    expect(w.order).to.deep.equal(['gtag:consent default', 'gtag:consent update', 'oph_consent_update', 'script', 'oph-consent-ready']);
  });
});
