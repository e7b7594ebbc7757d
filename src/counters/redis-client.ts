import { createClient, createCluster } from 'redis';
import type { Config } from '../config';

/** A connected node-redis client: one server or a cluster, same command API. */
export type RedisConnection = ReturnType<typeof createClient> | ReturnType<typeof createCluster>;

/** Fail fast instead of queueing while Redis is away: callers fall back to the database. */
const COMMAND_TIMEOUT_MS = 1_000;
/**
 * node-redis times every command out by itself (5 s by default) with an AbortSignal per
 * command: 5 % of the CPU of a `recordView`. Every call we make already runs under
 * withTimeout, so its own timer is off (0).
 */
const NO_CLIENT_TIMEOUT = { timeout: 0 };

/**
 * The Redis the counters and change events use: REDIS_CLUSTER_NODES when given, else
 * REDIS_URL; null without either. Errors are reported through `onError` (the client
 * keeps reconnecting on its own), never thrown at random.
 */
export function createRedisConnection(
  config: Pick<Config, 'redisUrl' | 'redisClusterNodes'>,
  onError: (error: Error) => void,
): RedisConnection | null {
  const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 2_000);
  let client: RedisConnection;
  if (config.redisClusterNodes.length > 0) {
    client = createCluster({
      rootNodes: config.redisClusterNodes.map((node) => ({ url: `redis://${node}` })),
      commandOptions: NO_CLIENT_TIMEOUT,
      defaults: {
        disableOfflineQueue: true,
        socket: { reconnectStrategy, connectTimeout: COMMAND_TIMEOUT_MS },
      },
    });
  } else if (config.redisUrl) {
    client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      commandOptions: NO_CLIENT_TIMEOUT,
      socket: { reconnectStrategy, connectTimeout: COMMAND_TIMEOUT_MS },
    });
  } else {
    return null;
  }
  client.on('error', onError);
  return client;
}

/** Rejects when `work` takes longer than the command timeout: a half-dead Redis must not stall requests. */
export function withTimeout<T>(work: Promise<T>, ms = COMMAND_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
