import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ddlTypes } from './ddl';

/** The core tables. Every foreign key, slug and API sort order has an index. */
export class Init1733000000000 implements MigrationInterface {
  name = 'Init1733000000000';

  async up(q: QueryRunner): Promise<void> {
    const { serial, timestamp: ts, now } = ddlTypes(q);
    const stamps = `created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now}`;
    const statements = [
      `CREATE TABLE events (
        id ${serial},
        slug varchar(80) NOT NULL CONSTRAINT events_slug_key UNIQUE,
        title varchar(200) NOT NULL,
        summary text,
        series varchar(200),
        edition integer,
        starts_at ${ts} NOT NULL,
        ends_at ${ts},
        city varchar(200),
        venue varchar(200),
        organizer varchar(200),
        view_count integer NOT NULL DEFAULT 0,
        like_count integer NOT NULL DEFAULT 0,
        ${stamps})`,
      `CREATE INDEX events_starts_at_idx ON events (starts_at, id)`,
      `CREATE INDEX events_title_idx ON events (title, id)`,
      `CREATE INDEX events_view_count_idx ON events (view_count, id)`,
      `CREATE INDEX events_like_count_idx ON events (like_count, id)`,
      `CREATE INDEX events_series_idx ON events (series, starts_at)`,
      `CREATE INDEX events_city_idx ON events (city, starts_at)`,

      `CREATE TABLE talks (
        id ${serial},
        event_id integer NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        slug varchar(80) NOT NULL CONSTRAINT talks_slug_key UNIQUE,
        title varchar(200) NOT NULL,
        abstract text,
        position integer NOT NULL,
        starts_at ${ts},
        sort_starts_at ${ts} NOT NULL,
        duration_minutes integer,
        view_count integer NOT NULL DEFAULT 0,
        like_count integer NOT NULL DEFAULT 0,
        ${stamps})`,
      `CREATE INDEX talks_event_id_idx ON talks (event_id, position, id)`,
      `CREATE INDEX talks_sort_starts_at_idx ON talks (sort_starts_at, id)`,
      `CREATE INDEX talks_title_idx ON talks (title, id)`,
      `CREATE INDEX talks_view_count_idx ON talks (view_count, id)`,
      `CREATE INDEX talks_like_count_idx ON talks (like_count, id)`,

      `CREATE TABLE speakers (
        id ${serial},
        slug varchar(80) NOT NULL CONSTRAINT speakers_slug_key UNIQUE,
        name varchar(200) NOT NULL,
        headline varchar(200),
        affiliation varchar(200),
        bio text,
        ${stamps})`,
      `CREATE INDEX speakers_name_idx ON speakers (name, id)`,
      `CREATE INDEX speakers_affiliation_idx ON speakers (affiliation)`,

      `CREATE TABLE topics (
        id ${serial},
        slug varchar(80) NOT NULL CONSTRAINT topics_slug_key UNIQUE,
        name varchar(200) NOT NULL,
        description text,
        ${stamps})`,
      `CREATE INDEX topics_name_idx ON topics (name, id)`,

      `CREATE TABLE talk_speakers (
        talk_id integer NOT NULL REFERENCES talks (id) ON DELETE CASCADE,
        speaker_id integer NOT NULL REFERENCES speakers (id) ON DELETE RESTRICT,
        position integer NOT NULL,
        PRIMARY KEY (talk_id, speaker_id))`,
      `CREATE INDEX talk_speakers_speaker_id_idx ON talk_speakers (speaker_id, talk_id)`,

      `CREATE TABLE talk_topics (
        talk_id integer NOT NULL REFERENCES talks (id) ON DELETE CASCADE,
        topic_id integer NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
        position integer NOT NULL,
        PRIMARY KEY (talk_id, topic_id))`,
      `CREATE INDEX talk_topics_topic_id_idx ON talk_topics (topic_id, talk_id)`,

      `CREATE TABLE likes (
        id ${serial},
        viewer_id varchar(200) NOT NULL,
        event_id integer REFERENCES events (id) ON DELETE CASCADE,
        talk_id integer REFERENCES talks (id) ON DELETE CASCADE,
        created_at ${ts} NOT NULL DEFAULT ${now},
        CONSTRAINT likes_one_subject CHECK ((event_id IS NULL) <> (talk_id IS NULL)))`,
      `CREATE UNIQUE INDEX likes_viewer_event_key ON likes (viewer_id, event_id)`,
      `CREATE UNIQUE INDEX likes_viewer_talk_key ON likes (viewer_id, talk_id)`,
      `CREATE INDEX likes_event_id_idx ON likes (event_id)`,
      `CREATE INDEX likes_talk_id_idx ON likes (talk_id)`,
    ];
    for (const sql of statements) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'likes',
      'talk_topics',
      'talk_speakers',
      'topics',
      'speakers',
      'talks',
      'events',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
