import { esbuildPlugin } from '@web/dev-server-esbuild';

/**
 * `npm start` (build, then this server): the QA demo at http://localhost:8000/demo/.
 * demo/index.html uses the built drop-in bundle, /dist/oph-consent.min.js, as an integrator would;
 * the esbuild plugin lets a page import /src/index.ts directly while working on the element.
 */
const esbuild = esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' });

// With a `target`, the plugin also rewrites every .js file it serves (reformatted, "use strict",
// inline source map, the tsconfig's class-field semantics). The build output must reach the
// browser byte for byte as it will on a real site, so dist/ is served untouched.
const transform = esbuild.transform.bind(esbuild);
esbuild.transform = (context) => (context.path.startsWith('/dist/') ? undefined : transform(context));

export default {
  port: 8000,
  rootDir: '.',
  nodeResolve: true,
  open: false,
  plugins: [esbuild],
};
