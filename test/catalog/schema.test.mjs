/**
 * One source of truth: the published JSON Schema (catalog/catalog.schema.json, checked with ajv)
 * and the element's validator (the linter's too) accept and refuse exactly the same catalogs. Two
 * rules JSON Schema cannot say are the validator's alone, as the schema's description states:
 * unique category ids, and each cookie's category being a declared one; the corpus keeps to
 * catalogs where those hold.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { CatalogError, validateCatalog } from '../../dist/node/core/catalog.js';

const schema = JSON.parse(readFileSync('catalog/catalog.schema.json', 'utf8'));
const validateSchema = new Ajv2020({ allErrors: true, strict: true, strictTuples: false }).compile(schema);
const oph31 = () => JSON.parse(readFileSync('catalog/oph31.json', 'utf8'));

function verdicts(catalog) {
  const bySchema = validateSchema(catalog);
  let byValidator = true;
  let why = '';
  try {
    validateCatalog(catalog, 'oph31.json');
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    byValidator = false;
    why = e.message;
  }
  return { bySchema, byValidator, why, schemaErrors: validateSchema.errors };
}

function assertAgree(catalog, label) {
  const v = verdicts(catalog);
  assert.equal(
    v.bySchema,
    v.byValidator,
    `${label}: schema ${v.bySchema ? 'accepts' : 'refuses'}, validator ${v.byValidator ? 'accepts' : 'refuses'} (${v.why || JSON.stringify(v.schemaErrors?.slice(0, 2))})`,
  );
  return v.byValidator;
}

/** Simple mutations of OPH31's catalog, each accepted or refused by both. */
const MUTATIONS = {
  'as published': () => {},
  'a 64-character category id': (c) => (c.categories[1].id = 'a'.repeat(64)) && (c.cookies.forEach((k) => k.category === 'analytics' && (k.category = c.categories[1].id))),
  'a 65-character category id': (c) => (c.categories[1].id = 'a'.repeat(65)) && (c.cookies.forEach((k) => k.category === 'analytics' && (k.category = c.categories[1].id))),
  'a privacy-policy path on the site': (c) => (c.controller.privacyPolicyUrl = '/politique-de-confidentialite'),
  'a relative privacy-policy URL without a slash': (c) => (c.controller.privacyPolicyUrl = 'politique.html'),
  'a protocol-relative privacy-policy URL': (c) => (c.controller.privacyPolicyUrl = '//evil.example/p'),
  'a javascript: privacy-policy URL': (c) => (c.controller.privacyPolicyUrl = 'javascript:alert(1)'),
  'an empty match list': (c) => (c.cookies[0].match = []),
  'a match name with a space': (c) => (c.cookies[0].match = ['a b']),
  'an unknown top-level key': (c) => (c.consentLogURL = 'https://www.oph31.fr/log'),
  'an unknown key in a cookie': (c) => (c.cookies[0].retension = 'P1D'),
  'a $schema reference': (c) => (c.$schema = './catalog.schema.json'),
  'a text map without French': (c) => (c.categories[0].title = { en: 'Necessary' }),
  'a text map with en-GB': (c) => (c.categories[0].title = { fr: 'Nécessaires', 'en-GB': 'Necessary' }),
  'a blank title': (c) => (c.categories[0].title = '   '),
  'a 10,001-character purpose': (c) => (c.cookies[0].purpose = 'x'.repeat(10_001)),
  'revision 0': (c) => (c.revision = 0),
  'revision 1.5': (c) => (c.revision = 1.5),
  'revision beyond 2^53': (c) => (c.revision = 2 ** 54),
  'consent kept 731 days': (c) => (c.consentCookie = { ...c.consentCookie, days: 731 }),
  'a cookie domain ending in a hyphen': (c) => (c.consentCookie = { ...c.consentCookie, domain: '.oph31-' }),
  'an e-mail with angle brackets': (c) => (c.controller.email = '<dpo@oph31.fr>'),
  'a duplicate Consent Mode type': (c) => (c.categories[1].googleConsentMode = ['analytics_storage', 'analytics_storage']),
  'required and exempt at once': (c) => Object.assign(c.categories[1], { required: true, exempt: true }),
  'needsReview on a drafted cookie': (c) => (c.cookies[0].needsReview = true),
  'retention "P"': (c) => (c.cookies[0].retention = 'P'),
  'no categories': (c) => ((c.categories = []), (c.cookies = [])),
};

test('the schema itself is valid JSON Schema 2020-12 (ajv strict mode compiles it)', () => {
  assert.equal(typeof validateSchema, 'function');
});

for (const [label, mutate] of Object.entries(MUTATIONS)) {
  test(`schema and validator agree: ${label}`, () => {
    const c = oph31();
    mutate(c);
    assertAgree(c, label);
  });
}

test('the corpus has both verdicts: it would catch a validator that accepts or refuses everything', () => {
  const results = Object.values(MUTATIONS).map((mutate) => {
    const c = oph31();
    mutate(c);
    return verdicts(c).byValidator;
  });
  assert.ok(results.filter(Boolean).length >= 5 && results.filter((r) => !r).length >= 10, JSON.stringify(results));
});

/** A random JSON value put at a random place of OPH31's catalog (not where the two validator-only rules live). */
const paths = (value, path = []) =>
  value && typeof value === 'object'
    ? [path, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...path, Array.isArray(value) ? Number(k) : k]))]
    : [path];
const CROSS_FIELD = (path) => (path[0] === 'categories' && path[2] === 'id') || (path[0] === 'cookies' && path[2] === 'category');

test('fast-check: for 600 random edits of OPH31’s catalog, schema and validator agree', () => {
  const base = oph31();
  const places = paths(base).filter((p) => p.length && !CROSS_FIELD(p));
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('', ' ', 'P1D', 'session', 'fr', 'https://x.fr', '/p', '//x', 'a'.repeat(70), true, 0, -1, 2 ** 60, null),
  );
  fc.assert(
    fc.property(fc.constantFrom(...places), value, fc.boolean(), (place, v, asKey) => {
      const c = structuredClone(base);
      const parent = place.slice(0, -1).reduce((o, k) => o[k], c);
      const key = place.at(-1);
      if (asKey && !Array.isArray(parent) && typeof v === 'string') parent[v || 'x'] = 'y';
      else parent[key] = v;
      const { bySchema, byValidator, why } = verdicts(c);
      if (bySchema !== byValidator) throw new Error(`${place.join('.')} = ${JSON.stringify(v)?.slice(0, 80)}: schema ${bySchema}, validator ${byValidator} ${why}`);
    }),
    { numRuns: 600, seed: 10 },
  );
});
