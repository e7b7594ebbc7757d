import type { EntityManager } from 'typeorm';
import { Event } from '../../entities';
import { type Row, type SqlParams, likeContains, toInt } from '../db/database';
import type { PageRequest } from '../lib/pagination';
import { NodeRepository, STORED_COUNT_COLUMNS, withStoredCounts } from './base.repository';
import type { Keyed, SortKey } from './paging';

export type EventOrderField = 'STARTS_AT' | 'TITLE' | 'VIEWS' | 'LIKES';

export interface EventFilter {
  series?: string | null;
  city?: string | null;
  topic?: string | null;
  speaker?: string | null;
  startsAfter?: Date | null;
  startsBefore?: Date | null;
  search?: string | null;
}

export interface EventValues {
  slug: string;
  title: string;
  summary: string | null;
  series: string | null;
  edition: number | null;
  startsAt: Date;
  endsAt: Date | null;
  city: string | null;
  venue: string | null;
  organizer: string | null;
}

const columns = (summary: string): string =>
  `e.id, e.slug, e.title, ${summary}, e.series, e.edition, e.starts_at, e.ends_at, e.city, e.venue, e.organizer, ` +
  STORED_COUNT_COLUMNS('e');

const SORT: Record<EventOrderField, Pick<SortKey, 'expr' | 'kind'>> = {
  STARTS_AT: { expr: 'e.starts_at', kind: 'timestamp' },
  TITLE: { expr: 'e.title', kind: 'text' },
  VIEWS: { expr: 'e.view_count', kind: 'int' },
  LIKES: { expr: 'e.like_count', kind: 'int' },
};

export class EventRepository extends NodeRepository<Event> {
  protected readonly from = 'events e';
  protected readonly alias = 'e';
  protected readonly allColumns = columns('e.summary');
  protected readonly columnsWithoutLongText = columns('NULL AS summary');

  async findPage(
    filter: EventFilter,
    field: EventOrderField,
    descending: boolean,
    page: PageRequest,
  ): Promise<Keyed<Event>[]> {
    const params: SqlParams = {};
    const conditions = this.filterConditions(filter, params);
    return this.findKeysetPage(
      conditions,
      params,
      { ...SORT[field], idExpr: 'e.id', descending },
      page,
    );
  }

  async count(filter: EventFilter): Promise<number> {
    const params: SqlParams = {};
    return this.countWhere(this.filterConditions(filter, params), params);
  }

  async insert(values: EventValues, tx: EntityManager): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO events (slug, title, summary, series, edition, starts_at, ends_at, city, venue, organizer)
       VALUES (:slug, :title, :summary, :series, :edition, :startsAt, :endsAt, :city, :venue, :organizer)
       RETURNING id`,
      this.toParams(values),
      tx,
    );
    return toInt(row?.id);
  }

  async update(id: number, values: EventValues, tx: EntityManager): Promise<void> {
    await this.db.query(
      `UPDATE events SET slug = :slug, title = :title, summary = :summary, series = :series,
         edition = :edition, starts_at = :startsAt, ends_at = :endsAt, city = :city, venue = :venue,
         organizer = :organizer, updated_at = :now
       WHERE id = :id`,
      { ...this.toParams(values), id, now: this.db.dateParam(new Date()) },
      tx,
    );
  }

  private filterConditions(filter: EventFilter, params: SqlParams): string[] {
    const conditions: string[] = [];
    if (filter.series != null) {
      conditions.push('e.series = :series');
      params.series = filter.series;
    }
    if (filter.city != null) {
      conditions.push('e.city = :city');
      params.city = filter.city;
    }
    if (filter.topic != null) {
      conditions.push(`EXISTS (SELECT 1 FROM talks t
        JOIN talk_topics tt ON tt.talk_id = t.id JOIN topics tp ON tp.id = tt.topic_id
        WHERE t.event_id = e.id AND tp.slug = :topic)`);
      params.topic = filter.topic;
    }
    if (filter.speaker != null) {
      conditions.push(`EXISTS (SELECT 1 FROM talks t
        JOIN talk_speakers ts ON ts.talk_id = t.id JOIN speakers s ON s.id = ts.speaker_id
        WHERE t.event_id = e.id AND s.slug = :speaker)`);
      params.speaker = filter.speaker;
    }
    if (filter.startsAfter != null) {
      conditions.push('e.starts_at > :startsAfter');
      params.startsAfter = this.db.dateParam(filter.startsAfter);
    }
    if (filter.startsBefore != null) {
      conditions.push('e.starts_at < :startsBefore');
      params.startsBefore = this.db.dateParam(filter.startsBefore);
    }
    if (filter.search != null) {
      conditions.push(this.searchCondition(['e.title', 'e.summary']));
      params.search = likeContains(filter.search);
    }
    return conditions;
  }

  private toParams(values: EventValues): SqlParams {
    return {
      ...values,
      startsAt: this.db.dateParam(values.startsAt),
      endsAt: values.endsAt && this.db.dateParam(values.endsAt),
    };
  }

  protected toEntity(row: Row): Event {
    const event = new Event();
    event.id = toInt(row.id);
    event.slug = String(row.slug);
    event.title = String(row.title);
    event.summary = row.summary as string | null;
    event.series = row.series as string | null;
    event.edition = row.edition === null ? null : toInt(row.edition);
    event.startsAt = this.db.toDate(row.starts_at);
    event.endsAt = this.db.toDateOrNull(row.ends_at);
    event.city = row.city as string | null;
    event.venue = row.venue as string | null;
    event.organizer = row.organizer as string | null;
    return withStoredCounts(event, row);
  }
}
