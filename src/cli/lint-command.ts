/**
 * `oph-consent lint <file…> [--json]`: checks cookie catalogs against the schema (errors) and for
 * compliance problems (warnings). Exit 0 when there is no error (warnings allowed), 1 when there
 * is one, 2 on a usage problem.
 */
import { readFile } from 'node:fs/promises';
import { lintCatalog, type Finding, type LintResult } from './lint.js';
import { UsageError, parseCommand } from './usage.js';

export const USAGE = `Usage: oph-consent lint <catalog.json>… [--json]

Checks cookie catalogs for <oph-consent>: schema errors, then compliance warnings
(retention over 13 months, vague retention, consent cookie lifetime, duplicate
cookie names, categories without cookies, misspelt tracker names, missing English
text, third parties in a consent-exempt category).

Options:
  --json      print { files: [{ file, errors, warnings }], errors, warnings } as JSON
  -h, --help  print this help

Exit status: 0 no error (warnings allowed), 1 at least one error, 2 wrong usage.
`;

const READ_ERRORS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied' };

/** Reads and parses a JSON file; a problem becomes a finding with the file, the line and the column. */
export async function readJsonFile(file: string): Promise<{ value: unknown; text: string } | Finding> {
  const finding = (rule: string, message: string): Finding => ({ file, path: '', rule, message });
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    return finding('file', `cannot read ${file}: ${(code && READ_ERRORS[code]) ?? message}`);
  }
  try {
    return { value: JSON.parse(text), text };
  } catch (e) {
    // Node 20 gives only the position; newer versions add the line and column themselves.
    const message = (e as Error).message;
    const at = /at position (\d+)$/.exec(message);
    const where = at ? ` (line ${text.slice(0, +at[1]).split('\n').length}, column ${+at[1] - text.lastIndexOf('\n', +at[1] - 1)})` : '';
    return finding('json', `${file} is not valid JSON: ${message}${where}`);
  }
}

export async function lintFile(file: string): Promise<LintResult & { file: string }> {
  const read = await readJsonFile(file);
  if ('rule' in read) return { file, errors: [read], warnings: [] };
  return { file, ...lintCatalog(read.value, file) };
}

export const findingLine = (kind: string, f: Finding) => `${kind} ${f.file}: ${f.path ? `${f.path}: ` : ''}${f.message} [${f.rule}]\n`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { json: { type: 'boolean' } }, USAGE);
  if (!parsed) return 0;
  const files = parsed.positionals;
  if (!files.length) throw new UsageError('lint needs at least one catalog file', USAGE);
  const results = [];
  for (const file of files) results.push(await lintFile(file));
  const errors = results.flatMap((r) => r.errors);
  const warnings = results.flatMap((r) => r.warnings);
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ files: results, errors: errors.length, warnings: warnings.length }, null, 2)}\n`);
  } else {
    process.stdout.write(
      errors.map((f) => findingLine('error', f)).join('') +
        warnings.map((f) => findingLine('warning', f)).join('') +
        `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')} in ${plural(results.length, 'file')}\n`,
    );
  }
  return errors.length ? 1 : 0;
}
