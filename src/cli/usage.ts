/** What every command shares: parsing its options with `util.parseArgs`, usage errors, optional packages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong usage: printed with the command's usage text, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

export function usageFail(why: string, usage: string): number {
  process.stderr.write(`oph-consent: ${why}\n\n${usage}`);
  return 2;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs`, strict, with positionals, and `-h/--help` for every command. Unknown options
 * and missing values become a UsageError naming the option. Returns null when help was printed.
 */
export function parseCommand<O extends Options>(args: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''), usage);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    process.stdout.write(usage);
    return null;
  }
  return parsed as { values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? string[] : string }; positionals: string[] };
}

/**
 * Imports an optional package (a browser driver, a database driver, a server framework), which a
 * project that installed only the element does not have. Missing: a message naming the package to
 * install, exit 2 (CONTRACT.md §6).
 */
export async function optionalImport<T>(name: string, command: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingPackage(`oph-consent ${command} needs the package ${name}: npm install --save-dev ${name}`);
    }
    throw e;
  }
}

/** An optional package is missing: the message says which to install; exit 2. */
export class MissingPackage extends Error {}
