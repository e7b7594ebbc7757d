import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../db/open';
import { isEmpty, seedRealEvent } from '../db/seed/seed-real-event';
import { seedSynthetic, type SyntheticSummary } from '../db/seed/synthetic';
import { CliArgsError, parseSeedArgs, SEED_USAGE, type SeedArgs } from '../lib/cli-args';

/**
 * `seed`: the real 掘力计划 event on an empty database, then, with `--synthetic --events N`,
 * generated data on top. Prints one JSON line of what was added.
 */
async function main(argv: string[]): Promise<void> {
  let args: SeedArgs;
  let config;
  try {
    args = parseSeedArgs(argv);
    if (args.help) {
      console.log(SEED_USAGE);
      return;
    }
    config = loadConfig();
  } catch (error) {
    if (error instanceof CliArgsError) return fail(error.message);
    if (error instanceof ConfigError) {
      return fail(...error.problems.map((p) => `invalid configuration: ${p}`));
    }
    throw error;
  }
  const started = Date.now();
  const db = await openDatabase(config.database);
  try {
    const realEvent = await isEmpty(db);
    if (realEvent) await seedRealEvent(db);
    let synthetic: SyntheticSummary | null = null;
    if (args.synthetic) synthetic = await seedSynthetic(db, args.synthetic);
    console.log(
      JSON.stringify({ database: db.kind, realEvent, synthetic, ms: Date.now() - started }),
    );
  } finally {
    await db.dataSource.destroy();
  }
}

function fail(...lines: string[]): void {
  for (const line of lines) console.error(`talkgraph seed: ${line}`);
  process.exitCode = 1;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error('talkgraph seed failed:', error);
  process.exitCode = 1;
});
