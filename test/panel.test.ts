import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChangeDetail } from '../src/oph-consent.js';
import { CATALOG_URL, clearCookies, mount, part, shows } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const deepActive = () => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};
const switches = (el: HTMLElement) => Array.from(el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="switch"]'));

describe('preference panel', () => {
  afterEach(clearCookies);

  it('Personnaliser opens a modal dialog named by its title, with focus inside', async () => {
    const { el } = await mount(ELEMENT);
    part(el, 'customize')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    const dialog = part<HTMLDialogElement>(el, 'panel')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).to.equal('Paramètres des cookies');
    expect(dialog.contains(deepActive())).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('CNIL-07: one switch per category, required ones on and disabled, the others off', async () => {
    const { el } = await mount(ELEMENT);
    await el.showPreferences();
    const all = switches(el);
    expect(all.map((s) => s.getAttribute('aria-checked'))).to.deep.equal(['true', 'false', 'false']);
    expect(all.map((s) => s.disabled)).to.deep.equal([true, false, false]);
    const labelledBy = all.map((s) => el.shadowRoot!.getElementById(s.getAttribute('aria-labelledby')!)!.textContent);
    expect(labelledBy).to.deep.equal(['Nécessaires', 'Mesure d’audience', 'Vidéos']);
  });

  it('CNIL-08: saving records exactly the switches that were set, with method custom', async () => {
    const { el } = await mount(ELEMENT);
    await el.showPreferences();
    switches(el)[2].click();
    await el.updateComplete;
    expect(switches(el)[2].getAttribute('aria-checked')).to.equal('true');
    expect(switches(el)[1].getAttribute('aria-checked')).to.equal('false');
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    part(el, 'save')!.click();
    const detail = (await change).detail;
    expect(detail).to.deep.include({ method: 'custom', consent: { necessary: true, analytics: false, video: true }, changed: ['video'] });
    expect(el.shadowRoot!.querySelector('dialog[open]') === null, 'panel closed').to.equal(true);
    expect(shows(el, 'banner')).to.equal(false);
  });

  it('reopening after a decision shows the stored choices', async () => {
    const { el } = await mount(ELEMENT);
    await el.setConsent({ analytics: true });
    await el.showPreferences();
    expect(switches(el).map((s) => s.getAttribute('aria-checked'))).to.deep.equal(['true', 'true', 'false']);
  });

  it('Escape closes the panel without deciding and returns focus to Personnaliser', async () => {
    const { el } = await mount(ELEMENT);
    const customize = part(el, 'customize')!;
    customize.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    let changes = 0;
    el.addEventListener('oph-consent-change', () => changes++);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.shadowRoot!.querySelector('dialog'));
    expect(changes).to.equal(0);
    expect(el.decided).to.equal(false);
    expect(shows(el, 'banner')).to.equal(true);
    expect(deepActive()).to.equal(customize);
  });

  it('keyboard only: Personnaliser, Space on a switch, Save', async () => {
    const { el } = await mount(ELEMENT);
    part(el, 'customize')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    switches(el)[1].focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    part(el, 'save')!.focus();
    const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    await sendKeys({ press: 'Enter' });
    expect((await change).detail.consent).to.deep.equal({ necessary: true, analytics: true, video: false });
  });

  it('Tout accepter and Tout refuser in the panel decide too', async () => {
    const { el } = await mount(ELEMENT);
    await el.showPreferences();
    let change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    el.shadowRoot!.querySelector<HTMLButtonElement>('dialog [part~="reject-all"]')!.click();
    expect((await change).detail.method).to.equal('reject-all');
    await el.showPreferences();
    change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
    el.shadowRoot!.querySelector<HTMLButtonElement>('dialog [part~="accept-all"]')!.click();
    expect((await change).detail.method).to.equal('accept-all');
  });

  it('[data-oph-consent-open] opens the panel: a link on click, any element on Enter', async () => {
    const { el, root } = await mount(`${ELEMENT}<a href="#cookies" data-oph-consent-open>Gestion des cookies</a><span tabindex="0" data-oph-consent-open>Cookies</span>`);
    await el.rejectAll();
    const link = root.querySelector('a')!;
    link.click();
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    expect(location.hash).to.not.equal('#cookies');
    el.shadowRoot!.querySelector('dialog')!.close();
    await waitUntil(() => !el.shadowRoot!.querySelector('dialog'));
    root.querySelector<HTMLElement>('span')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    expect(el.decided).to.equal(true);
  });
});
