/**
 * The four phases of an audit, each in a fresh browser context (a new profile): first visit
 * untouched (crawling same-origin pages), `Tout refuser` then a reload and a second page,
 * `Tout accepter` then a reload and a second page, accept then withdraw. The banner is driven by
 * its public parts (`[part~="reject-all"]`…), the site's `[data-oph-consent-open]` link or the
 * element's API (`showPreferences()`), never by its text.
 * Every wait is bounded by the audit's timeout.
 */
import type { Browser, Page } from 'playwright-core';
import { bounded, boundedOrFail } from './bounded.js';
import { Recorder } from './browser.js';
import type { BannerState, ConsentState, Phase, PhaseId, Step } from './evidence.js';
import { hostOf } from './site.js';

export interface PhaseOptions {
  readonly timeout: number;
  /** How many pages the first visit may crawl. */
  readonly pages: number;
}

/** The start page cannot be audited (unreachable, an HTTP error, never loaded): exit 2. */
export class Unreachable extends Error {}

/** What browser.ts's init script keeps of the element's events, in the page. */
type AuditWindow = Window & { __ophAudit?: { ready: boolean; decided: boolean; errors: string[]; changes: string[] } };

/** How long the page may stay busy after load before evidence is taken, at most. */
const SETTLE_MS = 2_500;
/** No request sent or answered for this long: the page is done for now. */
const QUIET_MS = 500;

async function visit(page: Page, url: string, timeout: number): Promise<void> {
  let response;
  try {
    response = await page.goto(url, { waitUntil: 'load', timeout });
  } catch (e) {
    const message = (e as Error).message.split('\n')[0].replace(/^page\.goto: /, '');
    throw new Unreachable(/Timeout/i.test(message) ? `${url} did not load within ${timeout} ms` : `${url} could not be loaded: ${message}`);
  }
  if (response && response.status() >= 400) throw new Unreachable(`${url} answered HTTP ${response.status()}`);
}

/**
 * Lets the page finish what it does after load (bounded): no new request or response for a
 * moment. Not Playwright's "networkidle": a beacon whose answer is never read stays "in flight".
 */
async function settle(page: Page, recorder: Recorder, timeout: number): Promise<void> {
  const until = Date.now() + Math.min(timeout, SETTLE_MS);
  await page.waitForTimeout(200);
  while (Date.now() < until && Date.now() - recorder.lastActivity < QUIET_MS) await page.waitForTimeout(100);
  await recorder.settle(1_000);
}

/** Waits for the element to be ready (or to report an error), if the page has one. */
async function waitForBanner(page: Page, timeout: number): Promise<BannerState> {
  const hasElement = await bounded(page.evaluate(() => !!document.querySelector('oph-consent')), timeout, false);
  if (!hasElement) return { element: false, ready: false };
  await page
    .waitForFunction(() => {
      const s = (window as AuditWindow).__ophAudit;
      return !!s && (s.ready || s.errors.length > 0);
    }, undefined, { timeout })
    .catch(() => undefined);
  const state = page.evaluate(() => {
    const s = (window as AuditWindow).__ophAudit!;
    const el = document.querySelector('oph-consent') as (Element & { catalog?: unknown }) | null;
    const input = el?.catalog;
    const inline = el?.querySelector(':scope > script[type="application/json"]');
    const catalog =
      typeof input === 'string' && input
        ? { kind: 'url' as const, value: new URL(input, document.baseURI).href }
        : input && typeof input === 'object'
          ? { kind: 'property' as const, value: JSON.stringify(input) }
          : inline
            ? { kind: 'inline' as const, value: inline.textContent ?? '' }
            : undefined;
    return { element: true, ready: s.ready, error: s.errors[0], catalog };
  });
  return bounded<BannerState>(state, timeout, { element: true, ready: false });
}

/**
 * What the element says was chosen: nothing yet, or a choice it recorded by itself (a refusal by
 * Global Privacy Control, a choice made on an earlier page). Every category on is consent.
 */
async function decidedByPage(page: Page, timeout: number): Promise<ConsentState> {
  const read = page.evaluate(() => {
    const el = document.querySelector('oph-consent') as (Element & { decided?: boolean; consent?: Record<string, boolean> }) | null;
    return el?.decided ? Object.values(el.consent ?? {}) : null;
  });
  const consent = await bounded(read, timeout, null);
  return !consent ? 'none' : consent.every(Boolean) ? 'accepted' : 'refused';
}

