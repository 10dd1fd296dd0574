/**
 * Rule ids in test names mean something: each one a test names (CNIL-16, A11Y-04, GCM-05…) is in
 * docs/compliance-rules.md, and its row lists that test file. After adding a test that names a
 * rule: `node scripts/compliance-glossary.mjs`.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const glossary = readFileSync('docs/compliance-rules.md', 'utf8');
const rows = new Map([...glossary.matchAll(/^\| ([A-Z0-9]+-\d{2}) \|.*\| ([^|]*) \|$/gm)].map(([, id, files]) => [id, files]));
const RULE = /\b((?:CNIL|A11Y|GCM|GPC|DNT|REC|GDPR|EP)-\d{2})\b/g;

test('the glossary lists the checklist’s rules', () => {
  assert.ok(rows.size >= 60, `${rows.size} rules`);
  for (const id of ['CNIL-03', 'CNIL-16', 'A11Y-04', 'GCM-01', 'GPC-02', 'REC-01']) assert.ok(rows.has(id), id);
});

test('every rule a test names is in the glossary, with that test file listed', () => {
  const problems = [];
  for (const file of readdirSync('test', { recursive: true }).filter((f) => /\.test\.(ts|mjs)$/.test(f) && !f.endsWith('compliance.test.mjs'))) {
    for (const id of new Set([...readFileSync(join('test', file), 'utf8').matchAll(RULE)].map((m) => m[1]))) {
      if (!rows.has(id)) problems.push(`test/${file} names ${id}, which is not a rule of the checklist`);
      else if (!rows.get(id).includes(`test/${file}`)) problems.push(`test/${file} names ${id}: run node scripts/compliance-glossary.mjs`);
    }
  }
  assert.deepEqual(problems, []);
});
