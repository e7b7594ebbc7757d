import type { Server } from 'node:http';
import { limitHeapGrowth } from './heap-growth';
import { ConfigError, loadConfig, StartupError } from './config';
import { isEmpty, seedRealEvent } from './db/seed/seed-real-event';
import { createLogger } from './logger';
import { createServer } from './server';
import { isUniqueViolation } from './services/refs';

const SHUTDOWN_DEADLINE_MS = 30_000;

/** Listen and handle signals; everything else lives in createServer. */
async function main(): Promise<void> {
  limitHeapGrowth();
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
    try {
      await seedRealEvent(server.db);
      logger.info('empty database: seeded 掘力计划 第21期');
    } catch (error) {
      // Instances started together on an empty database race to seed; one wins.
      if (!isUniqueViolation(error)) throw error;
      logger.info('another instance seeded the database first');
    }
  }
  await listen(server.app, config.port, config.host);
  logger.info(`talkgraph ready at http://${config.host}:${config.port}/graphql`);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // A drain that hangs (a dead database during the final flush) must not keep the
    // process alive forever: the orchestrator expects an exit.
    setTimeout(() => {
      logger.error('shutdown did not finish within 30 s');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: libraries using signal-exit re-raise the signal when they see no
  // other listener left, which would kill us before counters are flushed.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Listens, or fails with one line naming the variable to change. */
function listen(app: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const variable = error.code === 'EADDRINUSE' || error.code === 'EACCES' ? 'PORT' : 'HOST';
      reject(
        new StartupError(`${variable}: cannot listen on ${host}:${port}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    app.once('error', failed);
    app.listen(port, host, () => {
      app.off('error', failed);
      resolve();
    });
  });
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`talkgraph failed to start: ${error.message}`);
  } else {
    console.error('talkgraph failed to start:', error);
  }
  process.exit(1);
});
