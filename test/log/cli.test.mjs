/**
 * `oph-consent log …` as the DPO runs it (CONTRACT.md §6.3): real processes over real SQLite files
 * and a PostgreSQL server; exit 0 on success, 1 when a check fails, 2 on a usage error.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CATALOG, CATALOG_FILE, freePort, makeRecord, openStore, sqliteFile, startPostgres } from './helpers.mjs';

const log = (...args) => spawnSync(process.execPath, ['bin/oph-consent.mjs', 'log', ...args], { encoding: 'utf8' });

/** A store with a refusal, then a change of mind chained to it, received on two days. */
async function filled(db) {
  const store = await openStore(db);
  const first = makeRecord('reject-all');
  const second = makeRecord('custom', { previousId: first.id, choices: { necessary: true, analytics: true }, state: 'given' });
  await store.append([first], '2026-12-01T10:00:00.000Z');
  await store.append([second], '2026-12-02T10:00:00.000Z');
  await store.append([makeRecord('gpc')], '2026-12-02T11:00:00.000Z');
  await store.close();
  return { first, second };
}

describe('usage errors: a clear message and exit 2', () => {
  const cases = [
    [[], /log needs a command/],
    [['frobnicate', '--db', 'x.sqlite'], /unknown log command "frobnicate"/],
    [['stats'], /log stats needs --db/],
    [['serve', '--db', 'x.sqlite'], /log serve needs at least one --catalog/],
    [['verify', '--db', 'x.sqlite'], /log verify needs a record id/],
    [['stats', '--db', 'x.sqlite', '--by', 'week'], /--by "week": expected day or revision/],
    [['export', '--db', 'x.sqlite', '--format', 'xml'], /--format "xml": expected csv or jsonl/],
    [['export', '--db', 'x.sqlite', '--from', 'yesterday'], /--from "yesterday": expected a date/],
    [['stats', '--db', 'x.sqlite', '--format', 'csv'], /log stats does not take --format/],
    [['purge', '--db', 'x.sqlite'], /log purge needs --before/],
    [['serve', '--db', 'x.sqlite', '--catalog', CATALOG_FILE, '--port', 'eighty'], /--port "eighty": expected a whole number/],
    [['serve', '--db', 'x.sqlite', '--catalog', CATALOG_FILE, '--allow-origin', 'https://www.oph31.fr/page'], /an origin is scheme:\/\/host/],
    [['verify-chain', '--db', 'x.sqlite', '--colour'], /Unknown option '--colour'/],
  ];
  for (const [args, message] of cases) {
    test(`log ${args.join(' ')}`, () => {
      const r = log(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(existsSync('x.sqlite'), false, 'a usage error creates no database');
    });
  }

  test('a catalog that does not validate is named with its field, exit 2', () => {
    const bad = `${sqliteFile()}.catalog.json`;
    writeFileSync(bad, JSON.stringify({ ...CATALOG, revision: 0 }));
    const r = log('serve', '--db', sqliteFile(), '--catalog', bad);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`${bad.replace(/[.]/g, '\\.')}: revision: expected an integer of 1 or more`));
  });

  test('a database that cannot be opened or reached is named, exit 2', () => {
    const file = log('verify-chain', '--db', '/nonexistent/folder/consent.sqlite');
    assert.equal(file.status, 2);
    assert.match(file.stderr, /cannot open the SQLite database \/nonexistent\/folder\/consent\.sqlite/);
    const server = log('verify-chain', '--db', 'postgres://dpo:secret@127.0.0.1:1/consent');
    assert.equal(server.status, 2);
    assert.match(server.stderr, /cannot prepare the database postgres:\/\/dpo:\*\*\*@127\.0\.0\.1:1\/consent/);
    assert.doesNotMatch(server.stderr, /secret/, 'no password in messages');
  });
});

