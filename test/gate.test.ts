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
