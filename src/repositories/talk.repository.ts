import type { EntityManager } from 'typeorm';
import { Talk } from '../../entities';
import { type Row, type SqlParams, likeContains, toInt } from '../db/database';
import type { PageRequest } from '../lib/pagination';
import { NodeRepository, STORED_COUNT_COLUMNS, withStoredCounts } from './base.repository';
import type { Keyed, SortKey } from './paging';

export type TalkOrderField = 'STARTS_AT' | 'TITLE' | 'VIEWS' | 'LIKES';

export interface TalkFilter {
  event?: string | null;
  topic?: string | null;
  speaker?: string | null;
  search?: string | null;
}

export interface TalkValues {
  eventId: number;
  slug: string;
  title: string;
  abstract: string | null;
  position: number;
  startsAt: Date | null;
  durationMinutes: number | null;
}

const columns = (abstract: string): string =>
  `t.id, t.event_id, t.slug, t.title, ${abstract}, t.position, t.starts_at, t.duration_minutes, ` +
  STORED_COUNT_COLUMNS('t');

const SORT: Record<TalkOrderField, Pick<SortKey, 'expr' | 'kind'>> = {
  STARTS_AT: { expr: 't.sort_starts_at', kind: 'timestamp' },
  TITLE: { expr: 't.title', kind: 'text' },
  VIEWS: { expr: 't.view_count', kind: 'int' },
  LIKES: { expr: 't.like_count', kind: 'int' },
};

export class TalkRepository extends NodeRepository<Talk> {
  protected readonly from = 'talks t';
  protected readonly alias = 't';
  protected readonly allColumns = columns('t.abstract');
  protected readonly columnsWithoutLongText = columns('NULL AS abstract');

