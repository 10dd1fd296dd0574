/**
 * Where the consent log keeps its proof: one schema and the same Kysely queries over SQLite (the
 * embedded default, WAL) and PostgreSQL (several web servers posting to one store).
 *
 * Append-only and chained: each row carries sha256(previous row's hash ‖ its canonical JSON), and
 * a one-row `chain_head` holds the last seq and hash, so `verifyChain` shows an altered, removed or
 * truncated row. Rows are appended in batches, one transaction each (group commit), with the head
 * locked, so every writer extends the same chain. Nothing about the visitor's device is kept.
 */
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { RECORD_SCHEMA } from '../core/record.js';
import { optionalImport } from '../cli/usage.js';
import { GENESIS, canonicalJson, chainHash, type KnownCatalog, type ReceivedRecord, type StoredRecord } from './records.js';

interface RecordsTable {
  seq: number;
  id: string;
  previous_id: string | null;
  decided_at: string;
  expires_at: string;
  received_at: string;
  revision: number;
  catalog_hash: string;
  method: string;
  state: string;
  language: string;
  gpc: number;
  /** The choices as canonical JSON. */
  choices: string;
  chain_hash: string;
}

interface Database {
  consent_records: RecordsTable;
  chain_head: { id: number; seq: number; hash: string };
  catalogs: { hash: string; revision: number; source: string; text: string; archived_at: string };
  purges: { purged_at: string; before: string; through_seq: number; through_hash: string; removed: number };
}

/** The one migration so far; later ones are added under later names, never edited. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-12-03-consent-log': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('consent_records')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('previous_id', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('catalog_hash', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('gpc', 'integer', (c) => c.notNull())
        .addColumn('choices', 'text', (c) => c.notNull())
        .addColumn('chain_hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('consent_records_received_at').on('consent_records').column('received_at').execute();
      await db.schema
        .createTable('chain_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.insertInto('chain_head').values({ id: 1, seq: 0, hash: GENESIS }).execute();
      await db.schema
        .createTable('catalogs')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('archived_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('purges')
        .addColumn('through_seq', 'bigint', (c) => c.primaryKey())
        .addColumn('purged_at', 'text', (c) => c.notNull())
        .addColumn('before', 'text', (c) => c.notNull())
        .addColumn('through_hash', 'text', (c) => c.notNull())
        .addColumn('removed', 'integer', (c) => c.notNull())
        .execute();
    },
  },
};

export type AppendResult = 'stored' | 'duplicate' | 'conflict';

/** A problem with the database itself (cannot open, cannot migrate): the message says which and why. */
export class StoreError extends Error {}

export const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** Opens (and migrates) the store named by `--db`: a SQLite file, or a postgres:// URL. */
export async function openStore(location: string): Promise<Store> {
  let db: Kysely<Database>;
  if (isPostgres(location)) {
    const pg = (await optionalImport<typeof import('pg')>('pg', 'log')).default;
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    // An idle connection the database closed (a restart, a failover) must not end the server: the pool opens another.
    pool.on('error', (e) => process.stderr.write(`oph-consent log: a database connection was closed (${e.message}); the next query opens another\n`));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const Sqlite = (await optionalImport<{ default: typeof import('better-sqlite3') }>('better-sqlite3', 'log')).default;
    let database;
    try {
      database = new Sqlite(location);
      // WAL: readers (the DPO's commands) never block the server; NORMAL is durable across a crash of the process.
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
    } catch (e) {
      throw new StoreError(`cannot open the SQLite database ${location}: ${(e as Error).message}`);
    }
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) });
  }
  const store = new Store(db, isPostgres(location));
  try {
    const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
    if (error) throw new Error(`${results?.find((r) => r.status === 'Error')?.migrationName ?? 'migration'}: ${(error as Error).message ?? error}`);
  } catch (e) {
    await store.close();
    throw new StoreError(`cannot prepare the database ${redact(location)}: ${(e as Error).message}`);
  }
  return store;
}

/** A postgres:// URL without its password, for messages. */
export const redact = (location: string) => location.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');

const toStored = (row: RecordsTable): StoredRecord => ({
  schema: RECORD_SCHEMA,
  id: row.id,
  previousId: row.previous_id,
  decidedAt: row.decided_at,
  expiresAt: row.expires_at,
  revision: Number(row.revision),
  choices: JSON.parse(row.choices),
  method: row.method as StoredRecord['method'],
  language: row.language,
  catalogHash: row.catalog_hash,
  ...(Number(row.gpc) ? { gpc: true as const } : {}),
  state: row.state as StoredRecord['state'],
  seq: Number(row.seq),
  receivedAt: row.received_at,
  chainHash: row.chain_hash,
});

