/**
 * The consent log's endpoint over real HTTP (CONTRACT.md §6.3): the statuses of the contract, and
 * every hostile or broken body refused while storing nothing and serving on (CNIL-18, REC-01).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readCatalogs } from '../../dist/node/log/catalogs.js';
import { buildServer } from '../../dist/node/log/server.js';
import { CATALOG_FILE, CATALOG_HASH, makeRecord, openStore, sqliteFile, startPostgres } from './helpers.mjs';

const catalogs = await readCatalogs([CATALOG_FILE]);
const SITE = 'https://www.oph31.fr';

async function serve(store, options = {}) {
  const app = await buildServer({ store, catalogs, allowOrigins: [SITE], trustProxy: true, ...options });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `${base}/consent-log`, base };
}

const post = (url, body, headers = {}) =>
  fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers } });

describe('POST /consent-log on SQLite', () => {
  let store, server;
  before(async () => {
    store = await openStore(sqliteFile());
    server = await serve(store);
  });
  after(async () => {
    await server.app.close();
    await store.close();
  });

  test('a record as the element sends it (text/plain) is stored: 204, once; GET /health says 200', async () => {
    const record = makeRecord('accept-all');
    const response = await post(server.url, record, { origin: SITE });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), SITE);
    assert.equal((await post(server.url, record)).status, 204, 'a resend: already stored');
    const stored = await store.get(record.id);
    assert.equal(stored.method, 'accept-all');
    assert.equal(await store.count(), 1);
    const health = await fetch(`${server.base}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true, records: 1 });
  });

  test('application/json is read the same way', async () => {
    const record = makeRecord('reject-all');
    assert.equal((await post(server.url, record, { 'content-type': 'application/json' })).status, 204);
    assert.ok(await store.get(record.id));
  });

  const hostile = [
    ['not JSON', 400, 'not json {', /not JSON/],
    ['an empty body', 400, '', /JSON/],
    ['a JSON array', 400, '[]', /expected an object/],
    ['a revision of the wrong type', 400, makeRecord('accept-all', { revision: '1' }), /revision/],
    ['an id that is not a UUID', 400, makeRecord('accept-all', { id: 'x'.repeat(36) }), /id: expected a random UUID/],
    ['a field the element never sends (a forged chain hash)', 400, makeRecord('accept-all', { chainHash: 'f'.repeat(64) }), /chainHash: unexpected field/],
    ['a forged seq and receivedAt', 400, makeRecord('accept-all', { seq: 1, receivedAt: '2020-01-01T00:00:00.000Z' }), /unexpected field/],
    ['decidedAt two days ago', 400, makeRecord('accept-all', { decidedAt: new Date(Date.now() - 2 * 86_400_000).toISOString() }), /decidedAt: more than a day away/],
    ['decidedAt tomorrow', 400, makeRecord('accept-all', { decidedAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }), /decidedAt/],
    ['an expiresAt beyond the catalog’s consent lifetime', 400, makeRecord('accept-all', { expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() }), /expiresAt: not 365 days/],
    ['a category the catalog does not have', 400, makeRecord('accept-all', { choices: { necessary: true, analytics: true, ads: true } }), /choices\.ads: not a category/],
    ['a missing category', 400, makeRecord('accept-all', { choices: { necessary: true } }), /choices\.analytics: missing/],
    ['a required category refused', 400, makeRecord('custom', { choices: { necessary: false, analytics: false }, state: 'refused' }), /choices\.necessary: a required category/],
    ['accept-all with a refusal', 400, makeRecord('accept-all', { choices: { necessary: true, analytics: false } }), /accept-all with a category refused/],
    ['reject-all with a grant', 400, makeRecord('reject-all', { choices: { necessary: true, analytics: true } }), /reject-all with a category granted/],
    ['a state that contradicts the choices', 400, makeRecord('accept-all', { state: 'refused' }), /state: refused does not match/],
    ['withdrawn without an earlier decision', 400, makeRecord('reject-all', { state: 'withdrawn' }), /withdrawn without an earlier decision/],
    ['a GPC decision without the GPC flag', 400, makeRecord('reject-all', { method: 'gpc' }), /gpc: a gpc decision without/],
    ['method sync (another tab applying, not deciding)', 400, makeRecord('reject-all', { method: 'sync' }), /method: sync/],
    ['an unknown catalog hash', 422, makeRecord('accept-all', { catalogHash: 'a'.repeat(64) }), /no catalog given to this server has the hash/],
    ['no catalog hash (a page without Web Crypto)', 422, makeRecord('accept-all', { catalogHash: null }), /catalogHash: null/],
    ['a revision the catalog with that hash does not have', 422, makeRecord('accept-all', { revision: 2 }), /revision: 2, but the catalog with this hash is revision 1/],
    ['a body of 200 KB', 413, makeRecord('accept-all', { padding: 'x'.repeat(200_000) }), /./],
  ];
  for (const [what, status, body, reason] of hostile) {
    test(`refused, nothing stored: ${what} → ${status}`, async () => {
      const before = await store.count();
      const response = await post(server.url, body);
      assert.equal(response.status, status);
      const answer = await response.json();
      assert.match(answer.message, reason);
      assert.equal(await store.count(), before);
    });
  }

  test('a replay of a stored id with other choices is refused (409) and the stored decision is untouched', async () => {
    const record = makeRecord('reject-all');
    assert.equal((await post(server.url, record)).status, 204);
    const forged = { ...record, method: 'accept-all', state: 'given', choices: { necessary: true, analytics: true } };
    const response = await post(server.url, forged);
    assert.equal(response.status, 409);
    assert.equal((await store.get(record.id)).method, 'reject-all');
  });

  test('a page of another origin is refused (403) and gets no CORS permission', async () => {
    const record = makeRecord('accept-all');
    const response = await post(server.url, record, { origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(await store.get(record.id), undefined);
  });

  test('another content type is refused (415), nothing stored', async () => {
    const record = makeRecord('accept-all');
    const response = await post(server.url, record, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 415);
    assert.equal(await store.get(record.id), undefined);
  });

  test('after every hostile body the chain still holds and only the good records are in it', async () => {
    const report = await store.verifyChain();
    assert.deepEqual(report.problems, []);
    assert.equal(report.checked, 3);
  });
});

describe('rate limit (in memory, per client)', () => {
  test('a flood from one client gets 429 after the limit while another client is still served', async () => {
    const store = await openStore(sqliteFile());
    const server = await serve(store, { ratePerMinute: 20 });
    const flood = await Promise.all(Array.from({ length: 40 }, () => post(server.url, makeRecord('dismiss'), { 'x-forwarded-for': '203.0.113.7' })));
    const statuses = flood.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 204).length, 20);
    assert.equal(statuses.filter((s) => s === 429).length, 20);
    assert.equal((await post(server.url, makeRecord('dismiss'), { 'x-forwarded-for': '198.51.100.2' })).status, 204);
    assert.equal(await store.count(), 21);
    await server.app.close();
    await store.close();
  });
});

describe('several web servers, one PostgreSQL store', () => {
  let pg;
  before(async () => (pg = await startPostgres()));
  after(() => pg?.stop());

  test('two servers posting at once to one database keep every record once, in one chain', async () => {
    const db = pg.database();
    const stores = [await openStore(db), await openStore(db)];
    const servers = await Promise.all(stores.map((s) => serve(s, { ratePerMinute: 0 })));
    const records = Array.from({ length: 200 }, (_, i) => makeRecord(i % 2 ? 'accept-all' : 'reject-all'));
    const statuses = await Promise.all(records.map((r, i) => post(servers[i % 2].url, r).then((x) => x.status)));
    assert.deepEqual([...new Set(statuses)], [204]);
    // The same records again, each through the other server: all already stored.
    const again = await Promise.all(records.map((r, i) => post(servers[(i + 1) % 2].url, r).then((x) => x.status)));
    assert.deepEqual([...new Set(again)], [204]);
    assert.equal(await stores[0].count(), 200);
    const report = await stores[1].verifyChain();
    assert.deepEqual(report.problems, []);
    assert.equal(report.head.seq, 200);
    assert.equal((await stores[0].get(records[0].id)).catalogHash, CATALOG_HASH);
    for (const s of servers) await s.app.close();
    for (const s of stores) await s.close();
  });

  test('the database goes down: 500 and nothing half-stored, the server keeps answering; back up, the same record is stored once', async () => {
    const store = await openStore(pg.database());
    const server = await serve(store, { ratePerMinute: 0 });
    const before = makeRecord('accept-all');
    assert.equal((await post(server.url, before)).status, 204);
    await pg.halt();
    try {
      const record = makeRecord('reject-all');
      const down = await post(server.url, record);
      assert.equal(down.status, 500, 'the element keeps the record and sends it again later');
      assert.deepEqual(await down.json(), { error: 'server', message: 'the record could not be stored' });
      assert.equal((await fetch(`${server.base}/health`)).status, 500, 'health says the store is unreachable');
      await pg.start();
      assert.equal((await post(server.url, record)).status, 204);
      assert.equal((await post(server.url, record)).status, 204);
      assert.equal(await store.count(), 2);
      assert.deepEqual((await store.verifyChain()).problems, []);
    } finally {
      await pg.start().catch(() => {});
      await server.app.close();
      await store.close();
    }
  });
});
