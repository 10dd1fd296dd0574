/**
 * The consent log's store, the same tests on a real SQLite file and a real PostgreSQL server:
 * migrations, append-only and idempotent by id, the hash chain (REC-01: the proof cannot be
 * altered unseen), purge, export ranges and statistics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { backends, makeRecord, openStore, startPostgres } from './helpers.mjs';

let pg;
before(async () => (pg = await startPostgres()));
after(() => pg?.stop());

for (const [name, location] of backends(() => pg)) {
  describe(name, () => {
    test('opening twice migrates once; a new store is empty and its chain holds', async () => {
      const db = location();
      await (await openStore(db)).close();
      const store = await openStore(db);
      assert.equal(await store.count(), 0);
      assert.deepEqual((await store.verifyChain()).problems, []);
      await store.close();
    });

    test('append: stored once by id; the same record again is a duplicate, other content under its id a conflict', async () => {
      const store = await openStore(location());
      const record = makeRecord('accept-all');
      assert.deepEqual(await store.append([record]), ['stored']);
      assert.deepEqual(await store.append([record]), ['duplicate']);
      assert.deepEqual(await store.append([{ ...record, method: 'custom' }]), ['conflict']);
      const other = makeRecord('reject-all');
      assert.deepEqual(await store.append([other, other]), ['stored', 'duplicate'], 'twice in one batch: kept once');
      assert.equal(await store.count(), 2);
      const stored = await store.get(record.id);
      assert.equal(stored.seq, 1);
      assert.equal(stored.method, 'accept-all');
      assert.deepEqual(stored.choices, record.choices);
      assert.match(stored.receivedAt, /^\d{4}-\d\d-\d\dT/);
      assert.ok(!('ip' in stored) && !('userAgent' in stored));
      assert.equal((await store.verifyChain()).ok, true);
      await store.close();
    });

    test('writers at once extend one chain: 300 records from 30 concurrent appends, seqs 1–300, chain holds', async () => {
      const store = await openStore(location());
      const batches = Array.from({ length: 30 }, () => Array.from({ length: 10 }, () => makeRecord('custom', { choices: { necessary: true, analytics: false }, state: 'refused' })));
      await Promise.all(batches.map((b) => store.append(b)));
      const seqs = [];
      for await (const r of store.records()) seqs.push(r.seq);
      assert.deepEqual(seqs, Array.from({ length: 300 }, (_, i) => i + 1));
      const report = await store.verifyChain();
      assert.deepEqual(report.problems, []);
      assert.equal(report.checked, 300);
      await store.close();
    });

    test('verify-chain catches a row altered by hand, a row removed, and the last rows removed (REC-01)', async () => {
      const store = await openStore(location());
      await store.append([makeRecord('reject-all'), makeRecord('reject-all'), makeRecord('reject-all'), makeRecord('reject-all')]);
      await sql`update consent_records set method = 'accept-all', state = 'given', choices = '{"analytics":true,"necessary":true}' where seq = 2`.execute(store.db);
      let report = await store.verifyChain();
      assert.equal(report.ok, false);
      assert.match(report.problems.join('\n'), /row 2 \(.+\) was altered/);

      await sql`delete from consent_records where seq = 2`.execute(store.db);
      report = await store.verifyChain();
      assert.match(report.problems.join('\n'), /rows 2–2 are missing/);

      await sql`delete from consent_records where seq = 4`.execute(store.db);
      report = await store.verifyChain();
      assert.match(report.problems.join('\n'), /ends at row 3 but its head says 4/);
      await store.close();
    });

    test('purge removes the oldest records only, and the chain still verifies from the last one removed', async () => {
      const store = await openStore(location());
      await store.append([makeRecord('accept-all'), makeRecord('reject-all')], '2026-01-10T10:00:00.000Z');
      await store.append([makeRecord('dismiss')], '2026-06-01T10:00:00.000Z');
      assert.equal(await store.purge('2026-03-01T00:00:00.000Z'), 2);
      assert.equal(await store.purge('2026-03-01T00:00:00.000Z'), 0, 'nothing left to purge');
      assert.equal(await store.count(), 1);
      const report = await store.verifyChain();
      assert.deepEqual(report.problems, []);
      const [kept] = [await store.previousHash(3)];
      assert.match(kept, /^[0-9a-f]{64}$/, 'the row after a purge still has the hash it chains from');
      await store.append([makeRecord('accept-all')]);
      assert.equal((await store.verifyChain()).ok, true);
      await store.close();
    });

    test('records(range) and stats by day and revision count by receipt, on the server clock', async () => {
      const store = await openStore(location());
      await store.append([makeRecord('accept-all'), makeRecord('accept-all'), makeRecord('reject-all')], '2026-12-01T08:00:00.000Z');
      await store.append([makeRecord('gpc'), makeRecord('custom', { choices: { necessary: true, analytics: true }, state: 'given' })], '2026-12-02T09:00:00.000Z');
      const inRange = [];
      for await (const r of store.records({ from: '2026-12-02T00:00:00.000Z', to: '2026-12-03T00:00:00.000Z' })) inRange.push(r.method);
      assert.deepEqual(inRange, ['gpc', 'custom']);
      assert.deepEqual(await store.stats('day'), [
        { key: '2026-12-01', total: 3, methods: { 'accept-all': 2, 'reject-all': 1 }, gpc: 0 },
        { key: '2026-12-02', total: 2, methods: { gpc: 1, custom: 1 }, gpc: 1 },
      ]);
      const [revision] = await store.stats('revision');
      assert.equal(revision.key, '1');
      assert.equal(revision.total, 5);
      await store.close();
    });
  });
}
