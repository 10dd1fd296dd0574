/**
 * report.json: the whole audit as data, versioned by `schema` (its JSON Schema is published as
 * `oph-consent/audit-report.schema.json`). The Markdown and HTML reports are views of it.
 */
import type { BannerState, Phase } from './evidence.js';
import type { Finding } from './findings.js';

/** Raise the number when a field changes meaning or goes away; adding fields keeps it. */
export const REPORT_SCHEMA = 'oph-consent-audit/1';

export interface AuditReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly tool: { readonly name: 'oph-consent'; readonly version: string };
  readonly startedAt: string;
  readonly durationMs: number;
  /** The URLs given; `pages` are those the first visit saw (the given ones, then crawled links). */
  readonly urls: readonly string[];
  readonly pages: readonly string[];
  readonly browser: { readonly executable: string; readonly version: string };
  readonly catalog: { readonly source: string; readonly revision: number; readonly sha256: string; readonly cookies: number } | null;
  readonly banner: BannerState;
  readonly summary: { readonly violations: number; readonly warnings: number; readonly exitCode: 0 | 1 };
  readonly findings: readonly Finding[];
  readonly phases: readonly Phase[];
}

export const PHASE_TITLES: Record<Phase['id'], string> = {
  'first-visit': 'First visit, nothing clicked',
  refusal: '"Tout refuser", a reload, a second page',
  acceptance: '"Tout accepter", a reload, a second page',
  withdrawal: '"Tout accepter", then withdrawn from the panel',
};

/** Exit status for CI: 1 with a violation, or with a warning under `--strict`. */
export const exitCodeOf = (findings: readonly Finding[], strict: boolean): 0 | 1 =>
  findings.some((f) => f.level === 'violation' || strict) ? 1 : 0;
