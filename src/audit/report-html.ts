/**
 * report.html: one self-contained page a DPO can open and keep as evidence (CNIL-18): inline CSS,
 * screenshots as data: URLs, no script, every text from the site HTML-escaped.
 */
import type { Step } from './evidence.js';
import { FINDING_KINDS } from './findings.js';
import { PHASE_TITLES, type AuditReport } from './report.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

const CSS = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:75rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd}h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}.findings td:nth-child(-n+4){overflow-wrap:normal;white-space:nowrap}
th{background:#f2f2f2}.violation{color:#a00;font-weight:700}.warning{color:#8a5a00;font-weight:700}
.ok{color:#17612a;font-weight:700}img{max-width:100%;border:1px solid #999}code{font-size:.85em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:700}
`;

const list = (items: readonly string[]) => items.map((s) => `<code>${escapeHtml(s)}</code>`).join('<br>') || '–';
const lifetime = (s: number | null) => (s === null ? 'session' : s >= 86_400 ? `${(s / 86_400).toFixed(1)} d` : `${s} s`);

function stepTables(step: Step): string {
  const cookies = step.cookies.length
    ? `<table><tr><th>Cookie</th><th>Domain</th><th>Path</th><th>Lifetime</th><th>Flags</th><th>Party</th><th>Set by</th></tr>${step.cookies
        .map(
          (c) =>
            `<tr><td><code>${escapeHtml(c.name)}</code></td><td>${escapeHtml(c.domain)}</td><td>${escapeHtml(c.path)}</td><td>${lifetime(c.lifetime)}</td>` +
            `<td>${[c.httpOnly && 'HttpOnly', c.secure && 'Secure', `SameSite=${c.sameSite}`].filter(Boolean).map(escapeHtml).join(' ')}</td>` +
            `<td>${c.party}</td><td>${list(c.setBy)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>No cookie.</p>';
  const storage = step.storage.length
    ? `<table><tr><th>Storage</th><th>Key or database</th><th>Origin</th><th>Written by</th></tr>${step.storage
        .map((s) => `<tr><td>${s.area}</td><td><code>${escapeHtml(s.key)}</code></td><td>${escapeHtml(s.origin)}</td><td>${list(s.setBy)}</td></tr>`)
        .join('')}</table>`
    : '<p>No storage item.</p>';
  const requests = step.requests.length
    ? `<table><tr><th>Third-party host</th><th>Type</th><th>URL</th><th>Initiator</th></tr>${step.requests
        .map((r) => `<tr><td>${escapeHtml(r.host)}</td><td>${escapeHtml(r.type)}</td><td><code>${escapeHtml(r.url)}</code></td><td>${list([r.initiator])}</td></tr>`)
        .join('')}</table>`
    : '<p>No third-party request.</p>';
  return `<h4>${escapeHtml(step.label)} (consent: ${step.consent}) – <code>${escapeHtml(step.url)}</code>, ${escapeHtml(step.at)}</h4>${cookies}${storage}${requests}`;
}

export function htmlReport(r: AuditReport): string {
  const { violations, warnings } = r.summary;
  const findings = r.findings.length
    ? `<table class="findings"><tr><th>Level</th><th>Finding</th><th>Rule</th><th>Phase</th><th>Subject</th><th>Set by</th><th>Detail</th></tr>${r.findings
        .map(
          (f) =>
            `<tr><td class="${f.level}">${f.level}</td><td><code>${f.id}</code></td><td>${escapeHtml(f.rule)}</td><td>${f.phase}</td>` +
            `<td><code>${escapeHtml(f.subject.name)}</code>${f.subject.where ? `<br>${escapeHtml(f.subject.where)}` : ''}</td><td>${list(f.setBy)}</td><td>${escapeHtml(f.message)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="ok">No finding.</p>';
  const phases = r.phases
    .map(
      (p) =>
        `<h2 id="${p.id}">${escapeHtml(PHASE_TITLES[p.id])}</h2>` +
        (p.screenshot ? `<figure><img alt="${escapeHtml(p.screenshotCaption ?? p.id)}" src="data:image/png;base64,${p.screenshot.replace(/[^A-Za-z0-9+/=]/g, '')}"><figcaption>${escapeHtml(p.screenshotCaption ?? '')}</figcaption></figure>` : '') +
        (p.notes.length ? `<ul>${p.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '') +
        p.steps.map(stepTables).join(''),
    )
    .join('');
  const legend = Object.entries(FINDING_KINDS)
    .map(([id, k]) => `<tr><td><code>${id}</code></td><td class="${k.level}">${k.level}</td><td>${escapeHtml(k.meaning)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>oph-consent audit – ${escapeHtml(r.urls[0] ?? '')}</title><style>${CSS}</style></head><body>
<h1>Cookie consent audit of <code>${escapeHtml(r.urls.join(', '))}</code></h1>
<p><span class="${violations ? 'violation' : 'ok'}">${violations} violation${violations === 1 ? '' : 's'}</span>, <span class="${warnings ? 'warning' : 'ok'}">${warnings} warning${warnings === 1 ? '' : 's'}</span></p>
<dl><dt>Audited</dt><dd>${escapeHtml(r.startedAt)} (${(r.durationMs / 1000).toFixed(1)} s) with ${escapeHtml(r.browser.version)}</dd>
<dt>Pages</dt><dd>${list(r.pages)}</dd>
<dt>Catalog</dt><dd>${r.catalog ? `<code>${escapeHtml(r.catalog.source)}</code>, revision ${r.catalog.revision}, ${r.catalog.cookies} cookies, SHA-256 <code>${escapeHtml(r.catalog.sha256)}</code>` : 'none'}</dd>
<dt>Tool</dt><dd>${escapeHtml(r.tool.name)} ${escapeHtml(r.tool.version)}, report ${escapeHtml(r.schema)}</dd></dl>
<h2>Findings</h2>${findings}
${phases}
<h2>What the findings mean</h2><table><tr><th>Finding</th><th>Level</th><th>Meaning</th></tr>${legend}</table>
</body></html>
`;
}
