import 'reflect-metadata';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { authenticate } from './auth';
import type { Config } from './config';
import { type Context, createContext } from './context';
import type { CounterEvents } from './counters/counter-events';
import type { CounterStore } from './counters/counter-store';
import { type CounterHooks, createCounters } from './counters/create-counters';
import type { DataSourceHooks } from './db/data-source';
import type { Database } from './db/database';
import { type RedisConnection, withTimeout } from './counters/redis-client';
import { createCounterEvents } from './counters/redis-counter-events';
import { openDatabase } from './db/open';
import { createFormatError } from './format-error';
import { createRequestHandler } from './http';
import { createLogger, type Logger } from './logger';
import { createRepositories, type Repositories } from './repositories';
import { createSchema } from './schema';
import { createServices } from './services';
import { attachSubscriptions } from './subscriptions';

const SHUTDOWN_GRACE_MS = 5_000;

export interface ServerOptions extends DataSourceHooks, CounterHooks {
  logger?: Logger;
}

export interface TalkgraphServer {
  /** Not listening yet: `app.listen(port, host)`. */
  app: Server;
  apollo: ApolloServer<Context>;
  db: Database;
  repos: Repositories;
  counters: CounterStore;
  /** Change events behind `counterUpdated` (shared through Redis when configured). */
  counterEvents: CounterEvents;
  /** The context a request with this Authorization header would get. */
  contextFor(authorization?: string): Promise<Context>;
  stop(): Promise<void>;
}

export async function createServer(
  config: Config,
  options: ServerOptions = {},
): Promise<TalkgraphServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.jwtSecretIsDefault) {
    logger.warn(
      'JWT_SECRET is not set: using the development secret. Never do this in production.',
    );
  }
  const db = await openDatabase(config.database, options);
  const repos = createRepositories(db);
  const counterSetup = await createCounters(config, db, logger, options);
  const counters: CounterStore = counterSetup.store;
  const counterEvents: CounterEvents = await createCounterEvents(counterSetup.redis, {
    prefix: config.redisKeyPrefix,
    logger,
  });
  const services = createServices(db, repos, counters, counterEvents);

  const contextFor = async (authorization?: string): Promise<Context> =>
    createContext(
      { repos, counters, services },
      await authenticate(authorization, config.jwtSecret),
    );

  const apollo = new ApolloServer<Context>({
    schema: await createSchema(),
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    csrfPrevention: true,
    // main.ts owns signals: Apollo's own handler would re-raise SIGTERM and kill the
    // process before the counters are drained.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const handler = createRequestHandler({
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    createContext: (req: IncomingMessage) => contextFor(req.headers.authorization),
    routes: {
      '/healthz': () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
      '/readyz': () => readiness(db, counterSetup.redis),
    },
  });
  const app = createHttpServer((req, res) => {
    handler(req, res).catch((error: unknown) =>
      logger.error({ err: error }, 'request handler failed'),
    );
  });
  app.keepAliveTimeout = 65_000;
  // graphql-ws on the same port and path; its sockets are closed first on stop().
  const subscriptions = attachSubscriptions(app, {
    schema: await createSchema(),
    jwtSecret: config.jwtSecret,
    production: config.nodeEnv === 'production',
    counterEvents,
    createContext: (viewer) => createContext({ repos, counters, services }, viewer),
    formatError: createFormatError(logger),
    logger,
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await subscriptions.close();
      // close() waits for every keep-alive socket; idle ones go now, and requests still
      // running get a grace period before their sockets are cut.
      const closed = new Promise<void>((resolve) =>
        app.listening ? app.close(() => resolve()) : resolve(),
      );
      app.closeIdleConnections();
      const grace = setTimeout(() => app.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await apollo.stop();
      await counterSetup.close();
      await counterEvents.close();
      await db.dataSource.destroy();
    })());

  return { app, apollo, db, repos, counters, counterEvents, contextFor, stop };
}

/**
 * 200 while the gateway can serve; a Redis outage is "degraded" but still 200, since
 * counters then come from the database. 503 without the database or with migrations pending.
 */
async function readiness(
  db: Database,
  redis: RedisConnection | null,
): Promise<{ status: number; body: unknown }> {
  const redisStatus = redis === null ? 'not configured' : await pingRedis(redis);
  const degraded = redisStatus === 'unreachable';
  try {
    await db.query('SELECT 1 AS ok');
    const pending = await db.dataSource.showMigrations();
    if (pending) {
      return {
        status: 503,
        body: { status: 'unavailable', database: 'ok', migrations: 'pending', redis: redisStatus },
      };
    }
    return {
      status: 200,
      body: {
        status: degraded ? 'degraded' : 'ok',
        database: 'ok',
        migrations: 'applied',
        redis: redisStatus,
      },
    };
  } catch {
    return {
      status: 503,
      body: { status: 'unavailable', database: 'unreachable', redis: redisStatus },
    };
  }
}

async function pingRedis(redis: RedisConnection): Promise<'ok' | 'unreachable'> {
  if (!redis.isReady) return 'unreachable';
  try {
    // A cluster has no single PING: ask the node that owns an arbitrary key.
    await withTimeout(redis.exists('readyz'), 500);
    return 'ok';
  } catch {
    return 'unreachable';
  }
}
