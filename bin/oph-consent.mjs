#!/usr/bin/env node
/** `oph-consent <command>`: loads the built command line (dist/node/cli/main.js) and exits with its status. */
let main;
try {
  ({ main } = await import('../dist/node/cli/main.js'));
} catch (e) {
  process.stderr.write(`oph-consent: cannot load dist/node/cli/main.js (${String(e.message).split('\n')[0]}): run \`npm run build\` first\n`);
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
