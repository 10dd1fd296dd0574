/**
 * `oph-consent log <serve|verify|verify-chain|export|stats|purge>` (CONTRACT.md §6.3): the consent
 * log server and the DPO's commands over its store. Exit 0 on success, 1 when a check fails (a hash
 * that does not hold, an altered chain, an unknown id), 2 on a usage error or a store that cannot open.
 */
import { CatalogError, localize, type Catalog } from '../core/catalog.js';
import { parseKnownCatalog, readCatalogs } from '../log/catalogs.js';
import { chainHash, type KnownCatalog, type StoredRecord } from '../log/records.js';
import { CONSENT_LOG_PATH, buildServer } from '../log/server.js';
import { StoreError, openStore, redact, type Store } from '../log/store.js';
import { UsageError, parseCommand } from './usage.js';

export const USAGE = `Usage: oph-consent log <command> --db <file.sqlite | postgres://…> [options]

Commands:
  serve --catalog <file>… [--port 8787] [--host 127.0.0.1] [--allow-origin <origin>]…
        [--rate-limit <records a minute per client>] [--trust-proxy]
                         receive records at POST /consent-log (GET /health)
  verify <record-id> [--catalog <file>…]
                         the record, its earlier decisions, the texts shown, the hash checks
  verify-chain           check that no stored record was altered or removed
  export [--from <date>] [--to <date>] [--format csv|jsonl]
                         the records received in that range (UTC days; --to's day included)
  stats [--by day|revision]
                         accept, refuse, custom, dismiss and GPC rates
  purge --before <date>  remove the records received before that day (the chain stays verifiable)

Exit status: 0 success, 1 a check failed, 2 wrong usage or the database cannot be opened.
`;

const OPTIONS = {
  db: { type: 'string' },
  catalog: { type: 'string', multiple: true },
  port: { type: 'string' },
  host: { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
  'rate-limit': { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  by: { type: 'string' },
  before: { type: 'string' },
} as const;
type Values = NonNullable<ReturnType<typeof parseCommand<typeof OPTIONS>>>['values'];

/** Which options each command takes besides --db; any other is a usage error. */
const TAKES: Record<string, (keyof typeof OPTIONS)[]> = {
  serve: ['catalog', 'port', 'host', 'allow-origin', 'rate-limit', 'trust-proxy'],
  verify: ['catalog'],
  'verify-chain': [],
  export: ['from', 'to', 'format'],
  stats: ['by'],
  purge: ['before'],
};

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, USAGE);
  if (!parsed) return 0;
  const [command, ...positionals] = parsed.positionals;
  const { values } = parsed;
  if (command === undefined) throw new UsageError('log needs a command', USAGE);
  if (!Object.hasOwn(TAKES, command)) throw new UsageError(`unknown log command ${JSON.stringify(command)}`, USAGE);
  for (const option of Object.keys(values)) {
    if (option !== 'db' && !TAKES[command].includes(option as keyof typeof OPTIONS)) throw new UsageError(`log ${command} does not take --${option}`, USAGE);
  }
  if (!values.db) throw new UsageError(`log ${command} needs --db <file.sqlite | postgres://…>`, USAGE);
  if (positionals.length > (command === 'verify' ? 1 : 0)) throw new UsageError(`unexpected argument ${JSON.stringify(positionals.at(-1))}`, USAGE);
  if (command === 'verify' && !positionals.length) throw new UsageError('log verify needs a record id', USAGE);
  if (command === 'purge' && !values.before) throw new UsageError('log purge needs --before <date>', USAGE);
  if (command === 'serve' && !values.catalog?.length) throw new UsageError('log serve needs at least one --catalog <file>: it stores only records of catalogs it knows', USAGE);

  const options = checkOptions(values); // every usage error before the database is opened (or created)
  let catalogs: Map<string, KnownCatalog>;
  let store: Store;
  try {
    catalogs = await readCatalogs(values.catalog ?? []);
    store = await openStore(values.db);
  } catch (e) {
    if (!(e instanceof CatalogError || e instanceof StoreError)) throw e;
    process.stderr.write(`oph-consent: ${e.message}\n`);
    return 2;
  }
  if (command === 'serve') return serve(store, catalogs, options, values.db);
  try {
    switch (command) {
      case 'verify':
        return await verify(store, positionals[0], catalogs);
      case 'verify-chain':
        return await verifyChain(store);
      case 'export':
        return await exportRecords(store, options);
      case 'stats':
        return await stats(store, options);
      default:
        return await purge(store, options);
    }
  } finally {
    await store.close();
  }
}

