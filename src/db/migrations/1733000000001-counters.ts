import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddlTypes } from './ddl';

/**
 * Write-behind counters. `view_flush_seq` is the sequence number of the last view batch
 * applied to the row: a batch is applied only when its number is higher, so a batch
 * retried after a crash is never counted twice. Daily buckets feed viewHistory and
 * "since" leaderboards; the flush writes them in the same transaction as the totals.
 */
export class Counters1733000000001 implements MigrationInterface {
  name = 'Counters1733000000001';

  async up(q: QueryRunner): Promise<void> {
    const { day } = ddlTypes(q);
    const statements = [
      `ALTER TABLE events ADD COLUMN view_flush_seq bigint NOT NULL DEFAULT 0`,
      `ALTER TABLE talks ADD COLUMN view_flush_seq bigint NOT NULL DEFAULT 0`,
      `CREATE TABLE talk_daily_views (
        talk_id integer NOT NULL REFERENCES talks (id) ON DELETE CASCADE,
        day ${day} NOT NULL,
        views integer NOT NULL,
        PRIMARY KEY (talk_id, day))`,
      `CREATE INDEX talk_daily_views_day_idx ON talk_daily_views (day, talk_id)`,
      `CREATE TABLE event_daily_views (
        event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        day ${day} NOT NULL,
        views integer NOT NULL,
        PRIMARY KEY (event_id, day))`,
      `CREATE INDEX event_daily_views_day_idx ON event_daily_views (day, event_id)`,
      `CREATE INDEX likes_created_at_idx ON likes (created_at)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP INDEX likes_created_at_idx`,
      `DROP TABLE event_daily_views`,
      `DROP TABLE talk_daily_views`,
      `ALTER TABLE talks DROP COLUMN view_flush_seq`,
      `ALTER TABLE events DROP COLUMN view_flush_seq`,
    ]) {
      await q.query(sql);
    }
  }
}
