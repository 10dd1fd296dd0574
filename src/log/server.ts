/**
 * The consent log's HTTP side (CONTRACT.md §6.3): `POST /consent-log` and `GET /health`, on Fastify.
 * Bodies are capped, read as text whatever JSON type they claim, and checked field by field before
 * anything is stored. The rate limit is per client and in memory only: no IP address reaches the
 * store. Records are appended in batches (group commit) so that many visitors cost few transactions.
 */
import type { FastifyInstance } from 'fastify';
import { optionalImport } from '../cli/usage.js';
import { checkRecord, type KnownCatalog, type ReceivedRecord } from './records.js';
import type { AppendResult, Store } from './store.js';

/** A record is under 1 KiB; 8 KiB leaves room for many categories and refuses anything else early. */
export const MAX_BODY_BYTES = 8 * 1024;
export const CONSENT_LOG_PATH = '/consent-log';
/** At most this many records per transaction. */
const BATCH = 200;

export interface ServerOptions {
  readonly store: Store;
  readonly catalogs: ReadonlyMap<string, KnownCatalog>;
  /** Origins whose pages may post (CORS); others get 403. Empty: any origin, for a log behind the site's own proxy. */
  readonly allowOrigins?: readonly string[];
  /** Records per client per minute; 0 turns the limit off (a load test on loopback). */
  readonly ratePerMinute?: number;
  /** Fastify's trustProxy: behind a reverse proxy, the client is the X-Forwarded-For hop. */
  readonly trustProxy?: boolean;
  readonly logger?: boolean;
}

/** Waits for the transaction in flight, then appends everything that arrived meanwhile in one. */
class GroupCommit {
  #queue: { record: ReceivedRecord; done: (r: AppendResult) => void; failed: (e: unknown) => void }[] = [];
  #running: Promise<void> | null = null;
  constructor(readonly store: Store) {}

  append(record: ReceivedRecord): Promise<AppendResult> {
    const result = new Promise<AppendResult>((done, failed) => this.#queue.push({ record, done, failed }));
    this.#running ??= this.#drain().finally(() => (this.#running = null));
    return result;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, BATCH);
      try {
        const results = await this.store.append(batch.map((b) => b.record));
        batch.forEach((b, i) => b.done(results[i]));
      } catch (e) {
        for (const b of batch) b.failed(e);
      }
    }
  }

  /** Resolves once nothing waits (for a clean shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { default: fastify } = await optionalImport<typeof import('fastify')>('fastify', 'log serve');
  const { default: cors } = await optionalImport<typeof import('@fastify/cors')>('@fastify/cors', 'log serve');
  const { default: rateLimit } = await optionalImport<typeof import('@fastify/rate-limit')>('@fastify/rate-limit', 'log serve');
  const { store, catalogs, allowOrigins = [], ratePerMinute = 600 } = options;
  const commits = new GroupCommit(store);
  // Every catalog the server accepts records of is archived first: `verify` shows its texts years later.
  for (const known of catalogs.values()) await store.archiveCatalog(known);

  const app = fastify({
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: options.trustProxy ?? false,
    logger: options.logger ? { level: 'info', redact: ['req.remoteAddress', 'req.headers'] } : false,
  });
  // One parser for both types the contract names: the body is text until checkRecord has parsed it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['text/plain', 'application/json'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  await app.register(cors, { origin: allowOrigins.length ? [...allowOrigins] : false, methods: ['POST', 'GET'] });
  if (ratePerMinute > 0) {
    await app.register(rateLimit, {
      max: ratePerMinute,
      timeWindow: 60_000,
      // The client's address is a key in memory for a minute, never logged or stored.
      errorResponseBuilder: (_req, context) => ({ statusCode: 429, error: 'Too Many Requests', message: `more than ${context.max} records a minute from one client` }),
    });
  }

  app.addHook('onClose', () => commits.idle());

  app.get('/health', async () => ({ ok: true, records: await store.count() }));

  app.post(CONSENT_LOG_PATH, async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && allowOrigins.length && !allowOrigins.includes(origin)) {
      return reply.code(403).send({ error: 'origin', message: `origin ${origin.slice(0, 100)} may not post here` });
    }
    if (typeof request.body !== 'string') return reply.code(400).send({ error: 'record', message: 'a record is a JSON body' });
    const checked = checkRecord(request.body, catalogs);
    if ('status' in checked) return reply.code(checked.status).send({ error: 'record', message: checked.reason });
    const result = await commits.append(checked.record);
    if (result === 'conflict') return reply.code(409).send({ error: 'record', message: `id ${checked.record.id} is stored already with other content` });
    return reply.code(204).send();
  });

  // Fastify's own refusals (too large, a wrong content type) keep their status and say why in the same shape.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error(error);
    return reply.code(status).send({ error: status === 500 ? 'server' : 'request', message: status === 500 ? 'the record could not be stored' : error.message });
  });
  return app;
}
