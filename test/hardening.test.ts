/**
 * Hardening: bad input never breaks the page, never runs a tracker without consent, and the element
 * runs under a strict CSP with Trusted Types. Every test ends with the fail-closed audit.
 */
import { aTimeout, expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import fc from 'fast-check';
import { CatalogError, validateCatalog, type Catalog } from '../src/core/catalog.js';
import type { ChangeDetail, ErrorDetail, ReadyDetail } from '../src/ui/oph-consent.js';
import { OphConsent } from '../src/ui/oph-consent.js';
import { MAX_STORED_LENGTH, newRecord, parseRecord } from '../src/core/record.js';
import { CATALOG_URL, COOKIE, captureConsoleErrors, clearCookies, mount, ran, shows, openTables } from './helpers.js';

const GATED = ['analytics', 'video'].map((c) => `<script type="text/plain" data-oph-category="${c}">(window.ranScripts ||= []).push('${c}')</script>`).join('');
const catalogJson = async () => (await fetch(CATALOG_URL)).json();

/** The fail-closed audit: no script of a category without consent ran. */
function auditFailClosed(el?: OphConsent) {
  for (const name of ran()) expect(el?.hasConsent(name), `"${name}" ran without consent`).to.equal(true);
}

let errors: ReturnType<typeof captureConsoleErrors>;
let uncaught: string[] = [];
const onError = (e: ErrorEvent) => uncaught.push(e.message);
const onRejection = (e: PromiseRejectionEvent) => uncaught.push(String(e.reason));

beforeEach(() => {
  window.ranScripts = [];
  uncaught = [];
  errors = captureConsoleErrors();
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
});
afterEach(() => {
  window.removeEventListener('error', onError);
  window.removeEventListener('unhandledrejection', onRejection);
  errors.restore();
  clearCookies();
  expect(uncaught, 'no uncaught exception').to.deep.equal([]);
});

async function failsWith(markup: string, expected: RegExp | string) {
  const { el, event } = await mount<CustomEvent<ErrorDetail>>(markup + GATED, 'oph-consent-error');
  await aTimeout(30);
  if (typeof expected === 'string') expect(event.detail.message).to.equal(expected);
  else expect(event.detail.message).to.match(expected);
  expect(errors.messages).to.deep.equal([`<oph-consent> ${event.detail.message}`]);
  expect(shows(el, 'banner')).to.equal(false);
  expect(el.consent, 'no consent state').to.deep.equal({});
  expect(ran(), 'fail-closed').to.deep.equal([]);
  return { el, detail: event.detail };
}

describe('bad catalogs: a clear error, nothing gated runs', () => {
  it('404', async () => {
    await failsWith(`<oph-consent catalog="/test-api/status?code=404"></oph-consent>`, 'status: could not be loaded: HTTP 404');
  });

  it('500', async () => {
    await failsWith(`<oph-consent catalog="/test-api/status?code=500"></oph-consent>`, 'status: could not be loaded: HTTP 500');
  });

  it('too slow: a timeout with a clear message', async () => {
    const before = OphConsent.catalogTimeout;
    OphConsent.catalogTimeout = 300;
    try {
      await failsWith(`<oph-consent catalog="/test-api/status?delay=2000&body={}"></oph-consent>`, 'status: not loaded after 0.3 s (timeout)');
    } finally {
      OphConsent.catalogTimeout = before;
    }
  });

  it('not JSON', async () => {
    await failsWith(`<oph-consent catalog="/test-api/status?body=%7Bnope"></oph-consent>`, /^status: not valid JSON/);
  });

  it('no catalog at all', async () => {
    await failsWith(`<oph-consent></oph-consent>`, /no catalog: set the catalog attribute/);
  });

  it('wrong types: the first problem is the message, every problem is in detail.errors', async () => {
    const { detail } = await failsWith(
      `<oph-consent><script type="application/json">{"revision":"one","controller":{},"categories":[{"id":1}],"cookies":null}</script></oph-consent>`,
      'inline catalog: revision: expected an integer of 1 or more, got the string "one"',
    );
    expect(detail).to.include({ code: 'catalog', source: 'inline catalog', path: 'revision' });
    expect(detail.errors).to.include('inline catalog: categories[0].id: expected a non-empty string, got number 1');
    expect(detail.errors).to.include('inline catalog: cookies: expected an array, got null');
  });

  it('an empty file', async () => {
    await failsWith(`<oph-consent catalog="/test-api/status?body="></oph-consent>`, /^status: not valid JSON/);
  });

  const wrong: [string, (c: Record<string, any>) => void, string][] = [
    ['root is an array', () => {}, 'inline catalog: expected an object, got an array'],
    ['controller is a string', (c) => (c.controller = 'OPH31'), 'inline catalog: controller: expected an object, got the string "OPH31"'],
    ['a category is null', (c) => (c.categories[1] = null), 'inline catalog: categories[1]: expected an object, got null'],
    ['a title is a number', (c) => (c.categories[2].title = 7), 'inline catalog: categories[2].title: expected a string or an object, got number 7'],
    ['a cookie is a string', (c) => (c.cookies[0] = '_ga'), 'inline catalog: cookies[0]: expected an object, got the string "_ga"'],
    ['a purpose is an array', (c) => (c.cookies[1].purpose = ['x']), 'inline catalog: cookies[1].purpose: expected a string or an object, got an array'],
    ['days is a string', (c) => (c.consentCookie.days = '180'), 'inline catalog: consentCookie.days: expected a whole number of days from 1 to 730, got the string "180"'],
    ['an unknown category reference', (c) => (c.cookies[2].category = 'marketing'), 'inline catalog: cookies[2].category: unknown category "marketing"'],
    ['duplicate category ids', (c) => (c.categories[2].id = 'analytics'), 'inline catalog: categories[2].id: duplicate category id "analytics"'],
    ['a javascript: privacy link', (c) => (c.controller.privacyPolicyUrl = 'javascript:alert(document.cookie)'), 'inline catalog: controller.privacyPolicyUrl: expected an http(s) URL or a path on the site, got "javascript:alert(document.cookie)"'],
    ['a __proto__ language key', (c) => (c.categories[1].title = JSON.parse('{"__proto__": "x"}')), 'inline catalog: categories[1].title.__proto__: expected a language code such as "fr" or "en"'],
  ];
  for (const [name, mutate, message] of wrong) {
    it(`wrong types: ${name}`, async () => {
      const json = name === 'root is an array' ? [] : await catalogJson();
      mutate(json);
      const inline = JSON.stringify(json).replaceAll('<', '\\u003c');
      const { detail } = await failsWith(`<oph-consent><script type="application/json">${inline}</script></oph-consent>`, message);
      expect(detail.code).to.equal('catalog');
    });
  }

  it('__proto__ and constructor keys are refused as unexpected fields and pollute nothing', async () => {
    const json = JSON.parse(JSON.stringify(await catalogJson()).replace('{"revision"', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"revision"'));
    const el = document.createElement('oph-consent');
    el.catalog = json;
    const error = oneEvent(el, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
    const console = captureConsoleErrors();
    try {
      (await fixture<HTMLDivElement>(`<div>${GATED}</div>`)).prepend(el);
      expect((await error).detail.errors).to.include('catalog property: __proto__: unexpected field');
    } finally {
      console.restore();
    }
    expect(({} as Record<string, unknown>).isAdmin).to.equal(undefined);
    expect(shows(el, 'banner')).to.equal(false);
    auditFailClosed(el);
    expect(ran()).to.deep.equal([]);
  });

  it('a 1 MB catalog loads and its panel opens', async () => {
    const { el } = await mount(`<oph-consent catalog="/test-api/big-catalog"></oph-consent>${GATED}`);
    await el.showPreferences();
    await openTables(el);
    expect(el.shadowRoot!.querySelectorAll('dialog tbody tr')).to.have.length(2000);
    auditFailClosed(el);
    expect(ran()).to.deep.equal([]);
  });
});

describe('bad stored choices: no decision, reported, nothing gated runs', () => {
  const catalogPromise = catalogJson().then((j) => validateCatalog(j));
  const record = async (over: Record<string, unknown> = {}) => ({ ...newRecord(await catalogPromise, { analytics: true, video: true }, 'accept-all', 'fr', null, null), ...over });
  const cases: [string, () => Promise<string>, RegExp][] = [
    ['garbage', async () => 'zz%%%', /not a JSON consent record/],
    ['truncated', async () => encodeURIComponent(JSON.stringify(await record())).slice(0, 100), /not a JSON consent record/],
    ['oversized', async () => encodeURIComponent(JSON.stringify(await record({ language: 'x'.repeat(MAX_STORED_LENGTH) }))), /longer than 4096/],
    ['a forged revision', async () => encodeURIComponent(JSON.stringify(await record({ revision: 42 }))), /revision the catalog never had/],
    ['a future timestamp', async () => encodeURIComponent(JSON.stringify(await record({ decidedAt: '2099-01-01T00:00:00.000Z', expiresAt: '2099-06-01T00:00:00.000Z' }))), /decided in the future/],
  ];
  for (const [name, value, reason] of cases) {
    it(name, async () => {
      const raw = await value();
      // The browser itself refuses cookies over 4 KB: present the oversized value the way a broken proxy would.
      if (raw.length > 4000) Object.defineProperty(document, 'cookie', { configurable: true, get: () => `${COOKIE}=${raw}`, set: () => {} });
      else document.cookie = `${COOKIE}=${raw}; Path=/`;
      try {
        const error = oneEvent(document, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
        const { el, event } = await mount<CustomEvent<ReadyDetail>>(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
        expect((await error).detail).to.include({ code: 'stored-choice' });
        expect((await error).detail.message).to.match(reason);
        expect(event.detail).to.deep.equal({ consent: { necessary: true, analytics: false, video: false }, decided: false });
        expect(shows(el, 'banner')).to.equal(true);
        await aTimeout(30);
        auditFailClosed(el);
        expect(ran()).to.deep.equal([]);
      } finally {
        delete (document as unknown as Record<string, unknown>).cookie;
      }
    });
  }
});

describe('hostile environments', () => {
  it('cookies disabled: a clear storage error, the page works in memory, nothing runs before consent', async () => {
    Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} });
    try {
      const { el } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
      await aTimeout(30);
      expect(ran()).to.deep.equal([]);
      const error = oneEvent(el, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
      await el.setConsent({ video: true });
      expect((await error).detail).to.include({ code: 'storage' });
      await waitUntil(() => ran().length === 1);
      auditFailClosed(el);
      expect(ran()).to.deep.equal(['video']);
    } finally {
      delete (document as unknown as Record<string, unknown>).cookie;
    }
  });

  it('document.cookie that throws: a clear storage error, nothing gated runs, the banner still asks and a choice works in memory', async () => {
    const deny = () => {
      throw new DOMException('Access is denied for this document', 'SecurityError');
    };
    Object.defineProperty(document, 'cookie', { configurable: true, get: deny, set: deny });
    try {
      const error = oneEvent(document, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
      const { el } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
      expect((await error).detail).to.include({ code: 'storage', message: 'cookies cannot be read (Access is denied for this document); the choice is kept for this page only' });
      expect(el.shadowRoot!.querySelector('[part~="banner"] .warning')!.textContent).to.contain('votre choix vaudra pour cette page seulement');
      await expect(el).to.be.accessible();
      await aTimeout(30);
      auditFailClosed(el);
      expect(ran()).to.deep.equal([]);
      await el.acceptAll();
      expect(el.hasConsent('analytics')).to.equal(true);
      await waitUntil(() => ran().length === 2, 'the accepted scripts run for this page');
      expect(ran()).to.deep.equal(['analytics', 'video']);
      expect(errors.messages.every((m) => m.startsWith('<oph-consent> cookies cannot be'))).to.equal(true);
    } finally {
      delete (document as unknown as Record<string, unknown>).cookie;
    }
  });

  it('two <oph-consent> on one page: the second reports it and stays inactive; the first alone gates', async () => {
    const { el, root } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
    const second = document.createElement('oph-consent');
    second.setAttribute('catalog', CATALOG_URL);
    const error = oneEvent(second, 'oph-consent-error') as unknown as Promise<CustomEvent<ErrorDetail>>;
    root.append(second);
    expect((await error).detail).to.include({ code: 'duplicate' });
    await second.acceptAll().catch(() => undefined);
    await aTimeout(50);
    expect(second.decided).to.equal(false);
    expect(shows(second, 'banner')).to.equal(false);
    expect(errors.messages).to.have.length(1);
    auditFailClosed(el);
    expect(ran()).to.deep.equal([]);
  });

  it('removed and added again: no second load, the same state, gating follows it', async () => {
    const { el, root } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
    let readies = 0;
    root.addEventListener('oph-consent-ready', () => readies++);
    el.remove();
    root.append(el);
    await aTimeout(50);
    expect(readies, 'no second load').to.equal(0);
    await el.setConsent({ analytics: true });
    await waitUntil(() => ran().length === 1);
    auditFailClosed(el);
    expect(ran()).to.deep.equal(['analytics']);
  });

  it('no Web Crypto (plain http page): it works, the record says it has no hash', async () => {
    const subtle = Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle')!;
    Object.defineProperty(Crypto.prototype, 'subtle', { configurable: true, get: () => undefined });
    try {
      const { el } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
      const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
      await el.setConsent({ analytics: true });
      expect((await change).detail.record.catalogHash).to.equal(null);
      await waitUntil(() => ran().length === 1);
      auditFailClosed(el);
      expect(ran()).to.deep.equal(['analytics']);
    } finally {
      Object.defineProperty(Crypto.prototype, 'subtle', subtle);
    }
  });

  it('no BroadcastChannel and no sendBeacon: it still works', async () => {
    const channel = window.BroadcastChannel;
    const beacon = navigator.sendBeacon;
    (window as unknown as Record<string, unknown>).BroadcastChannel = undefined;
    (navigator as unknown as Record<string, unknown>).sendBeacon = undefined;
    try {
      const json = { ...(await catalogJson()), consentLogUrl: '/test-api/consent-log?log=none' };
      const el = document.createElement('oph-consent');
      el.catalog = json;
      const ready = oneEvent(el, 'oph-consent-ready');
      (await fixture<HTMLDivElement>(`<div>${GATED}</div>`)).prepend(el);
      await ready;
      await el.rejectAll();
      expect(el.decided).to.equal(true);
      auditFailClosed(el);
      expect(ran()).to.deep.equal([]);
    } finally {
      window.BroadcastChannel = channel;
      (navigator as unknown as Record<string, unknown>).sendBeacon = beacon;
    }
  });

  it('a page that throws in its own change listener does not stop gating or storage', async () => {
    const { el } = await mount(`<oph-consent catalog="${CATALOG_URL}"></oph-consent>${GATED}`);
    const thrower = () => {
      throw new Error('page bug');
    };
    el.addEventListener('oph-consent-change', thrower);
    // The page's own bug is reported by the browser (window.onerror), not thrown into our code: collect it here.
    window.removeEventListener('error', onError);
    const seen: string[] = [];
    const collect = (e: ErrorEvent) => void seen.push(e.message);
    window.addEventListener('error', collect);
    const mochaOnError = window.onerror;
    window.onerror = () => true;
    try {
      await el.setConsent({ video: true });
      await waitUntil(() => ran().length === 1);
      expect(seen.join()).to.contain('page bug');
      expect(el.hasConsent('video')).to.equal(true);
      auditFailClosed(el);
    } finally {
      window.onerror = mochaOnError;
      window.removeEventListener('error', collect);
      window.addEventListener('error', onError);
    }
  });
});

describe('property-based: the validator and the stored-choice parser', () => {
  let valid: Catalog;
  before(async () => (valid = validateCatalog(await catalogJson())));

  it('validateCatalog never throws anything but a CatalogError, on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          validateCatalog(value, 'fuzz.json');
        } catch (e) {
          if (!(e instanceof CatalogError) || !e.message.startsWith('fuzz.json: ')) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a catalog with one field replaced by anything is rejected, or valid in every field it keeps', async () => {
    const base = await catalogJson();
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, Array.isArray(v) ? Number(k) : k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length)), fc.jsonValue(), (path, value) => {
        const json = structuredClone(base);
        let target = json;
        for (const key of path.slice(0, -1)) target = target[key];
        target[path[path.length - 1]] = value;
        let catalog: Catalog;
        try {
          catalog = validateCatalog(json);
        } catch (e) {
          if (e instanceof CatalogError) return;
          throw e;
        }
        // Accepted: every invariant the element relies on holds.
        expect(Number.isInteger(catalog.revision) && catalog.revision >= 1).to.equal(true);
        expect(/^https?:/.test(new URL(catalog.controller.privacyPolicyUrl, 'https://x.invalid/').protocol)).to.equal(true);
        const ids = catalog.categories.map((c) => c.id);
        expect(new Set(ids).size).to.equal(ids.length);
        for (const c of catalog.categories) expect(typeof c.required === 'boolean' && typeof c.exempt === 'boolean' && /^[a-z]/.test(c.id)).to.equal(true);
        for (const c of catalog.cookies) expect(ids.includes(c.category) && typeof c.name === 'string' && Array.isArray(c.match)).to.equal(true);
        expect(catalog.consentCookie.days >= 1 && catalog.consentCookie.days <= 730).to.equal(true);
      }),
      { numRuns: 400 },
    );
  });

  it('parseRecord never throws on any string, and accepts only a record this catalog could have written', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const check = (raw: string) => {
      const result = parseRecord(raw, valid);
      if ('record' in result) {
        const r = result.record;
        expect(uuid.test(r.id) && r.revision === valid.revision && Date.parse(r.expiresAt) > Date.now()).to.equal(true);
        expect(Object.keys(r.choices).sort()).to.deep.equal(valid.categories.map((c) => c.id).sort());
        expect(r.choices.necessary).to.equal(true);
      }
    };
    fc.assert(fc.property(fc.string({ maxLength: 600 }), check), { numRuns: 500 });
    fc.assert(fc.property(fc.jsonValue(), (v) => check(encodeURIComponent(JSON.stringify(v)))), { numRuns: 500 });
  });

  it('a real record with one field changed to anything is rejected or still a valid record', () => {
    const record = newRecord(valid, { analytics: true }, 'custom', 'fr', 'a'.repeat(64), null);
    const keys = Object.keys(record);
    fc.assert(
      fc.property(fc.constantFrom(...keys, 'extra', '__proto__'), fc.jsonValue(), (key, value) => {
        const forged = JSON.parse(JSON.stringify(record));
        Object.defineProperty(forged, key, { value, enumerable: true, configurable: true, writable: true });
        const result = parseRecord(encodeURIComponent(JSON.stringify(forged)), valid);
        if (!('record' in result)) return;
        expect(['extra', '__proto__']).to.not.include(key);
        expect(result.record.revision).to.equal(valid.revision);
        expect(typeof result.record.choices.analytics).to.equal('boolean');
      }),
      { numRuns: 500 },
    );
  });
});

