/**
 * A node:test reporter that prints one line, `node: N passed, N failed`, which `.ci/run` adds to
 * the browser tests' line. Counts tests, not suites; a file that fails to load counts as a failure.
 */
export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:pass' && !event.data.skip && !event.data.todo) passed++;
    if (event.type === 'test:fail') failed++;
  }
  yield `node: ${passed} passed, ${failed} failed\n`;
}
