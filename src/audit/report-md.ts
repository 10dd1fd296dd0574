/** report.md: the findings for a pull request or a ticket; the evidence stays in report.json and report.html. */
import { PHASE_TITLES, type AuditReport } from './report.js';

/** Markdown table cells: no line breaks, pipes and backticks escaped, long URLs shortened. */
const cell = (s: string) => s.replace(/\s+/g, ' ').replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).slice(0, 300);
/** A code span, for names and URLs; one with `<`, `>`, `|` or a backtick is an escaped cell instead (a site's names are not to be trusted). */
const code = (s: string) => (/[<>`|]/.test(s) ? cell(s) : `\`${s.replace(/\s+/g, ' ').slice(0, 200)}\``);

export function markdownReport(r: AuditReport): string {
  const { violations, warnings } = r.summary;
  const lines = [
    `## oph-consent audit: ${violations} violation${violations === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    '',
    `- Site: ${r.urls.map(code).join(', ')} (${r.pages.length} page${r.pages.length === 1 ? '' : 's'} seen on the first visit)`,
    `- Catalog: ${r.catalog ? `${code(r.catalog.source)}, revision ${r.catalog.revision}, ${r.catalog.cookies} cookies, sha256 ${code(r.catalog.sha256.slice(0, 16))}…` : 'none'}`,
    `- Phases: ${r.phases.map((p) => PHASE_TITLES[p.id]).join('; ')}`,
    `- Browser: ${cell(r.browser.version)}; ${r.startedAt}, ${(r.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (!r.findings.length) lines.push('No finding: nothing set or contacted before consent or after a refusal, and the catalog matches what was seen.', '');
  else {
    lines.push('| | Finding | Rule | Phase | Subject | Set by | Detail |', '|---|---|---|---|---|---|---|');
    for (const f of r.findings) {
      const subject = f.subject.where ? `${code(f.subject.name)} (${cell(f.subject.where)})` : code(f.subject.name);
      lines.push(
        `| ${f.level === 'violation' ? '❌' : '⚠️'} | ${code(f.id)} | ${f.rule} | ${f.phase} | ${subject} | ${f.setBy.map((s) => cell(s)).join('<br>') || '–'} | ${cell(f.message)} |`,
      );
    }
    lines.push('');
  }
  const notes = r.phases.flatMap((p) => p.notes.map((n) => `- ${p.id}: ${cell(n)}`));
  if (notes.length) lines.push('Notes:', '', ...notes, '');
  lines.push('Evidence (cookies, storage, requests and screenshots of each phase): `report.json`, `report.html`.', '');
  return lines.join('\n');
}
