import { type Database, toInt } from '../db/database';
import type { CounterState, CounterStore, Subject, SubjectType } from './counter-store';
import { subjectKey } from './counter-store';
import { ViewDeduplicator } from './view-deduplicator';

const TABLES: Record<SubjectType, { table: string; likeColumn: string }> = {
  Event: { table: 'events', likeColumn: 'event_id' },
  Talk: { table: 'talks', likeColumn: 'talk_id' },
};

/**
 * Counters read from and written straight to the database: every view is one UPDATE.
 * The embedded default; correct under concurrency because each change is one atomic
 * statement (or one transaction for likes), at the price of write throughput.
 */
export class DatabaseCounterStore implements CounterStore {
  private readonly dedup: ViewDeduplicator;

  constructor(
    private readonly db: Database,
    viewDedupSeconds: number,
  ) {
    this.dedup = new ViewDeduplicator(viewDedupSeconds * 1000);
  }

  async read(subjects: readonly Subject[], viewerId: string | null): Promise<CounterState[]> {
    const params: Record<string, unknown> = { viewerId };
    const branches = (Object.keys(TABLES) as SubjectType[]).flatMap((type) => {
      const ids = subjects.filter((s) => s.type === type).map((s) => s.id);
      if (ids.length === 0) return [];
      const { table, likeColumn } = TABLES[type];
      params[`${type}Ids`] = ids;
      const liked =
        viewerId === null
          ? '0'
          : `CASE WHEN EXISTS (SELECT 1 FROM likes l WHERE l.${likeColumn} = x.id AND l.viewer_id = :viewerId) THEN 1 ELSE 0 END`;
      return [
        `SELECT '${type}' AS type, x.id, x.view_count, x.like_count, ${liked} AS liked
         FROM ${table} x WHERE x.id IN (:...${type}Ids)`,
      ];
    });
    const rows =
      branches.length === 0 ? [] : await this.db.query(branches.join(' UNION ALL '), params);
    const byKey = new Map(rows.map((row) => [`${String(row.type)}:${toInt(row.id)}`, row]));
    return subjects.map((subject) => {
      const row = byKey.get(subjectKey(subject));
      return {
        viewCount: toInt(row?.view_count),
        likeCount: toInt(row?.like_count),
        viewerHasLiked: toInt(row?.liked) === 1,
      };
    });
  }

  async recordView(subject: Subject, viewerId: string | null): Promise<void> {
    if (viewerId !== null && !this.dedup.firstViewInWindow(viewerId, subject)) return;
    await this.db.query(
      `UPDATE ${TABLES[subject.type].table} SET view_count = view_count + 1 WHERE id = :id`,
      {
        id: subject.id,
      },
    );
  }

  async like(subject: Subject, viewerId: string): Promise<void> {
    const { table, likeColumn } = TABLES[subject.type];
    await this.db.transaction(async (tx) => {
      const inserted = await this.db.query(
        `INSERT INTO likes (viewer_id, ${likeColumn}) VALUES (:viewerId, :id) ON CONFLICT DO NOTHING RETURNING id`,
        { viewerId, id: subject.id },
        tx,
      );
      if (inserted.length > 0) {
        await this.db.query(
          `UPDATE ${table} SET like_count = like_count + 1 WHERE id = :id`,
          { id: subject.id },
          tx,
        );
      }
    });
  }

  async unlike(subject: Subject, viewerId: string): Promise<void> {
    const { table, likeColumn } = TABLES[subject.type];
    await this.db.transaction(async (tx) => {
      const deleted = await this.db.query(
        `DELETE FROM likes WHERE viewer_id = :viewerId AND ${likeColumn} = :id RETURNING id`,
        { viewerId, id: subject.id },
        tx,
      );
      if (deleted.length > 0) {
        // Never below zero: seeded totals may include likes that have no like record.
        await this.db.query(
          `UPDATE ${table} SET like_count = like_count - 1 WHERE id = :id AND like_count > 0`,
          { id: subject.id },
          tx,
        );
      }
    });
  }

  async close(): Promise<void> {}
}
