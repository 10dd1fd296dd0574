/**
 * `oph-consent <command>`: the one command-line entry (CONTRACT.md §6). Each command is a module
 * of its own, loaded only when asked for, so that `lint` never loads a browser driver or a
 * database driver. Exit status: what the command returns; 2 for a usage error.
 */
import { MissingPackage, UsageError, usageFail } from './usage.js';

export interface Command {
  /** Runs the command with the arguments after its name; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  audit: () => import('./audit.js'),
  lint: () => import('./lint-command.js'),
  bundle: () => import('./bundle.js'),
  log: () => import('./log.js'),
};

export const USAGE = `Usage: oph-consent <command> [options]

Commands:
  audit <url>…               what a site sets before and after consent, against its catalog
  lint <catalog.json>…       check cookie catalogs (schema errors, compliance warnings)
  bundle <catalog.json> -o <file.js>
                             the drop-in script with that catalog built in
  log <serve|verify|verify-chain|export|stats|purge> --db <store>
                             the consent log server and the DPO's commands

Run \`oph-consent <command> --help\` for a command's options.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageFail('missing command', USAGE);
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) return usageFail(`unknown command ${JSON.stringify(name)}`, USAGE);
  try {
    return await (await load()).run(rest);
  } catch (e) {
    if (e instanceof UsageError) return usageFail(e.message, e.usage);
    if (e instanceof MissingPackage) {
      process.stderr.write(`oph-consent: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
