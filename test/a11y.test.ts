import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import type { OphConsent } from '../src/ui/oph-consent.js';
import { CATALOG_URL, captureConsoleErrors, clearCookies, mount, nextFrame, part, shows, openTables } from './helpers.js';

const ELEMENT = `<oph-consent catalog="${CATALOG_URL}"></oph-consent>`;
const OPH31 = `<oph-consent catalog="/catalog/oph31.json"></oph-consent>`;

const deepActive = (): Element | null => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};
const dialogOf = (el: OphConsent) => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[open]');
const controls = (root: ParentNode) => Array.from(root.querySelectorAll<HTMLElement>('button, a[href], summary'));

/** WCAG relative luminance contrast between two computed colours (`rgb(…)`/`rgba(…)`). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
const style = (e: Element, pseudo?: string) => getComputedStyle(e, pseudo);

async function openPanel(el: OphConsent) {
  await el.showPreferences();
  await waitUntil(() => dialogOf(el));
  return dialogOf(el)!;
}

describe('accessibility (RGAA 4.1 / WCAG 2.1 AA)', () => {
  afterEach(async () => {
    clearCookies();
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    await setViewport({ width: 800, height: 600 });
    document.documentElement.style.removeProperty('font-size');
    document.documentElement.style.removeProperty('color-scheme');
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`axe: banner, panel with its tables, floating button and the storage-error banner are accessible (${colorScheme})`, async () => {
      await emulateMedia({ colorScheme });
      document.documentElement.style.colorScheme = 'light dark'; // a page with a dark theme of its own
      const { el } = await mount(`<oph-consent floating-button catalog="/catalog/oph31.json"></oph-consent>`);
      await expect(el).to.be.accessible();
      await openPanel(el);
      await openTables(el);
      await expect(el).to.be.accessible();
      part(el, 'save')!.click();
      await waitUntil(() => shows(el, 'floating-button'));
      await expect(el).to.be.accessible();
      el.remove();
      clearCookies();
      Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} });
      const errors = captureConsoleErrors();
      try {
        const { el: blocked } = await mount(OPH31);
        await blocked.rejectAll();
        await blocked.reset();
        await blocked.updateComplete;
        expect(part(blocked, 'banner')!.querySelector('.warning')).to.not.equal(null);
        await expect(blocked).to.be.accessible();
      } finally {
        delete (document as unknown as Record<string, unknown>).cookie;
        errors.restore();
      }
    });
  }

  it('A11Y-01: the banner is a named, non-modal region; the panel a modal dialog named by its title', async () => {
    const { el } = await mount(ELEMENT);
    const banner = part(el, 'banner')!;
    expect(banner.getAttribute('role')).to.equal('region');
    expect(el.shadowRoot!.getElementById(banner.getAttribute('aria-labelledby')!)!.textContent).to.equal('Vos choix en matière de cookies');
    const dialog = await openPanel(el);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(el.shadowRoot!.getElementById(dialog.getAttribute('aria-labelledby')!)!.tagName).to.equal('H2');
  });

  it('A11Y-02 / A11Y-05: focus moves into the panel and returns to the footer link on Escape and after saving', async () => {
    const { el, root } = await mount(`${ELEMENT}<footer><a href="#" data-oph-consent-open>Gestion des cookies</a></footer>`);
    const link = root.querySelector('a')!;
    for (const close of [() => sendKeys({ press: 'Escape' }), async () => part(el, 'save')!.click()]) {
      link.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => dialogOf(el));
      expect(dialogOf(el)!.contains(deepActive())).to.equal(true);
      await close();
      await waitUntil(() => !dialogOf(el));
      expect(document.activeElement === link, 'document.activeElement is link').to.equal(true);
    }
  });

  it('A11Y-03: Tab and Shift+Tab stay inside the open panel', async () => {
    const { el } = await mount(ELEMENT);
    const dialog = await openPanel(el);
    const count = controls(dialog).filter((c) => !(c as HTMLButtonElement).disabled).length;
    for (const press of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < count + 2; i++) {
        if (press === 'Tab') await sendKeys({ press });
        else {
          await sendKeys({ down: 'Shift' });
          await sendKeys({ press: 'Tab' });
          await sendKeys({ up: 'Shift' });
        }
        const active = deepActive();
        // Native showModal() may hand focus to the browser's own UI between rounds (WCAG H102), never to the page.
        expect(active === document.body || dialog.contains(active), `${press} #${i + 1}`).to.equal(true);
      }
    }
  });

  it('A11Y-04: the banner traps nothing: Tab after its last control reaches the page', async () => {
    const { el, root } = await mount(`${ELEMENT}<button id="after">After</button>`);
    part(el, 'customize')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === root.querySelector('#after'), 'document.activeElement is root.querySelector(#after)').to.equal(true);
  });

  it('A11Y-06 / A11Y-07: the banner is operated by keyboard in reading order: dismiss, policy, accept, reject, customize', async () => {
    const { el, root } = await mount(`<button id="before">Before</button>${ELEMENT}`);
    root.querySelector<HTMLElement>('#before')!.focus();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      const a = deepActive() as HTMLElement;
      seen.push(a.getAttribute('part') ?? a.tagName.toLowerCase());
    }
    expect(seen).to.deep.equal(['button dismiss', 'a', 'button accept-all', 'button reject-all', 'button customize']);
    expect(el.shadowRoot!.querySelector('[tabindex]')).to.equal(null);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`A11Y-08: every control shows a focus ring of 2px or more with 3:1 contrast (${colorScheme})`, async () => {
      await emulateMedia({ colorScheme });
      document.documentElement.style.colorScheme = 'light dark'; // a page with a dark theme of its own
      const { el, root } = await mount(`<button id="before">Before</button>${ELEMENT}`);
      const check = (area: Element) => {
        const a = deepActive() as HTMLElement;
        const s = style(a);
        expect(s.outlineStyle, a.outerHTML).to.not.equal('none');
        expect(parseFloat(s.outlineWidth)).to.be.at.least(2);
        expect(contrast(s.outlineColor, style(area).backgroundColor)).to.be.at.least(3);
      };
      root.querySelector<HTMLElement>('#before')!.focus();
      for (let i = 0; i < 5; i++) {
        await sendKeys({ press: 'Tab' });
        check(part(el, 'banner')!);
      }
      const dialog = await openPanel(el);
      const stops = controls(dialog).filter((c) => !(c as HTMLButtonElement).disabled).length;
      for (let i = 0; i < stops; i++) {
        await sendKeys({ press: 'Tab' });
        if (deepActive() !== document.body) check(dialog);
      }
    });

    it(`A11Y-10 / A11Y-11: text 4.5:1, switches and borders 3:1 (${colorScheme})`, async () => {
      await emulateMedia({ colorScheme });
      document.documentElement.style.colorScheme = 'light dark'; // a page with a dark theme of its own
      const { el } = await mount(ELEMENT);
      const banner = part(el, 'banner')!;
      const bg = style(banner).backgroundColor;
      expect(contrast(style(banner.querySelector('p')!).color, bg), 'banner text').to.be.at.least(4.5);
      for (const name of ['accept-all', 'reject-all', 'customize']) {
        const b = part(el, name)!;
        const own = style(b).backgroundColor;
        const behind = own === 'rgba(0, 0, 0, 0)' ? bg : own;
        expect(contrast(style(b).color, behind), name).to.be.at.least(4.5);
        expect(contrast(style(b).borderTopColor, bg), `${name} border`).to.be.at.least(3);
      }
      const dialog = await openPanel(el);
      const panelBg = style(dialog).backgroundColor;
      expect(contrast(style(dialog.querySelector('.category p')!).color, panelBg), 'description').to.be.at.least(4.5);
      const sw = dialog.querySelectorAll('[role="switch"]')[1];
      const track = sw.querySelector('.track')!;
      expect(contrast(style(track).borderTopColor, panelBg), 'switch off: track').to.be.at.least(3);
      expect(contrast(style(track, '::after').backgroundColor, panelBg), 'switch off: thumb').to.be.at.least(3);
      (sw as HTMLElement).click();
      await el.updateComplete;
      expect(contrast(style(track).backgroundColor, panelBg), 'switch on: track').to.be.at.least(3);
      expect(contrast(style(track, '::after').backgroundColor, style(track).backgroundColor), 'switch on: thumb').to.be.at.least(3);
    });
  }

  it('A11Y-12: a switch’s state shows in words, not colour alone', async () => {
    const { el } = await mount(ELEMENT);
    const dialog = await openPanel(el);
    const sw = dialog.querySelectorAll<HTMLElement>('[role="switch"]')[1];
    // Plural, as "Toujours actifs": the words agree with the category's cookies.
    expect(sw.textContent!.trim()).to.equal('Désactivés');
    sw.click();
    await el.updateComplete;
    expect(sw.textContent!.trim()).to.equal('Activés');
  });

  it('A11Y-12: the always-on switch does not look like one that is on (dashed, muted, no accent), and every track lines up', async () => {
    await setViewport({ width: 1280, height: 800 });
    const { el } = await mount(ELEMENT);
    const dialog = await openPanel(el);
    const [required, optional] = dialog.querySelectorAll<HTMLElement>('[role="switch"]');
    optional.click();
    await el.updateComplete;
    const [fixed, on] = [required, optional].map((sw) => style(sw.querySelector('.track')!));
    expect(on.borderTopStyle).to.equal('solid');
    expect(fixed.borderTopStyle).to.equal('dashed');
    expect(fixed.backgroundColor, 'always-on track fill').to.not.equal(on.backgroundColor);
    expect(fixed.borderTopColor, 'always-on track border').to.not.equal(on.borderTopColor);
    const lefts = [...dialog.querySelectorAll('.track')].map((t) => t.getBoundingClientRect().left);
    expect(new Set(lefts.map(Math.round)).size, `track positions ${lefts.join(', ')}`).to.equal(1);
  });

  for (const [what, open] of [
    ['banner', async () => {}],
    ['panel', async (el: OphConsent) => void (await openPanel(el), await openTables(el))],
  ] as const) {
    it(`A11Y-13: no horizontal scroll at 320 CSS px (${what})`, async () => {
      await setViewport({ width: 320, height: 640 });
      const { el } = await mount(OPH31);
      await open(el);
      await el.updateComplete;
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
      const box = what === 'banner' ? part(el, 'banner')! : dialogOf(el)!;
      expect(box.scrollWidth).to.be.at.most(box.clientWidth);
      for (const b of el.shadowRoot!.querySelectorAll('button')) {
        const r = b.getBoundingClientRect();
        if (r.width) expect(r.right, b.textContent!).to.be.at.most(320);
      }
    });

    for (const width of [1280, 320]) {
      it(`A11Y-15: a visitor's text spacing reaches every text and button, nothing clipped (${what}, ${width} px)`, async () => {
        // What a text-spacing bookmarklet does (WCAG 1.4.12): styles on the page, which reach the shadow root only by inheritance.
        const spacing = document.createElement('style');
        spacing.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
        document.head.append(spacing);
        try {
          await setViewport({ width, height: 800 });
          const { el } = await mount(OPH31);
          await open(el);
          await el.updateComplete;
          const box = what === 'banner' ? part(el, 'banner')! : dialogOf(el)!;
          for (const b of box.querySelectorAll('button')) {
            const size = parseFloat(style(b).fontSize);
            expect(parseFloat(style(b).letterSpacing), `letter spacing of ${b.textContent!.trim()}`).to.be.closeTo(0.12 * size, 0.5);
            expect(parseFloat(style(b).wordSpacing), `word spacing of ${b.textContent!.trim()}`).to.be.closeTo(0.16 * size, 0.5);
            expect(parseFloat(style(b).lineHeight), `line height of ${b.textContent!.trim()}`).to.be.at.least(1.5 * size - 0.5);
            if (b.getBoundingClientRect().width) expect(b.scrollWidth, b.textContent!.trim()).to.be.at.most(b.clientWidth + 1);
          }
          expect(box.scrollWidth).to.be.at.most(box.clientWidth);
          expect(document.documentElement.scrollWidth).to.be.at.most(width);
        } finally {
          spacing.remove();
        }
      });
    }

    it(`A11Y-14: text at 200 % still fits without clipping (${what})`, async () => {
      document.documentElement.style.setProperty('font-size', '200%');
      await setViewport({ width: 1280, height: 800 });
      const { el } = await mount(OPH31);
      await open(el);
      await el.updateComplete;
      const accept = part(el, 'accept-all')!;
      expect(parseFloat(style(accept).fontSize)).to.be.at.least(32);
      for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('*')) {
        if (node.clientWidth > 1 && style(node).overflowX === 'hidden') expect(node.scrollWidth, node.className).to.be.at.most(node.clientWidth);
      }
      expect(document.documentElement.scrollWidth).to.be.at.most(1280);
    });
  }

  it('A11Y-16: every button, switch and disclosure is at least 24×24 px', async () => {
    const { el } = await mount(`<oph-consent floating-button catalog="/catalog/oph31.json"></oph-consent>`);
    const measure = (root: ParentNode) => {
      for (const c of root.querySelectorAll<HTMLElement>('button, summary')) {
        const r = c.getBoundingClientRect();
        expect(r.width, c.textContent!).to.be.at.least(24);
        expect(r.height, c.textContent!).to.be.at.least(24);
      }
    };
    measure(part(el, 'banner')!);
    measure(await openPanel(el));
    part(el, 'save')!.click();
    await waitUntil(() => shows(el, 'floating-button'));
    measure(el.shadowRoot!);
  });

  it('A11Y-17: no transition under prefers-reduced-motion', async () => {
    const { el } = await mount(ELEMENT);
    const track = (await openPanel(el)).querySelector('.track')!;
    expect(style(track, '::after').transitionDuration).to.not.equal('0s');
    await emulateMedia({ reducedMotion: 'reduce' });
    expect(style(track, '::after').transitionDuration).to.equal('0s');
    for (const node of el.shadowRoot!.querySelectorAll('*')) {
      expect(style(node).animationName).to.equal('none');
      expect(style(node).transitionDuration).to.equal('0s');
    }
  });

  it('A11Y-19 / A11Y-20: switches are labelled by their category title, described by its text, grouped under a legend; Space toggles', async () => {
    const { el } = await mount(ELEMENT);
    const dialog = await openPanel(el);
    expect(dialog.querySelector('fieldset > legend')!.textContent).to.equal('Catégories de cookies');
    const sw = dialog.querySelectorAll<HTMLButtonElement>('[role="switch"]')[1];
    const root = el.shadowRoot!;
    expect(root.getElementById(sw.getAttribute('aria-labelledby')!)!.textContent).to.equal('Mesure d’audience');
    expect(root.getElementById(sw.getAttribute('aria-describedby')!)!.textContent).to.equal('Statistiques de visite.');
    const label = sw.getAttribute('aria-labelledby');
    sw.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(sw.getAttribute('aria-checked')).to.equal('true');
    expect(sw.getAttribute('aria-labelledby')).to.equal(label);
  });

  it('A11Y-21: toggling a switch saves nothing, closes nothing, fires nothing', async () => {
    const { el } = await mount(ELEMENT);
    const dialog = await openPanel(el);
    let changes = 0;
    el.addEventListener('oph-consent-change', () => changes++);
    dialog.querySelectorAll<HTMLElement>('[role="switch"]')[1].click();
    await el.updateComplete;
    expect(changes).to.equal(0);
    expect(document.cookie).to.not.contain('testConsent');
    expect(dialogOf(el) === dialog, 'dialogOf(el) is dialog').to.equal(true);
  });

  it('A11Y-22: saving announces “Vos choix ont été enregistrés.” politely, without moving focus to it', async () => {
    const { el, root } = await mount(`${ELEMENT}<button id="opener" data-oph-consent-open>Cookies</button>`);
    const status = el.shadowRoot!.querySelector('[role="status"]')!;
    expect(status.textContent).to.equal('');
    const opener = root.querySelector<HTMLElement>('#opener')!;
    opener.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialogOf(el));
    const change = oneEvent(el, 'oph-consent-change');
    part(el, 'save')!.click();
    await change;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]') === status, 'el.shadowRoot!.querySelector([role="stat is status').to.equal(true);
    expect(status.textContent).to.equal('Vos choix ont été enregistrés.');
    expect(document.activeElement === opener, 'document.activeElement is opener').to.equal(true);
  });

  it('A11Y-23: the component carries its lang, and catalog text in another language carries its own', async () => {
    const { el } = await mount(`<oph-consent lang="en" catalog="/catalog/oph31.json"></oph-consent>`);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('en');
    const dialog = await openPanel(el);
    // OPH31's provider names are plain strings; its purposes have English text: no lang needed.
    expect(dialog.querySelector('h3')!.hasAttribute('lang')).to.equal(false);
    el.catalog = { ...(await (await fetch('/catalog/oph31.json')).json()), categories: [{ id: 'necessary', title: { fr: 'Nécessaires' }, description: 'x', required: true }], cookies: [] };
    await oneEvent(el, 'oph-consent-ready');
    const again = await openPanel(el);
    expect(again.querySelector('h3')!.getAttribute('lang')).to.equal('fr');
  });

  it('A11Y-24: every IDREF points inside the shadow root', async () => {
    const { el } = await mount(OPH31);
    await openPanel(el);
    const refs = el.shadowRoot!.querySelectorAll('[aria-labelledby], [aria-describedby], [for], [aria-controls]');
    expect(refs.length).to.be.greaterThan(3);
    for (const node of refs) {
      for (const attr of ['aria-labelledby', 'aria-describedby', 'for', 'aria-controls']) {
        for (const id of (node.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          expect(el.shadowRoot!.getElementById(id), `${attr}=${id}`).to.not.equal(null);
        }
      }
    }
  });

  describe('phone, 400 % zoom and high contrast', () => {
    /** Whether a control is on screen and is what a tap at its centre reaches (not under a sticky part). */
    const reachable = (el: OphConsent, control: Element) => {
      const r = control.getClientRects()[0]; // a link's first line, if it wraps
      const hit = el.shadowRoot!.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return r.top >= 0 && r.bottom <= innerHeight + 0.5 && r.left >= 0 && r.right <= innerWidth && !!hit && control.contains(hit);
    };

    for (const lang of ['fr', 'en']) {
      it(`A11Y-13: on a 320×640 phone the banner takes under half the screen, with nothing cut or scrolled away (${lang})`, async () => {
        await setViewport({ width: 320, height: 640 });
        const { el } = await mount(`<oph-consent lang="${lang}" catalog="/catalog/oph31.json"></oph-consent>`);
        const banner = part(el, 'banner')!;
        const box = banner.getBoundingClientRect();
        expect(box.height, 'banner height').to.be.below(320);
        expect(banner.scrollHeight, 'nothing hidden in the banner').to.be.at.most(banner.clientHeight);
        for (const control of controls(banner)) expect(reachable(el, control), control.textContent!.trim()).to.equal(true);
        // Continuer sans accepter starts on the text's edge, not indented by its padding.
        const text = banner.querySelector('p')!.getBoundingClientRect();
        expect(part(el, 'dismiss')!.getBoundingClientRect().left).to.be.closeTo(text.left, 1);
      });
    }

    it('A11Y-13: on a 320×640 phone the panel keeps its title and Fermer at the top and its three decisions at the bottom, however far it is scrolled', async () => {
      await setViewport({ width: 320, height: 640 });
      const { el } = await mount(OPH31);
      const dialog = await openPanel(el);
      await openTables(el);
      const body = dialog.querySelector('.body')!;
      expect(body.scrollHeight, 'a long panel (both tables open)').to.be.above(2 * dialog.clientHeight);
      expect(dialog.scrollHeight, 'only the part between the title and the decisions scrolls').to.be.at.most(dialog.clientHeight + 1);
      for (const at of [0, 0.5, 1]) {
        body.scrollTop = at * (body.scrollHeight - body.clientHeight);
        await nextFrame();
        const title = dialog.querySelector('h2')!.getBoundingClientRect();
        expect(title.top, `title at scroll ${at}`).to.be.at.least(0);
        for (const name of ['close', 'save', 'accept-all', 'reject-all']) {
          const button = dialog.querySelector(`[part~="${name}"]`)!;
          expect(reachable(el, button), `${name} at scroll ${at}`).to.equal(true);
          expect(button.getBoundingClientRect().height, `${name} on one line`).to.be.below(45);
        }
      }
    });

    it('on a desktop an open cookie table keeps its column names in view while its rows scroll', async () => {
      await setViewport({ width: 1280, height: 600 });
      const { el } = await mount(OPH31);
      const dialog = await openPanel(el);
      const [table] = await openTables(el);
      const body = dialog.querySelector('.body')!;
      const rows = table.querySelectorAll('tbody tr');
      body.scrollTop += rows[5].getBoundingClientRect().top - body.getBoundingClientRect().top; // row 6 at the top
      await nextFrame();
      const name = table.querySelector('thead th')!;
      const box = name.getBoundingClientRect();
      expect(box.top, 'column names at the top of the scrolling part').to.be.closeTo(body.getBoundingClientRect().top, 1);
      expect(name.contains(el.shadowRoot!.elementFromPoint(box.x + 5, box.y + box.height / 2)), 'not covered by the rows').to.equal(true);
    });

    it('the desktop panel’s three decisions each fit on one line', async () => {
      await setViewport({ width: 1280, height: 800 });
      const { el } = await mount(OPH31);
      const dialog = await openPanel(el);
      const line = parseFloat(style(part(el, 'save')!).lineHeight);
      for (const name of ['save', 'accept-all', 'reject-all']) {
        const button = dialog.querySelector(`[part~="${name}"]`)!;
        expect(button.getBoundingClientRect().height, name).to.be.below(2 * line);
      }
    });

    for (const what of ['banner', 'panel'] as const) {
      it(`A11Y-13: at 400 % zoom (320×256 CSS px) every control of the ${what} can be scrolled to and pressed`, async () => {
        await setViewport({ width: 320, height: 256 });
        const { el } = await mount(OPH31);
        if (what === 'panel') {
          await openPanel(el);
          await openTables(el);
        }
        const box = what === 'banner' ? part(el, 'banner')! : dialogOf(el)!;
        expect(document.documentElement.scrollWidth).to.be.at.most(320);
        const all = controls(box);
        expect(all.length).to.be.at.least(what === 'banner' ? 5 : 8);
        for (const control of all) {
          control.scrollIntoView({ block: 'nearest' });
          await nextFrame();
          expect(reachable(el, control), control.textContent!.trim()).to.equal(true);
        }
      });
    }

    it('forced colours (Windows contrast themes): every button keeps a border, and off, on and always-on switches stay distinct', async () => {
      await executeServerCommand('forced-colors', 'active');
      try {
        expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
        const { el } = await mount(ELEMENT);
        const bordered = (b: Element) => parseFloat(style(b).borderTopWidth) >= 1 && style(b).borderTopStyle !== 'none';
        for (const b of part(el, 'banner')!.querySelectorAll('button')) expect(bordered(b), b.textContent!.trim()).to.equal(true);
        const dialog = await openPanel(el);
        // A switch's outline is its track's.
        for (const b of dialog.querySelectorAll('button')) expect(bordered(b.matches('[role="switch"]') ? b.querySelector('.track')! : b), b.textContent!.trim()).to.equal(true);
        const [required, off] = dialog.querySelectorAll<HTMLElement>('[role="switch"]');
        const look = (sw: Element) => {
          const track = sw.querySelector('.track')!;
          const fill = style(track).backgroundColor;
          return { fill: fill === 'rgba(0, 0, 0, 0)' ? style(dialog).backgroundColor : fill, border: style(track).borderTopColor, thumb: style(track, '::after').backgroundColor };
        };
        const before = look(off);
        off.click();
        await el.updateComplete;
        const after = look(off);
        expect(after.fill, 'on vs off fill').to.not.equal(before.fill);
        expect(contrast(before.thumb, before.fill), 'off: thumb on track').to.be.at.least(3);
        expect(contrast(after.thumb, after.fill), 'on: thumb on track').to.be.at.least(3);
        expect(JSON.stringify(look(required)), 'always-on vs on').to.not.equal(JSON.stringify(after));
      } finally {
        await executeServerCommand('forced-colors', 'none');
      }
    });
  });

  describe('theme (CONTRACT.md 6.4)', () => {
    const WHITE = 'rgb(255, 255, 255)';
    const DARK = 'rgb(28, 29, 33)';
    const banner = async () => {
      const { el } = await mount(OPH31);
      return { el, background: () => style(part(el, 'banner')!).backgroundColor };
    };

    it('without the attribute it follows the page: light on a page with no dark theme, even for a visitor who prefers dark', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const { background } = await banner();
      expect(background()).to.equal(WHITE);
    });

    it('without the attribute, a page that supports dark (its color-scheme) gets the dark banner when the visitor prefers dark', async () => {
      document.documentElement.style.colorScheme = 'light dark';
      const { background } = await banner();
      await emulateMedia({ colorScheme: 'dark' });
      expect(background()).to.equal(DARK);
      await emulateMedia({ colorScheme: 'light' });
      expect(background()).to.equal(WHITE);
    });

    it('theme="light" and theme="dark" hold whatever the page and the visitor prefer; theme="auto" follows the visitor', async () => {
      document.documentElement.style.colorScheme = 'light dark';
      await emulateMedia({ colorScheme: 'dark' });
      const { el, background } = await banner();
      el.setAttribute('theme', 'light');
      expect(background()).to.equal(WHITE);
      document.documentElement.style.removeProperty('color-scheme');
      await emulateMedia({ colorScheme: 'light' });
      el.setAttribute('theme', 'dark');
      expect(background()).to.equal(DARK);
      el.setAttribute('theme', 'auto');
      expect(background()).to.equal(WHITE);
      await emulateMedia({ colorScheme: 'dark' });
      expect(background()).to.equal(DARK);
    });

    it('the dark panel is lifted from the dimmed page behind it: a lighter surface than the banner', async () => {
      const { el, background } = await banner();
      el.setAttribute('theme', 'dark');
      const panel = style(await openPanel(el)).backgroundColor;
      const black = 'rgb(0, 0, 0)';
      expect(contrast(panel, black), `panel ${panel} vs banner ${background()}`).to.be.above(contrast(background(), black) + 0.2);
    });
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`CNIL-03: --oph-consent-* properties theme it, and accept and refuse keep the same weight (${colorScheme})`, async () => {
      await emulateMedia({ colorScheme });
      document.documentElement.style.colorScheme = 'light dark'; // a page with a dark theme of its own
      const { el } = await mount(ELEMENT);
      el.style.setProperty('--oph-consent-accent', 'rgb(0, 90, 156)');
      el.style.setProperty('--oph-consent-radius', '0px');
      const accept = style(part(el, 'accept-all')!);
      const reject = style(part(el, 'reject-all')!);
      expect(accept.backgroundColor).to.equal('rgb(0, 90, 156)');
      expect(accept.borderTopLeftRadius).to.equal('0px');
      for (const p of ['background-color', 'color', 'border-top-color', 'border-top-width', 'font-size', 'font-weight', 'font-family', 'padding-left']) {
        expect(reject.getPropertyValue(p), p).to.equal(accept.getPropertyValue(p));
      }
    });
  }
});
