#!/usr/bin/env node
/**
 * `oph-consent lint <file…> [--json]`: checks cookie catalogs against the schema (errors) and
 * for compliance problems (warnings). Exit 0 when there is no error (warnings allowed), 1 when
 * there is one, 2 on a usage problem. OPH_CONSENT_DIST points to another build of dist/lint.js.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const USAGE = `Usage: oph-consent lint <catalog.json>… [--json]

Checks cookie catalogs for <oph-consent>: schema errors, then compliance warnings
(retention over 13 months, vague retention, consent cookie lifetime, duplicate
cookie names, categories without cookies, misspelt tracker names, missing English
text, third parties in a consent-exempt category).

Options:
  --json      print { files: [{ file, errors, warnings }], errors, warnings } as JSON
  -h, --help  print this help

Exit status: 0 no error (warnings allowed), 1 at least one error, 2 wrong usage.
`;

const usageError = (why) => {
  process.stderr.write(`oph-consent: ${why}\n\n${USAGE}`);
  process.exit(2);
};

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [command, ...rest] = args;
if (command === undefined) usageError('missing subcommand');
if (command !== 'lint') usageError(`unknown subcommand ${JSON.stringify(command)}`);

let json = false;
const files = [];
let optionsEnded = false;
for (const arg of rest) {
  if (optionsEnded || !arg.startsWith('-')) files.push(arg);
  else if (arg === '--') optionsEnded = true;
  else if (arg === '--json') json = true;
  else if (arg === '--help' || arg === '-h') {
    process.stdout.write(USAGE);
    process.exit(0);
  } else usageError(`unknown option ${JSON.stringify(arg)}`);
}
if (!files.length) usageError('lint needs at least one catalog file');

const dist = process.env.OPH_CONSENT_DIST ? resolve(process.env.OPH_CONSENT_DIST) : fileURLToPath(new URL('../dist', import.meta.url));
let lintCatalog;
try {
  ({ lintCatalog } = await import(pathToFileURL(resolve(dist, 'cli', 'lint.js')).href));
} catch (e) {
  process.stderr.write(`oph-consent: cannot load ${resolve(dist, 'cli', 'lint.js')} (${e.message.split('\n')[0]}): run \`npm run build\` first\n`);
  process.exit(2);
}

const READ_ERRORS = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied' };

async function lintFile(file) {
  const finding = (rule, message) => ({ file, errors: [{ file, path: '', rule, message }], warnings: [] });
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return finding('file', `cannot read ${file}: ${READ_ERRORS[e.code] ?? e.message}`);
  }
  let value;
  text = text.replace(/^\uFEFF/, '');
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Node 20 gives only the position; newer versions add the line and column themselves.
    const at = /at position (\d+)$/.exec(e.message);
    const where = at ? ` (line ${text.slice(0, +at[1]).split('\n').length}, column ${+at[1] - text.lastIndexOf('\n', +at[1] - 1)})` : '';
    return finding('json', `${file} is not valid JSON: ${e.message}${where}`);
  }
  return { file, ...lintCatalog(value, file) };
}

const results = [];
for (const file of files) results.push(await lintFile(file));
const errors = results.flatMap((r) => r.errors);
const warnings = results.flatMap((r) => r.warnings);

if (json) {
  process.stdout.write(`${JSON.stringify({ files: results, errors: errors.length, warnings: warnings.length }, null, 2)}\n`);
} else {
  const line = (kind, f) => `${kind} ${f.file}: ${f.path ? `${f.path}: ` : ''}${f.message} [${f.rule}]\n`;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  process.stdout.write(
    errors.map((f) => line('error', f)).join('') +
      warnings.map((f) => line('warning', f)).join('') +
      `${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')} in ${plural(results.length, 'file')}\n`,
  );
}
process.exitCode = errors.length ? 1 : 0;
