import { aTimeout, expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { validateCatalog } from '../src/core/catalog.js';
import { cookieDomains, matchesName } from '../src/core/cookies.js';
import { GTM_EVENT } from '../src/integrations/consent-mode.js';
import { MAX_UNSENT, UNSENT_KEY } from '../src/integrations/consent-log.js';
import type { ChangeDetail, ReadyDetail } from '../src/ui/oph-consent.js';
import { newRecord } from '../src/core/record.js';
import { CATALOG_URL, COOKIE, captureConsoleErrors, clearCookies, cookieValue, mount, part, ran, shows } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const catalogJson = async () => (await fetch(CATALOG_URL)).json();
const inline = (category: string, name: string) => `<script type="text/plain" data-oph-category="${category}">(window.ranScripts ||= []).push(${JSON.stringify(name)})</script>`;
type Layer = unknown[] & { [i: number]: unknown };
declare global {
  interface Window {
    dataLayer?: Layer;
  }
}
const isArguments = (v: unknown) => Object.prototype.toString.call(v) === '[object Arguments]';
/** dataLayer entries as plain arrays (gtag calls) or objects (events), for deep comparison. */
const layer = () => (window.dataLayer ?? []).map((e) => (isArguments(e) ? Array.from(e as ArrayLike<unknown>) : e));

async function storeChoice(choices: Record<string, boolean>, method: 'accept-all' | 'custom' = 'custom', gpc = false) {
  const catalog = validateCatalog(await catalogJson());
  const record = newRecord(catalog, choices, method, 'fr', null, null, Date.now(), gpc);
  document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(record))}; Path=/`;
  return record;
}

async function mountWith(json: object, extra = '') {
  const el = document.createElement('oph-consent');
  el.catalog = json;
  const ready = oneEvent(el, 'oph-consent-ready') as unknown as Promise<CustomEvent<ReadyDetail>>;
  const root = await fixture<HTMLDivElement>(`<div>${extra}</div>`);
  root.prepend(el);
  const event = await ready;
  await el.updateComplete;
  return { el, root, event };
}

describe('withdrawal: cookie clearing', () => {
  afterEach(clearCookies);

  it('CNIL-16: refusing deletes the cookies the catalog lists for refused categories, prefixes included', async () => {
    for (const c of ['_ga=1', '_ga_ABC123=1', 'yt_pref=1', 'site_pref=1']) document.cookie = `${c}; Path=/`;
    const { el } = await mount(ELEMENT);
    await el.rejectAll();
    expect(document.cookie).to.not.match(/(^|; )(_ga|_ga_ABC123|yt_pref)=/);
    expect(cookieValue('site_pref')).to.equal('1');
    expect(cookieValue(COOKIE)).to.not.equal(undefined);
  });

  it('withdrawing one category deletes only its cookies', async () => {
    const { el } = await mount(ELEMENT);
    await el.acceptAll();
    for (const c of ['_ga=1', 'yt_pref=1']) document.cookie = `${c}; Path=/`;
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await el.setConsent({ analytics: false });
    expect((await change).detail.changed).to.deep.equal(['analytics']);
    expect(cookieValue('_ga')).to.equal(undefined);
    expect(cookieValue('yt_pref')).to.equal('1');
  });

  it('OPH31: refusing deletes both the published _utm* names and the __utm* names ga.js really sets', async () => {
    for (const c of ['_utma=1', '__utma=1', '__utmz=1', '_utmb=1', '_gid=1', 'FedAuth=keep']) document.cookie = `${c}; Path=/`;
    const { el } = await mount(`<oph-consent catalog="/catalog/oph31.json"></oph-consent>`);
    await el.rejectAll();
    expect(document.cookie.split('; ').map((c) => c.split('=')[0]).sort()).to.deep.equal(['FedAuth', 'cookieConsent']);
  });

  it('a stored refusal also clears those cookies on later pages', async () => {
    await storeChoice({ analytics: false, video: false });
    document.cookie = '_ga=1; Path=/';
    await mount(ELEMENT);
    expect(cookieValue('_ga')).to.equal(undefined);
  });

  it('deletes on the current host and every parent domain', () => {
    expect(cookieDomains('www.oph31.fr')).to.deep.equal(['www.oph31.fr', 'oph31.fr']);
    expect(cookieDomains('a.b.oph31.fr')).to.deep.equal(['a.b.oph31.fr', 'b.oph31.fr', 'oph31.fr']);
    expect(cookieDomains('localhost')).to.deep.equal([]);
    expect(cookieDomains('127.0.0.1')).to.deep.equal([]);
    expect(matchesName('_ga_XYZ', '_ga_*')).to.equal(true);
    expect(matchesName('_gat', '_ga')).to.equal(false);
  });

  it('reload-on-withdrawal reloads the page after a withdrawal, not after a first refusal', async () => {
    const iframe = await fixture<HTMLIFrameElement>('<iframe></iframe>');
    let loads = 0;
    iframe.addEventListener('load', () => loads++);
    iframe.srcdoc = `<script src="/test-api/bundle"></script><oph-consent reload-on-withdrawal catalog="${CATALOG_URL}"></oph-consent>`;
    const element = () => iframe.contentDocument?.querySelector('oph-consent') as (HTMLElement & { acceptAll(): Promise<void>; rejectAll(): Promise<void>; decided: boolean }) | null;
    await waitUntil(() => element()?.decided === false && loads === 1, 'first load', { timeout: 5000 });
    await element()!.rejectAll();
    await aTimeout(200);
    expect(loads).to.equal(1);
    await element()!.acceptAll();
    await element()!.rejectAll();
    await waitUntil(() => loads === 2, 'reloaded after the withdrawal', { timeout: 5000 });
  });
});

describe('Google Consent Mode v2 and Google Tag Manager', () => {
  beforeEach(() => {
    window.dataLayer = [];
    window.ranScripts = [];
  });
  afterEach(() => {
    delete window.dataLayer;
    clearCookies();
  });

  const DEFAULT = ['consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', wait_for_update: 500 }];
  const GATED = `<script type="text/plain" data-oph-category="analytics">dataLayer.push({ event: 'gated-tag' })</script>`;

  it('GCM-01 / GCM-02 / GCM-03: consent default, all denied, with wait_for_update, as an arguments object, before anything else', async () => {
    await mount(ELEMENT + GATED);
    expect(isArguments(window.dataLayer![0])).to.equal(true);
    expect(layer()).to.deep.equal([DEFAULT]);
  });

  it('GCM-05 / GCM-08: on a decision, consent update then the GTM event, then the gated tags', async () => {
    const { el } = await mount(ELEMENT + GATED);
    await el.acceptAll();
    expect(isArguments(window.dataLayer![1])).to.equal(true);
    expect(layer()).to.deep.equal([
      DEFAULT,
      ['consent', 'update', { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' }],
      { event: GTM_EVENT, oph_consent: { necessary: true, analytics: true, video: true }, oph_consent_method: 'accept-all' },
      { event: 'gated-tag' },
    ]);
  });

  it('GCM-05: a returning visit sends the stored choice as an update before the gated tags run', async () => {
    await storeChoice({ analytics: true, video: false });
    await mount(ELEMENT + GATED);
    await waitUntil(() => window.dataLayer!.length === 4);
    expect(layer()).to.deep.equal([
      DEFAULT,
      ['consent', 'update', { analytics_storage: 'granted', ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' }],
      { event: GTM_EVENT, oph_consent: { necessary: true, analytics: true, video: false }, oph_consent_method: 'stored' },
      { event: 'gated-tag' },
    ]);
  });

  it('CNIL-15: withdrawing sends a denied update and nothing runs', async () => {
    const { el } = await mount(ELEMENT + GATED);
    await el.rejectAll();
    expect(layer().slice(1)).to.deep.equal([
      ['consent', 'update', { analytics_storage: 'denied', ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' }],
      { event: GTM_EVENT, oph_consent: { necessary: true, analytics: false, video: false }, oph_consent_method: 'reject-all' },
    ]);
  });

  it('keeps what the page already pushed, and a catalog without mapping sends no consent command', async () => {
    window.dataLayer = [{ event: 'page' }];
    const json = await catalogJson();
    for (const c of json.categories) delete c.googleConsentMode;
    const { el } = await mountWith(json);
    await el.acceptAll();
    expect(layer()).to.deep.equal([{ event: 'page' }, { event: GTM_EVENT, oph_consent: { necessary: true, analytics: true, video: true }, oph_consent_method: 'accept-all' }]);
  });
});

describe('Global Privacy Control', () => {
  const setGpc = (value: boolean | undefined) =>
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => value });
  beforeEach(() => (window.ranScripts = []));
  afterEach(() => {
    delete (navigator as unknown as Record<string, unknown>).globalPrivacyControl;
    clearCookies();
  });

  it('GPC-02: with nothing stored, GPC records a refusal with method gpc and shows no banner', async () => {
    setGpc(true);
    const change = oneEvent(document, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    const { el, event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT + inline('analytics', 'tracker'));
    expect(event.detail).to.deep.equal({ consent: { necessary: true, analytics: false, video: false }, decided: true });
    expect((await change).detail).to.deep.include({ method: 'gpc', consent: { necessary: true, analytics: false, video: false } });
    expect(shows(el, 'banner')).to.equal(false);
    const stored = JSON.parse(decodeURIComponent(cookieValue(COOKIE)!));
    expect(stored).to.include({ method: 'gpc', gpc: true });
    await aTimeout(50);
    expect(ran()).to.deep.equal([]);
  });

  it('GPC-02: the panel says the signal was honoured and still lets the visitor opt in; that choice is kept', async () => {
    setGpc(true);
    const { el } = await mount(ELEMENT);
    await el.showPreferences();
    expect(el.shadowRoot!.querySelector('dialog')!.textContent).to.contain('Global Privacy Control');
    el.shadowRoot!.querySelectorAll<HTMLElement>('[role="switch"]')[1].click();
    await el.updateComplete;
    part(el, 'save')!.click();
    await waitUntil(() => el.hasConsent('analytics'));
    el.remove();
    const { el: again } = await mount(ELEMENT);
    expect(again.hasConsent('analytics')).to.equal(true);
  });

  it('GPC-02: GPC over an earlier consent is a withdrawal', async () => {
    await storeChoice({ analytics: true, video: true }, 'accept-all');
    document.cookie = '_ga=1; Path=/';
    setGpc(true);
    const change = oneEvent(document, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await mount(ELEMENT);
    expect((await change).detail).to.deep.include({ method: 'gpc', changed: ['analytics', 'video'] });
    expect(cookieValue('_ga')).to.equal(undefined);
  });

  it('CNIL-20: GPC false and Do Not Track grant nothing: the banner asks', async () => {
    setGpc(false);
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, get: () => '0' });
    try {
      const { el, event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT + inline('analytics', 'tracker'));
      expect(event.detail.decided).to.equal(false);
      expect(shows(el, 'banner')).to.equal(true);
      await aTimeout(50);
      expect(ran()).to.deep.equal([]);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).doNotTrack;
    }
  });
});

describe('other tabs', () => {
  afterEach(clearCookies);

  async function tab() {
    const iframe = await fixture<HTMLIFrameElement>('<iframe></iframe>');
    iframe.srcdoc = `<html lang="fr"><script src="/test-api/bundle"></script><oph-consent catalog="${CATALOG_URL}"></oph-consent>${inline('analytics', 'tab')}</html>`;
    // Its banner shows once its catalog is in force: only then does it listen to the other tabs.
    await waitUntil(() => iframe.contentDocument?.querySelector('oph-consent')?.shadowRoot?.querySelector('[part~="banner"]'), 'tab ready', { timeout: 5000 });
    const win = iframe.contentWindow as Window & { ranScripts?: string[] };
    const el = win.document.querySelector('oph-consent') as HTMLElement & { acceptAll(): Promise<void>; rejectAll(): Promise<void>; consent: Record<string, boolean> };
    const changes: CustomEvent<ChangeDetail>[] = [];
    el.addEventListener('oph-consent-change', (e) => changes.push(e as CustomEvent<ChangeDetail>));
    return { win, el, changes };
  }

  it('a decision in one tab reaches the other at once, with method sync: gating and banner follow', async () => {
    const a = await tab();
    const b = await tab();
    await a.el.acceptAll();
    await waitUntil(() => b.changes.length === 1, 'the other tab heard it', { timeout: 5000 });
    expect(b.changes[0].detail.method).to.equal('sync');
    expect(b.changes[0].detail.record.id).to.equal(a.changes[0].detail.record.id);
    expect(b.el.consent).to.deep.equal({ necessary: true, analytics: true, video: true });
    await waitUntil(() => b.win.ranScripts?.length === 1, 'the other tab ran its gated script');
    expect(b.el.shadowRoot!.querySelector('[part~="banner"]') === null, 'no banner in the other tab').to.equal(true);
    await a.el.rejectAll();
    await waitUntil(() => b.changes.length === 2);
    expect(b.changes[1].detail).to.deep.include({ method: 'sync', changed: ['analytics', 'video'] });
  });
});

describe('proof of consent: the consent log', () => {
  afterEach(() => {
    clearCookies();
    localStorage.removeItem(UNSENT_KEY);
  });

  const logged = async (log: string) => (await (await fetch(`/test-api/consent-log?log=${log}`, { cache: 'no-store' })).json()) as { type: string; body: string }[];

  it('CNIL-18 / REC-02: each decision’s record is sent as JSON: consent, then withdrawal', async () => {
    const log = `log-${Math.random().toString(36).slice(2)}`;
    const json = { ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}` };
    const { el } = await mountWith(json);
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await el.acceptAll();
    const { record } = (await change).detail;
    await waitUntil(async () => (await logged(log)).length === 1, 'the consent was logged', { timeout: 5000 });
    const [first] = await logged(log);
    expect(first.type, 'a simple request: no CORS preflight for a log on another origin').to.equal('text/plain;charset=UTF-8');
    expect(JSON.parse(first.body)).to.deep.equal({ ...record, state: 'given' });
    await el.setConsent({ video: false });
    await waitUntil(async () => (await logged(log)).length === 2, 'the withdrawal was logged', { timeout: 5000 });
    const second = JSON.parse((await logged(log))[1].body);
    expect(second).to.include({ state: 'withdrawn', method: 'custom', previousId: record.id });
    expect(Object.keys(second).sort()).to.deep.equal(['catalogHash', 'choices', 'decidedAt', 'expiresAt', 'id', 'language', 'method', 'previousId', 'revision', 'schema', 'state']);
  });

  it('a refusal under GPC is logged as a refusal with method gpc', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => true });
    try {
      const log = `log-${Math.random().toString(36).slice(2)}`;
      await mountWith({ ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}` });
      await waitUntil(async () => (await logged(log)).length === 1, 'the GPC refusal was logged', { timeout: 5000 });
      expect(JSON.parse((await logged(log))[0].body)).to.include({ state: 'refused', method: 'gpc', gpc: true });
    } finally {
      delete (navigator as unknown as Record<string, unknown>).globalPrivacyControl;
    }
  });

  const unsent = () => JSON.parse(localStorage.getItem(UNSENT_KEY) ?? '[]') as { id: string; url: string }[];
  const setDown = (log: string, down: boolean) => fetch(`/test-api/consent-log-state?log=${log}&down=${down ? 1 : 0}`);

  it('CNIL-18: a log that is down loses nothing: the record waits and arrives, once, on a later page view', async () => {
    const log = `log-${Math.random().toString(36).slice(2)}`;
    const json = { ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}` };
    await setDown(log, true);
    const { el } = await mountWith(json);
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await el.acceptAll();
    const { record } = (await change).detail;
    await waitUntil(() => unsent().length === 1, 'the record waits', { timeout: 5000 });
    await aTimeout(200);
    expect(await logged(log)).to.deep.equal([]);
    expect(unsent()[0].id).to.equal(record.id);
    el.remove();
    await setDown(log, false);
    const next = await mountWith(json); // the next page view
    await waitUntil(async () => (await logged(log)).length === 1, 'the record arrived', { timeout: 5000 });
    await waitUntil(() => unsent().length === 0, 'nothing waits any more', { timeout: 5000 });
    expect(JSON.parse((await logged(log))[0].body)).to.deep.equal({ ...record, state: 'given' });
    next.el.remove();
    await mountWith(json); // and another: nothing is sent twice
    await aTimeout(200);
    expect(await logged(log)).to.have.length(1);
  });

  it('a record the log refuses for good (422: a catalog it does not know) is not sent again, and it says so', async () => {
    const errors = captureConsoleErrors();
    try {
      const log = `log-${Math.random().toString(36).slice(2)}`;
      const { el } = await mountWith({ ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}&status=422` });
      await el.rejectAll();
      await waitUntil(() => errors.messages.some((m) => m.includes('(HTTP 422)')), 'the refusal is reported', { timeout: 5000 });
      expect(unsent()).to.deep.equal([]);
    } finally {
      errors.restore();
    }
  });

  it(`at most ${MAX_UNSENT} records wait: past that the oldest goes, and it says so`, async () => {
    const errors = captureConsoleErrors();
    try {
      const old = Array.from({ length: MAX_UNSENT }, (_, i) => ({ url: 'http://127.0.0.1:9/log', id: `old-${i}`, body: '{}' }));
      localStorage.setItem(UNSENT_KEY, JSON.stringify(old));
      const log = `log-${Math.random().toString(36).slice(2)}`;
      await setDown(log, true);
      const { el } = await mountWith({ ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}` });
      await el.acceptAll();
      expect(unsent()).to.have.length(MAX_UNSENT);
      expect(unsent()[0].id).to.equal('old-1');
      expect(unsent().at(-1)!.id).to.equal(JSON.parse(decodeURIComponent(cookieValue(COOKIE)!)).id);
      expect(errors.messages).to.deep.equal([`<oph-consent> consent log: 1 undelivered record(s) dropped (more than ${MAX_UNSENT} waiting)`]);
      await setDown(log, false);
    } finally {
      errors.restore();
    }
  });

  it('with localStorage blocked, the record is still sent once from the page', async () => {
    const storage = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', { configurable: true, get: () => { throw new DOMException('denied', 'SecurityError'); } });
    try {
      const log = `log-${Math.random().toString(36).slice(2)}`;
      const { el } = await mountWith({ ...(await catalogJson()), consentLogUrl: `/test-api/consent-log?log=${log}` });
      await el.acceptAll();
      await waitUntil(async () => (await logged(log)).length === 1, 'the record arrived', { timeout: 5000 });
    } finally {
      Object.defineProperty(window, 'localStorage', storage);
    }
  });

  for (const [what, url] of [
    ['a failing endpoint', '/test-api/status?code=500'],
    ['an unreachable endpoint', 'http://127.0.0.1:9/log'],
  ]) {
    it(`${what} never disturbs the page`, async () => {
      const errors = captureConsoleErrors();
      const uncaught: unknown[] = [];
      const onError = (e: ErrorEvent) => uncaught.push(e.message);
      window.addEventListener('error', onError);
      try {
        let reported = 0;
        document.addEventListener('oph-consent-error', () => reported++);
        const { el } = await mountWith({ ...(await catalogJson()), consentLogUrl: url });
        await el.acceptAll();
        await aTimeout(200);
        expect(el.hasConsent('analytics')).to.equal(true);
        expect(reported).to.equal(0);
        expect(uncaught).to.deep.equal([]);
        expect(errors.messages).to.deep.equal([]);
      } finally {
        window.removeEventListener('error', onError);
        errors.restore();
      }
    });
  }
});

describe('consent-exempt category (CNIL-14)', () => {
  beforeEach(() => (window.ranScripts = []));
  afterEach(clearCookies);

  it('its scripts run without a decision; the visitor can turn it off; the record shows it', async () => {
    const json = await catalogJson();
    json.categories.push({ id: 'audience', title: 'Mesure d’audience exemptée', description: 'Matomo, sans consentement.', exempt: true });
    const { el } = await mountWith(json, inline('audience', 'matomo') + inline('analytics', 'ga'));
    await waitUntil(() => ran().length === 1);
    expect(ran()).to.deep.equal(['matomo']);
    expect(el.decided).to.equal(false);
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await el.setConsent({ audience: false });
    const { record } = (await change).detail;
    expect(record.choices).to.deep.equal({ necessary: true, analytics: false, video: false, audience: false });
  });
});
