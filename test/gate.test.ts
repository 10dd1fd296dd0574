import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { newRecord } from '../src/core/record.js';
import { validateCatalog } from '../src/core/catalog.js';
import { CATALOG_URL, COOKIE, clearCookies, mount, ran, shows } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const push = (name: string) => `(window.ranScripts ||= []).push(${JSON.stringify(name)})`;
const inline = (category: string, name: string) => `<script type="text/plain" data-oph-category="${category}">${push(name)}</script>`;
const external = (category: string, name: string, delay = 0, extra = '') =>
  `<script type="text/plain" data-oph-category="${category}" src="/test-api/script.js?name=${name}&delay=${delay}"${extra}></script>`;

describe('script gating', () => {
  beforeEach(() => (window.ranScripts = []));
  afterEach(clearCookies);

  it('CNIL-01: runs nothing that needs consent before a decision, nor after a refusal', async () => {
    const { el } = await mount(ELEMENT + external('analytics', 'ext') + inline('analytics', 'inline') + inline('video', 'video'));
    await aTimeout(200);
    expect(ran()).to.deep.equal([]);
    await el.rejectAll();
    await aTimeout(200);
    expect(ran()).to.deep.equal([]);
    expect(document.querySelectorAll('script[type="text/plain"][data-oph-category]')).to.have.length(3);
  });

  it('runs a required category’s scripts without asking', async () => {
    await mount(ELEMENT + inline('necessary', 'necessary') + inline('analytics', 'analytics'));
    await waitUntil(() => ran().length === 1);
    expect(ran()).to.deep.equal(['necessary']);
  });

  it('runs on consent in document order: an inline script waits for a slow external one before it', async () => {
    const { el } = await mount(
      ELEMENT + external('analytics', 'slow', 400) + inline('analytics', 'inline-after-slow') + external('analytics', 'fast') + inline('analytics', 'last'),
    );
    await el.acceptAll();
    await waitUntil(() => ran().length === 4, 'all four ran', { timeout: 5000 });
    expect(ran()).to.deep.equal(['slow', 'inline-after-slow', 'fast', 'last']);
  });

  it('an external script that fails to load does not hold back the ones after it', async () => {
    const { el } = await mount(ELEMENT + `<script type="text/plain" data-oph-category="analytics" src="/test-api/status?code=404"></script>` + inline('analytics', 'after'));
    await el.acceptAll();
    await waitUntil(() => ran().length === 1);
    expect(ran()).to.deep.equal(['after']);
  });

  it('runs each script exactly once, however often consent is given', async () => {
    const { el } = await mount(ELEMENT + external('analytics', 'ext', 100) + inline('analytics', 'inline'));
    void el.acceptAll();
    void el.acceptAll();
    await el.setConsent({ analytics: true });
    await el.acceptAll();
    await aTimeout(300);
    expect(ran()).to.deep.equal(['ext', 'inline']);
  });

  it('runs only the categories consented to, and the others when they are', async () => {
    const { el } = await mount(ELEMENT + inline('video', 'video') + inline('analytics', 'analytics') + inline('analytics video', 'both'));
    await el.setConsent({ analytics: true });
    await waitUntil(() => ran().length === 1);
    expect(ran()).to.deep.equal(['analytics']);
    await el.setConsent({ video: true });
    await waitUntil(() => ran().length === 3);
    expect(ran()).to.deep.equal(['analytics', 'video', 'both']);
  });

  it('a returning visitor’s scripts run with no banner shown', async () => {
    const catalog = validateCatalog(await (await fetch(CATALOG_URL)).json());
    document.cookie = `${COOKIE}=${encodeURIComponent(JSON.stringify(newRecord(catalog, { analytics: true }, 'accept-all', 'fr', null, null)))}; Path=/`;
    const { el } = await mount(ELEMENT + external('analytics', 'ext', 50) + inline('analytics', 'inline') + inline('video', 'video'));
    expect(shows(el, 'banner')).to.equal(false);
    await waitUntil(() => ran().length === 2);
    expect(ran()).to.deep.equal(['ext', 'inline']);
  });

  it('keeps the attributes and the nonce of the script it revives, and drops the type', async () => {
    const { root, el } = await mount(ELEMENT + `<script type="text/plain" data-oph-category="analytics" nonce="abc123" id="tag" data-x="1">${push('tagged')}</script>`);
    await el.acceptAll();
    await waitUntil(() => ran().length === 1);
    const revived = root.querySelector<HTMLScriptElement>('#tag')!;
    expect(revived.nonce).to.equal('abc123');
    expect(revived.dataset.x).to.equal('1');
    expect(revived.type).to.equal('text/javascript');
  });

  it('data-oph-type sets the revived script’s type (module scripts)', async () => {
    const { el } = await mount(ELEMENT + `<script type="text/plain" data-oph-category="analytics" data-oph-type="module">${push('module')}</script>`);
    await el.acceptAll();
    await waitUntil(() => ran().length === 1);
    expect(document.querySelector('script[type="module"][data-oph-category]') !== null, 'revived as a module').to.equal(true);
  });
});

