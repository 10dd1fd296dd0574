/**
 * The site against its catalog: the findings of CONTRACT.md §6.2, each with its rule id
 * (docs/compliance-rules.md), the phase, the cookie, storage key or host at fault and who set it.
 * A cookie matches the catalog as the element matches it (core's `catalogEntryFor`).
 */
import type { Catalog, CookieInfo } from '../core/catalog.js';
import { catalogEntryFor } from '../core/cookies.js';
import { parseDuration } from '../cli/lint.js';
import { isStrictlyNecessary, knownCookie } from './cookie-db.js';
import type { BannerState, ObservedCookie, Phase, PhaseId, Step } from './evidence.js';
import { sameSite } from './site.js';

export type FindingId =
  | 'cookie-before-consent'
  | 'cookie-after-refusal'
  | 'storage-before-consent'
  | 'request-before-consent'
  | 'request-after-refusal'
  | 'undeclared-cookie'
  | 'declared-not-seen'
  | 'retention-longer-than-declared'
  | 'banner-not-found';

export type Level = 'violation' | 'warning';

/** Every finding the audit can report: its level and what it means (the README's table). */
export const FINDING_KINDS: Readonly<Record<FindingId, { readonly level: Level; readonly meaning: string }>> = {
  'cookie-before-consent': { level: 'violation', meaning: 'a cookie that needs consent was set on the first visit, before any choice' },
  'cookie-after-refusal': { level: 'violation', meaning: 'a cookie that needs consent is there after "Tout refuser", or after a withdrawal' },
  'storage-before-consent': { level: 'violation', meaning: 'a localStorage, sessionStorage or IndexedDB item was written before any choice' },
  'request-before-consent': { level: 'violation', meaning: 'a third-party host was contacted before any choice' },
  'request-after-refusal': { level: 'violation', meaning: 'a third-party host was contacted after "Tout refuser", or after a withdrawal' },
  'undeclared-cookie': { level: 'warning', meaning: 'a cookie the catalog does not list' },
  'declared-not-seen': { level: 'warning', meaning: 'a cookie the catalog lists that no phase saw, even after "Tout accepter"' },
  'retention-longer-than-declared': { level: 'warning', meaning: "a cookie's real expiry is later than the catalog's retention" },
  'banner-not-found': { level: 'warning', meaning: "no <oph-consent> on the start page (or one that reports an error other than its catalog's): only the first visit was audited" },
};

export interface Finding {
  readonly id: FindingId;
  readonly level: Level;
  /** The checklist rule it breaks (CNIL-01…), as in docs/compliance-rules.md. */
  readonly rule: string;
  readonly phase: PhaseId;
  readonly subject: {
    readonly kind: 'cookie' | 'storage' | 'request' | 'catalog' | 'page';
    /** The cookie name, storage key, host, catalog entry name, or page URL. */
    readonly name: string;
    /** The cookie's domain, the storage item's origin and area, or empty. */
    readonly where: string;
  };
  /** Who set it or caused it: response URLs, script URLs, initiators. */
  readonly setBy: readonly string[];
  /** The pages where it was seen. */
  readonly pages: readonly string[];
  readonly message: string;
}

/** How an observed cookie or storage key stands without any choice. */
type Verdict = 'allowed' | 'exempt' | 'needs-consent';

interface Judgement {
  readonly verdict: Verdict;
  readonly entry?: CookieInfo;
}

/** Catalog first (required, exempt or not); an undeclared name is allowed only if known to be strictly necessary. */
function judge(name: string, catalog: Catalog | undefined): Judgement {
  if (catalog && name === catalog.consentCookie.name) return { verdict: 'allowed' }; // the choice itself (CNIL-12)
  const entry = catalog && catalogEntryFor(catalog, name);
  if (entry) {
    const category = catalog.categories.find((c) => c.id === entry.category);
    return { verdict: category?.required ? 'allowed' : category?.exempt ? 'exempt' : 'needs-consent', entry };
  }
  return { verdict: isStrictlyNecessary(knownCookie(name)) ? 'allowed' : 'needs-consent' };
}

const RULES: Record<'before' | 'refusal' | 'withdrawal' | 'catalog' | 'banner', string> = {
  before: 'CNIL-01',
  refusal: 'CNIL-02',
  withdrawal: 'CNIL-16',
  catalog: 'CNIL-09',
  banner: 'CNIL-03',
};

/** Findings are merged by id, phase and subject; pages and culprits add up. */
class Findings {
  readonly #byKey = new Map<string, { -readonly [K in keyof Finding]: Finding[K] } & { setBy: string[]; pages: string[] }>();

  add(f: Omit<Finding, 'level'>): void {
    const key = `${f.id} ${f.phase} ${f.subject.kind} ${f.subject.name} ${f.subject.where}`;
    const known = this.#byKey.get(key);
    if (!known) {
      this.#byKey.set(key, { ...f, level: FINDING_KINDS[f.id].level, setBy: [...f.setBy], pages: [...f.pages] });
      return;
    }
    for (const s of f.setBy) if (!known.setBy.includes(s)) known.setBy.push(s);
    for (const p of f.pages) if (!known.pages.includes(p)) known.pages.push(p);
  }

