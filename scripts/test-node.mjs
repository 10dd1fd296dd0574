/**
 * Runs every Node-side test file (`test/**\/*.test.mjs`: linter, CLI, package, end to end, audit,
 * consent log) with node:test, one file at a time (each may drive a browser or a database on this
 * 2-core machine), and ends with `node: N passed, N failed`. Arguments narrow the files: `npm run
 * test:node -- log` runs the files whose path contains "log".
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync('test', { recursive: true })
  .map((f) => join('test', f))
  .filter((f) => f.endsWith('.test.mjs') && !f.includes('node_modules'))
  .filter((f) => !filters.length || filters.some((w) => f.includes(w)))
  .sort();
if (!files.length) {
  console.log(`no Node test file matches ${filters.join(' ')}\nnode: 0 passed, 1 failed`);
  process.exit(1);
}
const { status } = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/node-summary.mjs',
    '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(status ?? 1);
