import { type Database, type Row, type SqlParams, toInt } from '../db/database';
import { type Day, utcDay } from '../lib/days';

/** Aggregates over a speaker's talks, from the talks' flushed counters. */
export interface SpeakerTotals {
  talkCount: number;
  eventCount: number;
  viewCount: number;
  likeCount: number;
  firstTalkAt: Date | null;
  lastTalkAt: Date | null;
}

export interface TopicTalkCount {
  topicId: number;
  talkCount: number;
}

export type SpeakerMetricName = 'VIEWS' | 'LIKES' | 'TALKS';

export interface LeaderboardQuery {
  metric: SpeakerMetricName;
  /** 1 or more: the caller answers `first: 0` without a statement. */
  first: number;
  /** Topic slug: only talks tagged with it count. */
  topic: string | null;
  since: Date | null;
}

export interface LeaderboardRow {
  rank: number;
  speakerId: number;
  value: number;
}

/**
 * Speaker statistics, view histories and the leaderboard: read-only aggregates over the
 * talks' flushed counters, the daily view buckets and the like records. Every method is
 * one statement, whatever the number of keys.
 */
export class StatsRepository {
  constructor(private readonly db: Database) {}

  /** Totals per speaker; speakers without talks are absent. */
  async findTotalsBySpeakerIds(speakerIds: readonly number[]): Promise<Map<number, SpeakerTotals>> {
    const rows = await this.db.query(
      `SELECT ts.speaker_id, COUNT(*) AS talk_count, COUNT(DISTINCT t.event_id) AS event_count,
         SUM(t.view_count) AS view_count, SUM(t.like_count) AS like_count,
         MIN(t.sort_starts_at) AS first_talk_at, MAX(t.sort_starts_at) AS last_talk_at
       FROM talk_speakers ts JOIN talks t ON t.id = ts.talk_id
       WHERE ts.speaker_id IN (:...speakerIds)
       GROUP BY ts.speaker_id`,
      { speakerIds },
    );
    return new Map(
      rows.map((row) => [
        toInt(row.speaker_id),
        {
          talkCount: toInt(row.talk_count),
          eventCount: toInt(row.event_count),
          viewCount: toInt32(row.view_count),
          likeCount: toInt32(row.like_count),
          firstTalkAt: this.db.toDateOrNull(row.first_talk_at),
          lastTalkAt: this.db.toDateOrNull(row.last_talk_at),
        },
      ]),
    );
  }

  /**
   * How many of each speaker's talks carry each topic, most talks first, then by topic
   * name and id. Speakers without tagged talks are absent.
   */
  async findTopicCountsBySpeakerIds(
    speakerIds: readonly number[],
  ): Promise<Map<number, TopicTalkCount[]>> {
    const rows = await this.db.query(
      `SELECT ts.speaker_id, tp.id AS topic_id, COUNT(*) AS talk_count
       FROM talk_speakers ts
       JOIN talk_topics tt ON tt.talk_id = ts.talk_id JOIN topics tp ON tp.id = tt.topic_id
       WHERE ts.speaker_id IN (:...speakerIds)
       GROUP BY ts.speaker_id, tp.id, tp.name
       ORDER BY ts.speaker_id, talk_count DESC, tp.name, tp.id`,
      { speakerIds },
    );
    const counts = new Map<number, TopicTalkCount[]>();
    for (const row of rows) {
      const speakerId = toInt(row.speaker_id);
      const list = counts.get(speakerId) ?? [];
      list.push({ topicId: toInt(row.topic_id), talkCount: toInt(row.talk_count) });
      counts.set(speakerId, list);
    }
    return counts;
  }

  /**
   * Stored daily views of each talk from `from` to `to` (inclusive). Days without a
   * bucket are absent: callers fill them with zeros.
   * @returns talk id → day → views
   */
  async findDailyViewsByTalkIds(
    talkIds: readonly number[],
    from: Day,
    to: Day,
  ): Promise<Map<number, Map<Day, number>>> {
    const rows = await this.db.query(
      `SELECT d.talk_id AS owner_id, ${this.dayText('d.day')} AS day, d.views
       FROM talk_daily_views d
       WHERE d.talk_id IN (:...talkIds) AND d.day >= :from AND d.day <= :to`,
      { talkIds, from, to },
    );
    return groupDays(rows);
  }

