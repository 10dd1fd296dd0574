/**
 * The catalog linter behind `npx oph-consent lint`: the validator's errors, then compliance
 * warnings a valid catalog can still deserve (CNIL-11, CNIL-13, CNIL-14). Plain module for Node:
 * no DOM, no Lit, never shipped to visitors.
 */
import { CatalogError, DURATION, validateCatalog, type Catalog, type CookieInfo, type Text } from '../core/catalog.js';

/** One problem: the file, the field path (`cookies[12].retention`, empty for the whole file), a stable rule id and why. */
export interface Finding {
  readonly file: string;
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

export interface LintResult {
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

/** 13 months, in days: CNIL-13's cap on a tracker's lifetime. */
export const MAX_TRACKER_DAYS = 395;
/** About 6 months: how long the CNIL recommends keeping a choice (CNIL-11). */
export const RECOMMENDED_CONSENT_DAYS = 183;

const DAYS_PER_MONTH = 30.44;

/**
 * How long an ISO 8601 duration lasts: `months` for its years and months (Y = 12 M), `days` for
 * the whole of it (Y = 365 d, M = 30.44 d, W = 7 d, hours and less as fractions of a day).
 * Undefined for anything else (`session`, `unspecified`, `persistent`).
 */
export function parseDuration(retention: string): { months: number; days: number } | undefined {
  const m = DURATION.exec(retention);
  if (!m) return undefined;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((n) => Number(n ?? 0));
  const months = y * 12 + mo;
  const rest = w * 7 + d + h / 24 + mi / 1440 + s / 86400;
  return { months, days: y * 365 + mo * DAYS_PER_MONTH + rest };
}

/** Longer than 13 months: more than 13 calendar months when given in years and months, else more than 395 days. */
export function exceedsThirteenMonths(retention: string): boolean {
  const d = parseDuration(retention);
  if (!d) return false;
  // P13M and P1Y1M are 13 months, not 395.7 days: compare calendar months when only they are given.
  return /^P(\d+Y)?(\d+M)?$/.test(retention) ? d.months > 13 : d.days > MAX_TRACKER_DAYS;
}

/**
 * Validates a parsed catalog (schema errors, rule `schema`) and, when it is valid, checks it for
 * compliance problems (warnings, one rule id each). `source` names the file in every finding.
 */
export function lintCatalog(json: unknown, source: string): LintResult {
  let catalog: Catalog;
  try {
    catalog = validateCatalog(json, source);
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    return { errors: e.problems.map(({ path, reason }) => ({ file: source, path, rule: 'schema', message: reason })), warnings: [] };
  }
  const warnings: Finding[] = [];
  const warn = (path: string, rule: string, message: string) => warnings.push({ file: source, path, rule, message });
  for (const rule of RULES) rule(catalog, warn);
  return { errors: [], warnings: sortByPath(warnings) };
}

type Warn = (path: string, rule: string, message: string) => void;
type Rule = (catalog: Catalog, warn: Warn) => void;

const quote = (s: string) => JSON.stringify(s);
const about = (days: number) => (Number.isInteger(days) ? `${days} days` : `about ${Math.round(days)} days`);

const consentCookieLifetime: Rule = ({ consentCookie }, warn) => {
  const { days } = consentCookie;
  if (days > MAX_TRACKER_DAYS)
    warn(
      'consentCookie.days',
      'consent-cookie-lifetime',
      `the choice is kept ${days} days, longer than 13 months (${MAX_TRACKER_DAYS} days); ` +
        `the CNIL recommends keeping it about 6 months (180 days) before asking again (CNIL-11, CNIL-13)`,
    );
  else if (days > RECOMMENDED_CONSENT_DAYS)
    warn(
      'consentCookie.days',
      'consent-cookie-lifetime',
      `the choice is kept ${days} days; the CNIL recommends about 6 months (180 days) before asking again (CNIL-11)`,
    );
};

const categoryWithoutCookie: Rule = ({ categories, cookies }, warn) => {
  const used = new Set(cookies.map((c) => c.category));
  categories.forEach((c, i) => {
    if (!used.has(c.id))
      warn(
        `categories[${i}].id`,
        'category-without-cookie',
        `category ${quote(c.id)} has no cookie: list the cookies it stands for, or remove it`,
      );
  });
};

const retention: Rule = ({ categories, cookies }, warn) => {
  const required = new Set(categories.filter((c) => c.required).map((c) => c.id));
  cookies.forEach((c, i) => {
    const path = `cookies[${i}].retention`;
    if (c.retention === 'unspecified')
      warn(
        path,
        'vague-retention',
        `${quote(c.name)} has retention "unspecified": give its lifetime as an ISO 8601 duration (P6M, P30D, PT2H) or "session"`,
      );
    else if (c.retention === 'persistent')
      warn(
        path,
        'vague-retention',
        `${quote(c.name)} has retention "persistent" (no end): give its lifetime as an ISO 8601 duration` +
          (required.has(c.category) ? '' : `, at most 13 months (P13M) for a tracker (CNIL-13)`),
      );
    else if (!required.has(c.category) && exceedsThirteenMonths(c.retention))
      warn(
        path,
        'retention-over-13-months',
        `${quote(c.name)} is kept ${c.retention} (${about(parseDuration(c.retention)!.days)}), longer than 13 months ` +
          `(${MAX_TRACKER_DAYS} days): the CNIL caps trackers at 13 months, not extended on each visit (CNIL-13)`,
      );
  });
};

/** An entry's published name and its `match` names, each with its path. */
const namesOf = (c: CookieInfo, i: number) => [
  { name: c.name, path: `cookies[${i}].name` },
  ...c.match.map((name, j) => ({ name, path: `cookies[${i}].match[${j}]` })),
];

const duplicateCookie: Rule = ({ cookies }, warn) => {
  const seen = new Map<string, { entry: number; path: string }>();
  cookies.forEach((c, i) => {
    const names = namesOf(c, i);
    for (const { name, path } of names) {
      const first = seen.get(name);
      // An entry may repeat its own published name in `match`: that is no second cookie.
      if (first && !(first.entry === i && first.path.endsWith('.name')))
        warn(path, 'duplicate-cookie', `cookie name ${quote(name)} is listed twice: also at ${first.path}`);
      else if (!first) seen.set(name, { entry: i, path });
    }
  });
};

/** Well-known trackers by name without its leading underscores, with how many they really have. */
const TRACKERS: readonly { stem: RegExp; underscores: number; setBy: string }[] = [
  { stem: /^utm[abctvxz]$/, underscores: 2, setBy: 'ga.js' },
  { stem: /^(ga|gid|gat)(_.*)?$/, underscores: 1, setBy: 'Google Analytics' },
  { stem: /^pk_(id|ses|ref|cvar|hsr|testcookie)$/, underscores: 1, setBy: 'Matomo' },
];

const covers = (pattern: string, name: string) => pattern === name || (pattern.endsWith('*') && name.startsWith(pattern.slice(0, -1)));

const misspeltTracker: Rule = ({ cookies }, warn) => {
  cookies.forEach((c, i) => {
    const names = namesOf(c, i);
    const reported = new Set<string>();
    for (const { name, path } of names) {
      const [, underscores, stem] = /^(_*)(.*)$/.exec(name)!;
      const key = stem.split(/[.*]/)[0];
      const tracker = TRACKERS.find((t) => t.stem.test(key));
      if (!tracker || underscores.length === tracker.underscores) continue;
      const real = '_'.repeat(tracker.underscores) + stem;
      if (reported.has(real) || names.some((n) => covers(n.name, real))) continue;
      reported.add(real);
      const count = tracker.underscores === 1 ? 'one leading underscore' : 'two leading underscores';
      warn(
        path,
        'misspelt-tracker',
        `${quote(name)} is not the name ${tracker.setBy} sets: it is ${quote(real)} (${count}); ` +
          `add "match": [${quote(real)}] so that a refusal deletes the real cookie`,
      );
    }
  });
};

const hasEnglish = (t: Text) => typeof t !== 'string' && Object.hasOwn(t, 'en');

const missingEnglish: Rule = ({ controller, categories, cookies }, warn) => {
  const check = (t: Text | undefined, path: string, plainIsFine = false) => {
    if (t === undefined || hasEnglish(t) || (plainIsFine && typeof t === 'string')) return;
    warn(
      path,
      'missing-english',
      typeof t === 'string'
        ? `plain text, shown as it is to English visitors: give { "fr": …, "en": … }`
        : `no English text ("en"): English visitors see the ${Object.hasOwn(t, 'fr') ? 'French' : quote(Object.keys(t)[0])} one`,
    );
  };
  check(controller.address, 'controller.address', true);
  categories.forEach((c, i) => {
    check(c.title, `categories[${i}].title`);
    check(c.description, `categories[${i}].description`);
  });
  cookies.forEach((c, i) => check(c.purpose, `cookies[${i}].purpose`));
};

/** Lower case, no accents, words separated by one space. */
const normalize = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
const texts = (t: Text) => (typeof t === 'string' ? [t] : Object.values(t));
/** Third parties that can never be "the publisher's own" measurement, whatever the parentheses say. */
const THIRD_PARTIES = /\b(google|doubleclick|youtube|facebook|meta|instagram|microsoft clarity|bing|hotjar|linkedin|tiktok|twitter)\b/;

const exemptThirdParty: Rule = ({ controller, categories, cookies }, warn) => {
  const exempt = new Set(categories.filter((c) => c.exempt).map((c) => c.id));
  if (!exempt.size) return;
  // The controller's full name and its short form ("OPH31" in "OPH31 – Office Public…").
  const own = texts(controller.name).flatMap((n) => [normalize(n), normalize(n.split(/\s[–—-]\s|\s\(|,/)[0])]).filter(Boolean);
  const isOwn = (provider: string) => {
    const p = normalize(provider);
    return !THIRD_PARTIES.test(p) && own.some((o) => p === o || ` ${p} `.includes(` ${o} `));
  };
  cookies.forEach((c, i) => {
    if (!exempt.has(c.category) || c.provider === undefined || texts(c.provider).every(isOwn)) return;
    warn(
      `cookies[${i}].provider`,
      'exempt-third-party',
      `${quote(c.name)} is in consent-exempt category ${quote(c.category)} but set by ${quote(texts(c.provider)[0])}, ` +
        `not by the controller: the exemption covers only audience measurement for the publisher alone (CNIL-14); ` +
        `move it to a category that asks for consent`,
    );
  });
};

/** An entry drafted by `oph-consent audit --draft`: its category and purpose were guessed. */
const needsReview: Rule = ({ cookies }, warn) =>
  cookies.forEach((c, i) => {
    if (c.needsReview)
      warn(`cookies[${i}].needsReview`, 'needs-review', `${quote(c.name)} was drafted from what the audit saw: check its category, purpose and retention, then remove "needsReview"`);
  });

const RULES: readonly Rule[] = [
  consentCookieLifetime,
  categoryWithoutCookie,
  missingEnglish,
  retention,
  duplicateCookie,
  misspeltTracker,
  exemptThirdParty,
  needsReview,
];

/** Document order: controller, consent cookie, categories, cookies, by index; rule order within one path. */
const SECTIONS = ['controller', 'consentCookie', 'consentLogUrl', 'categories', 'cookies'];
function sortByPath(findings: Finding[]): Finding[] {
  const key = (path: string) => {
    const section = SECTIONS.indexOf(path.split(/[.[]/)[0]);
    const indices = path.replace(/\[(\d+)\]/g, (_, n: string) => `[${n.padStart(9, '0')}]`);
    return `${String(section < 0 ? SECTIONS.length : section).padStart(2, '0')}${indices}`;
  };
  return findings
    .map((f, i) => ({ f, i, k: key(f.path) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map(({ f }) => f);
}
