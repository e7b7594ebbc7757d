import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { applyViewDeltas, findLiked, writeLike } from './counter-sql';
import {
  type CountedSubject,
  type CounterState,
  type CounterStore,
  type RecordedView,
  type Subject,
  subjectKey,
  viewDay,
} from './counter-store';
import { ViewFlusher, type ViewFlusherOptions } from './view-flusher';
import { ViewDeduplicator } from './view-deduplicator';
import { type RedisConnection, withTimeout } from './redis-client';
import { RECORD_VIEW, RECORD_VIEWS, UNFLUSHED_VIEWS } from './redis-scripts';
import { isCluster, RedisScript } from './redis-script';
import { TurnBatch } from '../lib/turn-batch';

const UNFLUSHED = new RedisScript(UNFLUSHED_VIEWS);
const RECORD_ONE = new RedisScript(RECORD_VIEW);
const RECORD_MANY = new RedisScript(RECORD_VIEWS);

/** What Redis said about one view: the subject's views not in its row yet. */
interface ViewReply {
  unflushed: number;
  /** The script published the change itself. */
  announced: boolean;
}

/** A view waiting for the end of its turn (one server: the turn's views go in one call). */
interface PendingView {
  hash: string;
  /** The viewer's dedup key, when the view is deduplicated. */
  seen: string | null;
  day: string;
  subject: CountedSubject;
  /** Where to announce the change; null when the caller does. */
  channel: string | null;
  /** Null when Redis was gone before anything was sent. */
  resolve: (reply: ViewReply | null) => void;
  reject: (error: unknown) => void;
}

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
  private readonly cluster: boolean;
  readonly flusher: ViewFlusher;

  constructor(
    private readonly db: Database,
    private readonly redis: RedisConnection,
    private readonly options: RedisCounterOptions,
  ) {
    this.localDedup = new ViewDeduplicator(options.viewDedupSeconds * 1000);
    this.cluster = isCluster(redis);
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
    let unflushed: number[] | null = null;
    if (subjects.length > 0 && this.redis.isReady) {
      try {
        this.options.onRoundTrip?.();
        unflushed = await withTimeout(this.readUnflushed(subjects));
      } catch (error) {
        this.fallback('read', error);
      }
    } else if (subjects.length > 0) {
      this.fallback('read');
    }
    const likedKeys = await liked;
    return subjects.map((subject, i) => ({
      viewCount: subject.storedViews + (unflushed?.[i] ?? 0),
      likeCount: subject.storedLikes,
      viewerHasLiked: likedKeys.has(subjectKey(subject)),
    }));
  }

  /** One script call for the whole page; one per subject on a cluster, where slots differ. */
  private async readUnflushed(subjects: readonly CountedSubject[]): Promise<number[]> {
    if (!this.cluster) {
      const reply = await UNFLUSHED.run(
        this.redis,
        subjects.map((s) => this.subjectHash(s)),
        subjects.map((s) => String(s.flushedSeq)),
      );
      return (reply as number[]).map(Number);
    }
    const replies = await Promise.all(
      subjects.map((s) => UNFLUSHED.run(this.redis, [this.subjectHash(s)], [String(s.flushedSeq)])),
    );
    return replies.map((reply) => Number((reply as number[])[0]));
  }

  async recordView(
    subject: CountedSubject,
    viewerId: string | null,
    announceOn: string | null = null,
  ): Promise<RecordedView | null> {
    const ref: Subject = { type: subject.type, id: subject.id };
    const day = viewDay();
    if (!this.redis.isReady) return this.writeThroughInstead(ref, viewerId, day);
    const hash = this.subjectHash(subject);
    const deduplicated = viewerId !== null && this.options.viewDedupSeconds > 0;
    const seen = deduplicated ? `${hash}:seen:${viewerId}` : null;
    // A command that was sent may have been applied even if its reply is lost: never
    // fall back after sending, or a view could count twice.
    const [reply, liked] = await Promise.all([
      this.cluster
        ? this.recordOnCluster(subject, hash, seen, day)
        : this.recordInTurn(subject, hash, seen, day, announceOn),
      viewerId === null ? null : findLiked(this.db, viewerId, [subject]),
    ]);
    if (reply === null) return this.writeThroughInstead(ref, viewerId, day);
    return {
      viewCount: subject.storedViews + reply.unflushed,
      likeCount: subject.storedLikes,
      viewerHasLiked: liked?.has(subjectKey(subject)) ?? false,
      announced: reply.announced,
    };
  }

  private recordInTurn(
    subject: CountedSubject,
    hash: string,
    seen: string | null,
    day: string,
    channel: string | null,
  ): Promise<ViewReply | null> {
    return new Promise((resolve, reject) =>
      this.turnViews.add({ hash, seen, day, subject, channel, resolve, reject }),
    );
  }

  /** One script call for every view of the turn; nothing is sent when Redis went away. */
  private readonly turnViews = new TurnBatch<PendingView>((views) => {
    if (!this.redis.isReady) {
      for (const view of views) view.resolve(null);
      return;
    }
    // One events object hands out one channel: the turn's announced views share it.
    const channel = views.find((view) => view.channel !== null)?.channel ?? null;
    const announced = (view: PendingView) => channel !== null && view.channel === channel;
    const keys: string[] = [];
    const args = [String(this.options.viewDedupSeconds), channel ?? ''];
    for (const view of views) {
      keys.push(view.hash);
      if (view.seen !== null) keys.push(view.seen);
      args.push(
        view.day,
        String(view.subject.flushedSeq),
        subjectKey(view.subject),
        view.seen === null ? '0' : '1',
        announced(view) ? '1' : '0',
      );
    }
    keys.push(this.dirtySet);
    this.options.onRoundTrip?.();
    withTimeout(RECORD_MANY.run(this.redis, keys, args)).then(
      (replies) =>
        (replies as [number, number][]).forEach(([, unflushed], i) => {
          const view = views[i]!;
          view.resolve({ unflushed: Number(unflushed), announced: announced(view) });
        }),
      (error: unknown) => {
        for (const view of views) view.reject(error);
      },
    );
  });

  /** On a cluster the dirty set is in another slot: flag it after the increment (see ViewFlusher). */
  private async recordOnCluster(
    subject: CountedSubject,
    hash: string,
    seen: string | null,
    day: string,
  ): Promise<ViewReply> {
    this.options.onRoundTrip?.();
    const reply = (await withTimeout(
      RECORD_ONE.run(this.redis, seen === null ? [hash] : [hash, seen], [
        day,
        String(this.options.viewDedupSeconds),
        String(subject.flushedSeq),
      ]),
    )) as [number, number];
    if (reply[0] === 1) {
      this.options.onRoundTrip?.();
      await withTimeout(this.redis.sAdd(this.dirtySet, subjectKey(subject)));
    }
    // One script call per view here: the caller's one PUBLISH per turn costs less.
    return { unflushed: Number(reply[1]), announced: false };
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

  /** Redis is away and nothing was sent: the view goes to the database (resolves to null). */
  private async writeThroughInstead(
    subject: Subject,
    viewerId: string | null,
    day: string,
  ): Promise<null> {
    this.fallback('recordView');
    await this.writeThrough(subject, viewerId, day);
    return null;
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