  /**
   * Daily views summed over each speaker's talks, from `from` to `to` (inclusive); days
   * without views are absent.
   * @returns speaker id → day → views
   */
  async findDailyViewsBySpeakerIds(
    speakerIds: readonly number[],
    from: Day,
    to: Day,
  ): Promise<Map<number, Map<Day, number>>> {
    const rows = await this.db.query(
      `SELECT ts.speaker_id AS owner_id, ${this.dayText('d.day')} AS day, SUM(d.views) AS views
       FROM talk_speakers ts JOIN talk_daily_views d ON d.talk_id = ts.talk_id
       WHERE ts.speaker_id IN (:...speakerIds) AND d.day >= :from AND d.day <= :to
       GROUP BY ts.speaker_id, d.day`,
      { speakerIds, from, to },
    );
    return groupDays(rows);
  }

  /**
   * The top speakers by a metric, ranked in SQL: `RANK()` gives ties the same rank and
   * skips the places they take (1, 2, 2, 4); within a tie, by name, then id.
   *
   * Candidates are the speakers with at least one talk in scope: tagged with `topic` when
   * given, and for TALKS with `since`, at an event starting at or after it. Without
   * `since`, VIEWS and LIKES sum the talks' flushed totals. With it, VIEWS sums the daily
   * buckets from its UTC day on, and LIKES counts like records created at or after it
   * (seeded likes without a record never count there).
   */
  async findLeaderboard(query: LeaderboardQuery): Promise<LeaderboardRow[]> {
    const params: SqlParams = {};
    const conditions: string[] = [];
    const joins: string[] = [];
    if (query.topic !== null) {
      conditions.push(`EXISTS (SELECT 1 FROM talk_topics tt JOIN topics tp ON tp.id = tt.topic_id
        WHERE tt.talk_id = t.id AND tp.slug = :topic)`);
      params.topic = query.topic;
    }
    let value: string;
    switch (query.metric) {
      case 'TALKS':
        value = 'COUNT(*)';
        if (query.since) {
          joins.push('JOIN events e ON e.id = t.event_id');
          conditions.push('e.starts_at >= :since');
          params.since = this.db.dateParam(query.since);
        }
        break;
      case 'VIEWS':
        if (query.since) {
          joins.push(`LEFT JOIN (SELECT talk_id, SUM(views) AS n FROM talk_daily_views
            WHERE day >= :sinceDay GROUP BY talk_id) c ON c.talk_id = t.id`);
          value = 'COALESCE(SUM(c.n), 0)';
          params.sinceDay = utcDay(query.since);
        } else {
          value = 'SUM(t.view_count)';
        }
        break;
      case 'LIKES':
        if (query.since) {
          joins.push(`LEFT JOIN (SELECT talk_id, COUNT(*) AS n FROM likes
            WHERE talk_id IS NOT NULL AND created_at >= :since GROUP BY talk_id) c ON c.talk_id = t.id`);
          value = 'COALESCE(SUM(c.n), 0)';
          params.since = this.db.dateParam(query.since);
        } else {
          value = 'SUM(t.like_count)';
        }
        break;
    }
    const rows = await this.db.query(
      `SELECT v.speaker_id, v.value, RANK() OVER (ORDER BY v.value DESC) AS rank
       FROM (
         SELECT ts.speaker_id, ${value} AS value
         FROM talk_speakers ts JOIN talks t ON t.id = ts.talk_id ${joins.join(' ')}
         ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
         GROUP BY ts.speaker_id
       ) v JOIN speakers s ON s.id = v.speaker_id
       ORDER BY v.value DESC, s.name, s.id
       LIMIT :first`,
      { ...params, first: query.first },
    );
    return rows.map((row) => ({
      rank: toInt(row.rank),
      speakerId: toInt(row.speaker_id),
      value: toInt32(row.value),
    }));
  }

  /** A day column as 'YYYY-MM-DD' text: node-postgres would turn a `date` into a local Date. */
  private dayText(column: string): string {
    return this.db.kind === 'postgres' ? `to_char(${column}, 'YYYY-MM-DD')` : column;
  }
}

const INT32_MAX = 2_147_483_647;

/**
 * A sum as a GraphQL Int. Sums over many talks can pass 2³¹ − 1, which graphql-js would
 * refuse to serialize (failing the whole field): they saturate instead. Rankings compare
 * the exact sums in SQL, so only the value shown is capped.
 */
function toInt32(value: unknown): number {
  return Math.min(toInt(value), INT32_MAX);
}

function groupDays(rows: Row[]): Map<number, Map<Day, number>> {
  const byOwner = new Map<number, Map<Day, number>>();
  for (const row of rows) {
    const ownerId = toInt(row.owner_id);
    const days = byOwner.get(ownerId) ?? new Map<Day, number>();
    days.set(String(row.day), toInt32(row.views));
    byOwner.set(ownerId, days);
  }
  return byOwner;
}
