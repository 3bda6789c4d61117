import { E164 } from '../identifiers';
import { UsageError } from './errors';

export type FlagSpec = Record<string, 'boolean' | 'string'>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/**
 * Strict on purpose: an unknown or repeated flag is an error rather than
 * being ignored, so a typo never turns into a silently different change.
 */
export function parseFlags(argv: string[], spec: FlagSpec, context: string): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`${context}: unknown option ${arg} (see jobrun --help)`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`${context}: unknown option --${name} (see jobrun --help)`);
    if (flags[name] !== undefined) throw new UsageError(`${context}: --${name} given more than once`);
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`${context}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      // A following option means the value was forgotten, not that it is "--json".
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value.trim() === '') throw new UsageError(`${context}: --${name} needs a value`);
    flags[name] = value;
  }
  return { positionals, flags };
}

export function requireString(args: ParsedArgs, name: string, context: string): string {
  const v = args.flags[name];
  if (typeof v !== 'string') throw new UsageError(`${context}: --${name} is required`);
  return v.trim();
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v.trim() : undefined;
}

export function parsePhone(value: string, what: string): string {
  const parsed = E164.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(`${what} ${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  }
  return parsed.data;
}

export function expectPositionals(args: ParsedArgs, count: number, usage: string): string[] {
  if (args.positionals.length < count) throw new UsageError(`missing argument: usage: ${usage}`);
  if (args.positionals.length > count) {
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[count])}: usage: ${usage}`);
  }
  return args.positionals;
}
