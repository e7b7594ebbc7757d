import type { Role } from '../auth';

/**
 * Argument parsing for the seed and token commands, kept pure so it is unit-tested
 * without spawning processes; the commands only print and exit.
 */

/** A command-line mistake, worded to be printed as one line to stderr before exiting 1. */
export class CliArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliArgsError';
  }
}

export const SEED_USAGE = 'usage: seed [--synthetic --events N [--seed S]]';
export const TOKEN_USAGE = 'usage: token --sub ID --role admin|viewer [--expires 30d]';

/** Enough for any load test; beyond it a typo (an extra zero) would run for hours. */
export const MAX_SYNTHETIC_EVENTS = 1_000_000;
const MAX_SEED = 0xffff_ffff;
/** The same 200-character limit `authenticate` enforces on the sub claim. */
const MAX_SUB_LENGTH = 200;
/** A subset of what jose's setExpirationTime accepts: a positive count and one unit letter. */
const DURATION = /^[1-9]\d*[smhdwy]$/;

export type SeedArgs =
  { help: true } | { help: false; synthetic: { events: number; seed: number | undefined } | null };

export type TokenArgs = { help: true } | { help: false; sub: string; role: Role; expires: string };

type FlagKinds = Record<string, 'switch' | 'value'>;

/**
 * `--name value`, `--name=value` and bare switches. Unknown, repeated or valueless flags and
 * positional words are errors: a mistyped flag silently ignored would seed or sign the
 * wrong thing.
 */
function parseFlags(argv: readonly string[], kinds: FlagKinds, usage: string): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      flags.set('help', '');
      continue;
    }
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new CliArgsError(`unexpected argument "${arg}" (${usage})`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    const kind = kinds[name];
    if (kind === undefined) throw new CliArgsError(`unknown flag --${name} (${usage})`);
    if (flags.has(name)) throw new CliArgsError(`--${name} given more than once`);
    if (kind === 'switch') {
      if (inline !== undefined) throw new CliArgsError(`--${name} takes no value`);
      flags.set(name, '');
      continue;
    }
    let value = inline;
    if (value === undefined && i + 1 < argv.length && !argv[i + 1]!.startsWith('--'))
      value = argv[++i];
    if (value === undefined) throw new CliArgsError(`--${name} needs a value (${usage})`);
    flags.set(name, value);
  }
  return flags;
}

function integerFlag(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new CliArgsError(`--${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const flags = parseFlags(
    argv,
    { synthetic: 'switch', events: 'value', seed: 'value' },
    SEED_USAGE,
  );
  if (flags.has('help')) return { help: true };
  const events = flags.get('events');
  const seed = flags.get('seed');
  if (!flags.has('synthetic')) {
    if (events !== undefined || seed !== undefined) {
      throw new CliArgsError('--events and --seed only apply with --synthetic');
    }
    return { help: false, synthetic: null };
  }
  if (events === undefined) throw new CliArgsError(`--synthetic needs --events N (${SEED_USAGE})`);
  return {
    help: false,
    synthetic: {
      events: integerFlag('events', events, 1, MAX_SYNTHETIC_EVENTS),
      seed: seed === undefined ? undefined : integerFlag('seed', seed, 0, MAX_SEED),
    },
  };
}

export function parseTokenArgs(argv: readonly string[]): TokenArgs {
  const flags = parseFlags(argv, { sub: 'value', role: 'value', expires: 'value' }, TOKEN_USAGE);
  if (flags.has('help')) return { help: true };
  const sub = flags.get('sub');
  const role = flags.get('role');
  const expires = flags.get('expires') ?? '30d';
  if (sub === undefined) throw new CliArgsError(`--sub is required (${TOKEN_USAGE})`);
  if (sub.trim() === '' || sub.length > MAX_SUB_LENGTH) {
    throw new CliArgsError(`--sub: expected 1 to ${MAX_SUB_LENGTH} characters, not blank`);
  }
  if (role === undefined) throw new CliArgsError(`--role is required (${TOKEN_USAGE})`);
  if (role !== 'admin' && role !== 'viewer') {
    throw new CliArgsError(`--role: expected admin or viewer, got "${role}"`);
  }
  if (!DURATION.test(expires)) {
    throw new CliArgsError(`--expires: expected a duration like 30d, 12h or 90m, got "${expires}"`);
  }
  return { help: false, sub, role, expires };
}
