/**
 * What the visitor sees: the banner, the preference panel and the floating button, as Lit templates.
 * Pure functions of a view model; the element owns state and behaviour. Catalog text is always
 * bound as text, so markup in a catalog can never become HTML.
 */
import { html, nothing } from 'lit/html.js';
import { localize, textLanguage, type Catalog, type Category, type CookieInfo, type Text } from '../core/catalog.js';
import { LABELS, formatRetention, type Labels, type Language } from './i18n.js';
import type { Consent, Method } from '../core/record.js';

export interface ViewModel {
  readonly catalog: Catalog;
  readonly language: Language;
  /** The switches' state while the panel is open. */
  readonly draft: Consent;
  readonly storageBlocked: boolean;
  /** The browser sends Global Privacy Control. */
  readonly gpc: boolean;
  readonly decide: (method: Method) => void;
  readonly openPanel: () => void;
  readonly closePanel: () => void;
  readonly toggle: (categoryId: string) => void;
  /** The categories whose cookie table is open: closed tables are not rendered at all (1,000 cookies stay cheap). */
  readonly openTables: ReadonlySet<string>;
  readonly showTable: (categoryId: string, open: boolean) => void;
  /** The dialog closed, however (Escape, Fermer, a decision). */
  readonly panelClosed: () => void;
}

/** The `lang` of a catalog text shown in another language than the element's (RGAA 8.7), else none. */
const langOf = (t: Text | undefined, language: Language) => {
  const shown = t === undefined ? language : textLanguage(t, language);
  return shown === language ? nothing : shown;
};

const say = (t: Text | undefined, language: Language) => html`<span lang=${langOf(t, language)}>${localize(t, language)}</span>`;

/**
 * The third parties a category's cookies send data to: its providers other than the controller
 * (a provider that the controller's name begins with, such as "OPH31", is the controller itself).
 */
function thirdParties(catalog: Catalog, category: Category, language: Language): string[] {
  const controller = localize(catalog.controller.name, language);
  const names = catalog.cookies.filter((c) => c.category === category.id && c.provider !== undefined).map((c) => localize(c.provider, language));
  return [...new Set(names)].filter((name) => !controller.startsWith(name));
}

export function banner(v: ViewModel) {
  const { catalog, language } = v;
  const t = LABELS[language];
  // The purposes asked for, each with who else receives its data (CNIL-09 a, b), as a list: titles keep their capital.
  const purposes = catalog.categories
    .filter((c) => !c.required)
    .map((c) => {
      // At most three names in the first layer; the panel's tables list them all (CNIL-09 b: reachable from it).
      const parties = thirdParties(catalog, c, language);
      const named = parties.length > 4 ? [...parties.slice(0, 3), t.others(parties.length - 3)] : parties;
      return html`<li>${say(c.title, language)}${parties.length ? t.thirdParties(named) : ''}</li>`;
    });
  // Escape in the banner closes it, and closing is a refusal, never a consent (CNIL-06).
  const onKeydown = (e: KeyboardEvent) => e.key === 'Escape' && v.decide('dismiss');
  // id: the name cookie scanners look for first (they pierce open shadow roots; the host is only a hook, with no box).
  return html`<section id="cookie-banner" part="banner" class="banner" role="region" aria-labelledby="banner-title" @keydown=${onKeydown}>
    <div class="head">
      <h2 id="banner-title">${t.title}</h2>
      <button part="button dismiss" class="link" @click=${() => v.decide('dismiss')}>${t.dismiss}</button>
    </div>
    <p>${t.intro(localize(catalog.controller.name, language))}</p>
    <ul class="purposes">${purposes}</ul>
    <p>${t.withdraw} <a href=${catalog.controller.privacyPolicyUrl}>${t.policy}</a></p>
    ${v.storageBlocked ? html`<p class="warning">${t.noStorage}</p>` : nothing}
    <div class="actions">
      <button part="button accept-all" class="button" @click=${() => v.decide('accept-all')}>${t.acceptAll}</button>
      <button part="button reject-all" class="button" @click=${() => v.decide('reject-all')}>${t.rejectAll}</button>
      <button part="button customize" class="button secondary" @click=${v.openPanel}>${t.customize}</button>
    </div>
  </section>`;
}