describe('iframes and images', () => {
  beforeEach(() => (window.ranScripts = []));
  afterEach(clearCookies);

  const MEDIA = `<iframe data-oph-category="video" data-src="/test/fixtures/frame.html" title="Lecteur vidéo"></iframe><img data-oph-category="video" data-src="/demo/favicon.svg" alt="Logo">`;

  it('a blocked iframe shows a placeholder naming its category, whose button opens the panel', async () => {
    const { el, root } = await mount(ELEMENT + MEDIA);
    const iframe = root.querySelector('iframe')!;
    const img = root.querySelector('img')!;
    expect(iframe.hasAttribute('src')).to.equal(false);
    expect(img.hasAttribute('src')).to.equal(false);
    expect(iframe.hidden).to.equal(true);
    const placeholder = root.querySelector<HTMLElement>('.oph-consent-placeholder')!;
    expect(placeholder.nextElementSibling === iframe, 'placeholder stands where the iframe is').to.equal(true);
    expect(placeholder.lang).to.equal('fr');
    expect(placeholder.textContent).to.contain('Ce contenu est bloqué').and.contain('«\u00a0Vidéos\u00a0»');
    expect(getComputedStyle(placeholder).borderTopStyle).to.equal('dashed');
    placeholder.querySelector('button')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
  });

  it('the placeholder speaks English with lang="en"', async () => {
    const { root } = await mount(`<oph-consent lang="en" catalog="${CATALOG_URL}"></oph-consent>${MEDIA}`);
    const placeholder = root.querySelector<HTMLElement>('.oph-consent-placeholder')!;
    expect(placeholder.lang).to.equal('en');
    expect(placeholder.textContent).to.contain('This content is blocked').and.contain('“Videos”');
    expect(placeholder.querySelector('button')!.textContent).to.equal('Cookie management');
  });

  it('iframes and images get their src on consent, and the placeholder goes', async () => {
    const { el, root } = await mount(ELEMENT + MEDIA);
    await el.setConsent({ analytics: true });
    expect(root.querySelector('iframe')!.hasAttribute('src')).to.equal(false);
    await el.setConsent({ video: true });
    const iframe = root.querySelector('iframe')!;
    expect(iframe.getAttribute('src')).to.equal('/test/fixtures/frame.html');
    expect(iframe.hidden).to.equal(false);
    expect(root.querySelector('img')!.getAttribute('src')).to.equal('/demo/favicon.svg');
    expect(root.querySelector('.oph-consent-placeholder')).to.equal(null);
  });
});

