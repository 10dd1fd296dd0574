/**
 * A throwaway PostgreSQL cluster for the consent log's tests and load benchmark: Debian's server
 * binaries, a data folder and port of its own, gone at stop(). Nothing is left running.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Starts a PostgreSQL cluster of its own in a temporary folder (as the `postgres` user when run as
 * root, which initdb requires) and returns its URL and a stop(). Fails, never skips, when the server
 * binaries are missing: `.ci/run` installs Debian's postgresql.
 */
export async function startPostgres() {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
  const bin = versions.length && join('/usr/lib/postgresql', versions.at(-1), 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'oph-consent-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  // initdb refuses to run as root: then the cluster belongs to Debian's postgres user.
  const user = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) } : {};
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], { stdio: 'ignore', ...user });
  const port = await freePort();
  let server;
  /** Starts the server on the cluster and waits until it accepts connections. */
  async function start() {
    if (server && server.exitCode === null) return; // running already
    server = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { stdio: 'ignore', ...user });
    for (let i = 0; ; i++) {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        return;
      } catch {
        if (i > 100) throw new Error('PostgreSQL did not start in 10 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  /** Stops the server (fast shutdown: open connections are closed), keeping the cluster's data. */
  async function halt() {
    if (server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGINT');
    await exited;
  }
  await start();
  let n = 0;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    /** A fresh, empty database in this cluster: each test starts from nothing. */
    database() {
      const name = `log_${process.pid}_${++n}`;
      execFileSync(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name], { stdio: 'ignore' });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    /** The database goes down (as in a restart or a failover) and stays down until start(). */
    halt,
    start,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
