import { openDatabase } from '../db/open';
import { isEmpty, seedRealEvent } from '../db/seed/seed-real-event';
import { seedSynthetic, type SyntheticSummary } from '../db/seed/synthetic';
import { parseSeedArgs, SEED_USAGE } from '../lib/cli-args';
import { runCli } from './run-cli';

/**
 * `seed`: the real 掘力计划 event on an empty database, then, with `--synthetic --events N`,
 * generated data on top. Prints one JSON line of what was added.
 */
runCli('seed', parseSeedArgs, SEED_USAGE, async (args, config) => {
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
});