describe('iframes and images on withdrawal', () => {
  afterEach(clearCookies);

  it('CNIL-16: a withdrawal unloads gated iframes and images and brings the placeholder back', async () => {
    const { el, root } = await mount(
      `${ELEMENT}<iframe data-oph-category="video" data-src="/test/fixtures/frame.html" title="Lecteur vidéo"></iframe><img data-oph-category="video" data-src="/demo/favicon.svg" alt="Logo">`,
    );
    await el.setConsent({ video: true });
    expect(root.querySelector('iframe')!.getAttribute('src')).to.equal('/test/fixtures/frame.html');
    await el.setConsent({ video: false });
    const iframe = root.querySelector('iframe')!;
    expect(iframe.hasAttribute('src')).to.equal(false);
    expect(iframe.hidden).to.equal(true);
    expect(iframe.dataset.src).to.equal('/test/fixtures/frame.html');
    expect(root.querySelectorAll('.oph-consent-placeholder')).to.have.length(1);
    expect(root.querySelector('img')!.hasAttribute('src')).to.equal(false);
    await el.setConsent({ video: true });
    expect(root.querySelector('iframe')!.getAttribute('src')).to.equal('/test/fixtures/frame.html');
    expect(root.querySelector('.oph-consent-placeholder')).to.equal(null);
  });

  it('CNIL-16: reset() after an accept unloads gated iframes and images too, like every other withdrawal', async () => {
    const { el, root } = await mount(
      `${ELEMENT}<iframe data-oph-category="video" data-src="/test/fixtures/frame.html" title="Lecteur vidéo"></iframe><img data-oph-category="video" data-src="/demo/favicon.svg" alt="Logo">`,
    );
    await el.acceptAll();
    expect(root.querySelector('iframe')!.getAttribute('src')).to.equal('/test/fixtures/frame.html');
    await el.reset();
    await waitUntil(() => !root.querySelector('iframe')!.hasAttribute('src'), 'the iframe is unloaded', { timeout: 2000 });
    expect(root.querySelector('img')!.hasAttribute('src')).to.equal(false);
    expect(root.querySelectorAll('.oph-consent-placeholder')).to.have.length(1);
    expect(el.decided).to.equal(false);
  });
});

describe('elements added later (single-page apps)', () => {
  beforeEach(() => (window.ranScripts = []));
  afterEach(clearCookies);

  it('before a decision they are held, and run on consent', async () => {
    const { el, root } = await mount(ELEMENT);
    const section = document.createElement('section');
    section.innerHTML = `${inline('analytics', 'late')}<iframe data-oph-category="video" data-src="/test/fixtures/frame.html" title="x"></iframe>`;
    root.append(section);
    await waitUntil(() => root.querySelector('.oph-consent-placeholder'), 'the late iframe gets a placeholder');
    await aTimeout(50);
    expect(ran()).to.deep.equal([]);
    await el.acceptAll();
    expect(ran()).to.deep.equal(['late']);
    expect(root.querySelector('iframe')!.getAttribute('src')).to.equal('/test/fixtures/frame.html');
  });

  it('after a decision they run or load at once, and refused ones stay blocked', async () => {
    const { el, root } = await mount(ELEMENT);
    await el.setConsent({ analytics: true });
    const div = document.createElement('div');
    div.innerHTML = inline('analytics', 'late-allowed') + inline('video', 'late-refused');
    root.append(div);
    const img = document.createElement('img');
    img.dataset.ophCategory = 'analytics';
    img.dataset.src = '/demo/favicon.svg';
    img.alt = '';
    root.append(img);
    await waitUntil(() => ran().length === 1);
    expect(ran()).to.deep.equal(['late-allowed']);
    expect(img.getAttribute('src')).to.equal('/demo/favicon.svg');
  });

  it('looks only at the added nodes, not the whole document again', async () => {
    const { el, root } = await mount(ELEMENT);
    await el.acceptAll();
    const spy = document.querySelectorAll;
    let documentScans = 0;
    document.querySelectorAll = function (this: Document, ...args: Parameters<Document['querySelectorAll']>) {
      documentScans++;
      return spy.apply(this, args);
    } as Document['querySelectorAll'];
    try {
      for (let i = 0; i < 5; i++) root.insertAdjacentHTML('beforeend', inline('analytics', `late-${i}`));
      await waitUntil(() => ran().length === 5);
      expect(documentScans).to.equal(0);
    } finally {
      document.querySelectorAll = spy;
    }
  });
});
