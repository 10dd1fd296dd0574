/**
 * `npm test`: every step in order (build, type-check, the browser tests, the Node-side tests, the size budget), each
 * one's output passed through, and a grand total as the last line: `N passed, N failed`, the sum of each runner's
 * own `wtr|node|size: N passed, N failed` line. A build or type-check failure stops the run and counts as a failure.
 * Exit status: 0 only when every step passed.
 */
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STEPS = [
  { name: 'build', command: npm, args: ['run', '--silent', 'build'], gate: true },
  { name: 'typecheck', command: npm, args: ['run', '--silent', 'typecheck'], gate: true },
  { name: 'browser tests', command: process.execPath, args: ['node_modules/@web/test-runner/dist/bin.js'] },
  { name: 'Node-side tests', command: process.execPath, args: ['scripts/test-node.mjs'] },
  { name: 'size budget', command: process.execPath, args: ['scripts/size.mjs'] },
];
const RUNNER_LINE = /^(wtr|node|size): (\d+) passed, (\d+) failed$/;

let passed = 0;
let failed = 0;
let ok = true;
for (const step of STEPS) {
  const counts = { passed: 0, failed: 0 };
  const status = await new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: ['inherit', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) count(line, counts);
    });
    child.on('close', (code) => {
      count(rest, counts);
      resolve(code ?? 1);
    });
  });
  passed += counts.passed;
  failed += counts.failed;
  if (status !== 0) {
    ok = false;
    // A step that failed without counting a failed test (a crash, a type error) still counts as one.
    if (!counts.failed) failed += 1;
    console.log(`\n${step.name} failed (exit ${status})`);
    if (step.gate) break;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);

function count(line, counts) {
  const m = RUNNER_LINE.exec(line.replace(/\x1b\[[0-9;]*m/g, '').trim());
  if (!m) return;
  counts.passed += Number(m[2]);
  counts.failed += Number(m[3]);
}