const out = (text: string) => process.stdout.write(text);

/** The options of every command, checked and converted. */
function checkOptions(values: Values) {
  for (const origin of values['allow-origin'] ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new UsageError(`--allow-origin ${JSON.stringify(origin)}: an origin is scheme://host[:port], without a path`, USAGE);
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format ${JSON.stringify(format)}: expected csv or jsonl`, USAGE);
  const by = values.by ?? 'day';
  if (by !== 'day' && by !== 'revision') throw new UsageError(`--by ${JSON.stringify(by)}: expected day or revision`, USAGE);
  return {
    port: integerOption(values.port ?? '8787', '--port', 0, 65535),
    ratePerMinute: integerOption(values['rate-limit'] ?? '600', '--rate-limit', 0, 1_000_000),
    allowOrigins: values['allow-origin'] ?? [],
    host: values.host ?? '127.0.0.1',
    trustProxy: values['trust-proxy'] ?? false,
    range: { from: dateOption(values.from, '--from'), to: dateOption(values.to, '--to', true) },
    format,
    by,
    before: dateOption(values.before, '--before'),
  } as const;
}
type Options = ReturnType<typeof checkOptions>;

async function serve(store: Store, catalogs: Map<string, KnownCatalog>, options: Options, db: string): Promise<number> {
  const { port, host, allowOrigins, ratePerMinute, trustProxy } = options;
  const app = await buildServer({ store, catalogs, allowOrigins, ratePerMinute, trustProxy });
  const address = await app.listen({ port, host });
  const revisions = [...catalogs.values()].map((k) => `${k.source} (revision ${k.catalog.revision}, sha256 ${k.hash.slice(0, 12)}…)`);
  out(`oph-consent log: ${address}${CONSENT_LOG_PATH} → ${redact(db)}; catalogs ${revisions.join(', ')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close(); // waits for the records in flight
  await store.close();
  return 0;
}

function integerOption(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${name} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`, USAGE);
  return n;
}

/** A day (`2026-12-03`, UTC) or a time; `end` makes a day mean its end (the next day's start). */
function dateOption(value: string | undefined, name: string, end = false): string | undefined {
  if (value === undefined) return undefined;
  const day = /^\d{4}-\d\d-\d\d$/.test(value);
  const time = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time) || !/^\d{4}-\d\d-\d\d/.test(value)) throw new UsageError(`${name} ${JSON.stringify(value)}: expected a date such as 2026-12-03 or an ISO 8601 time`, USAGE);
  return new Date(day && end ? time + 86_400_000 : time).toISOString();
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

async function verify(store: Store, id: string, given: Map<string, KnownCatalog>): Promise<number> {
  const record = await store.get(id);
  if (!record) {
    out(`no record ${JSON.stringify(id.slice(0, 80))} in the store\n`);
    return 1;
  }
  let ok = true;
  const previous = await store.previousHash(record.seq);
  const { chainHash: stored, ...row } = record;
  const rowHolds = previous !== undefined && chainHash(previous, row) === stored;
  ok &&= rowHolds;

  out(`record ${record.id}\n`);
  out(`  decided   ${record.decidedAt}  ${record.method}, ${record.state}${record.gpc ? ', with Global Privacy Control' : ''}\n`);
  out(`  received  ${record.receivedAt}  (server clock; row ${record.seq})\n`);
  out(`  expires   ${record.expiresAt}\n`);
  out(`  choices   ${Object.entries(record.choices).map(([c, b]) => `${c}: ${yesNo(b)}`).join(', ')}\n`);
  out(`  language  ${record.language}\n`);
  out(`  row hash  ${rowHolds ? 'holds' : previous === undefined ? 'cannot be checked: the row before it is missing' : 'DOES NOT HOLD: the row was altered'}\n`);

  const text = given.get(record.catalogHash!)?.text ?? (await store.catalogText(record.catalogHash!));
  let shown: Catalog | undefined;
  if (text === undefined) {
    ok = false;
    out(`  catalog   revision ${record.revision}, sha256 ${record.catalogHash}: NOT FOUND (not archived, not given with --catalog)\n`);
  } else {
    try {
      const known = parseKnownCatalog(text, `catalog ${record.catalogHash!.slice(0, 12)}`);
      const holds = known.hash === record.catalogHash && known.catalog.revision === record.revision;
      ok &&= holds;
      out(`  catalog   revision ${known.catalog.revision}, sha256 ${record.catalogHash}: ${holds ? 'the hash holds' : 'DOES NOT HOLD'}\n`);
      if (holds) shown = known.catalog;
    } catch (e) {
      ok = false;
      out(`  catalog   ${(e as Error).message}\n`);
    }
  }

  if (shown) {
    out(`\nWhat the visitor was shown (${record.language}):\n`);
    out(`  ${localize(shown.controller.name, record.language)}; privacy policy ${shown.controller.privacyPolicyUrl}\n`);
    for (const category of shown.categories) {
      out(`  ${localize(category.title, record.language)} [${category.id}: ${category.required ? 'required' : yesNo(record.choices[category.id])}]\n`);
      out(`    ${localize(category.description, record.language)}\n`);
      for (const cookie of shown.cookies.filter((c) => c.category === category.id)) {
        out(`    - ${cookie.name}: ${localize(cookie.purpose, record.language)} (${cookie.retention})\n`);
      }
    }
  }

  out(`\nEarlier decisions (previousId):\n`);
  let before = record.previousId;
  const seen = new Set([record.id]);
  if (!before) out('  none: this was the first decision on that device\n');
  while (before && !seen.has(before)) {
    seen.add(before);
    const earlier: StoredRecord | undefined = await store.get(before);
    if (!earlier) {
      out(`  ${before}  not in the store (purged, or never received)\n`);
      break;
    }
    out(`  ${earlier.id}  ${earlier.decidedAt}  ${earlier.method}, ${earlier.state}\n`);
    before = earlier.previousId;
  }
  out(`\n${ok ? 'verified' : 'NOT VERIFIED'}\n`);
  return ok ? 0 : 1;
}

async function verifyChain(store: Store): Promise<number> {
  const report = await store.verifyChain();
  for (const problem of report.problems) out(`${problem}\n`);
  out(
    report.ok
      ? `chain holds: ${report.checked} record(s), head row ${report.head.seq}, hash ${report.head.hash}\n`
      : `CHAIN BROKEN: ${report.problems.length} problem(s) in ${report.checked} record(s)\n`,
  );
  return report.ok ? 0 : 1;
}

const CSV_COLUMNS = ['seq', 'id', 'previousId', 'decidedAt', 'receivedAt', 'expiresAt', 'revision', 'catalogHash', 'method', 'state', 'language', 'gpc', 'choices', 'chainHash'] as const;
/** RFC 4180 quoting; a cell a spreadsheet would run as a formula gets a leading apostrophe. */
const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

async function exportRecords(store: Store, { format, range }: Options): Promise<number> {
  if (format === 'csv') out(`${CSV_COLUMNS.join(',')}\n`);
  for await (const record of store.records(range)) {
    out(format === 'csv' ? `${CSV_COLUMNS.map((c) => csvCell(c === 'gpc' ? record.gpc === true : record[c])).join(',')}\n` : `${JSON.stringify(record)}\n`);
  }
  return 0;
}

const STATS_METHODS = ['accept-all', 'reject-all', 'custom', 'dismiss', 'gpc'] as const;

async function stats(store: Store, { by }: Options): Promise<number> {
  const rows = await store.stats(by);
  const percent = (n: number, total: number) => `${((100 * n) / total).toFixed(1)} %`.padStart(8);
  out(`${by.padEnd(10)} ${'records'.padStart(7)} ${STATS_METHODS.map((m) => m.padStart(10)).join(' ')} ${'GPC on'.padStart(8)}\n`);
  for (const row of rows) {
    const cells = STATS_METHODS.map((m) => percent(row.methods[m] ?? 0, row.total).padStart(10));
    out(`${row.key.padEnd(10)} ${String(row.total).padStart(7)} ${cells.join(' ')} ${percent(row.gpc, row.total)}\n`);
  }
  if (!rows.length) out('no record\n');
  return 0;
}

async function purge(store: Store, { before }: Options): Promise<number> {
  const removed = await store.purge(before!); // required, checked in run()
  out(`${removed} record(s) received before ${before} removed; the chain verifies from the last one removed\n`);
  return 0;
}
