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

/** Subjects per flush round from each set (dirty, handed and due): one transaction a round. */
const BATCH_SIZE = 500;
/**
 * Rounds one tick runs at most: a tick goes on while a set still had a whole round's worth,
 * so views of 20,000 different subjects within an interval still reach the database in it.
 */
const MAX_ROUNDS_PER_TICK = 40;
/**
 * How long an applied batch stays in Redis: a request that read a row just before the
 * batch's commit still adds the batch when it reads Redis, up to this long after.
 */
const LATE_READER_GRACE_MS = 10_000;
/** Ticks a drain (shutdown) runs at most, so a flood cannot hold the process forever. */
const MAX_DRAIN_TICKS = 20;

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
 *
 * Two sets say where the work is. `dirty` holds the subjects with views not yet handed over
 * (a view flags its subject in the step that counts it); `handed` holds, scored by when to
 * look again, the subjects whose hash still keeps applied batches for late readers. Every
 * tick takes all of `dirty` and whatever `handed` has due, a round of up to BATCH_SIZE of
 * each at a time, so a subject is flushed within one interval and cleaned once after the
 * grace, however many subjects are busy. A flusher that dies mid-round leaves its subjects
 * in `dirty` (they leave it only in the clean-up after the commit): the next tick redoes them.
 */
export class ViewFlusher {
  readonly dirtySet: string;
  readonly handedSet: string;
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
    this.handedSet = `${options.prefix}handed`;
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

  /** Flushes until a tick finds nothing new to apply. */
  async drain(): Promise<void> {
    for (let tick = 0; tick < MAX_DRAIN_TICKS; tick++) {
      if ((await this.flushOnce()) === 0) return;
    }
  }

  /** One tick; concurrent callers share it. Resolves to the number of views applied. */
  flushOnce(): Promise<number> {
    this.round ??= this.runTick()
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

  private async runTick(): Promise<number> {
    let views = 0;
    for (let round = 0; round < MAX_ROUNDS_PER_TICK; round++) {
      if (!this.redis.isReady) break;
      const now = Date.now();
      const { subjects, more } = await this.pick(now);
      if (subjects.length > 0) views += await this.runRound(subjects, now);
      if (!more) break;
    }
    this.stats.lastSuccessAt = Date.now();
    return views;
  }

  /**
   * A round's subjects: up to BATCH_SIZE flagged dirty and as many handed ones that are due,
   * in one round trip; `more` when either set may hold further work for this tick.
   */
  private async pick(now: number): Promise<{ subjects: Subject[]; more: boolean }> {
    const [dirty, due] = await withTimeout(
      Promise.all([
        this.redis.sRandMemberCount(this.dirtySet, BATCH_SIZE),
        this.redis.zRangeByScore(this.handedSet, '-inf', now, {
          LIMIT: { offset: 0, count: BATCH_SIZE },
        }),
      ]),
    );
    const members = [...new Set([...dirty, ...due])];
    const subjects = members.map(parseMember).filter((s): s is Subject => s !== null);
    if (subjects.length < members.length) await this.dropMalformed(members);
    return { subjects, more: dirty.length === BATCH_SIZE || due.length === BATCH_SIZE };
  }

  /** Members no subject can have (written by hand, or by a bug) would be picked forever. */
  private async dropMalformed(members: string[]): Promise<void> {
    const malformed = members.filter((member) => parseMember(member) === null);
    this.options.logger.warn({ members: malformed }, 'dropping malformed counter set members');
    await withTimeout(
      Promise.all([
        this.redis.sRem(this.dirtySet, malformed),
        this.redis.zRem(this.handedSet, malformed),
      ]),
    );
  }

  private async runRound(subjects: Subject[], now: number): Promise<number> {
    this.stats.rounds++;
    const hashes = await withTimeout(this.handOver(subjects, now));
    const held = new Map(subjects.map((s, i) => [subjectKey(s), parseHash(hashes[i]!)]));

    // Applied as far as the hash knows: batches up to it need no database.
    const applied = new Map<string, number>();
    for (const [key, hash] of held) applied.set(key, hash.applied);
    const unknown = subjects.filter((s) => {
      const hash = held.get(subjectKey(s))!;
      return hash.batches.some((b) => b.seq > hash.applied);
    });
    let views = 0;
    let moved = 0;
    if (unknown.length > 0) {
      views = await this.db.transaction(async (tx) => {
        const flushed = await this.lockAndReadSeqs(unknown, tx);
        const deltas: ViewDelta[] = [];
        const seqs = new Map<string, number>();
        for (const subject of unknown) {
          const key = subjectKey(subject);
          const done = flushed.get(key);
          // A deleted row takes nothing; its batches are dropped below.
          if (done === undefined) {
            applied.set(key, Number.MAX_SAFE_INTEGER);
            continue;
          }
          const fresh = held.get(key)!.batches.filter((b) => b.seq > done);
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
      // Row locks in id order on PostgreSQL (concurrent flushers queue instead of
      // deadlocking); SQLite has no FOR UPDATE, so a no-op write takes its write lock there.
      const rows = await this.db.query(
        this.db.kind === 'postgres'
          ? `SELECT id, view_flush_seq FROM ${table} WHERE id IN (:...ids) ORDER BY id FOR UPDATE`
          : `UPDATE ${table} SET view_flush_seq = view_flush_seq WHERE id IN (:...ids)
             RETURNING id, view_flush_seq`,
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
   * Drops applied batches once no reader can need them, takes subjects without pending
   * views out of the dirty set and files those still holding batches in the handed set: in
   * one script on one server. On a cluster, where the sets are in other slots, a view landing
   * between SREM and the re-check re-adds itself: views increment before they flag.
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
          [...subjects.map((s) => this.options.subjectHash(s)), this.dirtySet, this.handedSet],
          [String(now), String(LATE_READER_GRACE_MS), ...args.flat()],
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
          const [left, pending, due] = (await CLEAN_UP_SCRIPT.run(
            this.redis,
            [hash],
            [done!, until!, String(now), String(LATE_READER_GRACE_MS)],
          )) as number[];
          if (left === 0) {
            await this.redis.zRem(this.handedSet, key!);
          } else {
            await this.redis.zAdd(this.handedSet, { score: due!, value: key! });
          }
          if (pending !== 0) return;
          await this.redis.sRem(this.dirtySet, key!);
          if (await this.hasPendingViews(hash)) await this.redis.sAdd(this.dirtySet, key!);
        }),
      ),
      10_000,
    );
  }

  private async hasPendingViews(hash: string): Promise<boolean> {
    return (await this.redis.hKeys(hash)).some((field) => field.startsWith('p:'));
  }
}

function parseMember(member: string): Subject | null {
  const match = /^(Event|Talk):(\d+)$/.exec(member);
  return match ? { type: match[1] as SubjectType, id: Number(match[2]) } : null;
}

/** A flat HGETALL reply: its `b:<seq>:<day>` batches and `a`, the batch known applied. */
function parseHash(flat: string[]): { batches: Batch[]; applied: number } {
  const batches: Batch[] = [];
  let applied = 0;
  for (let i = 0; i < flat.length; i += 2) {
    const field = flat[i]!;
    if (field === 'a') {
      applied = Number(flat[i + 1]);
      continue;
    }
    const match = /^b:(\d+):(\d{4}-\d{2}-\d{2})$/.exec(field);
    if (match) batches.push({ seq: Number(match[1]), day: match[2]!, views: Number(flat[i + 1]) });
  }
  return { batches, applied };
}
