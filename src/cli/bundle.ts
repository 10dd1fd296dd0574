/**
 * `oph-consent bundle <catalog.json> -o <file.js>` (CONTRACT.md §6.1): the drop-in script with a
 * catalog built in, for a site whose catalog is deployed with it: one request, no catalog fetch.
 * The catalog is validated and linted first (errors fail the build, exit 1; warnings are shown).
 * The element reads the built-in catalog only when it has no `catalog` attribute, property or
 * inline child. It carries the clean catalog the check returned and the SHA-256 of the file's exact
 * text, so `catalogHash` is what a URL catalog gives and no page view parses or checks it again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { validateCatalog } from '../core/catalog.js';
import { catalogHash } from './catalog-hash.js';
import { findingLine, readJsonFile } from './lint-command.js';
import { lintCatalog } from './lint.js';
import { UsageError, parseCommand } from './usage.js';

export const USAGE = `Usage: oph-consent bundle <catalog.json> -o <file.js>

Writes one self-contained classic script: the drop-in <oph-consent> with this
catalog built in. Load it with <script src="/oph-consent.oph31.js" defer> and
use <oph-consent></oph-consent> without a catalog attribute.

The catalog is validated and linted first: schema errors fail the build.

Options:
  -o, --out <file.js>   where to write the script (required)
  --drop-in <file.js>   the drop-in script to build on (default: this package's
                        dist/oph-consent.min.js)
  -h, --help            print this help

Exit status: 0 written (warnings allowed), 1 the catalog has errors, 2 wrong usage.
`;

const DROP_IN = fileURLToPath(new URL('../../oph-consent.min.js', import.meta.url));

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { out: { type: 'string', short: 'o' }, 'drop-in': { type: 'string' } }, USAGE);
  if (!parsed) return 0;
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError('bundle needs a catalog file', USAGE);
  if (extra.length) throw new UsageError(`bundle takes one catalog, got ${parsed.positionals.length}`, USAGE);
  const out = parsed.values.out;
  if (!out) throw new UsageError('bundle needs -o <file.js>', USAGE);

  const read = await readJsonFile(file);
  if ('rule' in read) {
    process.stderr.write(findingLine('error', read));
    return 1;
  }
  const { errors, warnings } = lintCatalog(read.value, file);
  process.stderr.write([...errors.map((f) => findingLine('error', f)), ...warnings.map((f) => findingLine('warning', f))].join(''));
  if (errors.length) {
    process.stderr.write(`oph-consent: ${out} not written: ${errors.length} error${errors.length === 1 ? '' : 's'} in ${file}\n`);
    return 1;
  }

  const dropInPath = parsed.values['drop-in'] ?? DROP_IN;
  let dropIn: string;
  try {
    dropIn = (await readFile(dropInPath, 'utf8')).trim();
  } catch (e) {
    process.stderr.write(`oph-consent: cannot read the drop-in script ${dropInPath} (${(e as Error).message}): run \`npm run build\` first\n`);
    return 2;
  }
  // The text as a browser's fetch().text() gives it (no byte-order mark): its SHA-256 is the record's catalogHash.
  // The clean catalog the check returns goes in with it, so that no page view parses, checks or hashes it again.
  const hash = catalogHash(read.text);
  const source = basename(file);
  const catalog = validateCatalog(read.value, source);
  const script =
    `/*! oph-consent site bundle: ${source.replace(/\*\//g, '* /')}, catalog sha256 ${hash} */\n` +
    `!function(OPH_CONSENT_CATALOG){${dropIn}}(${JSON.stringify({ value: catalog, text: '', source, hash })});\n`;
  // Bytes, not string length: the catalog's French text is UTF-8 on the wire.
  const bytes = Buffer.from(script);
  await writeFile(out, bytes);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  process.stdout.write(`${out}: ${bytes.length} bytes, ${gzip} bytes gzip -9; catalog ${source}, sha256 ${hash}\n`);
  return 0;
}
