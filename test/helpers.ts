import { fixture, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { OphConsent } from '../src/ui/oph-consent.js';

export const CATALOG_URL = '/test/fixtures/catalog.json';
export const COOKIE = 'testConsent';

/** Mounts markup inside a wrapper and resolves once the element fires `event` (ready by default). */
export async function mount<E extends Event = CustomEvent>(markup: string, event = 'oph-consent-ready') {
  const seen = oneEvent(document, event) as unknown as Promise<E>;
  const root = await fixture<HTMLDivElement>(`<div>${markup}</div>`);
  const fired = await seen;
  const el = root.querySelector('oph-consent') as OphConsent;
  await el.updateComplete;
  return { el, root, event: fired };
}

/** The element's shadow part, e.g. part(el, 'accept-all'). */
export function part<T extends HTMLElement = HTMLButtonElement>(el: OphConsent, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

/** Whether the element currently renders a part; booleans keep failure messages small (a DOM node in a chai message can hang the runner). */
export function shows(el: HTMLElement, name: string): boolean {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`) !== null;
}

export function cookieValue(name: string): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(name + '='))
    ?.slice(name.length + 1);
}

export function clearCookies(): void {
  for (const pair of document.cookie.split('; ')) {
    const name = pair.split('=')[0];
    if (name) document.cookie = `${name}=; Max-Age=0; Path=/`;
  }
}

/** Replaces console.error for one test and returns what was logged. */
export function captureConsoleErrors(): { messages: string[]; restore: () => void } {
  const original = console.error;
  const messages: string[] = [];
  console.error = (...args: unknown[]) => messages.push(args.map(String).join(' '));
  return { messages, restore: () => (console.error = original) };
}

declare global {
  interface Window {
    ranScripts?: string[];
  }
}

/** The scripts that ran, by the names they pushed. */
export const ran = (): string[] => window.ranScripts ?? [];

export const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(undefined)));

/** Opens every cookie table of the open panel (closed ones are not rendered) and waits for them. */
export async function openTables(el: HTMLElement): Promise<HTMLTableElement[]> {
  const details = Array.from(el.shadowRoot!.querySelectorAll('dialog details'));
  for (const d of details) (d as HTMLDetailsElement).open = true;
  await waitUntil(() => el.shadowRoot!.querySelectorAll('dialog table').length === details.length, 'every cookie table rendered');
  return Array.from(el.shadowRoot!.querySelectorAll('dialog table'));
}
