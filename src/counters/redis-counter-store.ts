import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { applyViewDeltas, findLiked, writeLike } from './counter-sql';
import {
  type CountedSubject,
  type CounterState,
  type CounterStore,
  type Subject,
  subjectKey,
  viewDay,
} from './counter-store';
import { ViewFlusher, type ViewFlusherOptions } from './view-flusher';
import { ViewDeduplicator } from './view-deduplicator';
import { type RedisConnection, withTimeout } from './redis-client';
import { RECORD_VIEW } from './redis-scripts';

export interface RedisCounterOptions {
  prefix: string;
  flushMs: number;
  viewDedupSeconds: number;
  logger: Logger;
  /** Called for every batch of commands sent to Redis; tests count round trips with it. */
  onRoundTrip?: () => void;
  /** Called whenever Redis is unreachable and the database answers instead. */
  onFallback?: (operation: string) => void;
  /** Called after each flush round that moved something (see ViewFlusherOptions.onRound). */
  onFlush?: ViewFlusherOptions['onRound'];
}

/**
 * Hot view counters in Redis, written behind to the database every COUNTER_FLUSH_MS.
 *
 *   recordView ──► Redis  p:<day> += 1 ──(flush: hand-over)──► b:<seq>:<day>
 *                                                                  │ one transaction:
 *   read = row.view_count + p:* + b:<seq>:* with seq > row.view_flush_seq   ▼
 *                                        totals += Σ, view_flush_seq = seq, daily buckets
 *
 * A batch is applied only if its number is above the row's view_flush_seq, so a flush
 * retried after a crash (before, during or after the commit) counts each view once.
 * Likes are written to the database at once and read from it. When Redis is down,
 * views are written through to the database and reads use the rows alone.
 */
export class RedisCounterStore implements CounterStore {
  private readonly localDedup: ViewDeduplicator;
  readonly flusher: ViewFlusher;

  constructor(
    private readonly db: Database,
    private readonly redis: RedisConnection,
    private readonly options: RedisCounterOptions,
  ) {
    this.localDedup = new ViewDeduplicator(options.viewDedupSeconds * 1000);
    this.flusher = new ViewFlusher(db, redis, {
      prefix: options.prefix,
      flushMs: options.flushMs,
      logger: options.logger,
      subjectHash: (subject) => this.subjectHash(subject),
      onRound: options.onFlush,
    });
  }

  start(): void {
    this.flusher.start();
  }

  subjectHash(subject: Subject): string {
    return `${this.options.prefix}c:{${subjectKey(subject)}}`;
  }

  get dirtySet(): string {
    return this.flusher.dirtySet;
  }

  async read(
    subjects: readonly CountedSubject[],
    viewerId: string | null,
  ): Promise<CounterState[]> {
    const liked =
      viewerId === null
        ? Promise.resolve(new Set<string>())
        : findLiked(this.db, viewerId, subjects);
    let hashes: Record<string, string>[] | null = null;
    if (subjects.length > 0 && this.redis.isReady) {
      try {
        this.options.onRoundTrip?.();
        hashes = await withTimeout(
          Promise.all(subjects.map((s) => this.redis.hGetAll(this.subjectHash(s)))),
        );
      } catch (error) {
        this.fallback('read', error);
      }
    } else if (subjects.length > 0) {
      this.fallback('read');
    }
    const likedKeys = await liked;
    return subjects.map((subject, i) => ({
      viewCount:
        subject.storedViews + (hashes ? unflushedViews(hashes[i]!, subject.flushedSeq) : 0),
      likeCount: subject.storedLikes,
      viewerHasLiked: likedKeys.has(subjectKey(subject)),
    }));
  }

  async recordView(subject: Subject, viewerId: string | null): Promise<void> {
    const day = viewDay();
    if (!this.redis.isReady) {
      this.fallback('recordView');
      return this.writeThrough(subject, viewerId, day);
    }
    const hash = this.subjectHash(subject);
    const keys =
      viewerId === null || this.options.viewDedupSeconds === 0
        ? [hash]
        : [hash, `${hash}:seen:${viewerId}`];
    this.options.onRoundTrip?.();
    // A command that was sent may have been applied even if its reply is lost: never
    // fall back after sending, or a view could count twice.
    const counted = await withTimeout(
      this.redis.eval(RECORD_VIEW, {
        keys,
        arguments: [day, String(this.options.viewDedupSeconds)],
      }),
    );
    if (counted === 1) {
      // After the increment, so a flusher that clears the flag re-sees it (see ViewFlusher).
      this.options.onRoundTrip?.();
      await withTimeout(this.redis.sAdd(this.dirtySet, subjectKey(subject)));
    }
  }

  async like(subject: Subject, viewerId: string): Promise<void> {
    await writeLike(this.db, subject, viewerId, true);
  }

  async unlike(subject: Subject, viewerId: string): Promise<void> {
    await writeLike(this.db, subject, viewerId, false);
  }

  flush(): Promise<void> {
    return this.flusher.drain();
  }

  async close(): Promise<void> {
    await this.flusher.stop();
  }

  private async writeThrough(
    subject: Subject,
    viewerId: string | null,
    day: string,
  ): Promise<void> {
    if (viewerId !== null && !this.localDedup.firstViewInWindow(viewerId, subject)) return;
    await this.db.transaction((tx) => applyViewDeltas(this.db, tx, [{ subject, day, views: 1 }]));
  }

  private fallback(operation: string, error?: unknown): void {
    this.options.onFallback?.(operation);
    this.options.logger.warn({ err: error, operation }, 'Redis unavailable: using the database');
  }
}

/** Views in a subject hash that the row (applied up to `flushedSeq`) does not include yet. */
export function unflushedViews(hash: Record<string, string>, flushedSeq: number): number {
  let views = 0;
  for (const [field, value] of Object.entries(hash)) {
    if (field.startsWith('p:')) views += Number(value);
    else if (field.startsWith('b:') && Number(field.split(':')[1]) > flushedSeq)
      views += Number(value);
  }
  return views;
}
