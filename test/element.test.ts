import { expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChangeDetail, ErrorDetail, OphConsent, ReadyDetail } from '../src/ui/oph-consent.js';
import { newRecord } from '../src/core/record.js';
import { validateCatalog } from '../src/core/catalog.js';
import { CATALOG_URL, COOKIE, captureConsoleErrors, clearCookies, cookieValue, mount, part, shows } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const catalogJson = async () => (await fetch(CATALOG_URL)).json();

async function storeChoice(choices: Record<string, boolean>, revision = 3) {
  const catalog = validateCatalog({ ...(await catalogJson()), revision });
  const record = newRecord(catalog, choices, 'custom', 'fr', null, null);
  document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(record))}; Path=/`;
  return record;
}

describe('<oph-consent> loading', () => {
  afterEach(clearCookies);

  it('loads the catalog from the catalog attribute and fires oph-consent-ready', async () => {
    const { el, event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT);
    expect(event.detail).to.deep.equal({ consent: { necessary: true, analytics: false, video: false }, decided: false });
    expect(event.bubbles && event.composed).to.equal(true);
    expect(shows(el, 'banner')).to.equal(true);
  });

  it('loads an inline <script type="application/json"> child', async () => {
    const json = JSON.stringify(await catalogJson());
    const { el } = await mount(`<oph-consent><script type="application/json">${json}</script></oph-consent>`);
    expect(el.consent).to.deep.equal({ necessary: true, analytics: false, video: false });
    expect(shows(el, 'banner')).to.equal(true);
  });

  it('loads a catalog object given as the catalog property', async () => {
    const el = document.createElement('oph-consent');
    el.catalog = { ...(await catalogJson()), categories: [{ id: 'necessary', title: 'N', description: 'D', required: true }], cookies: [] };
    const ready = oneEvent(el, 'oph-consent-ready');
    const root = await fixture<HTMLDivElement>('<div></div>');
    root.append(el);
    expect((await ready).detail.consent).to.deep.equal({ necessary: true });
  });

  it('waits for the page to be parsed before reading its inline catalog (script without defer in <head>)', async () => {
    const iframe = await fixture<HTMLIFrameElement>(
      `<iframe srcdoc='<html lang="en"><head><script src="/test-api/bundle"></script></head><body>` +
        `<oph-consent><script type="application/json">${JSON.stringify(await catalogJson()).replaceAll("'", '&#39;')}</script></oph-consent></body></html>'></iframe>`,
    );
    await waitUntil(() => iframe.contentDocument?.querySelector('oph-consent')?.shadowRoot?.querySelector('[part~="banner"]'), 'banner in iframe', { timeout: 5000 });
    const banner = iframe.contentDocument!.querySelector('oph-consent')!.shadowRoot!;
    expect(banner.querySelector('[part~="accept-all"]')!.textContent!.trim()).to.equal('Accept all');
  });
});

