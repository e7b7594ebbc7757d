import type { EntityManager } from 'typeorm';
import { Speaker } from '../../entities';
import { type Row, type SqlParams, likeContains, toInt } from '../db/database';
import type { PageRequest } from '../lib/pagination';
import { NodeRepository } from './base.repository';
import type { Keyed, SortKey } from './paging';

export type SpeakerOrderField = 'NAME' | 'TALK_COUNT' | 'VIEWS' | 'LIKES';

export interface SpeakerFilter {
  topic?: string | null;
  affiliation?: string | null;
  search?: string | null;
}

export interface SpeakerValues {
  slug: string;
  name: string;
  headline: string | null;
  affiliation: string | null;
  bio: string | null;
}

const columns = (bio: string): string => `s.id, s.slug, s.name, s.headline, s.affiliation, ${bio}`;

/** Aggregate orders read the talks' flushed counters; fresh within one flush interval. */
const SORT: Record<SpeakerOrderField, Pick<SortKey, 'expr' | 'kind'>> = {
  NAME: { expr: 's.name', kind: 'text' },
  TALK_COUNT: {
    expr: '(SELECT COUNT(*) FROM talk_speakers ts WHERE ts.speaker_id = s.id)',
    kind: 'bigint',
  },
  VIEWS: {
    expr: `(SELECT COALESCE(SUM(t.view_count), 0) FROM talk_speakers ts
           JOIN talks t ON t.id = ts.talk_id WHERE ts.speaker_id = s.id)`,
    kind: 'bigint',
  },
  LIKES: {
    expr: `(SELECT COALESCE(SUM(t.like_count), 0) FROM talk_speakers ts
           JOIN talks t ON t.id = ts.talk_id WHERE ts.speaker_id = s.id)`,
    kind: 'bigint',
  },
};

export class SpeakerRepository extends NodeRepository<Speaker> {
  protected readonly from = 'speakers s';
  protected readonly alias = 's';
  protected readonly allColumns = columns('s.bio');
  protected readonly columnsWithoutLongText = columns('NULL AS bio');

  async findPage(
    filter: SpeakerFilter,
    field: SpeakerOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Speaker>[]> {
    const params: SqlParams = {};
    const conditions = this.filterConditions(filter, params);
    return this.findKeysetPage(conditions, params, sortKey(field, descending), page);
  }

  async count(filter: SpeakerFilter): Promise<number> {
    const params: SqlParams = {};
    return this.countWhere(this.filterConditions(filter, params), params);
  }

  /** Speakers of each talk, in billing order. One statement, shared (see findByIds). */
  readonly findByTalkIds = this.shared(
    (talkIds) => this.selectByTalkIds(talkIds),
    (row) => row.talkId,
  );

  private async selectByTalkIds(
    talkIds: readonly number[],
  ): Promise<{ talkId: number; speaker: Speaker }[]> {
    const rows = await this.db.query(
      `SELECT ts.talk_id, ${this.columns} FROM talk_speakers ts JOIN speakers s ON s.id = ts.speaker_id
       WHERE ts.talk_id IN (:...talkIds) ORDER BY ts.talk_id, ts.position`,
      { talkIds },
    );
    return rows.map((row) => ({ talkId: toInt(row.talk_id), speaker: this.toEntity(row) }));
  }

  /** A page of the distinct speakers of each topic's talks (by name), one statement. */
  findPagesByTopicIds(
    topicIds: readonly number[],
    page: PageRequest,
  ): Promise<Map<number, Keyed<Speaker>[]>> {
    return this.findPartitionedPages(
      `(SELECT DISTINCT tt.topic_id, ts.speaker_id FROM talk_topics tt
         JOIN talk_speakers ts ON ts.talk_id = tt.talk_id WHERE tt.topic_id IN (:...parentIds)) ps
       JOIN speakers s ON s.id = ps.speaker_id`,
      'ps.topic_id',
      topicIds,
      sortKey('NAME', false),
      page,
    );
  }

  /** Distinct speakers per topic; topics without speakers are absent. One statement. */
  async countByTopicIds(topicIds: readonly number[]): Promise<Map<number, number>> {
    const rows = await this.db.query(
      `SELECT tt.topic_id, COUNT(DISTINCT ts.speaker_id) AS n FROM talk_topics tt
       JOIN talk_speakers ts ON ts.talk_id = tt.talk_id
       WHERE tt.topic_id IN (:...topicIds) GROUP BY tt.topic_id`,
      { topicIds },
    );
    return new Map(rows.map((row) => [toInt(row.topic_id), toInt(row.n)]));
  }

  async hasTalks(id: number, tx: EntityManager): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 AS one FROM talk_speakers WHERE speaker_id = :id LIMIT 1`,
      { id },
      tx,
    );
    return rows.length > 0;
  }

  async insert(values: SpeakerValues, tx: EntityManager): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO speakers (slug, name, headline, affiliation, bio)
       VALUES (:slug, :name, :headline, :affiliation, :bio) RETURNING id`,
      { ...values },
      tx,
    );
    return toInt(row?.id);
  }

  async update(id: number, values: SpeakerValues, tx: EntityManager): Promise<void> {
    await this.db.query(
      `UPDATE speakers SET slug = :slug, name = :name, headline = :headline, affiliation = :affiliation,
         bio = :bio, updated_at = :now WHERE id = :id`,
      { ...values, id, now: this.db.dateParam(new Date()) },
      tx,
    );
  }

  private filterConditions(filter: SpeakerFilter, params: SqlParams): string[] {
    const conditions: string[] = [];
    if (filter.topic != null) {
      conditions.push(`EXISTS (SELECT 1 FROM talk_speakers ts
        JOIN talk_topics tt ON tt.talk_id = ts.talk_id JOIN topics tp ON tp.id = tt.topic_id
        WHERE ts.speaker_id = s.id AND tp.slug = :topic)`);
      params.topic = filter.topic;
    }
    if (filter.affiliation != null) {
      conditions.push('s.affiliation = :affiliation');
      params.affiliation = filter.affiliation;
    }
    if (filter.search != null) {
      conditions.push(this.searchCondition(['s.name', 's.headline', 's.affiliation', 's.bio']));
      params.search = likeContains(filter.search);
    }
    return conditions;
  }

  protected toEntity(row: Row): Speaker {
    const speaker = new Speaker();
    speaker.id = toInt(row.id);
    speaker.slug = String(row.slug);
    speaker.name = String(row.name);
    speaker.headline = row.headline as string | null;
    speaker.affiliation = row.affiliation as string | null;
    speaker.bio = row.bio as string | null;
    return speaker;
  }
}

function sortKey(field: SpeakerOrderField, descending: boolean): SortKey {
  return { ...SORT[field], idExpr: 's.id', descending };
}
