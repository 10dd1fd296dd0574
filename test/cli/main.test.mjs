/** The command line's entry: subcommand dispatch and usage errors (util.parseArgs), exit 2. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

export const cli = (...args) => spawnSync(process.execPath, ['bin/oph-consent.mjs', ...args], { encoding: 'utf8' });

test('no command: usage on stderr, exit 2', () => {
  const r = cli();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing command/);
  assert.match(r.stderr, /Usage: oph-consent <command>/);
});

test('an unknown command is named, exit 2', () => {
  const r = cli('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('--help prints the commands, exit 0', () => {
  const r = cli('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /lint <catalog.json>/);
});

test('an unknown option of a command is named with that command’s usage, exit 2', () => {
  const r = cli('lint', '--bogus', 'catalog/oph31.json');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Unknown option '--bogus'/);
  assert.match(r.stderr, /Usage: oph-consent lint/);
});

test('a missing build is reported, not a stack trace: exit 2', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oph-consent-nobuild-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  copyFileSync('bin/oph-consent.mjs', join(dir, 'bin', 'oph-consent.mjs'));
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'oph-consent.mjs'), 'lint', 'catalog/oph31.json'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^oph-consent: cannot load dist\/node\/cli\/main\.js .*npm run build/);
});
