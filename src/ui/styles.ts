
/**
 * Calm, neutral defaults for a public service. Every colour, the font, radius, spacing and z-index
 * are `--oph-consent-*` custom properties (with dark defaults where the used colour scheme is dark).
 * Accept and refuse share one class: same size, colours, border and font in every theme (CNIL-03).
 * Sizes are in rem/em so that text zoom scales everything (RGAA 10.4).
 */
const css = String.raw;

const styles = css`
  :host {
    --_bg: var(--oph-consent-background,#fff);
    --_fg: var(--oph-consent-color,#1b1b1f);
    --_muted: var(--oph-consent-muted,#4a4a55);
    --_accent: var(--oph-consent-accent,#1d4f91);
    --_on-accent: var(--oph-consent-on-accent,#fff);
    --_border: var(--oph-consent-border,#767684);
    --_focus: var(--oph-consent-focus,#1d4f91);
    --_radius: var(--oph-consent-radius,0.5rem);
    --_space: var(--oph-consent-spacing,1rem);
    font: 1rem/1.5 var(--oph-consent-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);
    color: var(--_fg);
  }
  /*
   * Dark only where the used colour scheme is dark (CONTRACT.md 6.4): light-dark() follows the colour-scheme the host
   * inherits from the page (dark when the page supports it and the visitor prefers it), or the theme attribute's.
   * Browsers without light-dark() keep the light colours.
   */
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_bg: var(--oph-consent-background,light-dark(#fff,#1c1d21));
      --_fg: var(--oph-consent-color,light-dark(#1b1b1f,#f2f2f4));
      --_muted: var(--oph-consent-muted,light-dark(#4a4a55,#c4c4cc));
      --_accent: var(--oph-consent-accent,light-dark(#1d4f91,#9cc2ff));
      --_on-accent: var(--oph-consent-on-accent,light-dark(#fff,#0b1d36));
      --_border: var(--oph-consent-border,light-dark(#767684,#9a9aa6));
      --_focus: var(--oph-consent-focus,light-dark(#1d4f91,#9cc2ff));
    }
    /* The dark panel is lifted from the dimmed page behind it. */
    .panel {
      --_bg: var(--oph-consent-background,light-dark(#fff,#2b2c33));
    }
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='dark']) {
    color-scheme: dark;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  * {
    box-sizing: border-box;
  }
  .banner,
  .panel,
  .floating {
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
  }
  .banner {
    position: fixed;
    inset: auto 0 0;
    z-index: var(--oph-consent-z-index,2147483000);
    max-width: 60rem;
    max-height: 100vh;
    overflow: auto;
    margin: 0 auto;
    padding: var(--_space);
    border-radius: var(--_radius) var(--_radius) 0 0;
    box-shadow: 0 -0.25rem 1.5rem #0003;
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.3;
  }
  h3 {
    margin: 0;
    font-size: 1.0625em;
  }
  p,
  dl {
    margin: 0.5em 0;
  }
  a {
    color: inherit;
  }
  .purposes {
    margin: 0.5em 0;
    padding-left: 1.25em;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25em 1em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75em;
    margin-top: var(--_space);
  }
  button {
    /* The visitor's own text spacing reaches controls too (WCAG 1.4.12): browsers reset it on buttons. */
    font: inherit;
    letter-spacing: inherit;
    word-spacing: inherit;
    min-height: 2.75em;
    min-width: 2.75em;
    cursor: pointer;
  }
  .button {
    flex: 1 1 9em;
    padding: 0.5em 1.25em;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
  }
  .button.secondary {
    color: var(--_accent);
    background: var(--_bg);
  }
  .link {
    flex-shrink: 0;
    padding: 0.25em 0.5em;
    color: var(--_fg);
    background: none;
    border: 0;
    text-decoration: underline;
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .warning {
    font-weight: 600;
  }
  /*
   * Its title and Fermer stay at the top and its decisions at the bottom: only the part between them scrolls, however
   * long the cookie tables are, and a table's column names stay above its rows.
   */
  .panel {
    width: min(50em, 100vw - 1rem);
    max-height: calc(100vh - 1rem);
    padding: 0;
    border-radius: var(--_radius);
  }
  .panel[open] {
    display: flex;
    flex-direction: column;
  }
  .panel > * {
    padding-inline: var(--_space);
  }
  .panel > .head {
    flex-wrap: nowrap;
    padding-block: var(--_space) 0.5em;
    border-bottom: 1px solid var(--_border);
  }
  .body {
    /* relative: the tables' visually hidden captions scroll (and clip) with it, not with the dialog. */
    position: relative;
    overflow: auto;
  }
  thead th {
    position: sticky;
    top: 0;
    background: var(--_bg);
  }
  .panel .actions {
    margin: 0;
    padding-block: 0.75em var(--_space);
    border-top: 1px solid var(--_border);
  }
  .panel::backdrop {
    background: #0008;
  }
  fieldset {
    margin: var(--_space) 0 0;
    padding: 0;
    border: 0;
  }
  legend {
    padding: 0;
    margin-bottom: 0.5em;
    font-weight: 700;
  }
  .category,
  .about {
    padding: 0.75em 0;
    border-top: 1px solid var(--_border);
  }
  .category p,
  dd {
    color: var(--_muted);
  }
  .switch {
    display: inline-flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em;
    color: var(--_fg);
    background: none;
    border: 0;
  }
  /* One width for every switch, so that their tracks line up whatever their words. */
  .switch > :last-child {
    min-width: 7.5em;
    text-align: start;
  }
  .track {
    position: relative;
    width: 2.75em;
    height: 1.5em;
    border: 2px solid var(--_border);
    border-radius: 1em;
  }
  .track::after {
    content: '';
    position: absolute;
    top: 2px;
    left: 2px;
    width: 1em;
    height: 1em;
    border-radius: 50%;
    background: var(--_border);
  }
  [aria-checked='true'] .track {
    background: var(--_accent);
    border-color: var(--_accent);
  }
  [aria-checked='true'] .track::after {
    transform: translateX(1.25em);
    background: var(--_on-accent);
  }
  /* "Toujours actifs" cannot be turned off, and shows it: a dashed, muted switch, never the accent of a choice. */
  .switch:disabled {
    color: var(--_muted);
    cursor: default;
  }
  .switch:disabled .track {
    border-style: dashed;
    border-color: var(--_muted);
    background: none;
  }
  .switch:disabled .track::after {
    background: var(--_muted);
  }
  table {
    width: 100%;
    margin-top: 0.5em;
    border-collapse: collapse;
    font-size: 0.875em;
  }
  th,
  td {
    padding: 0.375em 0.5em;
    text-align: left;
    vertical-align: top;
    border-bottom: 1px solid var(--_border);
    overflow-wrap: break-word;
  }
  summary {
    width: fit-content;
    padding: 0.25em 0;
    cursor: pointer;
    text-decoration: underline;
  }
  tbody th {
    font-weight: 400;
  }
  dl {
    display: grid;
    grid-template-columns: fit-content(40%) 1fr;
    gap: 0.25em 1em;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
  .floating {
    position: fixed;
    left: 1rem;
    bottom: 1rem;
    z-index: var(--oph-consent-z-index,2147483000);
    display: grid;
    place-items: center;
    border-radius: 50%;
    box-shadow: 0 0.125rem 0.5rem #0004;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Narrow screens: each cookie becomes a small card, its column names shown beside the values. */
  @media (max-width: 40em) {
    /* A phone keeps most of the page in view: the banner takes under half of a 320×640 screen. */
    :host {
      /* On the host, so that a visitor's own line height (WCAG 1.4.12) still wins over it. */
      line-height: 1.4;
    }
    .banner,
    .panel {
      font-size: 0.875em;
    }
    .banner {
      padding: 0.5rem;
    }
    .panel > * {
      padding-inline: 0.75rem;
    }
    .banner .head {
      row-gap: 0;
    }
    h2 {
      font-size: 1.0625em;
    }
    .banner p,
    .purposes {
      margin: 0.25em 0;
    }
    .actions {
      gap: 0.5em;
    }
    .banner .actions {
      margin-top: 0.5em;
    }
    .banner .button {
      min-height: 2.5em;
    }
    /* Continuer sans accepter starts on the text's edge, its target still 24 px tall (WCAG 2.5.8). */
    .banner .link {
      min-height: 1.75em;
      padding: 0;
    }
    .button {
      flex-basis: 6em;
      padding-inline: 0.5em;
    }
    .button.secondary,
    [part~='save'] {
      flex-basis: 100%;
    }
    thead {
      display: none;
    }
    dl {
      grid-template-columns: 1fr;
    }
    dd {
      margin-bottom: 0.25em;
    }
    tr,
    th,
    td {
      display: block;
      border: 0;
    }
    tr {
      padding: 0.25em 0;
      border-bottom: 1px solid var(--_border);
    }
    tbody th,
    td {
      padding: 0.125em 0;
    }
    tbody [data-label]::before {
      content: attr(data-label) ': ';
      font-weight: 600;
    }
    /* French puts a no-break space before a colon. */
    tbody [data-label]:lang(fr)::before {
      content: attr(data-label) '\a0: ';
    }
  }
  /* On very short screens (400 % zoom) the title and the decisions would leave no room: the whole panel scrolls. */
  @media (max-height: 25em) {
    .panel[open] {
      display: block;
    }
    .body {
      overflow: visible;
    }
  }
  /*
   * High contrast: the switches keep their own system colours (forced colours would drop their fills, and with them
   * the thumb and the on state), and the link-styled buttons get a border.
   */
  @media (forced-colors: active) {
    :host {
      --_accent: Highlight;
      --_on-accent: HighlightText;
      --_border: CanvasText;
      --_muted: GrayText;
    }
    .track {
      forced-color-adjust: none;
    }
    .link {
      border: 1px solid;
    }
  }
  @media (prefers-reduced-motion: no-preference) {
    .track::after {
      transition: transform 0.15s;
    }
  }
`;

let sheet: CSSStyleSheet | undefined;
/** One constructed stylesheet shared by every instance: no <style> element, nothing a strict CSP blocks. */
export function styleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
  }
  return sheet;
}
