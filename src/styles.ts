import { css } from 'lit';

/**
 * Calm, neutral defaults for a public service. Every colour, the font, radius, spacing and z-index
 * are `--oph-consent-*` custom properties. Accept and refuse share one class: same size, colours,
 * border and font in every theme (CNIL-03).
 */
export const styles = css`
  :host {
    --_bg: var(--oph-consent-background, #ffffff);
    --_fg: var(--oph-consent-color, #1b1b1f);
    --_muted: var(--oph-consent-muted, #4a4a55);
    --_accent: var(--oph-consent-accent, #1d4f91);
    --_on-accent: var(--oph-consent-on-accent, #ffffff);
    --_border: var(--oph-consent-border, #767684);
    --_focus: var(--oph-consent-focus, #1d4f91);
    --_radius: var(--oph-consent-radius, 0.5rem);
    --_space: var(--oph-consent-spacing, 1rem);
    font-family: var(--oph-consent-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: 1rem;
    line-height: 1.5;
    color: var(--_fg);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--oph-consent-background, #1c1d21);
      --_fg: var(--oph-consent-color, #f2f2f4);
      --_muted: var(--oph-consent-muted, #c4c4cc);
      --_accent: var(--oph-consent-accent, #9cc2ff);
      --_on-accent: var(--oph-consent-on-accent, #0b1d36);
      --_border: var(--oph-consent-border, #9a9aa6);
      --_focus: var(--oph-consent-focus, #9cc2ff);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .banner {
    position: fixed;
    inset: auto 0 0 0;
    z-index: var(--oph-consent-z-index, 2147483000);
    max-width: 60rem;
    max-height: 100vh;
    overflow: auto;
    margin: 0 auto;
    padding: var(--_space);
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius) var(--_radius) 0 0;
    box-shadow: 0 -0.25rem 1.5rem rgb(0 0 0 / 0.18);
  }
  h2 {
    margin: 0;
    font-size: 1.25rem;
    line-height: 1.3;
  }
  p,
  ul {
    margin: 0.5rem 0;
  }
  a {
    color: inherit;
  }
  .banner-head,
  .panel-head,
  .category-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    margin-top: var(--_space);
  }
  button {
    font: inherit;
    min-height: 2.75rem;
    min-width: 2.75rem;
    cursor: pointer;
  }
  .button {
    flex: 1 1 12rem;
    padding: 0.5rem 1.25rem;
    font-weight: 600;
    color: var(--_on-accent);
    background: var(--_accent);
    border: 2px solid var(--_accent);
    border-radius: var(--_radius);
  }
  .button.secondary {
    color: var(--_accent);
    background: transparent;
  }
  .link {
    padding: 0.25rem 0.5rem;
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
  .panel {
    width: min(44rem, calc(100vw - 1rem));
    max-height: calc(100vh - 1rem);
    padding: var(--_space);
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .panel::backdrop {
    background: rgb(0 0 0 / 0.5);
  }
  fieldset {
    margin: var(--_space) 0 0;
    padding: 0;
    border: 0;
  }
  legend {
    font-weight: 700;
    margin-bottom: 0.5rem;
  }
  .category {
    padding: 0.75rem 0;
    border-top: 1px solid var(--_border);
  }
  .category-title {
    font-weight: 600;
  }
  .category p {
    color: var(--_muted);
  }
  .switch {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.25rem;
    color: var(--_fg);
    background: none;
    border: 0;
  }
  .track {
    position: relative;
    width: 2.75rem;
    height: 1.5rem;
    border: 2px solid var(--_border);
    border-radius: 1rem;
    background: var(--_bg);
  }
  .track::after {
    content: '';
    position: absolute;
    top: 2px;
    left: 2px;
    width: 1rem;
    height: 1rem;
    border-radius: 50%;
    background: var(--_border);
  }
  [aria-checked='true'] .track {
    background: var(--_accent);
    border-color: var(--_accent);
  }
  [aria-checked='true'] .track::after {
    transform: translateX(1.25rem);
    background: var(--_on-accent);
  }
  .switch:disabled {
    cursor: not-allowed;
  }
  @media (prefers-reduced-motion: no-preference) {
    .track::after {
      transition: transform 0.15s;
    }
  }
`;