export function panel(v: ViewModel) {
  const { catalog, language } = v;
  const t = LABELS[language];
  return html`<dialog part="panel" class="panel" aria-labelledby="panel-title" @close=${v.panelClosed}>
    <div class="head">
      <h2 id="panel-title">${t.panelTitle}</h2>
      <button part="button close" class="link" @click=${v.closePanel}>${t.close}</button>
    </div>
    <div class="body">
      <p>${t.panelIntro}</p>
      ${v.gpc ? html`<p class="warning">${t.gpc}</p>` : nothing}
      ${v.storageBlocked ? html`<p class="warning">${t.noStorage}</p>` : nothing}
      <fieldset>
        <legend>${t.categories}</legend>
        ${catalog.categories.map((c) => category(v, c))}
      </fieldset>
      ${controller(catalog, language)}
    </div>
    <div class="actions">
      <button part="button save" class="button" @click=${() => v.decide('custom')}>${t.save}</button>
      <button part="button accept-all" class="button" @click=${() => v.decide('accept-all')}>${t.acceptAll}</button>
      <button part="button reject-all" class="button" @click=${() => v.decide('reject-all')}>${t.rejectAll}</button>
    </div>
  </dialog>`;
}

function category(v: ViewModel, c: Category) {
  const { catalog, language } = v;
  const t = LABELS[language];
  const on = c.required || v.draft[c.id] === true;
  const id = `category-${c.id}`;
  const cookies = catalog.cookies.filter((cookie) => cookie.category === c.id);
  return html`<section class="category" aria-labelledby="${id}-title">
    <div class="head">
      <h3 id="${id}-title" lang=${langOf(c.title, language)}>${localize(c.title, language)}</h3>
      <button
        part="switch"
        class="switch"
        role="switch"
        aria-checked=${on}
        aria-labelledby="${id}-title"
        aria-describedby="${id}-description"
        ?disabled=${c.required}
        @click=${() => v.toggle(c.id)}
      >
        <span class="track" aria-hidden="true"></span>
        <span aria-hidden="true">${c.required ? t.alwaysOn : on ? t.on : t.off}</span>
      </button>
    </div>
    <p id="${id}-description" lang=${langOf(c.description, language)}>${localize(c.description, language)}</p>
    ${cookies.length
      ? html`<details ?open=${v.openTables.has(c.id)} @toggle=${(e: Event) => v.showTable(c.id, (e.target as HTMLDetailsElement).open)}>
          <summary>${t.showCookies(cookies.length)}</summary>
          ${v.openTables.has(c.id) ? table(t, c, cookies, language) : nothing}
        </details>`
      : nothing}
  </section>`;
}

function table(t: Labels, c: Category, cookies: readonly CookieInfo[], language: Language) {
  return html`<table>
    <caption class="visually-hidden">${t.cookiesOf(localize(c.title, language))}</caption>
    <thead>
      <tr>${t.columns.map((name) => html`<th scope="col">${name}</th>`)}</tr>
    </thead>
    <tbody>
      ${cookies.map(
        (cookie) => html`<tr>
          <th scope="row" data-label=${t.columns[0]}><code>${cookie.name}</code></th>
          <td data-label=${t.columns[1]}>${say(cookie.purpose, language)}</td>
          <td data-label=${t.columns[2]}>${formatRetention(cookie.retention, language)}</td>
          <td data-label=${t.columns[3]}>${cookie.provider === undefined ? '—' : say(cookie.provider, language)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Who decides, how to reach them, and the visitor's rights (GDPR art. 13, CNIL-09). */
function controller(catalog: Catalog, language: Language) {
  const t = LABELS[language];
  const c = catalog.controller;
  const row = (term: string, value: unknown) => (value === undefined ? nothing : html`<dt>${term}</dt><dd>${value}</dd>`);
  return html`<section class="about" aria-labelledby="about-title">
    <h3 id="about-title">${t.about}</h3>
    <dl>
      ${row(t.controller, say(c.name, language))} ${row(t.dpo, c.dpo && say(c.dpo, language))}
      ${row(t.contact, html`<a href="mailto:${c.email}">${c.email}</a>`)} ${row(t.address, c.address && say(c.address, language))}
      ${row(t.phone, c.phone)}
    </dl>
    <p>${t.withdrawRight}</p>
    <p>
      <a href=${c.complaintUrl ?? 'https://www.cnil.fr/fr/plaintes'}>${t.complain}</a> ·
      <a href=${c.privacyPolicyUrl}>${t.policy}</a>
    </p>
  </section>`;
}

const cookieIcon = html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5Zm-3.5 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm0 6a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm6 1a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Z"/></svg>`;

/** The small button that reopens the panel after a decision (attribute `floating-button`). */
export function floatingButton(v: ViewModel) {
  const label = LABELS[v.language].reopen;
  return html`<button part="button floating-button" class="floating" aria-label=${label} @click=${v.openPanel}>
    ${cookieIcon}
  </button>`;
}
