/**
 * `npm run bench:log`: the consent log under load, on loopback. `oph-consent log serve` runs as its
 * own process (as in production) over SQLite, then over a throwaway PostgreSQL cluster; this
 * process posts records at a fixed rate (open loop: a slow server does not slow the senders down)
 * for a bounded time, then checks that every record answered 204 is stored once and the chain holds.
 *
 *   node scripts/bench-log.mjs [--rate 1000] [--seconds 30] [--backends sqlite,postgres]
 *
 * Prints a Markdown table (records/s sustained, latency median, p99, max, loss) and writes it to
 * bench/log-results.md. Goal on a 2-core machine: 1,000 records/s for 30 s, p99 under 100 ms on SQLite.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { CATALOG_FILE, makeRecord, sqliteFile } from '../test/log/helpers.mjs';
import { freePort, startPostgres } from './postgres.mjs';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '30' }, backends: { type: 'string', default: 'sqlite,postgres' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
/** Requests waiting for an answer beyond this are not sent: the run stays bounded in memory. */
const MAX_IN_FLIGHT = 5000;
const TICK_MS = 10;
/**
 * Keep-alive connections, at most this many at once, as a reverse proxy in front of the service
 * would hold: the load is records, not connection set-ups.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs a body; resolves to the status (or 'error'). */
const post = (url, body) =>
  new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve('error'));
    req.end(body);
  });

async function startServer(db) {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/oph-consent.mjs', 'log', 'serve', '--db', db, '--catalog', CATALOG_FILE, '--port', String(port), '--rate-limit', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`log serve exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/consent-log`,
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

async function load(url) {
  const latencies = [];
  const statuses = new Map();
  let inFlight = 0;
  let skipped = 0;
  const sent = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let due = 0;
  const pending = [];
  while (performance.now() < end) {
    // Open loop: as many records as the clock says are due, whatever the answers so far.
    const target = Math.floor(((performance.now() - start) / 1000) * RATE);
    for (; due < target; due++) {
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      const record = makeRecord(due % 3 ? 'reject-all' : 'accept-all');
      const t0 = performance.now();
      inFlight++;
      pending.push(
        post(url, JSON.stringify(record))
          .then((status) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status === 204) sent.push(record.id);
          })
          .finally(() => {
            inFlight--;
            latencies.push(performance.now() - t0);
          }),
      );
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { attempted: due, skipped, stored: sent.length, statuses, elapsed, median: at(0.5), p99: at(0.99), max: latencies.at(-1) };
}

const cli = (...args) => spawnSync(process.execPath, ['bin/oph-consent.mjs', 'log', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });

const rows = [];
for (const backend of values.backends.split(',')) {
  const pg = backend === 'postgres' ? await startPostgres() : null;
  const db = pg ? pg.database() : sqliteFile();
  const server = await startServer(db);
  const WARM_UP = 50;
  // A short warm-up, not counted: the first connections and the JIT.
  await Promise.all(Array.from({ length: WARM_UP }, () => post(server.url, JSON.stringify(makeRecord('dismiss')))));
  process.stderr.write(`${backend}: ${RATE} records/s for ${SECONDS} s…\n`);
  const result = await load(server.url);
  await server.stop();
  const exported = cli('export', '--db', db, '--format', 'jsonl').stdout.trim().split('\n').filter(Boolean);
  const chain = cli('verify-chain', '--db', db);
  const ids = new Set(exported.map((l) => JSON.parse(l).id));
  // Every 204 is a record the store must have, once: lost = answered but absent; twice = an id stored more than once.
  const lost = result.stored + WARM_UP - ids.size;
  rows.push({ backend, ...result, lost, duplicates: exported.length - ids.size, chain: chain.status === 0 ? 'holds' : 'BROKEN' });
  await pg?.stop();
}

const f = (n) => n.toFixed(1);
const table = [
  `Consent log load, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.versions.node}: ${RATE} records/s offered for ${SECONDS} s, loopback, \`log serve\` as its own process, 64 keep-alive connections.`,
  '',
  '| store | sustained records/s | answered 204 | other answers | latency median | p99 | max | lost | stored twice | chain |',
  '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ...rows.map((r) => {
    const others = [...r.statuses].filter(([s]) => s !== 204).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none';
    return `| ${r.backend === 'sqlite' ? 'SQLite (WAL)' : 'PostgreSQL 15'} | ${Math.round(r.stored / r.elapsed)} | ${r.stored} of ${r.attempted}${r.skipped ? ` (${r.skipped} not sent)` : ''} | ${others} | ${f(r.median)} ms | ${f(r.p99)} ms | ${f(r.max)} ms | ${r.lost} | ${r.duplicates} | ${r.chain} |`;
  }),
  '',
].join('\n');
process.stdout.write(table);
writeFileSync('bench/log-results.md', `# Consent log benchmark\n\n${table}`);
