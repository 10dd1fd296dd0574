import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ChangeDetail } from '../src/ui/oph-consent.js';
import { formatRetention } from '../src/ui/i18n.js';
import { CATALOG_URL, clearCookies, mount, part, shows, openTables } from './helpers.js';

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
    expect(deepActive() === customize, 'deepActive() is customize').to.equal(true);
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

  it('French typography: on a phone each cookie is a card whose labels take a no-break space before the colon in French only', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      const { el } = await mount(`<oph-consent catalog="/catalog/oph31.json"></oph-consent>`);
      await el.showPreferences();
      const [table] = await openTables(el);
      const label = () => getComputedStyle(table.querySelector('tbody td')!, '::before').content;
      expect(getComputedStyle(table.querySelector('thead')!).display).to.equal('none');
      expect(label()).to.equal('"Finalité\u00a0: "');
      el.setAttribute('lang', 'en');
      await el.updateComplete;
      expect(label()).to.equal('"Purpose: "');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('CNIL-09: each category’s cookies are in a table with column headers: name, purpose, retention, provider', async () => {
    const { el } = await mount(`<oph-consent catalog="/catalog/oph31.json"></oph-consent>`);
    await el.showPreferences();
    // Closed tables are not rendered at all: the panel of a 1,000-cookie catalog opens fast.
    expect(el.shadowRoot!.querySelectorAll('dialog table')).to.have.length(0);
    const tables = await openTables(el);
    expect(tables).to.have.length(2);
    const headers = Array.from(tables[0].querySelectorAll('thead th'), (th) => [th.getAttribute('scope'), th.textContent]);
    expect(headers).to.deep.equal([['col', 'Nom'], ['col', 'Finalité'], ['col', 'Durée de conservation'], ['col', 'Émetteur']]);
    expect(tables[0].querySelectorAll('tbody tr')).to.have.length(11);
    expect(tables[1].querySelectorAll('tbody tr')).to.have.length(7);
    const row = (table: Element, name: string) =>
      Array.from(table.querySelectorAll('tbody tr'))
        .map((tr) => Array.from(tr.children, (c) => c.textContent!.trim().replace(/\s/g, ' ')))
        .find((cells) => cells[0] === name);
    expect(row(tables[0], 'cookieConsent')).to.deep.equal(['cookieConsent', 'Rappel du consentement à l’utilisation des cookies', '365 jours', 'OPH31']);
    expect(row(tables[0], 'XSRF-TOKEN')![2]).to.equal('2 heures');
    expect(row(tables[0], 'WSS_FullScreenMode')![2]).to.equal('Jusqu’à la fermeture du navigateur');
    expect(row(tables[0], 'customer-auth')![2]).to.equal('Non précisée');
    expect(row(tables[1], '_utma')!.slice(2)).to.deep.equal(['2 ans', 'Google']);
    expect(row(tables[1], '_utmz')![2]).to.equal('6 mois');
    expect(row(tables[1], '_utmt')![2]).to.equal('10 minutes');
    expect(tables[0].closest('details')!.querySelector('summary')!.textContent).to.equal('Voir les 11 cookies');
  });

  it('the tables speak English with lang="en"', async () => {
    const { el } = await mount(`<oph-consent lang="en" catalog="/catalog/oph31.json"></oph-consent>`);
    await el.showPreferences();
    await openTables(el);
    const first = el.shadowRoot!.querySelector('dialog tbody tr')!;
    expect(Array.from(first.children, (c) => c.textContent!.trim().replace(/\s/g, ' '))).to.deep.equal(['cookieConsent', 'Remembers your consent to the use of cookies', '365 days', 'OPH31']);
    expect(Array.from(el.shadowRoot!.querySelectorAll('dialog thead th'), (th) => th.textContent).slice(0, 4)).to.deep.equal(['Name', 'Purpose', 'Retention', 'Provider']);
  });

  it('retention is rendered with Intl in the visitor’s language', () => {
    // Intl puts a no-break space between the number and the unit, as French typography wants.
    expect(formatRetention('P365D', 'fr')).to.equal('365\u00a0jours');
    const plain = (r: string, l: 'fr' | 'en') => formatRetention(r, l).replace(/\s/g, ' ');
    expect(plain('P365D', 'fr')).to.equal('365 jours');
    expect(plain('PT2H', 'fr')).to.equal('2 heures');
    expect(plain('P1D', 'fr')).to.equal('1 jour');
    expect(plain('session', 'fr')).to.equal('Jusqu’à la fermeture du navigateur');
    expect(plain('P365D', 'en')).to.equal('365 days');
    expect(plain('PT1H', 'en')).to.equal('1 hour');
    expect(plain('P1Y6M', 'en')).to.equal('1 year and 6 months');
    expect(plain('session', 'en')).to.equal('Until the browser closes');
    expect(plain('persistent', 'en')).to.equal('Persistent, no duration given');
    expect(plain('P1Y2M3D', 'fr')).to.equal('1 an, 2 mois et 3 jours');
    expect(plain('P1Y2M3D', 'en')).to.equal('1 year, 2 months, and 3 days');
  });

  it('GDPR art. 13 / CNIL-09: the panel names the controller, its DPO, contact, address, the rights to withdraw and to complain, and the policy', async () => {
    const { el } = await mount(`<oph-consent catalog="/catalog/oph31.json"></oph-consent>`);
    await el.showPreferences();
    const about = el.shadowRoot!.querySelector('dialog .about')!;
    const text = about.textContent!.replace(/\s+/g, ' ');
    for (const expected of [
      'Responsable du traitement',
      'OPH31 – Office Public de l\'Habitat de la Haute-Garonne',
      'Délégué à la protection des données',
      'THE NEOSHIELDS',
      'ril@oph31.fr',
      '75 rue Saint-Jean, BP 63102, 31131 Balma Cedex',
      '05 62 73 56 00',
      'retirer votre consentement à tout moment',
      'réclamation à la CNIL',
    ]) {
      expect(text).to.contain(expected);
    }
    const links = Array.from(about.querySelectorAll('a'), (a) => a.href);
    expect(links).to.deep.equal(['mailto:ril@oph31.fr', 'https://www.cnil.fr/fr/adresser-une-plainte', 'https://www.oph31.fr/politique-de-confidentialite']);
  });

  it('CNIL-14: a consent-exempt category is on without a decision, and the visitor can turn it off', async () => {
    const json = await (await fetch(CATALOG_URL)).json();
    json.categories[1].exempt = true;
    const el = document.createElement('oph-consent');
    el.catalog = json;
    const ready = oneEvent(el, 'oph-consent-ready');
    document.body.append(el);
    try {
      expect((await ready).detail.consent).to.deep.equal({ necessary: true, analytics: true, video: false });
      await el.showPreferences();
      const sw = switches(el)[1];
      expect(sw.getAttribute('aria-checked')).to.equal('true');
      expect(sw.disabled).to.equal(false);
      sw.click();
      await el.updateComplete;
      const change = oneEvent(el, 'oph-consent-change') as unknown as Promise<CustomEvent<ChangeDetail>>;
      part(el, 'save')!.click();
      expect((await change).detail).to.deep.include({ consent: { necessary: true, analytics: false, video: false }, changed: ['analytics'] });
    } finally {
      el.remove();
    }
  });

  it('CNIL-15: the floating button appears only after a decision, is labelled, reachable, and reopens the panel', async () => {
    const { el } = await mount(`<oph-consent floating-button catalog="${CATALOG_URL}"></oph-consent>`);
    expect(shows(el, 'floating-button')).to.equal(false);
    await el.rejectAll();
    const button = part(el, 'floating-button')!;
    expect(button.getAttribute('aria-label')).to.equal('Gestion des cookies');
    button.focus();
    expect(el.shadowRoot!.activeElement === button, 'el.shadowRoot!.activeElement is button').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('dialog[open]'));
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => shows(el, 'floating-button'));
    expect(deepActive() === part(el, 'floating-button'), 'deepActive() is part(el, floating-button)').to.equal(true);
  });

  it('without the floating-button attribute there is no floating button', async () => {
    const { el } = await mount(ELEMENT);
    await el.acceptAll();
    expect(shows(el, 'floating-button')).to.equal(false);
    el.setAttribute('floating-button', '');
    await el.updateComplete;
    expect(shows(el, 'floating-button')).to.equal(true);
  });
});