/** Same-origin links of the page, without fragments, documents only (no PDFs, images, archives). */
async function sameOriginLinks(page: Page, timeout: number): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const hrefs = await bounded(page.$$eval('a[href]', (links) => links.map((a) => (a as HTMLAnchorElement).href)), timeout, [] as string[]);
  const out: string[] = [];
  for (const href of hrefs) {
    let u: URL;
    try {
      u = new URL(href);
    } catch {
      continue;
    }
    if (u.origin !== origin || /\.(pdf|zip|png|jpe?g|gif|svg|webp|docx?|xlsx?|pptx?|mp[34]|css|js|json|xml)$/i.test(u.pathname)) continue;
    u.hash = '';
    if (!out.includes(u.href)) out.push(u.href);
  }
  return out;
}

class PhaseRun {
  readonly steps: Step[] = [];
  readonly notes: string[] = [];
  screenshot?: string;
  screenshotCaption?: string;
  #mark = Date.now();

  constructor(
    readonly id: PhaseId,
    readonly recorder: Recorder,
    readonly page: Page,
    readonly timeout: number,
  ) {}

  /**
   * Records the state now, and the third-party requests since the last step. A step taken as
   * "no choice yet" is checked against the element: a page may decide by itself (Global Privacy
   * Control records a refusal), and then what follows is no longer before consent.
   */
  async step(label: string, consent: ConsentState): Promise<void> {
    await settle(this.page, this.recorder, this.timeout);
    if (consent === 'none') consent = await decidedByPage(this.page, this.timeout);
    const now = Date.now();
    this.steps.push({
      label,
      url: this.page.url(),
      consent,
      at: new Date(now).toISOString(),
      cookies: await this.recorder.cookies(),
      cookieWrites: this.recorder.cookieWritesSince(this.#mark, now),
      storage: await this.recorder.storage(this.page, this.timeout),
      requests: this.recorder.requestsSince(this.#mark, now),
    });
    this.#mark = now;
  }

  async shoot(caption: string): Promise<void> {
    try {
      this.screenshot = (await this.page.screenshot({ type: 'png', timeout: this.timeout })).toString('base64');
      this.screenshotCaption = caption;
    } catch (e) {
      this.notes.push(`no screenshot: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  /** Clicks a public part of the element (`[part~="banner"] [part~="reject-all"]`) and waits for the decision. */
  async click(parts: string, what: string): Promise<boolean> {
    const before = await this.changes();
    try {
      await this.page.locator(`oph-consent ${parts}`).first().click({ timeout: this.timeout });
      await this.page.waitForFunction((n) => ((window as AuditWindow).__ophAudit?.changes.length ?? 0) > n, before, { timeout: this.timeout });
      return true;
    } catch (e) {
      this.notes.push(`could not ${what}: ${(e as Error).message.split('\n')[0]}`);
      return false;
    }
  }

  changes(): Promise<number> {
    return bounded(this.page.evaluate(() => (window as AuditWindow).__ophAudit?.changes.length ?? 0), this.timeout, 0);
  }

  /** Visits a page of this phase and waits for the element; a page that fails is noted, not fatal. */
  async go(url: string): Promise<boolean> {
    try {
      await visit(this.page, url, this.timeout);
      await waitForBanner(this.page, this.timeout);
      return true;
    } catch (e) {
      this.notes.push((e as Error).message);
      return false;
    }
  }

  async reload(): Promise<boolean> {
    try {
      await this.page.reload({ waitUntil: 'load', timeout: this.timeout });
      await waitForBanner(this.page, this.timeout);
      return true;
    } catch (e) {
      this.notes.push(`reload: ${(e as Error).message.split('\n')[0]}`);
      return false;
    }
  }

  done(): Phase {
    return { id: this.id, steps: this.steps, screenshot: this.screenshot, screenshotCaption: this.screenshotCaption, notes: this.notes };
  }
}

async function inPhase<T>(browser: Browser, id: PhaseId, site: string, timeout: number, body: (run: PhaseRun) => Promise<T>): Promise<{ phase: Phase; result: T }> {
  const recorder = await Recorder.create(browser, site);
  try {
    const run = new PhaseRun(id, recorder, await recorder.newPage(), timeout);
    const result = await body(run);
    return { phase: run.done(), result };
  } finally {
    await recorder.close();
  }
}

export interface PhasesResult {
  readonly phases: Phase[];
  readonly banner: BannerState;
  /** The pages the first visit saw, in order (the given URLs first, then crawled links). */
  readonly pages: string[];
}

/**
 * Runs the phases on the given URLs (the first is the start page; each must load, else
 * Unreachable). Without a banner to drive, only the first visit is audited.
 */
export async function runPhases(browser: Browser, urls: readonly string[], options: PhaseOptions): Promise<PhasesResult> {
  const { timeout } = options;
  const site = hostOf(urls[0]);
  const limit = Math.max(options.pages, urls.length);
  let banner: BannerState = { element: false, ready: false };

  // 1. First visit, untouched: the given pages, then same-origin links, up to the limit.
  const first = await inPhase(browser, 'first-visit', site, timeout, async (run) => {
    const queue = [...urls];
    const seen: string[] = [];
    const deadline = Date.now() + limit * (timeout + SETTLE_MS + 2_000);
    while (queue.length && seen.length < limit && Date.now() < deadline) {
      const url = queue.shift()!;
      if (seen.includes(url)) continue;
      const given = urls.includes(url);
      try {
        await visit(run.page, url, timeout);
      } catch (e) {
        if (given) throw e;
        run.notes.push((e as Error).message);
        continue;
      }
      seen.push(url);
      const state = await waitForBanner(run.page, timeout);
      if (seen.length === 1) banner = state;
      await run.step(`page ${seen.length}`, 'none');
      if (seen.length === 1) await run.shoot('first visit, nothing clicked');
      for (const link of await sameOriginLinks(run.page, timeout)) if (!seen.includes(link) && !queue.includes(link)) queue.push(link);
    }
    return seen;
  });
  const pages = first.result;
  const phases = [first.phase];
  if (!banner.ready || banner.error) return { phases, banner, pages };

  const start = pages[0];
  const second = pages[1];

  // 2 and 3. A decision from the banner, a reload, a second page.
  for (const [id, part, label, state] of [
    ['refusal', 'reject-all', 'Tout refuser', 'refused'],
    ['acceptance', 'accept-all', 'Tout accepter', 'accepted'],
  ] as const) {
    const { phase } = await inPhase(browser, id, site, timeout, async (run) => {
      if (!(await run.go(start))) return;
      await run.step('landing', 'none');
      if (!(await run.click(`[part~="banner"] [part~="${part}"]`, `click ${label} (part ${part})`))) return;
      await run.step(label, state);
      if (await run.reload()) {
        await run.step('reload', state);
        await run.shoot(`after ${label}, then a reload`);
      }
      if (second && (await run.go(second))) await run.step('second page', state);
    });
    phases.push(phase);
  }

  // 4. Accept, then withdraw from the preference panel (opened by the site's link, else the API), then a reload.
  const { phase } = await inPhase(browser, 'withdrawal', site, timeout, async (run) => {
    if (!(await run.go(start))) return;
    if (!(await run.click('[part~="banner"] [part~="accept-all"]', 'click Tout accepter (part accept-all)'))) return;
    await run.step('Tout accepter', 'accepted');
    try {
      // As a visitor would: the site's own "Gestion des cookies" link if it has one (CNIL-15), else the API.
      const link = run.page.locator('[data-oph-consent-open]:visible').first();
      if (await link.count()) await link.click({ timeout });
      else {
        run.notes.push('no visible [data-oph-consent-open] link or button: the panel was opened with showPreferences()');
        const open = run.page.evaluate(() => (document.querySelector('oph-consent') as HTMLElement & { showPreferences(): Promise<void> }).showPreferences());
        await boundedOrFail(open, timeout, `showPreferences() did not return within ${timeout} ms`);
      }
      await run.page.locator('oph-consent [part~="panel"] [part~="reject-all"]').first().waitFor({ timeout });
    } catch (e) {
      run.notes.push(`could not open the preference panel: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    await run.shoot('the preference panel, before withdrawing');
    if (!(await run.click('[part~="panel"] [part~="reject-all"]', 'withdraw with Tout refuser in the panel (part reject-all)'))) return;
    await run.step('withdrawal', 'withdrawn');
    if (await run.reload()) await run.step('reload', 'withdrawn');
    if (second && (await run.go(second))) await run.step('second page', 'withdrawn');
  });
  phases.push(phase);
  return { phases, banner, pages };
}
