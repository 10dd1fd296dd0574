/**
 * The runner of the checks that run in Node (end to end, linter, package): each named test in
 * order, ✓ or ✗ with why, and the counts. The caller prints `<area>: N passed, N failed`, which
 * `.ci/run` adds up. `around` wraps each test, e.g. to give it a fresh browser context.
 */
export async function runTests(tests, around = (test) => test()) {
  let passed = 0;
  let failed = 0;
  for (const [name, test] of Object.entries(tests)) {
    try {
      await around(test);
      passed++;
      console.log(`  ✓ ${name}`);
    } catch (error) {
      failed++;
      console.log(`  ✗ ${name}\n    ${String(error?.stack ?? error).split('\n').join('\n    ')}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
  return { passed, failed };
}
