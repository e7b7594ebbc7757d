import type { EntityManager } from 'typeorm';
import { type Database, toInt } from '../db/database';
import type { Logger } from '../logger';
import { applyViewDeltas, COUNTER_TABLES, type ViewDelta } from './counter-sql';
import { type Subject, type SubjectType, subjectKey } from './counter-store';
import { type RedisConnection, withTimeout } from './redis-client';
import { isCluster, RedisScript } from './redis-script';
import { CLEAN_UP, CLEAN_UP_AND_UNFLAG, HAND_OVER } from './redis-scripts';

const HAND_OVER_SCRIPT = new RedisScript(HAND_OVER);
const CLEAN_UP_SCRIPT = new RedisScript(CLEAN_UP);
const CLEAN_UP_AND_UNFLAG_SCRIPT = new RedisScript(CLEAN_UP_AND_UNFLAG);

/** Subjects per flush round: one database transaction each. */
const BATCH_SIZE = 500;
/**
 * How long an applied batch stays in Redis: a request that read a row just before the
 * batch's commit still adds the batch when it reads Redis, up to this long after.
 */
const LATE_READER_GRACE_MS = 10_000;
/** Rounds a drain (shutdown) runs at most, so a flood cannot hold the process forever. */
const MAX_DRAIN_ROUNDS = 200;

export interface ViewFlusherOptions {
  prefix: string;
  flushMs: number;
  logger: Logger;
  subjectHash: (subject: Subject) => string;
  /** After each round that applied views: how many subjects had new views, and how many (metrics). */
  onRound?: (round: { subjects: number; views: number }) => void;
}

interface Batch {
  seq: number;
  day: string;
  views: number;
}

export interface FlushStats {
  rounds: number;
  viewsApplied: number;
  failures: number;
  /** When a round last completed, also one that found nothing to flush (flush lag). */
  lastSuccessAt: number | null;
}

/**
 * Moves views from Redis to the database. Any number of instances may run one: hand-over
 * is atomic per subject, the database applies a batch only above the row's
 * view_flush_seq, and the row lock taken first makes concurrent flushes of one subject
 * queue instead of racing.
 */
export class ViewFlusher {
  readonly dirtySet: string;
  readonly stats: FlushStats = { rounds: 0, viewsApplied: 0, failures: 0, lastSuccessAt: null };
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<number> | null = null;
  /** On a cluster each subject's keys live in their own slot: one script call per subject. */
  private readonly cluster: boolean;