  async findPage(
    filter: TalkFilter,
    field: TalkOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Talk>[]> {
    const params: SqlParams = {};
    const conditions = this.filterConditions(filter, params);
    return this.findKeysetPage(conditions, params, sortKey(field, descending), page);
  }

  async count(filter: TalkFilter): Promise<number> {
    const params: SqlParams = {};
    return this.countWhere(this.filterConditions(filter, params), params);
  }

  /** Talks of each event, in agenda order (position, then id). One statement, shared (see findByIds). */
  readonly findByEventIds = this.shared(
    (eventIds) => this.selectByEventIds(eventIds),
    (talk) => talk.eventId,
  );

  private async selectByEventIds(eventIds: readonly number[]): Promise<Talk[]> {
    const rows = await this.db.query(
      `SELECT ${this.columns} FROM talks t WHERE t.event_id IN (:...eventIds) ORDER BY t.event_id, t.position, t.id`,
      { eventIds },
    );
    return rows.map((row) => this.toEntity(row));
  }

  /** Talks of each speaker, newest event first. One statement. */
  async findBySpeakerIds(
    speakerIds: readonly number[],
  ): Promise<{ speakerId: number; talk: Talk }[]> {
    const rows = await this.db.query(
      `SELECT ts.speaker_id, ${this.columns} FROM talk_speakers ts
       JOIN talks t ON t.id = ts.talk_id JOIN events e ON e.id = t.event_id
       WHERE ts.speaker_id IN (:...speakerIds)
       ORDER BY ts.speaker_id, e.starts_at DESC, t.position, t.id`,
      { speakerIds },
    );
    return rows.map((row) => ({ speakerId: toInt(row.speaker_id), talk: this.toEntity(row) }));
  }

  /** A page of talks for each topic, one statement for all topics. */
  findPagesByTopicIds(
    topicIds: readonly number[],
    field: TalkOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Map<number, Keyed<Talk>[]>> {
    return this.findPartitionedPages(
      'talk_topics tt JOIN talks t ON t.id = tt.talk_id',
      'tt.topic_id',
      topicIds,
      sortKey(field, descending),
      page,
    );
  }

  /** How many talks carry each topic; topics without talks are absent. One statement. */
  async countByTopicIds(topicIds: readonly number[]): Promise<Map<number, number>> {
    const rows = await this.db.query(
      `SELECT topic_id, COUNT(*) AS n FROM talk_topics WHERE topic_id IN (:...topicIds) GROUP BY topic_id`,
      { topicIds },
    );
    return new Map(rows.map((row) => [toInt(row.topic_id), toInt(row.n)]));
  }

  async nextPosition(eventId: number, tx: EntityManager): Promise<number> {
    const [row] = await this.db.query(
      `SELECT COALESCE(MAX(position), 0) + 1 AS next FROM talks WHERE event_id = :eventId`,
      { eventId },
      tx,
    );
    return toInt(row?.next);
  }

  async insert(values: TalkValues, eventStartsAt: Date, tx: EntityManager): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO talks (event_id, slug, title, abstract, position, starts_at, sort_starts_at, duration_minutes)
       VALUES (:eventId, :slug, :title, :abstract, :position, :startsAt, :sortStartsAt, :durationMinutes)
       RETURNING id`,
      this.toParams(values, eventStartsAt),
      tx,
    );
    return toInt(row?.id);
  }

  async update(
    id: number,
    values: TalkValues,
    eventStartsAt: Date,
    tx: EntityManager,
  ): Promise<void> {
    await this.db.query(
      `UPDATE talks SET event_id = :eventId, slug = :slug, title = :title, abstract = :abstract,
         position = :position, starts_at = :startsAt, sort_starts_at = :sortStartsAt,
         duration_minutes = :durationMinutes, updated_at = :now
       WHERE id = :id`,
      { ...this.toParams(values, eventStartsAt), id, now: this.db.dateParam(new Date()) },
      tx,
    );
  }

  /** Talks without their own start sort by their event's: keep that in step when it moves. */
  async updateSortStartsAtOfEvent(
    eventId: number,
    eventStartsAt: Date,
    tx: EntityManager,
  ): Promise<void> {
    await this.db.query(
      `UPDATE talks SET sort_starts_at = :startsAt WHERE event_id = :eventId AND starts_at IS NULL`,
      { eventId, startsAt: this.db.dateParam(eventStartsAt) },
      tx,
    );
  }

  /** Replaces the talk's speakers with `speakerIds`, in that order. */
  async replaceSpeakers(
    talkId: number,
    speakerIds: readonly number[],
    tx: EntityManager,
  ): Promise<void> {
    await this.replaceLinks('talk_speakers', 'speaker_id', talkId, speakerIds, tx);
  }

  async replaceTopics(
    talkId: number,
    topicIds: readonly number[],
    tx: EntityManager,
  ): Promise<void> {
    await this.replaceLinks('talk_topics', 'topic_id', talkId, topicIds, tx);
  }

  private async replaceLinks(
    table: 'talk_speakers' | 'talk_topics',
    column: 'speaker_id' | 'topic_id',
    talkId: number,
    ids: readonly number[],
    tx: EntityManager,
  ): Promise<void> {
    await this.db.query(`DELETE FROM ${table} WHERE talk_id = :talkId`, { talkId }, tx);
    if (ids.length === 0) return;
    const params: SqlParams = { talkId };
    const tuples = ids.map((id, i) => {
      params[`id${i}`] = id;
      return `(:talkId, :id${i}, ${i + 1})`;
    });
    await this.db.query(
      `INSERT INTO ${table} (talk_id, ${column}, position) VALUES ${tuples.join(', ')}`,
      params,
      tx,
    );
  }

  private filterConditions(filter: TalkFilter, params: SqlParams): string[] {
    const conditions: string[] = [];
    if (filter.event != null) {
      conditions.push('t.event_id IN (SELECT id FROM events WHERE slug = :event)');
      params.event = filter.event;
    }
    if (filter.topic != null) {
      conditions.push(`EXISTS (SELECT 1 FROM talk_topics tt JOIN topics tp ON tp.id = tt.topic_id
        WHERE tt.talk_id = t.id AND tp.slug = :topic)`);
      params.topic = filter.topic;
    }
    if (filter.speaker != null) {
      conditions.push(`EXISTS (SELECT 1 FROM talk_speakers ts JOIN speakers s ON s.id = ts.speaker_id
        WHERE ts.talk_id = t.id AND s.slug = :speaker)`);
      params.speaker = filter.speaker;
    }
    if (filter.search != null) {
      conditions.push(this.searchCondition(['t.title', 't.abstract']));
      params.search = likeContains(filter.search);
    }
    return conditions;
  }

  private toParams(values: TalkValues, eventStartsAt: Date): SqlParams {
    return {
      ...values,
      startsAt: values.startsAt && this.db.dateParam(values.startsAt),
      sortStartsAt: this.db.dateParam(values.startsAt ?? eventStartsAt),
    };
  }

  protected toEntity(row: Row): Talk {
    const talk = new Talk();
    talk.id = toInt(row.id);
    talk.eventId = toInt(row.event_id);
    talk.slug = String(row.slug);
    talk.title = String(row.title);
    talk.abstract = row.abstract as string | null;
    talk.position = toInt(row.position);
    talk.startsAt = this.db.toDateOrNull(row.starts_at);
    talk.durationMinutes = row.duration_minutes === null ? null : toInt(row.duration_minutes);
    return withStoredCounts(talk, row);
  }
}

function sortKey(field: TalkOrderField, descending: boolean): SortKey {
  return { ...SORT[field], idExpr: 't.id', descending };
}
