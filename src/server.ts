import 'reflect-metadata';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { authenticate } from './auth';
import type { Config } from './config';
import { type ClientInfo, type Context, createContext } from './context';
import type { CounterEvents } from './counters/counter-events';
import type { CounterStore } from './counters/counter-store';
import { type CounterHooks, createCounters } from './counters/create-counters';
import type { DataSourceHooks } from './db/data-source';
import type { Database } from './db/database';
import { createRateLimiter } from './counters/rate-limiter';
import { type RedisConnection, withTimeout } from './counters/redis-client';
import { createCounterEvents } from './counters/redis-counter-events';
import { openDatabase } from './db/open';
import { CompiledExecution } from './compiled-execution';
import { createFormatError, maskedErrorsPlugin } from './format-error';
import { createRequestHandler, httpServerOptions } from './http';
import type { RequestScope } from './request-scope';
import { clientAddress } from './lib/client-address';
import { MAX_TOKENS, maxAliasesRule, maxDirectivesRule } from './lib/validation-rules';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { costLimitPlugin } from './plugins/cost-limit.plugin';
import { depthLimitPlugin } from './plugins/depth-limit.plugin';
import { metricsPlugin } from './plugins/metrics.plugin';
import { longTextPlugin } from './plugins/long-text.plugin';
import { nulStringsPlugin } from './plugins/nul-strings.plugin';
import { rateLimitPlugin } from './plugins/rate-limit.plugin';
import { readRoutingPlugin } from './plugins/read-routing.plugin';
import { requestLogPlugin } from './plugins/request-log.plugin';
import { createRepositories, type Repositories, withoutLongText } from './repositories';
import { createSchema } from './schema';
import { createServices, withListsWithoutLongText } from './services';
import { attachSubscriptions } from './subscriptions';
import { createWebHandler } from './web/web.handler';

const SHUTDOWN_GRACE_MS = 5_000;

