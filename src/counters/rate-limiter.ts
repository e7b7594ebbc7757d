import type { Logger } from '../logger';
import { type RedisConnection, withTimeout } from './redis-client';
import { RedisScript } from './redis-script';

/**
 * Fixed one-minute windows (aligned to the clock's minutes) per client: a budget of
 * RATE_LIMIT_PER_MINUTE units. A request is admitted only when all of its units fit, so a
 * refused request consumes nothing and a client that keeps knocking is not locked out
 * beyond the window. Fixed windows allow a burst of twice the budget across a boundary;
 * that is the price of one key and one round trip per request.
 */
export const WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  /** Units used in the current window, including this request's when allowed. */
  used: number;
  /** Whole seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  /** Takes `units` from `who`'s budget, all or nothing. */
  consume(who: string, units: number): Promise<RateDecision>;
}

function windowOf(now: number): { index: number; endsAt: number } {
  const index = Math.floor(now / WINDOW_MS);
  return { index, endsAt: (index + 1) * WINDOW_MS };
}

function retryAfter(now: number): number {
  return Math.max(1, Math.ceil((windowOf(now).endsAt - now) / 1000));
}

/**
 * Bounds the memory an address-spraying client can make us hold; past it the entries of
 * finished windows go first, then the oldest (whose clients get a fresh budget: a
 * softer limit under such an attack, never an unbounded map).
 */
export const MAX_TRACKED_CLIENTS = 50_000;

/** One process's budgets: without Redis, and while Redis is unreachable. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { index: number; used: number }>();
  /** The window whose finished entries were last swept: one sweep per window, not per client. */
  private sweptIndex = -1;

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
    private readonly maxTracked = MAX_TRACKED_CLIENTS,
  ) {}

  get tracked(): number {
    return this.windows.size;
  }

  consume(who: string, units: number): Promise<RateDecision> {
    const now = this.now();
    const { index } = windowOf(now);
    let entry = this.windows.get(who);
    if (!entry || entry.index !== index) {
      this.windows.delete(who);
      this.makeRoom(index);
      entry = { index, used: 0 };
      this.windows.set(who, entry);
    }
    const allowed = entry.used + units <= this.limit;
    if (allowed) entry.used += units;
    return Promise.resolve({ allowed, used: entry.used, retryAfterSeconds: retryAfter(now) });
  }

  private makeRoom(index: number): void {
    if (this.windows.size < this.maxTracked) return;
    if (this.sweptIndex !== index) {
      this.sweptIndex = index;
      for (const [who, entry] of this.windows) {
        if (entry.index !== index) this.windows.delete(who);
      }
    }
    // Map iteration is insertion order: the first key is the longest-tracked client.
    while (this.windows.size >= this.maxTracked) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }
}

/**
 * KEYS: the window's counter. ARGV: units, limit, ms until the key may go.
 * Returns {admitted 0|1, used}. Check and increment are one step, so concurrent requests
 * of one client on several gateways can never overshoot the budget together.
 */
const CONSUME = new RedisScript(`
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local units = tonumber(ARGV[1])
if used + units > tonumber(ARGV[2]) then return {0, used} end
used = redis.call('INCRBY', KEYS[1], units)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, used}`);

export interface RedisRateLimiterOptions {
  prefix: string;
  logger: Logger;
  now?: () => number;
}

/**
 * Budgets shared by every gateway on one Redis: key `<prefix>rl:{<who>}:<window>`, one
 * script call per limited request. While Redis is unreachable each process falls back to
 * its own MemoryRateLimiter (the limit then holds per instance), logging when it leaves
 * and regains Redis.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly local: MemoryRateLimiter;
  private degraded = false;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisConnection,
    readonly limit: number,
    private readonly options: RedisRateLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.local = new MemoryRateLimiter(limit, this.now);
  }

  key(who: string, now = this.now()): string {
    return `${this.options.prefix}rl:{${who}}:${windowOf(now).index}`;
  }

  async consume(who: string, units: number): Promise<RateDecision> {
    const now = this.now();
    if (!this.redis.isReady) return this.fallback(who, units);
    try {
      const reply = await withTimeout(
        CONSUME.run(
          this.redis,
          [this.key(who, now)],
          [String(units), String(this.limit), String(windowOf(now).endsAt - now + 1000)],
        ),
      );
      const [admitted, used] = reply as [number, number];
      if (this.degraded) {
        this.degraded = false;
        this.options.logger.info('rate limits are kept in Redis again');
      }
      return { allowed: admitted === 1, used: Number(used), retryAfterSeconds: retryAfter(now) };
    } catch (error) {
      return this.fallback(who, units, error);
    }
  }

  private fallback(who: string, units: number, error?: unknown): Promise<RateDecision> {
    if (!this.degraded) {
      this.degraded = true;
      this.options.logger.warn(
        { err: error },
        'Redis unavailable: rate limits are kept per process until it is back',
      );
    }
    return this.local.consume(who, units);
  }
}

/** The limiter RATE_LIMIT_PER_MINUTE asks for: none at 0, shared through Redis when there is one. */
export function createRateLimiter(
  limit: number,
  redis: RedisConnection | null,
  options: RedisRateLimiterOptions,
): RateLimiter | null {
  if (limit === 0) return null;
  return redis ? new RedisRateLimiter(redis, limit, options) : new MemoryRateLimiter(limit);
}
