import { expect } from '@open-wc/testing';
import { validateCatalog } from '../src/core/catalog.js';
import { MAX_STORED_LENGTH, RECORD_SCHEMA, newRecord, parseRecord, sha256 } from '../src/core/record.js';
import { cookieAttributes, readCookie, writeRecord } from '../src/core/cookies.js';
import { clearCookies } from './helpers.js';

const catalog = validateCatalog({
  revision: 2,
  controller: { name: 'OPH31', email: 'ril@oph31.fr', privacyPolicyUrl: 'https://www.oph31.fr/' },
  consentCookie: { name: 'storeTest', days: 180 },
  categories: [
    { id: 'necessary', title: 'N', description: 'D', required: true },
    { id: 'analytics', title: 'A', description: 'D' },
  ],
  cookies: [],
});
const DAY = 86_400_000;
const encode = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const fresh = (overrides: Record<string, unknown> = {}) => ({
  ...newRecord(catalog, { analytics: true }, 'accept-all', 'fr', 'a'.repeat(64), null),
  ...overrides,
});

describe('consent record', () => {
  afterEach(clearCookies);

  it('holds a random id, ISO timestamps, revision, choices, method, language and the catalog hash', () => {
    const now = Date.UTC(2026, 10, 28, 12);
    const r = newRecord(catalog, { analytics: true, necessary: false }, 'custom', 'en', 'b'.repeat(64), null, now);
    expect(r.schema).to.equal(RECORD_SCHEMA);
    expect(r.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.decidedAt).to.equal('2026-11-28T12:00:00.000Z');
    expect(r.expiresAt).to.equal(new Date(now + 180 * DAY).toISOString());
    expect(r).to.include({ revision: 2, method: 'custom', language: 'en', catalogHash: 'b'.repeat(64), previousId: null });
    // Required categories are always true, whatever was asked.
    expect(r.choices).to.deep.equal({ necessary: true, analytics: true });
    expect(newRecord(catalog, {}, 'reject-all', 'fr', null, null).id).to.not.equal(r.id);
  });

  it('reads back a record it wrote', () => {
    const r = fresh();
    expect(parseRecord(encode(r), catalog)).to.deep.equal({ record: r });
  });

  it('SHA-256 is the real digest', async () => {
    expect(await sha256('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  const invalid: [string, string][] = [
    ['garbage', 'zz%%not-json'],
    ['truncated JSON', encode(fresh()).slice(0, 120)],
    ['a JSON array', encode([1, 2])],
    ['a bare string', encode('accept-all')],
    ['an oversized value', encode({ ...fresh(), method: 'x'.repeat(MAX_STORED_LENGTH) })],
    ['a forged extra field', encode({ ...fresh(), admin: true })],
    ['a __proto__ key', '%7B%22__proto__%22%3A%7B%22analytics%22%3Atrue%7D%7D'],
    ['choices with __proto__', encode(fresh()).replace('%22choices%22%3A%7B', '%22choices%22%3A%7B%22__proto__%22%3Atrue%2C')],
    ['a non-UUID id', encode(fresh({ id: 'tracking-id-123' }))],
    ['a wrong schema', encode(fresh({ schema: 'other/1' }))],
    ['a future decision', encode(fresh({ decidedAt: new Date(Date.now() + DAY).toISOString(), expiresAt: new Date(Date.now() + 2 * DAY).toISOString() }))],
    ['an impossible lifetime', encode(fresh({ expiresAt: new Date(Date.now() + 1000 * DAY).toISOString() }))],
    ['a forged higher revision', encode(fresh({ revision: 99 }))],
    ['a string choice', encode(fresh({ choices: { necessary: true, analytics: 'yes' } }))],
    ['an unknown category', encode(fresh({ choices: { necessary: true, analytics: true, ads: true } }))],
    ['an unknown method', encode(fresh({ method: 'implied' }))],
    ['a non-hex hash', encode(fresh({ catalogHash: 'z'.repeat(64) }))],
    ['a local-time timestamp', encode(fresh({ decidedAt: '2026-11-28T12:00:00+01:00' }))],
  ];
  for (const [name, raw] of invalid) {
    it(`counts ${name} as no decision, and says why`, () => {
      const result = parseRecord(raw, catalog);
      expect(result).to.have.property('invalid').that.matches(/^stored choice ignored: /);
      expect(result).to.not.have.property('record');
    });
  }

  it('names the field and the reason, as the catalog validator does', () => {
    expect(parseRecord(encode({ ...fresh(), admin: true }), catalog)).to.deep.equal({ invalid: 'stored choice ignored: admin: unexpected field' });
    expect(parseRecord(encode(fresh({ method: 'implied' })), catalog)).to.deep.equal({
      invalid: 'stored choice ignored: method: expected a method, got the string "implied"',
    });
    expect(parseRecord(encode(fresh({ choices: { necessary: true, analytics: 'yes' } })), catalog)).to.deep.equal({
      invalid: 'stored choice ignored: choices.analytics: expected true or false, got the string "yes"',
    });
    expect(parseRecord(encode([1, 2]), catalog)).to.deep.equal({ invalid: 'stored choice ignored: not a JSON consent record' });
    // A whole record plus a "__proto__" key (JSON.parse makes it an own key): refused for that key.
    const polluted = encode(fresh()).replace('%7B', '%7B%22__proto__%22%3A%7B%22analytics%22%3Atrue%7D%2C');
    expect(parseRecord(polluted, catalog)).to.deep.equal({ invalid: 'stored choice ignored: __proto__: unexpected field' });
    expect(parseRecord(encode(fresh({ decidedAt: '2026-02-31T25:61:00Z' })), catalog)).to.deep.equal({
      invalid: 'stored choice ignored: decidedAt: not a real date',
    });
  });

  it('keeps working when the page added keys to Object.prototype', () => {
    const record = encode(fresh());
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'x';
    let result: unknown;
    let error: unknown;
    try {
      result = parseRecord(record, catalog);
    } catch (e) {
      error = e;
    } finally {
      delete proto.polluted;
    }
    expect(error).to.equal(undefined);
    expect(result).to.have.property('record');
  });

  it('asks again, without calling it an error, when the choice expired', () => {
    const old = Date.now() - 200 * DAY;
    const r = newRecord(catalog, {}, 'reject-all', 'fr', null, null, old);
    expect(parseRecord(encode(r), catalog)).to.deep.equal({ stale: 'the choice expired' });
  });

  it('asks again when the catalog revision was raised', () => {
    const raised = validateCatalog({ ...JSON.parse(JSON.stringify(catalog)), revision: 3 });
    expect(parseRecord(encode(fresh()), raised)).to.deep.equal({ stale: 'the catalog revision was raised' });
  });

  it('asks again when a category was added without a new revision', () => {
    const r = fresh({ choices: { necessary: true } });
    expect(parseRecord(encode(r), catalog)).to.deep.equal({ stale: 'category "analytics" was never asked' });
  });

  it('writes the cookie with Path=/, SameSite=Lax, its lifetime, and no Secure on http', async () => {
    const r = fresh();
    writeRecord(r, catalog);
    expect(readCookie('storeTest')).to.equal(encode(r));
    const stored = await (window as unknown as { cookieStore: { get(n: string): Promise<Record<string, unknown>> } }).cookieStore.get('storeTest');
    expect(stored).to.include({ path: '/', sameSite: 'lax', secure: false });
    const expires = stored.expires as number;
    expect(Math.abs(expires - Date.parse(r.expiresAt))).to.be.below(2000);
  });

  it('adds Secure on https and the catalog’s shared domain when it has one', () => {
    expect(cookieAttributes(undefined, false)).to.equal('; Path=/; SameSite=Lax');
    expect(cookieAttributes('.oph31.fr', true)).to.equal('; Path=/; SameSite=Lax; Domain=.oph31.fr; Secure');
    expect(cookieAttributes(undefined)).to.equal('; Path=/; SameSite=Lax', 'this test page is served over http');
  });
});
