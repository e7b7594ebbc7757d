import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { CounterStore } from './counter-store';
import { DatabaseCounterStore } from './database-counter-store';
import { createRedisConnection, type RedisConnection } from './redis-client';
import { type RedisCounterOptions, RedisCounterStore } from './redis-counter-store';
import type { FlushStats } from './view-flusher';

/** How long start-up waits for Redis before serving in degraded mode (it keeps reconnecting). */
const REDIS_START_WAIT_MS = 2_000;

export interface CounterHooks {
  onRedisRoundTrip?: () => void;
  onRedisFallback?: (operation: string) => void;
  onCounterFlush?: RedisCounterOptions['onFlush'];
}

export interface Counters {
  store: CounterStore;
  /** The shared connection, also for change events; null without REDIS_URL/REDIS_CLUSTER_NODES. */
  redis: RedisConnection | null;
  /** The write-behind flusher's running totals; null when counters are written through. */
  flushStats: FlushStats | null;
  /** Flushes what is pending, then closes the connection. */
  close(): Promise<void>;
}

/** The Redis write-behind store when Redis is configured, else the write-through database store. */
export async function createCounters(
  config: Config,
  db: Database,
  logger: Logger,
  hooks: CounterHooks = {},
): Promise<Counters> {
  let lastError = '';
  const redis = createRedisConnection(config, (error) => {
    // A down Redis reports on every reconnect attempt: log each distinct error once.
    if (error.message !== lastError) logger.warn({ err: error }, 'Redis connection error');
    lastError = error.message;
  });
  if (!redis) {
    const store = new DatabaseCounterStore(db, config.viewDedupSeconds);
    return { store, redis: null, flushStats: null, close: () => store.close() };
  }
  redis.on('ready', () => {
    lastError = '';
    logger.info('Redis connected');
  });
  const connecting = redis
    .connect()
    .catch((error: unknown) => logger.warn({ err: error }, 'Redis connect failed'));
  await Promise.race([
    connecting,
    new Promise((resolve) => setTimeout(resolve, REDIS_START_WAIT_MS).unref()),
  ]);
  if (!redis.isReady)
    logger.warn('Redis is not reachable: serving counters from the database until it is');

  const store = new RedisCounterStore(db, redis, {
    prefix: config.redisKeyPrefix,
    flushMs: config.counterFlushMs,
    viewDedupSeconds: config.viewDedupSeconds,
    logger,
    onRoundTrip: hooks.onRedisRoundTrip,
    onFallback: hooks.onRedisFallback,
    onFlush: hooks.onCounterFlush,
  });
  store.start();
  return {
    store,
    redis,
    flushStats: store.flusher.stats,
    async close() {
      await store.close();
      redis.destroy();
    },
  };
}