export interface ServerOptions extends DataSourceHooks, CounterHooks {
  logger?: Logger;
  /** Runs of a document before graphql-jit compiles it (tests use 1, to run every query compiled). */
  compileAfterRuns?: number;
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
  /** Served on GET /metrics. */
  metrics: Metrics;
  /** The context a request with this Authorization header would get. */
  contextFor(authorization?: string, scope?: RequestScope, client?: ClientInfo): Promise<Context>;
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
  const metrics = new Metrics();
  let lastReplicaError = '';
  const db = await openDatabase(config.database, {
    onQuery: options.onQuery,
    onReplicaFallback(error) {
      metrics.countReplicaFallback();
      // A replica that is down fails every read sent to it: log each distinct error once.
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastReplicaError)
        logger.warn({ err: error }, 'read replica unreachable: reading from the primary');
      lastReplicaError = message;
      options.onReplicaFallback?.(error);
    },
  });
  const repos = createRepositories(db);
  const counterSetup = await createCounters(config, db, logger, {
    ...options,
    onRedisFallback(operation) {
      metrics.countRedisFallback(operation);
      options.onRedisFallback?.(operation);
    },
    onCounterFlush(round) {
      metrics.observeFlush(round.subjects);
      options.onCounterFlush?.(round);
    },
  });
  metrics.watchFlusher(counterSetup.flushStats);
  const counters: CounterStore = counterSetup.store;
  const counterEvents: CounterEvents = await createCounterEvents(counterSetup.redis, {
    prefix: config.redisKeyPrefix,
    logger,
  });
  const services = createServices(db, repos, counters, counterEvents);

  const reposWithoutLongText = withoutLongText(repos, db);
  const contextDeps = {
    repos,
    withoutLongText: {
      repos: reposWithoutLongText,
      services: withListsWithoutLongText(services, reposWithoutLongText),
    },
    counters,
    services,
    onLoaderBatch: (loader: string, size: number) => metrics.observeLoaderBatch(loader, size),
  };
  const contextFor = async (
    authorization?: string,
    scope?: RequestScope,
    client?: ClientInfo,
  ): Promise<Context> =>
    createContext(contextDeps, await authenticate(authorization, config.jwtSecret), scope, client);
  const rateLimiter = createRateLimiter(config.rateLimitPerMinute, counterSetup.redis, {
    prefix: config.redisKeyPrefix,
    logger,
  });

  const schema = await createSchema();
  const apollo = new ApolloServer<Context>({
    // Apollo parses, validates and runs the plugins; graphql-jit executes (see CompiledExecution).
    gateway: new CompiledExecution(schema, options.compileAfterRuns).asGateway(),
    formatError: createFormatError(logger, { logMasked: false }),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection,
    // Limits per document before it is parsed or run: see src/lib/validation-rules.ts.
    parseOptions: { maxTokens: MAX_TOKENS },
    validationRules: [maxAliasesRule(), maxDirectivesRule()],
    csrfPrevention: true,
    // main.ts owns signals: Apollo's own handler would re-raise SIGTERM and kill the
    // process before the counters are drained.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Its willResolveField hook wraps every resolver of the schema; we send no cache hints.
      ApolloServerPluginCacheControlDisabled(),
      maskedErrorsPlugin(logger),
      requestLogPlugin(logger),
      metricsPlugin(metrics),
      ...(db.replicated ? [readRoutingPlugin(db)] : []),
      depthLimitPlugin(config.maxDepth),
      costLimitPlugin(config),
      nulStringsPlugin(),
      longTextPlugin(),
      ...(rateLimiter ? [rateLimitPlugin(rateLimiter, config)] : []),
    ],
  });
  await apollo.start();

  const handler = createRequestHandler({
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    scopeStorage: db.replicated,
    createContext: (req: IncomingMessage, scope: RequestScope) =>
      contextFor(req.headers.authorization, scope, {
        address: clientAddress(
          req.socket.remoteAddress,
          req.headers['x-forwarded-for'],
          config.trustProxy,
        ),
      }),
    answerTimeoutMs: config.requestTimeoutMs,
    web: createWebHandler(),
    routes: {
      '/healthz': () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
      // Load balancers stop sending new requests while the running ones drain.
      '/readyz': () =>
        stopped
          ? Promise.resolve({ status: 503, body: { status: 'stopping' } })
          : readiness(db, counterSetup.redis),
      '/metrics': async () => ({
        status: 200,
        contentType: metrics.contentType,
        text: await metrics.text(),
      }),
    },
    onResponse({ scope, method, route, status, durationMs, completed }) {
      metrics.observeHttpResponse(route, status);
      // GraphQL operations have their line from requestLogPlugin; this one covers the rest
      // (requests refused before execution, probes, scrapes).
      if (scope.logged) return;
      const probe = route !== '/graphql' && route !== 'other';
      logger[probe ? 'debug' : 'info'](
        {
          requestId: scope.requestId,
          method,
          route,
          status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(completed ? {} : { aborted: true }),
        },
        'http request',
      );
    },
    onError: (error, requestId) =>
      logger.error({ err: error, requestId }, 'request handler failed'),
  });
  const app = createHttpServer(httpServerOptions(config.requestTimeoutMs), (req, res) => {
    handler(req, res).catch((error: unknown) =>
      logger.error({ err: error }, 'request handler failed'),
    );
  });
  app.keepAliveTimeout = 65_000;
  // graphql-ws on the same port and path; its sockets are closed first on stop().
  const subscriptions = attachSubscriptions(app, {
    schema,
    jwtSecret: config.jwtSecret,
    production: config.nodeEnv === 'production',
    counterEvents,
    createContext: (viewer) => createContext(contextDeps, viewer),
    limits: { maxDepth: config.maxDepth, maxComplexity: config.maxComplexity },
    formatError: createFormatError(logger, { logMasked: true }),
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

  return { app, apollo, db, repos, counters, counterEvents, metrics, contextFor, stop };
}

/**
 * 200 while the gateway can serve; a Redis or read replica outage is "degraded" but still
 * 200, since counters then come from the database and reads from the primary. 503 without
 * the (primary) database or with migrations pending.
 */
async function readiness(
  db: Database,
  redis: RedisConnection | null,
): Promise<{ status: number; body: unknown }> {
  const redisStatus = redis === null ? 'not configured' : await pingRedis(redis);
  const replicas = db.replicated ? { replicas: await pingReplica(db) } : {};
  const degraded = redisStatus === 'unreachable' || replicas.replicas === 'unreachable';
  // The checks below are about the primary.
  db.readFromPrimary();
  try {
    await db.query('SELECT 1 AS ok');
    const pending = await db.dataSource.showMigrations();
    if (pending) {
      return {
        status: 503,
        body: {
          status: 'unavailable',
          database: 'ok',
          migrations: 'pending',
          redis: redisStatus,
          ...replicas,
        },
      };
    }
    return {
      status: 200,
      body: {
        status: degraded ? 'degraded' : 'ok',
        database: 'ok',
        migrations: 'applied',
        redis: redisStatus,
        ...replicas,
      },
    };
  } catch {
    return {
      status: 503,
      body: { status: 'unavailable', database: 'unreachable', redis: redisStatus, ...replicas },
    };
  }
}

/** One replica, picked as reads pick it; each check may find another. */
async function pingReplica(db: Database): Promise<'ok' | 'unreachable'> {
  try {
    await withTimeout(db.pingReplica(), 2_000);
    return 'ok';
  } catch {
    return 'unreachable';
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