  constructor(
    private readonly db: Database,
    private readonly redis: RedisConnection,
    private readonly options: ViewFlusherOptions,
  ) {
    this.dirtySet = `${options.prefix}dirty`;
    this.cluster = isCluster(redis);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flushOnce(), this.options.flushMs);
    this.timer.unref();
  }

  /** Stops the timer and writes everything still pending (SIGTERM). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.drain();
  }

  /** Flushes until a round finds nothing new to apply. */
  async drain(): Promise<void> {
    for (let round = 0; round < MAX_DRAIN_ROUNDS; round++) {
      if ((await this.flushOnce()) === 0) return;
    }
  }

  /** One round; concurrent callers share it. Resolves to the number of views applied. */
  flushOnce(): Promise<number> {
    this.round ??= this.runRound()
      .catch((error: unknown) => {
        this.stats.failures++;
        this.options.logger.warn(
          { err: error },
          'counter flush failed; the batch stays in Redis for the next round',
        );
        return 0;
      })
      .finally(() => {
        this.round = null;
      });
    return this.round;
  }

  private async runRound(): Promise<number> {
    if (!this.redis.isReady) return 0;
    this.stats.rounds++;
    const members = await withTimeout(this.redis.sRandMemberCount(this.dirtySet, BATCH_SIZE));
    const subjects = members.map(parseMember).filter((s): s is Subject => s !== null);
    if (subjects.length === 0) {
      this.stats.lastSuccessAt = Date.now();
      return 0;
    }

    const now = Date.now();
    const hashes = await withTimeout(this.handOver(subjects, now));
    const batches = new Map(subjects.map((s, i) => [subjectKey(s), parseBatches(hashes[i]!)]));

    const applied = new Map<string, number>();
    let views = 0;
    let moved = 0;
    const withBatches = subjects.filter((s) => batches.get(subjectKey(s))!.length > 0);
    if (withBatches.length > 0) {
      views = await this.db.transaction(async (tx) => {
        const flushed = await this.lockAndReadSeqs(withBatches, tx);
        const deltas: ViewDelta[] = [];
        const seqs = new Map<string, number>();
        for (const subject of withBatches) {
          const key = subjectKey(subject);
          const done = flushed.get(key);
          // A deleted row takes nothing; its batches are dropped below.
          if (done === undefined) {
            applied.set(key, Number.MAX_SAFE_INTEGER);
            continue;
          }
          const fresh = batches.get(key)!.filter((b) => b.seq > done);
          applied.set(key, Math.max(done, ...fresh.map((b) => b.seq)));
          if (fresh.length === 0) continue;
          seqs.set(key, applied.get(key)!);
          for (const b of fresh) deltas.push({ subject, day: b.day, views: b.views });
        }
        await applyViewDeltas(this.db, tx, deltas, seqs);
        moved = seqs.size;
        return deltas.reduce((sum, d) => sum + d.views, 0);
      });
    }
    this.stats.viewsApplied += views;
    this.stats.lastSuccessAt = Date.now();
    if (views > 0) this.options.onRound?.({ subjects: moved, views });
    await this.cleanUp(subjects, applied, now);
    return views;
  }

  /** Locks the rows (so concurrent flushes of a subject queue) and reads what each has applied. */
  private async lockAndReadSeqs(
    subjects: Subject[],
    tx: EntityManager,
  ): Promise<Map<string, number>> {
    const flushed = new Map<string, number>();
    for (const type of Object.keys(COUNTER_TABLES) as SubjectType[]) {
      const ids = subjects.filter((s) => s.type === type).map((s) => s.id);
      if (ids.length === 0) continue;
      const { table } = COUNTER_TABLES[type];
      // A no-op write first: row locks on PostgreSQL, the write lock on SQLite, before reading.
      await this.db.query(
        `UPDATE ${table} SET view_flush_seq = view_flush_seq WHERE id IN (:...ids)`,
        { ids },
        tx,
      );
      const rows = await this.db.query(
        `SELECT id, view_flush_seq FROM ${table} WHERE id IN (:...ids)`,
        { ids },
        tx,
      );
      for (const row of rows) flushed.set(`${type}:${toInt(row.id)}`, toInt(row.view_flush_seq));
    }
    return flushed;
  }

  /** Every subject's pending views become a batch; resolves to each subject's whole hash. */
  private async handOver(subjects: Subject[], now: number): Promise<string[][]> {
    const hashes = subjects.map((s) => this.options.subjectHash(s));
    if (!this.cluster) {
      return (await HAND_OVER_SCRIPT.run(this.redis, hashes, [String(now)])) as string[][];
    }
    const replies = await Promise.all(
      hashes.map((hash) => HAND_OVER_SCRIPT.run(this.redis, [hash], [String(now)])),
    );
    return replies.map((reply) => (reply as string[][])[0]!);
  }

  /**
   * Drops applied batches once no reader can need them, and subjects with nothing left
   * from the dirty set: in one script on one server. On a cluster, where the dirty set is in
   * another slot, a view landing between SREM and the re-check re-adds itself: views
   * increment before they flag.
   */
  private async cleanUp(
    subjects: Subject[],
    applied: Map<string, number>,
    now: number,
  ): Promise<void> {
    const cutoff = now - LATE_READER_GRACE_MS;
    const args = subjects.map((subject) => {
      const key = subjectKey(subject);
      const done = applied.get(key) ?? 0;
      // A deleted row's batches go at once: no reader can add them to a row.
      return [String(done), String(done === Number.MAX_SAFE_INTEGER ? done : cutoff), key];
    });
    if (!this.cluster) {
      await withTimeout(
        CLEAN_UP_AND_UNFLAG_SCRIPT.run(
          this.redis,
          [...subjects.map((s) => this.options.subjectHash(s)), this.dirtySet],
          args.flat(),
        ),
        10_000,
      );
      return;
    }
    await withTimeout(
      Promise.all(
        subjects.map(async (subject, i) => {
          const [done, until, key] = args[i]!;
          const hash = this.options.subjectHash(subject);
          const remaining = await CLEAN_UP_SCRIPT.run(this.redis, [hash], [done!, until!]);
          if (remaining !== 0) return;
          await this.redis.sRem(this.dirtySet, key!);
          if ((await this.redis.exists(hash)) > 0) await this.redis.sAdd(this.dirtySet, key!);
        }),
      ),
      10_000,
    );
  }
}

function parseMember(member: string): Subject | null {
  const match = /^(Event|Talk):(\d+)$/.exec(member);
  return match ? { type: match[1] as SubjectType, id: Number(match[2]) } : null;
}

/** `b:<seq>:<day>` fields of a flat HGETALL reply. */
function parseBatches(flat: string[]): Batch[] {
  const batches: Batch[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const match = /^b:(\d+):(\d{4}-\d{2}-\d{2})$/.exec(flat[i]!);
    if (match) batches.push({ seq: Number(match[1]), day: match[2]!, views: Number(flat[i + 1]) });
  }
  return batches;
}