describe('strict CSP and Trusted Types', () => {
  it('styled banner, gating with the nonce carried, no violation caused by the component', async () => {
    const iframe = await fixture<HTMLIFrameElement>('<iframe src="/test/fixtures/csp.html"></iframe>');
    const win = () => iframe.contentWindow as Window & { ranScripts: string[]; violations: string[] };
    const element = () => win()?.document?.querySelector('oph-consent') as OphConsent | null;
    await waitUntil(() => element()?.shadowRoot?.querySelector('[part~="banner"]'), 'banner under strict CSP', { timeout: 5000 });
    const el = element()!;
    const banner = el.shadowRoot!.querySelector('[part~="banner"]')!;
    // Styled: the constructed stylesheet applied although style-src forbids inline styles.
    expect(getComputedStyle(banner).position).to.equal('fixed');
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part~="accept-all"]')!).backgroundColor).to.equal('rgb(29, 79, 145)');
    expect(win().ranScripts).to.deep.equal([]);
    await el.acceptAll();
    await waitUntil(() => win().ranScripts.length === 2, 'the allowed gated scripts ran', { timeout: 5000 });
    expect(win().ranScripts).to.deep.equal(['external', 'inline-with-nonce']);
    expect(win().document.querySelector('iframe[src="/test/fixtures/frame.html"]')).to.not.equal(null);
    await aTimeout(100);
    // The only violation is the page's own inline script without a nonce: proof that the policy is enforced.
    expect(win().violations).to.have.length(1);
    expect(win().violations[0]).to.match(/^script-src-elem: inline/);
  });
});