const toRow = (r: StoredRecord): RecordsTable => ({
  seq: r.seq,
  id: r.id,
  previous_id: r.previousId,
  decided_at: r.decidedAt,
  expires_at: r.expiresAt,
  received_at: r.receivedAt,
  revision: r.revision,
  catalog_hash: r.catalogHash!,
  method: r.method,
  state: r.state,
  language: r.language,
  gpc: r.gpc ? 1 : 0,
  choices: canonicalJson(r.choices),
  chain_hash: r.chainHash,
});

/** What the visitor's device sent, without what the server added: two sends of one decision compare equal. */
const sent = ({ seq, receivedAt, chainHash, ...record }: StoredRecord | ReceivedRecord & Partial<StoredRecord>) => canonicalJson(record);

export interface ChainReport {
  readonly ok: boolean;
  readonly checked: number;
  readonly head: { readonly seq: number; readonly hash: string };
  readonly problems: readonly string[];
}

export interface StatsRow {
  readonly key: string;
  readonly total: number;
  readonly methods: Readonly<Record<string, number>>;
  /** Decisions made with Global Privacy Control on (whatever the method). */
  readonly gpc: number;
}

const PAGE = 1000;
const CHUNK = 25;
const chunks = <T>(list: T[]): T[][] => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/** Kysely's SQLite driver prepares every query anew; the log runs the same few, so keep their statements. */
function cachingStatements(database: import('better-sqlite3').Database) {
  const statements = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 256) statements.clear();
        statements.set(sql, (statement = database.prepare(sql)));
      }
      return statement;
    },
  };
}

