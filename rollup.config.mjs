import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { fileURLToPath } from 'node:url';

/**
 * The drop-in script's entry: it only imports the element's module, so the file registers
 * `<oph-consent>` and creates no global (the class is `customElements.get('oph-consent')`).
 */
const DROP_IN = '\0drop-in';
const dropInEntry = {
  name: 'drop-in-entry',
  resolveId: (id) => (id === DROP_IN ? id : null),
  load: (id) => (id === DROP_IN ? `import ${JSON.stringify(fileURLToPath(new URL('src/index.ts', import.meta.url)))};` : null),
};

/**
 * The styles' private custom properties (`--_border`, `--_accent`…) get one-letter names (`--_a`…, in order of appearance); the
 * public `--oph-consent-*` ones keep theirs. Every private one is set on `:host`, so a page's own cannot leak in.
 */
const shortCssVariables = {
  name: 'short-css-variables',
  transform(code, id) {
    if (!id.endsWith('/src/ui/styles.ts')) return null;
    const names = [...new Set(code.match(/--_[\w-]+/g))];
    const short = new Map(names.map((name, i) => [name, `--_${String.fromCharCode(97 + i)}`]));
    return { code: code.replace(/--_[\w-]+/g, (name) => short.get(name)), map: null };
  },
};

const isLit = (id) => /^(lit|lit-html|lit-element|@lit\/)/.test(id);

export default [
  // npm: one ES module per source file, Lit left to the consumer's bundler, with .d.ts.
  {
    input: ['src/index.ts'],
    external: isLit,
    plugins: [typescript({ tsconfig: './tsconfig.json', outDir: 'dist', declarationDir: 'dist' })],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
  },
  // The command line (Node), in dist/node/ (its tree-shaken copy of core/ must not replace the browser's): every bare import (node:*, the optional drivers) stays external.
  {
    input: ['src/cli/main.ts', 'src/cli/lint.ts'],
    external: (id) => !/^[./\0]/.test(id) && !id.startsWith(fileURLToPath(new URL('.', import.meta.url))),
    plugins: [typescript({ tsconfig: './tsconfig.node.json', outDir: 'dist/node', declarationDir: 'dist/node' })],
    output: { dir: 'dist/node', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
  },
  // The drop-in script: one classic, self-contained, minified file with Lit inside.
  {
    input: DROP_IN,
    plugins: [
      dropInEntry,
      nodeResolve({ browser: true }),
      shortCssVariables,
      // Lit's templates, also without what HTML does not need: attribute quotes (`class=button`, `@click=${…}`: Lit binds
      // unquoted attributes) and the end tags the parser implies (`</td>` before `<td>`; a `</p>` before an expression,
      // seen as text, stays), so the parsed templates, and Lit's parts in them, are the same.
      minifyTemplateLiterals({ options: { minifyOptions: { removeAttributeQuotes: true, removeOptionalTags: true } } }),
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationMap: false, sourceMap: false, outDir: 'dist' }),
      // Safe here: no getter has side effects, no code relies on function.length or on `this` in arrows.
      terser({
        ecma: 2020,
        compress: { passes: 4, pure_getters: true, unsafe_arrows: true },
        format: { comments: false },
      }),
    ],
    output: { file: 'dist/oph-consent.min.js', format: 'iife' },
  },
];