  list(): Finding[] {
    const order = Object.keys(FINDING_KINDS);
    return [...this.#byKey.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id) || a.subject.name.localeCompare(b.subject.name));
  }
}

const who = (setBy: readonly string[]) => (setBy.length ? `set by ${setBy.join(', ')}` : 'who set it was not seen (an earlier page, or a server cookie read from storage)');
const cookieWhere = (c: ObservedCookie) => `${c.domain}${c.path === '/' ? '' : c.path}`;
const lifetimeText = (seconds: number | null) => (seconds === null ? 'session' : seconds >= 86_400 ? `${Math.round(seconds / 86_400)} days` : `${seconds} s`);

/** What the catalog says of a cookie, for messages. */
const declared = (j: Judgement) => (j.entry ? `declared as ${JSON.stringify(j.entry.name)} (category ${j.entry.category})` : 'not in the catalog');

/**
 * A step's cookies: those there when the audit looked, and those written during the step and
 * deleted again before (by the element's clean-up, say): they were stored, and maybe sent.
 */
function stepCookies(step: Step) {
  const now = step.cookies.map((c) => ({ name: c.name, where: cookieWhere(c), party: c.party, setBy: c.setBy, setAt: c.setAt, gone: false }));
  const gone = step.cookieWrites
    .filter((w) => !step.cookies.some((c) => c.name === w.name && sameSite(c.domain, w.host)))
    .map((w) => ({ name: w.name, where: w.host, party: w.party, setBy: w.setBy, setAt: undefined, gone: true }));
  return [...now, ...gone];
}

/** When consent was withdrawn: the step before the withdrawal step ended. */
function withdrawnAfter(phase: Phase): number {
  const i = phase.steps.findIndex((s) => s.consent === 'withdrawn');
  return i > 0 ? Date.parse(phase.steps[i - 1].at) : 0;
}

export interface Audited {
  readonly phases: readonly Phase[];
  readonly banner: BannerState;
  readonly pages: readonly string[];
  readonly catalog?: Catalog;
}

export function findFindings({ phases, banner, pages, catalog }: Audited): Finding[] {
  const out = new Findings();
  const first = phases.find((p) => p.id === 'first-visit');

  if (!banner.ready || banner.error) {
    out.add({
      id: 'banner-not-found',
      rule: RULES.banner,
      phase: 'first-visit',
      subject: { kind: 'page', name: pages[0] ?? '', where: '' },
      setBy: [],
      pages: pages.slice(0, 1),
      message: !banner.element
        ? 'no <oph-consent> element on the start page: the banner cannot be driven, so only the first visit was audited'
        : `<oph-consent> did not become ready${banner.error ? ` (${banner.error})` : ''}: only the first visit was audited`,
    });
  }

  // Before any choice: the first visit, untouched (CNIL-01).
  for (const step of first?.steps.filter((s) => s.consent === 'none') ?? []) {
    for (const c of stepCookies(step)) {
      const j = judge(c.name, catalog);
      if (j.verdict !== 'needs-consent') continue;
      out.add({
        id: 'cookie-before-consent',
        rule: RULES.before,
        phase: 'first-visit',
        subject: { kind: 'cookie', name: c.name, where: c.where },
        setBy: c.setBy,
        pages: [step.url],
        message: `${c.name} (${c.party} party, ${declared(j)}) was ${c.gone ? 'written, then deleted before the audit looked,' : 'set'} before any choice; ${who(c.setBy)}`,
      });
    }
    for (const s of step.storage) {
      if (judge(s.key, catalog).verdict !== 'needs-consent') continue;
      out.add({
        id: 'storage-before-consent',
        rule: RULES.before,
        phase: 'first-visit',
        subject: { kind: 'storage', name: s.key, where: `${s.area} ${s.origin}` },
        setBy: s.setBy,
        pages: [step.url],
        message: `${s.area} ${JSON.stringify(s.key)} of ${s.origin} was written before any choice; ${who(s.setBy)}`,
      });
    }
    requestFindings(out, step, 'request-before-consent', 'first-visit', RULES.before, 'before any choice');
  }

  // After a refusal or a withdrawal (CNIL-02, CNIL-16).
  // (A page may refuse by itself, with Global Privacy Control: that counts as a refusal too.)
  for (const phase of phases) {
    const since = withdrawnAfter(phase);
    for (const step of phase.steps) {
      if (step.consent !== 'refused' && step.consent !== 'withdrawn') continue;
      const rule = step.consent === 'refused' ? RULES.refusal : RULES.withdrawal;
      const when = step.consent === 'refused' ? 'after "Tout refuser"' : 'after the withdrawal';
      for (const c of stepCookies(step)) {
        const j = judge(c.name, catalog);
        if (j.verdict === 'allowed') continue;
        // The site cannot delete another site's cookies: after a withdrawal, only a new write of one counts.
        if (step.consent === 'withdrawn' && c.party === 'third' && !c.gone && !(c.setAt && Date.parse(c.setAt) > since)) continue;
        out.add({
          id: 'cookie-after-refusal',
          rule,
          phase: phase.id,
          subject: { kind: 'cookie', name: c.name, where: c.where },
          setBy: c.setBy,
          pages: [step.url],
          message: `${c.name} (${c.party} party, ${declared(j)}) ${c.gone ? 'was written (and deleted again before the audit looked)' : 'is there'} ${when} (step "${step.label}"); ${who(c.setBy)}`,
        });
      }
      requestFindings(out, step, 'request-after-refusal', phase.id, rule, when);
    }
  }

  // The catalog against what was seen (CNIL-09: the visitor is told every cookie, its lifetime and who sets it).
  const seen = new Map<string, { cookie: ObservedCookie; phase: PhaseId; pages: string[] }>();
  for (const phase of phases)
    for (const step of phase.steps)
      for (const c of step.cookies) {
        const key = `${c.name} ${c.domain}`;
        const known = seen.get(key);
        if (!known) seen.set(key, { cookie: c, phase: phase.id, pages: [step.url] });
        else {
          if (!known.pages.includes(step.url)) known.pages.push(step.url);
          if (c.lifetime !== null && (known.cookie.lifetime === null || c.lifetime > known.cookie.lifetime)) known.cookie = { ...c, setBy: [...new Set([...known.cookie.setBy, ...c.setBy])] };
        }
      }
  for (const { cookie: c, phase, pages: where } of seen.values()) {
    const j = judge(c.name, catalog);
    if (catalog && c.name === catalog.consentCookie.name && !j.entry) continue;
    if (!j.entry) {
      const known = knownCookie(c.name);
      out.add({
        id: 'undeclared-cookie',
        rule: RULES.catalog,
        phase,
        subject: { kind: 'cookie', name: c.name, where: cookieWhere(c) },
        setBy: c.setBy,
        pages: where,
        message:
          `${c.name} (${c.party} party, lifetime ${lifetimeText(c.lifetime)}) is not in the catalog` +
          (known ? `; the Open Cookie Database knows it as ${known.platform} (${known.category})` : '') +
          `; ${who(c.setBy)}`,
      });
      continue;
    }
    const longer = longerThanDeclared(c.lifetime, j.entry.retention);
    if (longer)
      out.add({
        id: 'retention-longer-than-declared',
        rule: RULES.catalog,
        phase,
        subject: { kind: 'cookie', name: c.name, where: cookieWhere(c) },
        setBy: c.setBy,
        pages: where,
        message: `${c.name} lives ${lifetimeText(c.lifetime)}, the catalog says ${j.entry.retention} (${JSON.stringify(j.entry.name)}); ${who(c.setBy)}`,
      });
  }

  // Declared but never seen, once the acceptance phase gave every tag its chance.
  if (catalog && phases.some((p) => p.id === 'acceptance' && p.steps.some((s) => s.consent === 'accepted'))) {
    const entries = new Set([...seen.values()].map(({ cookie }) => catalogEntryFor(catalog, cookie.name)));
    for (const entry of catalog.cookies) {
      if (entries.has(entry)) continue;
      out.add({
        id: 'declared-not-seen',
        rule: RULES.catalog,
        phase: 'acceptance',
        subject: { kind: 'catalog', name: entry.name, where: entry.category },
        setBy: [],
        pages: [],
        message: `${JSON.stringify(entry.name)} (category ${entry.category}${entry.match.length ? `, matching ${entry.match.join(', ')}` : ''}) was not seen on any page audited, even after "Tout accepter"`,
      });
    }
  }
  return out.list();
}

function requestFindings(out: Findings, step: Step, id: 'request-before-consent' | 'request-after-refusal', phase: PhaseId, rule: string, when: string): void {
  for (const r of step.requests) {
    out.add({
      id,
      rule,
      phase,
      subject: { kind: 'request', name: r.host, where: '' },
      setBy: [r.initiator || r.frame].filter(Boolean),
      pages: [step.url],
      message: `${r.host} was contacted ${when} (${r.type} ${r.url}); initiator ${r.initiator || r.frame || 'unknown'}`,
    });
  }
}

/** Seconds of tolerance on a declared lifetime: 5 %, at least a minute, at most a day. */
export const tolerance = (declaredSeconds: number) => Math.min(86_400, Math.max(60, declaredSeconds * 0.05));

/**
 * Whether a real lifetime (seconds, null for a session cookie) goes beyond a declared retention:
 * `session` allows no expiry at all; a duration allows itself plus the tolerance; the vague words
 * (`persistent`, `unspecified`, which the linter already flags) are not compared.
 */
export function longerThanDeclared(lifetime: number | null, retention: string): boolean {
  if (lifetime === null) return false;
  if (retention === 'session') return true;
  const d = parseDuration(retention);
  if (!d) return false;
  const seconds = d.days * 86_400;
  return lifetime > seconds + tolerance(seconds);
}
