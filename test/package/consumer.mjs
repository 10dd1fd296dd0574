/**
 * A new user's project, offline: the tarball `npm pack` makes, unpacked into a scratch project's
 * node_modules beside Lit (linked from ours, as `npm install` would fetch it). Then what the README
 * promises: TypeScript type-checks a consumer (NodeNext), Rollup bundles it, the package's export
 * paths resolve, and the linter runs from the installed `bin`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';

const ROOT = resolve(import.meta.dirname, '../..');
const LIT = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'];

/** Makes the scratch project; returns its folder and a cleanup. */
export function scratchProject() {
  const dir = mkdtempSync(join(tmpdir(), 'oph-consent-consumer-'));
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@lit'), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, filename), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'oph-consent'));
  for (const name of LIT) symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const CONSUMER_TS = `
import { OphConsent, validateCatalog, CatalogError, type ChangeDetail, type Consent } from 'oph-consent';
import { lintCatalog } from 'oph-consent/lint';

const el = document.createElement('oph-consent');
const typed: OphConsent = el;
el.addEventListener('oph-consent-change', (event) => {
  const detail: ChangeDetail = event.detail;
  const consent: Consent = detail.consent;
  console.log(detail.method, consent.analytics, typed.hasConsent('analytics'));
});
void el.acceptAll();
try {
  validateCatalog({});
} catch (e) {
  if (e instanceof CatalogError) console.log(e.path, e.reason);
}
console.log(typeof lintCatalog);
`;

export const consumerTests = (project) => ({
  'a TypeScript project (NodeNext) type-checks against the installed package': () => {
    writeFileSync(join(project.dir, 'app.ts'), CONSUMER_TS);
    const compilerOptions = { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [] };
    writeFileSync(join(project.dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }));
    try {
      execFileSync('node', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: project.dir, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  },
  'a bundler (Rollup) builds an app from it, with Lit once, and the element registers itself': async () => {
    writeFileSync(join(project.dir, 'app.js'), "import { OphConsent } from 'oph-consent';\nconsole.log(OphConsent.name);\n");
    const bundle = await rollup({ input: join(project.dir, 'app.js'), plugins: [nodeResolve({ browser: true })], onwarn: () => {} });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = output[0].code;
    assert.match(code, /customElements\.define\(['"]oph-consent['"]/);
    assert.equal(code.match(/litHtmlVersions/g)?.length, 1, 'Lit is bundled once');
  },
  'the export paths resolve: the drop-in script, the schema and the linter': () => {
    const require = createRequire(join(project.dir, 'app.js'));
    for (const path of ['oph-consent/oph-consent.min.js', 'oph-consent/catalog.schema.json', 'oph-consent/package.json'])
      assert.ok(require.resolve(path).startsWith(join(project.dir, 'node_modules/oph-consent/')), path);
  },
  'the linter runs from the installed bin on the shipped catalog': () => {
    // Linked the way npm links it: node_modules/.bin/<name> → the path the package's `bin` gives.
    const installed = join(project.dir, 'node_modules/oph-consent');
    const target = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin?.['oph-consent'];
    assert.ok(target, 'package.json has a bin named oph-consent');
    const bin = join(project.dir, 'node_modules/.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(join('../oph-consent', target), join(bin, 'oph-consent'));
    const out = execFileSync(join(bin, 'oph-consent'), ['lint', 'node_modules/oph-consent/catalog/oph31.json', '--json'], { cwd: project.dir, encoding: 'utf8' });
    const [file] = JSON.parse(out).files;
    assert.equal(file.errors.length, 0);
    assert.ok(file.warnings.length > 0, 'the seed’s own problems are flagged');
  },
});
