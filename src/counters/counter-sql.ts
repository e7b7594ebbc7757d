import type { EntityManager } from 'typeorm';
import { type Database, toInt } from '../db/database';
import type { Subject, SubjectType } from './counter-store';
import { subjectKey } from './counter-store';

export const COUNTER_TABLES: Record<
  SubjectType,
  { table: string; likeColumn: string; dailyTable: string; dailyColumn: string }
> = {
  Event: {
    table: 'events',
    likeColumn: 'event_id',
    dailyTable: 'event_daily_views',
    dailyColumn: 'event_id',
  },
  Talk: {
    table: 'talks',
    likeColumn: 'talk_id',
    dailyTable: 'talk_daily_views',
    dailyColumn: 'talk_id',
  },
};

export interface ViewDelta {
  subject: Subject;
  day: string;
  views: number;
}

/**
 * Adds views to the totals and the daily buckets, in the caller's transaction: the same
 * statements serve write-through views and write-behind batches.
 * @param seqs when given, the batch number each subject's row records as applied
 */
export async function applyViewDeltas(
  db: Database,
  tx: EntityManager,
  deltas: readonly ViewDelta[],
  seqs?: ReadonlyMap<string, number>,
): Promise<void> {
  for (const type of Object.keys(COUNTER_TABLES) as SubjectType[]) {
    const mine = deltas.filter((d) => d.subject.type === type && d.views !== 0);
    if (mine.length === 0) continue;
    const { table, dailyTable, dailyColumn } = COUNTER_TABLES[type];
    const totals = new Map<number, number>();
    for (const d of mine) totals.set(d.subject.id, (totals.get(d.subject.id) ?? 0) + d.views);
    // One statement for every row of the round, not one per row: a flush after views of
    // 1,000 different talks was 1,000 UPDATEs. A write-through view passes no seq (NULL):
    // the row keeps the batch number it has.
    const totalRows = [...totals].map(([id, views]) => [
      id,
      views,
      seqs?.get(subjectKey({ type, id })) ?? null,
    ]);
    const totalsTable = rowsTable(db, TOTAL_COLUMNS, totalRows);
    await db.query(
      `UPDATE ${table} SET view_count = ${table}.view_count + v.views,
         view_flush_seq = COALESCE(v.seq, ${table}.view_flush_seq)
       FROM (${totalsTable.sql}) v WHERE ${table}.id = v.id`,
      totalsTable.params,
      tx,
    );
    // One row per (subject, day): ON CONFLICT may not touch a row twice in one statement.
    const buckets = new Map<string, ViewDelta>();
    for (const d of mine) {
      const key = `${d.subject.id}:${d.day}`;
      const bucket = buckets.get(key);
      buckets.set(key, bucket ? { ...bucket, views: bucket.views + d.views } : d);
    }
    const bucketRows = [...buckets.values()].map((d) => [d.subject.id, d.day, d.views]);
    const bucketsTable = rowsTable(db, BUCKET_COLUMNS, bucketRows);
    // Deleted subjects have no row to reference: insert only buckets of existing ones.
    await db.query(
      `INSERT INTO ${dailyTable} (${dailyColumn}, day, views)
       SELECT v.id, v.day, v.views FROM (${bucketsTable.sql}) v
       WHERE EXISTS (SELECT 1 FROM ${table} x WHERE x.id = v.id)
       ON CONFLICT (${dailyColumn}, day) DO UPDATE SET views = ${dailyTable}.views + excluded.views`,
      bucketsTable.params,
      tx,
    );
  }
}

type Columns = readonly (readonly [name: string, pgType: string])[];

const TOTAL_COLUMNS: Columns = [
  ['id', 'int'],
  ['views', 'int'],
  ['seq', 'bigint'],
];
const BUCKET_COLUMNS: Columns = [
  ['id', 'int'],
  ['day', 'date'],
  ['views', 'int'],
];

/**
 * `rows` as a derived table with the named columns. PostgreSQL gets one array per column
 * through `unnest`: a round of 500 subjects is 3 parameters, not 1,500 for TypeORM to splice
 * and the server to parse, and the text stays the same. SQLite, which has no arrays, gets
 * `VALUES` with a parameter per cell.
 */
function rowsTable(
  db: Database,
  columns: Columns,
  rows: readonly unknown[][],
): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  if (db.kind === 'postgres') {
    const arrays = columns.map(([name, type], c) => {
      params[name] = rows.map((row) => row[c]);
      return `CAST(:${name} AS ${type}[])`;
    });
    const names = columns.map(([name]) => name).join(', ');
    return { sql: `SELECT * FROM unnest(${arrays.join(', ')}) AS t (${names})`, params };
  }
  const tuples = rows.map((row, r) => {
    const cells = columns.map(([name], c) => {
      params[`${name}${r}`] = row[c];
      return `:${name}${r}`;
    });
    return `(${cells.join(', ')})`;
  });
  const list = columns.map(([name], i) => `column${i + 1} AS ${name}`).join(', ');
  return { sql: `SELECT ${list} FROM (VALUES ${tuples.join(', ')})`, params };
}

/** Which of `subjects` the viewer has liked, in one statement. */
export async function findLiked(
  db: Database,
  viewerId: string,
  subjects: readonly Subject[],
): Promise<Set<string>> {
  const eventIds = subjects.filter((s) => s.type === 'Event').map((s) => s.id);
  const talkIds = subjects.filter((s) => s.type === 'Talk').map((s) => s.id);
  if (eventIds.length + talkIds.length === 0) return new Set();
  const rows = await db.query(
    `SELECT event_id, talk_id FROM likes WHERE viewer_id = :viewerId AND (
       event_id IN (:...eventIds) OR talk_id IN (:...talkIds))`,
    {
      viewerId,
      eventIds: eventIds.length ? eventIds : [0],
      talkIds: talkIds.length ? talkIds : [0],
    },
  );
  return new Set(
    rows.map((row) =>
      row.event_id !== null ? `Event:${toInt(row.event_id)}` : `Talk:${toInt(row.talk_id)}`,
    ),
  );
}

/** Likes are written through, one per viewer: insert (or delete) the record and move the total. */
export async function writeLike(
  db: Database,
  subject: Subject,
  viewerId: string,
  liked: boolean,
): Promise<boolean> {
  const { table, likeColumn } = COUNTER_TABLES[subject.type];
  return db.transaction(async (tx) => {
    const changed = liked
      ? await db.query(
          `INSERT INTO likes (viewer_id, ${likeColumn}) VALUES (:viewerId, :id) ON CONFLICT DO NOTHING RETURNING id`,
          { viewerId, id: subject.id },
          tx,
        )
      : await db.query(
          `DELETE FROM likes WHERE viewer_id = :viewerId AND ${likeColumn} = :id RETURNING id`,
          { viewerId, id: subject.id },
          tx,
        );
    if (changed.length === 0) return false;
    // Never below zero: seeded totals may include likes that have no like record.
    await db.query(
      liked
        ? `UPDATE ${table} SET like_count = like_count + 1 WHERE id = :id`
        : `UPDATE ${table} SET like_count = like_count - 1 WHERE id = :id AND like_count > 0`,
      { id: subject.id },
      tx,
    );
    return true;
  });
}
