import type { EntityManager } from 'typeorm';
import { Topic } from '../../entities';
import { type Row, toInt } from '../db/database';
import type { PageRequest } from '../lib/pagination';
import { NodeRepository } from './base.repository';
import type { Keyed } from './paging';

export interface TopicValues {
  slug: string;
  name: string;
  description: string | null;
}

const columns = (description: string): string => `tp.id, tp.slug, tp.name, ${description}`;

export class TopicRepository extends NodeRepository<Topic> {
  protected readonly from = 'topics tp';
  protected readonly alias = 'tp';
  protected readonly allColumns = columns('tp.description');
  protected readonly columnsWithoutLongText = columns('NULL AS description');

  /** Topics by name, A to Z. */
  findPage(page: PageRequest): Promise<Keyed<Topic>[]> {
    return this.findKeysetPage(
      [],
      {},
      { expr: 'tp.name', kind: 'text', idExpr: 'tp.id', descending: false },
      page,
    );
  }

  count(): Promise<number> {
    return this.countWhere([], {});
  }

  /** Topics of each talk, in tagging order. One statement, shared (see findByIds). */
  readonly findByTalkIds = this.shared(
    (talkIds) => this.selectByTalkIds(talkIds),
    (row) => row.talkId,
  );

  private async selectByTalkIds(
    talkIds: readonly number[],
  ): Promise<{ talkId: number; topic: Topic }[]> {
    const rows = await this.db.query(
      `SELECT tt.talk_id, ${this.columns} FROM talk_topics tt JOIN topics tp ON tp.id = tt.topic_id
       WHERE tt.talk_id IN (:...talkIds) ORDER BY tt.talk_id, tt.position`,
      { talkIds },
    );
    return rows.map((row) => ({ talkId: toInt(row.talk_id), topic: this.toEntity(row) }));
  }

  async insert(values: TopicValues, tx: EntityManager): Promise<number> {
    const [row] = await this.db.query(
      `INSERT INTO topics (slug, name, description) VALUES (:slug, :name, :description) RETURNING id`,
      { ...values },
      tx,
    );
    return toInt(row?.id);
  }

  async update(id: number, values: TopicValues, tx: EntityManager): Promise<void> {
    await this.db.query(
      `UPDATE topics SET slug = :slug, name = :name, description = :description, updated_at = :now WHERE id = :id`,
      { ...values, id, now: this.db.dateParam(new Date()) },
      tx,
    );
  }

  protected toEntity(row: Row): Topic {
    const topic = new Topic();
    topic.id = toInt(row.id);
    topic.slug = String(row.slug);
    topic.name = String(row.name);
    topic.description = row.description as string | null;
    return topic;
  }
}