describe('<oph-consent> banner', () => {
  afterEach(clearCookies);

  const labels = {
    fr: ['Tout accepter', 'Tout refuser', 'Personnaliser', 'Continuer sans accepter'],
    en: ['Accept all', 'Reject all', 'Customize', 'Continue without accepting'],
  };
  const shown = (el: HTMLElement & { shadowRoot: ShadowRoot | null }) =>
    ['accept-all', 'reject-all', 'customize', 'dismiss'].map((p) => el.shadowRoot!.querySelector(`[part~="${p}"]`)!.textContent!.trim());

  it('shows the contract’s French labels by default', async () => {
    const { el } = await mount(ELEMENT);
    expect(shown(el)).to.deep.equal(labels.fr);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('fr');
  });

  it('shows English labels with lang="en"', async () => {
    const { el } = await mount(`<oph-consent lang="en" catalog="${CATALOG_URL}"></oph-consent>`);
    expect(shown(el)).to.deep.equal(labels.en);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('en');
  });

  it('follows <html lang> when it has none (any en-* is English, other languages French)', async () => {
    const html = document.documentElement;
    const before = html.getAttribute('lang');
    try {
      html.setAttribute('lang', 'en-GB');
      const { el } = await mount(ELEMENT);
      expect(shown(el)).to.deep.equal(labels.en);
      el.remove();
      html.setAttribute('lang', 'de');
      expect(shown((await mount(ELEMENT)).el)).to.deep.equal(labels.fr);
    } finally {
      before === null ? html.removeAttribute('lang') : html.setAttribute('lang', before);
    }
  });

  it('switches language when the lang attribute changes', async () => {
    const { el } = await mount(ELEMENT);
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(shown(el)).to.deep.equal(labels.en);
  });

  it('CNIL-03: accept and refuse have the same size, colours, border and font, side by side', async () => {
    const { el } = await mount(ELEMENT);
    const accept = part(el, 'accept-all')!;
    const reject = part(el, 'reject-all')!;
    const a = getComputedStyle(accept);
    const r = getComputedStyle(reject);
    for (const p of ['font-family', 'font-size', 'font-weight', 'color', 'background-color', 'border-top-width', 'border-top-color', 'border-radius', 'padding-top', 'padding-left']) {
      expect(r.getPropertyValue(p), p).to.equal(a.getPropertyValue(p));
    }
    const ab = accept.getBoundingClientRect();
    const rb = reject.getBoundingClientRect();
    expect(rb.width).to.be.closeTo(ab.width, 1);
    expect(rb.height).to.be.closeTo(ab.height, 1);
    expect(accept.parentElement === reject.parentElement, 'accept.parentElement is reject.parentElement').to.equal(true);
  });

  it('CNIL-09: names each purpose, says consent can be withdrawn at any time, links the privacy policy', async () => {
    const { el } = await mount(ELEMENT);
    const text = part(el, 'banner')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Mesure d’audience').and.contain('Vidéos');
    expect(text).to.match(/modifier vos choix à tout moment/);
    expect(part<HTMLAnchorElement>(el, 'banner')!.querySelector('a')!.href).to.equal('https://www.oph31.fr/politique-de-confidentialite');
  });

  it('CNIL-09: names who else receives each purpose’s data: the providers other than the controller, in both languages', async () => {
    const { el } = await mount(ELEMENT);
    const items = () => [...part(el, 'banner')!.querySelectorAll('.purposes li')].map((li) => li.textContent!.replace(/[ \n]+/g, ' ').trim());
    expect(items()).to.deep.equal(['Mesure d’audience (tiers\u00a0: Google)', 'Vidéos (tiers\u00a0: YouTube)']);
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    expect(items()).to.deep.equal(['Audience measurement (third party: Google)', 'Videos (third party: YouTube)']);
  });

  it('CNIL-09: a purpose with many third parties names three in the banner and counts the others (the panel lists them all)', async () => {
    const catalog = await catalogJson();
    for (const n of [1, 2, 3, 4, 5, 6]) catalog.cookies.push({ name: `x${n}`, category: 'video', purpose: 'Test.', retention: 'P1D', provider: `Tiers ${n}` });
    const { el } = await mount(`<oph-consent><script type="application/json">${JSON.stringify(catalog)}</script></oph-consent>`);
    const video = [...part(el, 'banner')!.querySelectorAll('.purposes li')][1].textContent!.replace(/[ \n]+/g, ' ').trim();
    expect(video).to.equal('Vidéos (tiers\u00a0: YouTube, Tiers 1, Tiers 2 et 4 autres)');
  });

  it('French typography: a no-break space before every colon and inside guillemets; category titles head list items, never mid-sentence', async () => {
    const { el } = await mount(ELEMENT);
    const text = part(el, 'banner')!.textContent!;
    expect(text).to.not.match(/[^\u00a0\u202f]:/);
    expect(text).to.contain('«\u00a0Gestion des cookies\u00a0»');
    for (const p of part(el, 'banner')!.querySelectorAll('p')) expect(p.textContent, 'a paragraph naming a category').to.not.match(/Mesure d’audience|Vidéos/);
  });

  it('carries id="oph-consent", the hook auditing and privacy tools look for, unless the page gave it an id', async () => {
    const { el } = await mount(ELEMENT);
    expect(el.id).to.equal('oph-consent');
    el.remove();
    const { el: named } = await mount(`<oph-consent id="consent" catalog="${CATALOG_URL}"></oph-consent>`);
    expect(named.id).to.equal('consent');
  });

  it('CNIL-10: is not a cookie wall: no modal, nothing inert, the page stays clickable', async () => {
    const { root, el } = await mount(`<button id="page-button">Page</button>${ELEMENT}`);
    expect(part(el, 'banner')!.getAttribute('role')).to.equal('region');
    expect(document.querySelector('[inert], [aria-hidden="true"]') === null, 'nothing inert').to.equal(true);
    const pageButton = root.querySelector('#page-button')!;
    const box = pageButton.getBoundingClientRect();
    expect(document.elementFromPoint(box.x + 2, box.y + 2) === pageButton, 'document.elementFromPoint(box.x + 2, box is pageButton').to.equal(true);
  });

  it('is accessible (axe), in French and in English', async () => {
    const { el } = await mount(ELEMENT);
    await expect(el).to.be.accessible();
    el.setAttribute('lang', 'en');
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});

describe('<oph-consent> decisions and events', () => {
  afterEach(clearCookies);

  const decide = async (el: HTMLElement, action: () => unknown) => {
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    action();
    return (await change).detail;
  };

  it('the README’s listener is typed: document.addEventListener gets CustomEvent<ChangeDetail> without a cast', async () => {
    const { el } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>`);
    const seen: string[] = [];
    // No cast: the three events are on GlobalEventHandlersEventMap (tsc checks this file in npm test).
    const listener = (event: CustomEvent<ChangeDetail>) => seen.push(`${event.detail.method} ${event.detail.consent.analytics}`);
    document.addEventListener('oph-consent-change', listener);
    try {
      await el.acceptAll();
    } finally {
      document.removeEventListener('oph-consent-change', listener);
    }
    expect(seen).to.deep.equal(['accept-all true']);
  });

  it('Tout accepter: every category on, record stored, banner gone', async () => {
    const { el } = await mount(ELEMENT);
    const detail = await decide(el, () => part(el, 'accept-all')!.click());
    expect(detail.consent).to.deep.equal({ necessary: true, analytics: true, video: true });
    expect(detail.changed).to.deep.equal(['analytics', 'video']);
    expect(detail.method).to.equal('accept-all');
    expect(detail.record).to.include({ revision: 3, method: 'accept-all', language: 'fr', previousId: null });
    expect(detail.record.choices).to.deep.equal(detail.consent);
    expect(detail.record.catalogHash).to.match(/^[0-9a-f]{64}$/);
    expect(JSON.parse(decodeURIComponent(cookieValue(COOKIE)!))).to.deep.equal(detail.record);
    expect(el.decided).to.equal(true);
    expect(shows(el, 'banner')).to.equal(false);
  });

  it('the catalog hash is the SHA-256 of the file the visitor was shown', async () => {
    const { el } = await mount(ELEMENT);
    const detail = await decide(el, () => el.acceptAll());
    const bytes = await (await fetch(CATALOG_URL)).arrayBuffer();
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(detail.record.catalogHash).to.equal(digest);
  });

  it('Tout refuser: every optional category off, stored as a refusal', async () => {
    const { el } = await mount(ELEMENT);
    const detail = await decide(el, () => part(el, 'reject-all')!.click());
    expect(detail).to.deep.include({ consent: { necessary: true, analytics: false, video: false }, changed: [], method: 'reject-all' });
    expect(JSON.parse(decodeURIComponent(cookieValue(COOKIE)!)).method).to.equal('reject-all');
    expect(shows(el, 'banner')).to.equal(false);
  });

  it('CNIL-06: Continuer sans accepter is a refusal with method dismiss', async () => {
    const { el } = await mount(ELEMENT);
    const detail = await decide(el, () => part(el, 'dismiss')!.click());
    expect(detail).to.deep.include({ consent: { necessary: true, analytics: false, video: false }, method: 'dismiss' });
  });

  it('CNIL-06: Escape in the banner is a refusal with method dismiss (real key press)', async () => {
    const { el } = await mount(ELEMENT);
    part(el, 'accept-all')!.focus();
    const change = oneEvent(el, 'oph-consent-change');
    await sendKeys({ press: 'Escape' });
    expect((await change).detail).to.deep.include({ method: 'dismiss', consent: { necessary: true, analytics: false, video: false } });
  });

  it('keyboard only: Tab to Tout accepter and press Enter', async () => {
    const { el } = await mount(ELEMENT);
    part(el, 'dismiss')!.focus();
    await sendKeys({ press: 'Tab' }); // the privacy-policy link
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === part(el, 'accept-all'), 'el.shadowRoot!.activeElement is part(el, accept-all)').to.equal(true);
    const change = oneEvent(el, 'oph-consent-change');
    await sendKeys({ press: 'Enter' });
    expect((await change).detail.method).to.equal('accept-all');
  });

  it('acceptAll(), rejectAll() and setConsent() decide and fire oph-consent-change', async () => {
    const { el } = await mount(ELEMENT);
    expect(await decide(el, () => el.acceptAll())).to.deep.include({ method: 'accept-all', changed: ['analytics', 'video'] });
    const first = JSON.parse(decodeURIComponent(cookieValue(COOKIE)!));
    const rejected = await decide(el, () => el.rejectAll());
    expect(rejected).to.deep.include({ method: 'reject-all', changed: ['analytics', 'video'] });
    expect(rejected.record.previousId).to.equal(first.id);
    const custom = await decide(el, () => el.setConsent({ analytics: true }));
    expect(custom).to.deep.include({ method: 'custom', changed: ['analytics'], consent: { necessary: true, analytics: true, video: false } });
    expect(el.hasConsent('analytics')).to.equal(true);
    expect(el.hasConsent('video')).to.equal(false);
    expect(el.hasConsent('unknown')).to.equal(false);
    expect(el.hasConsent('constructor')).to.equal(false);
  });

  it('setConsent() can never turn a required category off, and reports unknown ids', async () => {
    const { el } = await mount(ELEMENT);
    const errors = captureConsoleErrors();
    try {
      const error = oneEvent(el, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
      const detail = await decide(el, () => el.setConsent({ necessary: false, ads: true }));
      expect((await error).detail.code).to.equal('api');
      expect(detail.consent).to.deep.equal({ necessary: true, analytics: false, video: false });
      expect(errors.messages).to.have.length(1);
    } finally {
      errors.restore();
    }
  });

  it('consent is a snapshot the page cannot use to grant itself consent', async () => {
    const { el } = await mount(ELEMENT);
    el.consent.analytics = true;
    expect(el.hasConsent('analytics')).to.equal(false);
  });

  it('reset() forgets the choice, shows the banner and fires oph-consent-ready again', async () => {
    const { el } = await mount(ELEMENT);
    await el.acceptAll();
    document.cookie = '_ga=1; Path=/';
    window.dataLayer = [];
    const ready = oneEvent(el, 'oph-consent-ready');
    await el.reset();
    expect((await ready).detail).to.deep.equal({ consent: { necessary: true, analytics: false, video: false }, decided: false });
    expect(cookieValue(COOKIE)).to.equal(undefined);
    expect(cookieValue('_ga'), 'refused cookies deleted').to.equal(undefined);
    expect(Array.from(window.dataLayer![0] as ArrayLike<unknown>)).to.deep.equal(['consent', 'update', { analytics_storage: 'denied', ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied' }]);
    expect(window.dataLayer![1]).to.deep.include({ event: 'oph_consent_update', oph_consent_method: 'reset' });
    delete window.dataLayer;
    expect(el.decided).to.equal(false);
    expect(shows(el, 'banner')).to.equal(true);
  });
});

describe('<oph-consent> stored choice', () => {
  afterEach(clearCookies);

  it('a returning visitor is not asked again and gets the stored consent', async () => {
    const record = await storeChoice({ analytics: true, video: false });
    const { el, event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT);
    expect(event.detail).to.deep.equal({ consent: { necessary: true, analytics: true, video: false }, decided: true });
    expect(shows(el, 'banner')).to.equal(false);
    const change = oneEvent(el, 'oph-consent-change');
    await el.setConsent({ video: true });
    expect((await change).detail.record.previousId).to.equal(record.id);
  });

  it('CNIL-17: raising the catalog revision asks again, with every optional category off', async () => {
    await storeChoice({ analytics: true, video: true }, 2);
    const { el, event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT);
    expect(event.detail).to.deep.equal({ consent: { necessary: true, analytics: false, video: false }, decided: false });
    expect(shows(el, 'banner')).to.equal(true);
  });

  it('CNIL-11: an expired choice asks again', async () => {
    const catalog = validateCatalog(await catalogJson());
    const record = newRecord(catalog, { analytics: true }, 'accept-all', 'fr', null, null, Date.now() - 181 * 86_400_000);
    document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(record))}; Path=/`;
    const { event } = await mount<CustomEvent<ReadyDetail>>(ELEMENT);
    expect(event.detail.decided).to.equal(false);
    expect(event.detail.consent.analytics).to.equal(false);
  });

  it('setting a catalog with a higher revision at run time asks again', async () => {
    const { el } = await mount(ELEMENT);
    await el.acceptAll();
    const ready = oneEvent(el, 'oph-consent-ready');
    el.catalog = { ...(await catalogJson()), revision: 4 };
    expect((await ready).detail).to.deep.include({ decided: false });
    await el.updateComplete;
    expect(shows(el, 'banner')).to.equal(true);
  });

  it('a catalog given by an oph-consent-ready listener is loaded, and the first load stops there', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: PromiseRejectionEvent) => rejections.push(e.reason);
    window.addEventListener('unhandledrejection', onRejection);
    try {
      const revisions: boolean[] = [];
      const second = { ...(await catalogJson()), revision: 7 };
      const onReady = (e: Event) => {
        const el = e.target as OphConsent;
        revisions.push((e as CustomEvent<ReadyDetail>).detail.decided);
        if (revisions.length === 1) el.catalog = second;
      };
      document.addEventListener('oph-consent-ready', onReady);
      try {
        const root = await fixture<HTMLDivElement>(`<div>${ELEMENT}</div>`);
        await waitUntil(() => revisions.length === 2, 'ready again for the second catalog');
        await new Promise((r) => setTimeout(r, 50));
        const el = root.querySelector('oph-consent')!;
        expect(revisions).to.deep.equal([false, false]);
        expect(rejections).to.deep.equal([]);
        await el.acceptAll();
        expect(el.hasConsent('analytics')).to.equal(true);
      } finally {
        document.removeEventListener('oph-consent-ready', onReady);
      }
    } finally {
      window.removeEventListener('unhandledrejection', onRejection);
    }
  });

  it('a garbage cookie counts as no decision and is reported', async () => {
    document.cookie = `${COOKIE}=${encodeURIComponent('{"schema":"oph-consent-record/1","choices":{"analytics":true}')}; Path=/`;
    const errors = captureConsoleErrors();
    try {
      const error = oneEvent(document, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
      const { el } = await mount<CustomEvent<ReadyDetail>>(ELEMENT);
      expect((await error).detail).to.include({ code: 'stored-choice', message: 'cookie "testConsent": stored choice ignored: not a JSON consent record' });
      expect(el.decided).to.equal(false);
      expect(el.hasConsent('analytics')).to.equal(false);
      expect(shows(el, 'banner')).to.equal(true);
      expect(errors.messages).to.deep.equal(['<oph-consent> cookie "testConsent": stored choice ignored: not a JSON consent record']);
    } finally {
      errors.restore();
    }
  });
});

describe('<oph-consent> storage that fails', () => {
  let errors: ReturnType<typeof captureConsoleErrors>;
  beforeEach(() => (errors = captureConsoleErrors()));
  afterEach(() => {
    delete (document as unknown as Record<string, unknown>).cookie;
    errors.restore();
    clearCookies();
  });

  it('when the browser silently drops cookies, it says so after the decision', async () => {
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} });
    const { el } = await mount(ELEMENT);
    const error = oneEvent(el, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
    await el.rejectAll();
    expect((await error).detail).to.include({ code: 'storage' });
    expect((await error).detail.message).to.contain('did not keep the consent cookie');
    expect(el.decided).to.equal(true);
  });
});

describe('<oph-consent> hostile catalog text', () => {
  afterEach(clearCookies);

  it('shows markup and scripts from the catalog as text, never as HTML', async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    const json = await catalogJson();
    json.controller.name = hostile;
    json.categories[1].title = { fr: hostile };
    json.categories[1].description = `<b onmouseover="window.pwned=3">gras</b>`;
    const el = document.createElement('oph-consent');
    el.catalog = json;
    const ready = oneEvent(el, 'oph-consent-ready');
    (await fixture<HTMLDivElement>('<div></div>')).append(el);
    await ready;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img, script, b') === null, 'no element from catalog text').to.equal(true);
    expect(part(el, 'banner')!.textContent).to.contain(hostile);
    await el.showPreferences();
    expect(el.shadowRoot!.querySelector('dialog')!.textContent).to.contain('<b onmouseover="window.pwned=3">gras</b>');
    expect(el.shadowRoot!.querySelector('img, script, b') === null, 'no element from catalog text').to.equal(true);
    expect((window as unknown as { pwned?: number }).pwned).to.equal(undefined);
  });
});