describe('the DPO commands on a SQLite file', () => {
  let db, records;
  before(async () => {
    db = sqliteFile();
    records = await filled(db);
  });

  test('verify: the record, its earlier decision, the texts shown in French, the hashes hold; exit 0', async () => {
    // The catalog is given here, as a DPO would: the store was filled without a server to archive it.
    const r = log('verify', records.second.id, '--db', db, '--catalog', CATALOG_FILE);
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /custom, given/);
    assert.match(r.stdout, /choices {3}analytics: yes, necessary: yes/);
    assert.match(r.stdout, /Cookies analytiques \[analytics: yes\]/);
    assert.match(r.stdout, /- _utma: /, 'the cookies of each category, as the catalog named them');
    assert.match(r.stdout, new RegExp(`${records.first.id} .+ reject-all, refused`));
  });

  test('verify: an unknown id, or a catalog nobody kept, fails with exit 1', () => {
    const unknown = log('verify', '00000000-0000-4000-8000-000000000000', '--db', db);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stdout, /no record "00000000-0000-4000-8000-000000000000"/);
    const noCatalog = log('verify', records.first.id, '--db', db);
    assert.equal(noCatalog.status, 1);
    assert.match(noCatalog.stdout, /NOT FOUND \(not archived, not given with --catalog\)/);
  });

  test('export: CSV with a header, JSON lines, by range of receipt (the --to day included)', () => {
    const csv = log('export', '--db', db);
    assert.equal(csv.status, 0);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'seq,id,previousId,decidedAt,receivedAt,expiresAt,revision,catalogHash,method,state,language,gpc,choices,chainHash');
    assert.equal(lines.length, 4);
    assert.match(lines[2], new RegExp(`^2,${records.second.id},${records.first.id},.+,custom,given,fr,false,"{""analytics"":true,""necessary"":true}",[0-9a-f]{64}$`));
    const day = log('export', '--db', db, '--from', '2026-12-02', '--to', '2026-12-02', '--format', 'jsonl');
    assert.deepEqual(day.stdout.trim().split('\n').map((l) => JSON.parse(l).method), ['custom', 'gpc']);
  });

  test('stats: rates per day and per revision', () => {
    const byDay = log('stats', '--db', db);
    assert.equal(byDay.status, 0);
    assert.match(byDay.stdout, /^day +records +accept-all +reject-all +custom +dismiss +gpc +GPC on$/m);
    assert.match(byDay.stdout, /^2026-12-01 +1 +0\.0 % +100\.0 % +0\.0 % +0\.0 % +0\.0 % +0\.0 %$/m);
    assert.match(byDay.stdout, /^2026-12-02 +2 +0\.0 % +0\.0 % +50\.0 % +0\.0 % +50\.0 % +50\.0 %$/m);
    assert.match(log('stats', '--db', db, '--by', 'revision').stdout, /^1 +3 /m);
  });

  test('verify-chain holds (exit 0); a row altered by hand in the database is caught (exit 1), so is its verify', () => {
    const ok = log('verify-chain', '--db', db);
    assert.equal(ok.status, 0);
    assert.match(ok.stdout, /chain holds: 3 record\(s\), head row 3/);
    const sqlite = new Database(db);
    sqlite.prepare(`update consent_records set method = 'accept-all', choices = '{"analytics":true,"necessary":true}' where id = ?`).run(records.first.id);
    sqlite.close();
    const broken = log('verify-chain', '--db', db);
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, new RegExp(`row 1 \\(${records.first.id}\\) was altered`));
    assert.match(broken.stdout, /CHAIN BROKEN/);
    const verify = log('verify', records.first.id, '--db', db, '--catalog', CATALOG_FILE);
    assert.equal(verify.status, 1);
    assert.match(verify.stdout, /row hash {2}DOES NOT HOLD/);
  });

  test('purge --before removes the older records; what stays still verifies', async () => {
    const fresh = sqliteFile();
    await filled(fresh);
    const r = log('purge', '--db', fresh, '--before', '2026-12-02');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^1 record\(s\) received before 2026-12-02T00:00:00\.000Z removed/);
    assert.equal(log('verify-chain', '--db', fresh).status, 0);
  });
});

describe('log serve, as a process', () => {
  test('serves until SIGTERM, stores what it got, exits 0', async () => {
    const db = sqliteFile();
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/oph-consent.mjs', 'log', 'serve', '--db', db, '--catalog', CATALOG_FILE, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (d) => (output += d) && output.includes('\n') && resolve());
      child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
    });
    assert.match(output, new RegExp(`^oph-consent log: http://127\\.0\\.0\\.1:${port}/consent-log → .+consent\\.sqlite; catalogs oph31\\.json \\(revision 1, sha256 [0-9a-f]{12}…\\)`));
    const record = makeRecord('dismiss');
    const response = await fetch(`http://127.0.0.1:${port}/consent-log`, { method: 'POST', body: JSON.stringify(record), headers: { 'content-type': 'text/plain' } });
    assert.equal(response.status, 204);
    child.kill('SIGTERM');
    const [code] = await new Promise((r) => child.once('exit', (...a) => r(a)));
    assert.equal(code, 0);
    const verify = log('verify', record.id, '--db', db);
    assert.equal(verify.status, 0, 'the catalog was archived by the server: verify needs no --catalog');
  });
});

describe('the DPO commands on PostgreSQL', () => {
  let pg;
  before(async () => (pg = await startPostgres()));
  after(() => pg?.stop());

  test('verify, export and verify-chain read the same proof from a PostgreSQL store', async () => {
    const db = pg.database();
    const { second } = await filled(db);
    assert.equal(log('verify', second.id, '--db', db, '--catalog', CATALOG_FILE).status, 0);
    assert.equal(log('export', '--db', db, '--format', 'jsonl').stdout.trim().split('\n').length, 3);
    assert.match(log('verify-chain', '--db', db).stdout, /chain holds: 3 record\(s\)/);
  });
});
