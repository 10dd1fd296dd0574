/**
 * docs/accessibility-statement.md stays true: every rule id it gives as evidence for a criterion is named by a test in
 * the test file it points to, and every status is one the statement defines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const statement = readFileSync('docs/accessibility-statement.md', 'utf8');
const rows = statement.split('\n').filter((line) => /^\| \d/.test(line)).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));

test('the statement has a row per criterion, each with a known status', () => {
  assert.ok(rows.length >= 20, `${rows.length} rows`);
  for (const [criterion, , status] of rows) assert.ok(['C', 'NC', 'À vérifier', 'NA'].includes(status), `${criterion}: status ${status}`);
});

test('each rule id given as evidence is named by a test in the file the row points to', () => {
  const problems = [];
  for (const [criterion, , status, evidence] of rows) {
    const ids = evidence.match(/\b(?:A11Y|CNIL)-\d{2}\b/g) ?? [];
    const files = [...evidence.matchAll(/`(test\/[^`]+)`/g)].map((m) => m[1]);
    if (status === 'C' && !ids.length && !/by construction|axe/.test(evidence)) problems.push(`${criterion}: conforme without a test`);
    for (const id of ids) {
      if (!files.some((f) => new RegExp(`['\`]${id}[^'\`]*['\`]|${id} /|/ ${id}`).test(readFileSync(f, 'utf8')))) problems.push(`${criterion}: no test named ${id} in ${files.join(', ')}`);
    }
  }
  assert.deepEqual(problems, []);
});