export class Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly postgres: boolean,
  ) {}

  close(): Promise<void> {
    return this.db.destroy();
  }

  /**
   * Appends records in one transaction, each extending the chain, in order. A record whose id is
   * stored already is a `duplicate` when it is the same decision (a resend), a `conflict` when it
   * is not (a forged replay): neither is stored again.
   */
  async append(records: readonly ReceivedRecord[], receivedAt = new Date().toISOString()): Promise<AppendResult[]> {
    return this.db.transaction().execute(async (tx) => {
      let head = tx.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1);
      if (this.postgres) head = head.modifyEnd(sql`for update`);
      let { seq, hash } = await head.executeTakeFirstOrThrow();
      seq = Number(seq);
      // Statements of at most CHUNK rows: short enough for SQLite's statement cache, few enough round trips for PostgreSQL.
      const existing = new Map<string, string>();
      for (const ids of chunks([...new Set(records.map((r) => r.id))])) {
        for (const row of await tx.selectFrom('consent_records').selectAll().where('id', 'in', ids).execute()) existing.set(row.id, sent(toStored(row)));
      }
      const rows: RecordsTable[] = [];
      const results = records.map((record): AppendResult => {
        const before = existing.get(record.id);
        if (before !== undefined) return before === sent(record) ? 'duplicate' : 'conflict';
        const row = { ...record, seq: ++seq, receivedAt };
        hash = chainHash(hash, row);
        rows.push(toRow({ ...row, chainHash: hash }));
        existing.set(record.id, sent(record));
        return 'stored';
      });
      for (const chunk of chunks(rows)) await tx.insertInto('consent_records').values(chunk).execute();
      if (rows.length) await tx.updateTable('chain_head').set({ seq, hash }).where('id', '=', 1).execute();
      return results;
    });
  }

  /** Keeps a catalog's exact text by its hash, so a record's texts can be shown years later. */
  async archiveCatalog(known: KnownCatalog, now = new Date().toISOString()): Promise<void> {
    await this.db
      .insertInto('catalogs')
      .values({ hash: known.hash, revision: known.catalog.revision, source: known.source, text: known.text, archived_at: now })
      .onConflict((c) => c.column('hash').doNothing())
      .execute();
  }

  async catalogText(hash: string): Promise<string | undefined> {
    return (await this.db.selectFrom('catalogs').select('text').where('hash', '=', hash).executeTakeFirst())?.text;
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    const row = await this.db.selectFrom('consent_records').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStored(row);
  }

  /** The hash a row chains from: the row before it, the last purge's, or the chain's start. */
  async previousHash(seq: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('consent_records').select('chain_hash').where('seq', '=', seq - 1).executeTakeFirst();
    if (row) return row.chain_hash;
    if (seq === 1) return GENESIS;
    return (await this.db.selectFrom('purges').select('through_hash').where('through_seq', '=', seq - 1).executeTakeFirst())?.through_hash;
  }

  /** Every stored record in chain order, `from`–`to` (receivedAt, `to` excluded) when given, read a page at a time. */
  async *records(range: { from?: string; to?: string } = {}): AsyncGenerator<StoredRecord> {
    let after = -1;
    for (;;) {
      let query = this.db.selectFrom('consent_records').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE);
      if (range.from) query = query.where('received_at', '>=', range.from);
      if (range.to) query = query.where('received_at', '<', range.to);
      const rows = await query.execute();
      for (const row of rows) yield toStored(row);
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async count(): Promise<number> {
    const { n } = await this.db.selectFrom('consent_records').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Recomputes every row's hash from its fields and checks the seqs follow from the last purge to the head. */
  async verifyChain(): Promise<ChainReport> {
    const problems: string[] = [];
    const purge = await this.db.selectFrom('purges').selectAll().orderBy('through_seq', 'desc').limit(1).executeTakeFirst();
    const head = await this.db.selectFrom('chain_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
    let hash = purge?.through_hash ?? GENESIS;
    let expected = Number(purge?.through_seq ?? 0) + 1;
    let checked = 0;
    for await (const record of this.records()) {
      checked++;
      if (record.seq !== expected) problems.push(`rows ${expected}–${record.seq - 1} are missing (removed outside purge)`);
      const { chainHash: stored, ...row } = record;
      if (chainHash(hash, row) !== stored) problems.push(`row ${record.seq} (${record.id}) was altered: its hash does not hold`);
      hash = stored;
      expected = record.seq + 1;
    }
    const headSeq = Number(head.seq);
    if (expected - 1 !== headSeq) problems.push(`the chain ends at row ${expected - 1} but its head says ${headSeq}: rows were removed`);
    else if (hash !== head.hash) problems.push(`the last row's hash is not the head's: the chain was rewritten`);
    return { ok: !problems.length, checked, head: { seq: headSeq, hash: head.hash }, problems };
  }

  /** Decisions by day (of receipt) or by catalog revision, counted per method. */
  async stats(by: 'day' | 'revision'): Promise<StatsRow[]> {
    const key = by === 'day' ? sql<string>`substr(received_at, 1, 10)` : sql<string>`cast(revision as text)`;
    const rows = await this.db
      .selectFrom('consent_records')
      .select([key.as('key'), 'method', (e) => e.fn.countAll<number>().as('n'), (e) => e.fn.sum<number>('gpc').as('gpc')])
      .groupBy([key, 'method'])
      .execute();
    const byKey = new Map<string, { key: string; total: number; methods: Record<string, number>; gpc: number }>();
    for (const row of rows) {
      const s = byKey.get(row.key) ?? { key: row.key, total: 0, methods: {}, gpc: 0 };
      s.total += Number(row.n);
      s.methods[row.method] = Number(row.n);
      s.gpc += Number(row.gpc);
      byKey.set(row.key, s);
    }
    return [...byKey.values()].sort((a, b) => (by === 'day' ? a.key.localeCompare(b.key) : Number(a.key) - Number(b.key)));
  }

  /**
   * Removes the records received before `before`, oldest first, and keeps the hash of the last one
   * removed, so the chain still verifies from there. Only a leading run of the chain is removed.
   */
  async purge(before: string, now = new Date().toISOString()): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      let head = tx.selectFrom('chain_head').select(['seq']).where('id', '=', 1);
      if (this.postgres) head = head.modifyEnd(sql`for update`);
      const headSeq = Number((await head.executeTakeFirstOrThrow()).seq);
      const kept = await tx.selectFrom('consent_records').select('seq').where('received_at', '>=', before).orderBy('seq').limit(1).executeTakeFirst();
      const through = kept ? Number(kept.seq) - 1 : headSeq;
      const last = await tx.selectFrom('consent_records').select(['seq', 'chain_hash']).where('seq', '<=', through).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (!last) return 0;
      const { numDeletedRows } = await tx.deleteFrom('consent_records').where('seq', '<=', through).executeTakeFirstOrThrow();
      const removed = Number(numDeletedRows);
      await tx.insertInto('purges').values({ purged_at: now, before, through_seq: Number(last.seq), through_hash: last.chain_hash, removed }).execute();
      return removed;
    });
  }
}
