import { esbuildPlugin } from '@web/dev-server-esbuild';

/**
 * `npm start` (build, then this server): the QA demo at http://localhost:8000/demo/.
 * demo/index.html and demo/integrations.html use the built drop-in bundle, /dist/oph-consent.min.js,
 * as an integrator would; the esbuild plugin lets a page import /src/index.ts directly while working on the element.
 */
const esbuild = esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' });

// With a `target`, the plugin also rewrites every .js file it serves (reformatted, "use strict",
// inline source map, the tsconfig's class-field semantics). The build output must reach the
// browser byte for byte as it will on a real site, so dist/ is served untouched.
const transform = esbuild.transform.bind(esbuild);
esbuild.transform = (context) => (context.path.startsWith('/dist/') ? undefined : transform(context));

/**
 * The demo consent log of demo/integrations.html (its catalog's `consentLogUrl`): the element sends
 * each decision's record there with navigator.sendBeacon. POST keeps the JSON body in memory (the
 * last 50, with the time it arrived); GET returns them as a JSON array, oldest first. Shared by every
 * tab and browser using this server; emptied when the server stops.
 */
const CONSENT_LOG_PATH = '/demo/consent-log';
const CONSENT_LOG_SIZE = 50;
const MAX_BODY_BYTES = 16 * 1024;

function demoConsentLog() {
  const records = [];
  return async (context, next) => {
    if (context.path !== CONSENT_LOG_PATH) return next();
    context.set('Cache-Control', 'no-store');
    if (context.method === 'GET' || context.method === 'HEAD') {
      context.type = 'application/json';
      context.body = JSON.stringify(records);
      return;
    }
    if (context.method !== 'POST') {
      context.set('Allow', 'GET, HEAD, POST');
      context.status = 405;
      return;
    }
    let body = '';
    for await (const chunk of context.req) {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        context.status = 413;
        return;
      }
    }
    let record;
    try {
      record = JSON.parse(body);
    } catch {
      record = undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      context.status = 400;
      context.type = 'text/plain';
      context.body = 'expected a JSON object';
      return;
    }
    records.push({ receivedAt: new Date().toISOString(), contentType: context.get('content-type'), record });
    records.splice(0, Math.max(0, records.length - CONSENT_LOG_SIZE));
    context.status = 204;
  };
}

/** The server's root answers with the demo, so that `npm start`'s first URL is not a 404. */
const rootToDemo = (context, next) => (context.path === '/' ? context.redirect('/demo/') : next());

export default {
  port: 8000,
  rootDir: '.',
  nodeResolve: true,
  open: false,
  middleware: [rootToDemo, demoConsentLog()],
  plugins: [esbuild],
};
