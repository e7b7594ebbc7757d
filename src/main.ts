import { ConfigError, loadConfig } from './config';
import { isEmpty, seedRealEvent } from './db/seed/seed-real-event';
import { createLogger } from './logger';
import { createServer } from './server';

/** Listen and handle signals; everything else lives in createServer. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems)
        console.error(`talkgraph: invalid configuration: ${problem}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const server = await createServer(config, { logger });
  if (await isEmpty(server.db)) {
    await seedRealEvent(server.db);
    logger.info('empty database: seeded 掘力计划 第21期');
  }
  await new Promise<void>((resolve) => server.app.listen(config.port, config.host, resolve));
  logger.info(`talkgraph ready at http://${config.host}:${config.port}/graphql`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('talkgraph failed to start:', error);
  process.exit(1);
});
