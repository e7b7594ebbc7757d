import { createHash } from 'node:crypto';
import type { RedisConnection } from './redis-client';

/**
 * A Lua script sent by its SHA1 (EVALSHA), so the hot paths do not ship its text with every
 * call; Redis answers NOSCRIPT when it has not seen it (first use, after a restart or
 * SCRIPT FLUSH) and ran nothing, so sending the text then (EVAL) cannot apply it twice.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: string[], args: string[]): Promise<unknown> {
    const options = { keys, arguments: args };
    try {
      return await redis.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, options);
    }
  }
}

/** A cluster client: multi-key scripts must then stay within one slot. */
export function isCluster(redis: RedisConnection): boolean {
  return 'masters' in redis;
}
