import { expect } from '@open-wc/testing';
import { CatalogError, localize, validateCatalog } from '../src/core/catalog.js';

const valid = () => ({
  revision: 1,
  controller: { name: 'OPH31', email: 'ril@oph31.fr', privacyPolicyUrl: 'https://www.oph31.fr/politique' },
  categories: [
    { id: 'necessary', title: 'Nécessaires', description: 'Indispensables.', required: true },
    { id: 'analytics', title: { fr: 'Mesure', en: 'Analytics' }, description: 'Stats.', googleConsentMode: ['analytics_storage'] },
  ],
  cookies: [{ name: '_ga', category: 'analytics', purpose: 'Identifie', retention: 'P13M', match: ['_ga_*'] }],
});

function errorOf(input: unknown, source = 'oph31.json'): CatalogError {
  try {
    validateCatalog(input, source);
  } catch (e) {
    expect(e).to.be.instanceOf(CatalogError);
    return e as CatalogError;
  }
  throw new Error('expected the catalog to be rejected');
}

describe('catalog validation', () => {
  it('accepts OPH31’s catalog with its 2 categories and the 18 cookies of the seed', async () => {
    const json = await (await fetch('/catalog/oph31.json')).json();
    const catalog = validateCatalog(json, 'oph31.json');
    expect(catalog.categories.map((c) => c.id)).to.deep.equal(['necessary', 'analytics']);
    expect(catalog.cookies).to.have.length(18);
    expect(catalog.cookies.filter((c) => c.category === 'necessary')).to.have.length(11);
    expect(catalog.consentCookie).to.deep.equal({ name: 'cookieConsent', days: 365 });
    expect(localize(catalog.controller.dpo, 'fr')).to.equal('THE NEOSHIELDS');
    expect(catalog.controller.email).to.equal('ril@oph31.fr');
    // Published names are shown; deletion also matches what ga.js really sets.
    const utma = catalog.cookies.find((c) => c.name === '_utma')!;
    expect(utma.match).to.include('__utma');
    expect(utma.retention).to.equal('P2Y');
    expect(catalog.cookies.find((c) => c.name === 'customer-auth')!.retention).to.equal('unspecified');
    expect(catalog.cookies.find((c) => c.name === 'Google Analytics')!.retention).to.equal('persistent');
  });

  it('fills the defaults: consent cookie "cookieConsent" for 180 days, flags false', () => {
    const catalog = validateCatalog(valid());
    expect(catalog.consentCookie).to.include({ name: 'cookieConsent', days: 180 });
    expect(catalog.consentCookie.domain).to.equal(undefined);
    expect(catalog.categories[1]).to.include({ required: false, exempt: false });
    expect(catalog.categories[1].googleConsentMode).to.deep.equal(['analytics_storage']);
  });

  it('names the source, the field path and the reason', () => {
    const bad = valid() as Record<string, unknown>;
    (bad.categories as Record<string, unknown>[])[1].id = 42;
    const error = errorOf(bad);
    expect(error.message).to.equal('oph31.json: categories[1].id: expected a non-empty string, got number 42');
    expect(error.source).to.equal('oph31.json');
    expect(error.path).to.equal('categories[1].id');
  });

  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ['a non-object root', () => {}, ''],
    ['revision missing', (c) => delete c.revision, 'revision: expected an integer of 1 or more, got undefined'],
    ['revision as a string', (c) => (c.revision = '2'), 'revision: expected an integer of 1 or more'],
    ['controller missing', (c) => delete c.controller, 'controller: expected an object, got undefined'],
    ['controller e-mail not an address', (c) => (c.controller.email = 'nobody'), 'controller.email: expected an e-mail address'],
    ['privacy policy as javascript: URL', (c) => (c.controller.privacyPolicyUrl = 'javascript:alert(1)'), 'controller.privacyPolicyUrl: expected an http(s) URL'],
    ['categories not an array', (c) => (c.categories = {}), 'categories: expected an array, got an object'],
    ['no category', (c) => ((c.categories = []), (c.cookies = [])), 'categories: expected at least one category'],
    ['category id with capitals', (c) => (c.categories[1].id = 'Analytics'), 'categories[1].id: expected a lower-case identifier'],
    ['duplicate category ids', (c) => (c.categories[1].id = 'necessary'), 'categories[1].id: duplicate category id "necessary"'],
    ['required not a boolean', (c) => (c.categories[0].required = 'yes'), 'categories[0].required: expected true or false'],
    ['required and exempt', (c) => (c.categories[1].exempt = c.categories[1].required = true), 'categories[1].exempt: a category cannot be both'],
    ['unknown Consent Mode type', (c) => (c.categories[1].googleConsentMode = ['tracking']), 'categories[1].googleConsentMode[0]: expected one of'],
    ['empty title', (c) => (c.categories[1].title = ' '), 'categories[1].title: expected a non-empty string'],
    ['text map with a bad language', (c) => (c.categories[1].title = { 'fr fr': 'x' }), 'categories[1].title.fr fr: expected a language code'],
    ['text map with an empty value', (c) => (c.categories[1].title = { fr: '' }), 'categories[1].title.fr: expected a non-empty string'],
    ['cookies missing', (c) => delete c.cookies, 'cookies: expected an array, got undefined'],
    ['cookie of an unknown category', (c) => (c.cookies[0].category = 'ads'), 'cookies[0].category: unknown category "ads"'],
    ['vague retention', (c) => (c.cookies[0].retention = '2 ans'), 'cookies[0].retention: expected an ISO 8601 duration'],
    ['retention as a number', (c) => (c.cookies[0].retention = 365), 'cookies[0].retention: expected a non-empty string, got number 365'],
    ['match not an array', (c) => (c.cookies[0].match = '_ga'), 'cookies[0].match: expected an array'],
    ['consent cookie lifetime of 0 days', (c) => (c.consentCookie = { days: 0 }), 'consentCookie.days: expected a whole number of days from 1 to 730'],
    ['consent cookie name with a space', (c) => (c.consentCookie = { name: 'my consent' }), 'consentCookie.name: expected a cookie name'],
    ['consent cookie domain with a path', (c) => (c.consentCookie = { domain: 'oph31.fr/x' }), 'consentCookie.domain: expected a domain'],
    ['consent log URL as data: URL', (c) => (c.consentLogUrl = 'data:text/plain,x'), 'consentLogUrl: expected an http(s) URL'],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`rejects ${name}`, () => {
      const input = name === 'a non-object root' ? [] : valid();
      if (!Array.isArray(input)) mutate(input);
      const error = errorOf(input);
      expect(error.message).to.contain(expected ? `oph31.json: ${expected}` : 'oph31.json: expected an object, got an array');
    });
  }

  it('lists every problem, not only the first', () => {
    const bad = valid() as Record<string, any>;
    bad.revision = 0;
    bad.cookies[0].retention = 'forever';
    const error = errorOf(bad);
    expect(error.errors).to.have.length(2);
    expect(error.errors[1]).to.contain('cookies[0].retention');
  });

  it('refuses __proto__ and constructor keys as unexpected fields, and they pollute nothing', () => {
    const hostile = JSON.parse(
      '{"revision":1,"__proto__":{"polluted":true},"constructor":{"x":1},"controller":{"name":"OPH31","email":"a@b.fr","privacyPolicyUrl":"https://a.fr/","__proto__":{"polluted":true}},' +
        '"categories":[{"id":"necessary","title":"N","description":"D","required":true,"__proto__":{"exempt":true}}],"cookies":[]}',
    );
    const error = errorOf(hostile);
    expect(error.errors).to.include.members([
      'oph31.json: __proto__: unexpected field',
      'oph31.json: constructor: unexpected field',
      'oph31.json: controller.__proto__: unexpected field',
      'oph31.json: categories[0].__proto__: unexpected field',
    ]);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(errorOf(JSON.parse('{"revision":1,"controller":{"name":{"__proto__":"x"},"email":"a@b.fr","privacyPolicyUrl":"https://a.fr/"},"categories":[],"cookies":[]}')).message).to.contain(
      'controller.name.__proto__: expected a language code',
    );
  });

  it('picks text in the language, then French, then the first given', () => {
    expect(localize({ fr: 'Bonjour', en: 'Hello' }, 'en')).to.equal('Hello');
    expect(localize({ fr: 'Bonjour' }, 'en')).to.equal('Bonjour');
    expect(localize('Texte', 'en')).to.equal('Texte');
  });
});
