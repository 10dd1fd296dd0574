/**
 * What `npm pack` would publish: everything a user needs, nothing they do not (no tests, no
 * sources, no demo); then the package installed in a new user's project (consumer.mjs).
 * Run after `npm run build`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { consumerTests, scratchProject } from './consumer.mjs';
import { after, test } from 'node:test';

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = pack.files.map((f) => f.path).sort();
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const tests = {
  'ships the drop-in script, the ES modules with types, the linter, the schema and the manifest': () => {
    for (const f of [
      'dist/oph-consent.min.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/ui/oph-consent.js',
      'dist/ui/oph-consent.d.ts',
      'dist/core/catalog.js',
      'dist/node/cli/lint.js',
      'dist/node/cli/lint.d.ts',
      'bin/oph-consent.mjs',
      'catalog/catalog.schema.json',
      'catalog/oph31.json',
      'custom-elements.json',
      'README.md',
      'package.json',
    ])
      assert.ok(files.includes(f), `missing ${f}`);
  },
  'ships no tests, sources, demo, benchmark or tool configs': () => {
    const unwanted = files.filter((f) => /^(test|src|demo|bench|scripts|screenshots|coverage|node_modules)\/|\.config\.mjs$|^\.ci\//.test(f));
    assert.deepEqual(unwanted, []);
  },
  'every path package.json points to is in the package': () => {
    const targets = [pkg.main, pkg.module, pkg.types, pkg.customElements, ...Object.values(pkg.bin)];
    for (const entry of Object.values(pkg.exports)) targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, '')), `package.json points to ${t}, which is not packed`);
  },
  'the command line’s drivers (browser, databases, server) are optional peers: npm install oph-consent installs none of them': () => {
    const peers = Object.keys(pkg.peerDependencies ?? {});
    for (const name of ['playwright-core', 'better-sqlite3', 'pg', 'fastify', 'kysely']) assert.ok(peers.includes(name), name);
    for (const name of peers) {
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is an optional peer`);
      assert.ok(pkg.devDependencies[name], `${name} is installed in this repository (one npm install makes every command work)`);
    }
  },
  'Lit is the only runtime dependency': () => {
    assert.deepEqual(Object.keys(pkg.dependencies), ['lit']);
  },
  'the ES build leaves Lit to the bundler (no copy of Lit inside dist/index.js and friends)': () => {
    const source = readFileSync('dist/ui/oph-consent.js', 'utf8');
    assert.match(source, /from ['"]lit\/html\.js['"]/);
    assert.ok(!files.some((f) => f.startsWith('dist/node_modules/')), 'a dependency was bundled into dist/');
  },
};

const project = scratchProject();
Object.assign(tests, consumerTests(project));

for (const [name, fn] of Object.entries(tests)) test(name, fn);
after(() => project.cleanup());
console.log(`package: ${files.length} files, ${pack.size} bytes packed`);
