/**
 * The layout of src/ is the architecture (README, "Layout"): each folder may import only what
 * this table allows. A new import that crosses a line fails here, naming the file and the import.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { test } from 'node:test';

const SRC = resolve('src');
/** Folder → the folders (and bare packages) its modules may import. */
const ALLOWED = {
  core: { folders: ['core', 'integrations'], packages: [] },
  integrations: { folders: ['core'], packages: [] },
  ui: { folders: ['ui', 'core', 'integrations'], packages: ['lit'] },
  cli: { folders: ['cli', 'core', 'log', 'audit'], packages: ['node:*', '*'] },
  log: { folders: ['log', 'core', 'cli'], packages: ['node:*', '*'] },
  audit: { folders: ['audit', 'core', 'cli'], packages: ['node:*', '*'] },
};
/** Besides the table: the browser never loads Node-side code, and nothing outside ui/ loads Lit. */
const BROWSER = ['core', 'integrations', 'ui'];

function imports(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

const files = readdirSync(SRC, { recursive: true })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(SRC, f));

test('src/ has only the folders the README names (and the entry index.ts)', () => {
  const top = [...new Set(files.map((f) => relative(SRC, f).split('/')[0]))].sort();
  for (const entry of top) assert.ok(entry === 'index.ts' || Object.hasOwn(ALLOWED, entry), `src/${entry} is not in the layout`);
  for (const folder of ['core', 'integrations', 'ui', 'cli']) assert.ok(top.includes(folder), `src/${folder} exists`);
});

test('each folder imports only what the layout allows: core/ never imports Lit or ui/', () => {
  const problems = [];
  for (const file of files) {
    const folder = relative(SRC, file).split('/')[0];
    const rules = ALLOWED[folder];
    if (!rules) continue; // src/index.ts, the public entry, may re-export anything browser-side
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = relative(SRC, resolve(dirname(file), spec)).split('/')[0];
        if (!rules.folders.includes(target)) problems.push(`${relative('.', file)} imports ${spec} (${target}/ is not allowed in ${folder}/)`);
      } else {
        const ok = rules.packages.some((p) => p === spec || p === '*' || (p.endsWith('*') && spec.startsWith(p.slice(0, -1))) || spec.startsWith(`${p}/`));
        if (!ok || (BROWSER.includes(folder) && spec.startsWith('node:'))) problems.push(`${relative('.', file)} imports the package ${spec} (not allowed in ${folder}/)`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('the check itself sees imports: the element imports Lit and the controller', () => {
  const element = imports(join(SRC, 'ui', 'oph-consent.ts'));
  assert.ok(element.includes('lit/html.js'));
  assert.ok(element.includes('../core/controller.js'));
});
