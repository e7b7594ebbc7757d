import type { EntityManager } from 'typeorm';
import type { Event, Talk } from '../../entities';
import { CoalescedLookup } from '../db/coalesced-lookup';
import { type Database, type Row, type SqlParams, toInt } from '../db/database';
import type { PageRequest } from '../lib/pagination';
import { type Keyed, type SortKey, keysetClauses, where, withCursor } from './paging';

/**
 * The flushed counters of an event or talk row. Every read of the row brings them along,
 * so counter fields cost no extra statement: the counter store adds what is not flushed yet.
 */
export const STORED_COUNT_COLUMNS = (alias: string): string =>
  `${alias}.view_count, ${alias}.like_count, ${alias}.view_flush_seq`;

export function withStoredCounts<T extends Event | Talk>(entity: T, row: Row): T {
  entity.storedViewCount = toInt(row.view_count);
  entity.storedLikeCount = toInt(row.like_count);
  entity.viewFlushSeq = toInt(row.view_flush_seq);
  return entity;
}

/** What each of our four node tables shares: id and slug look-ups, keyset pages, counts. */
export abstract class NodeRepository<T extends { id: number }> {
  /** e.g. `events e`: the table and the alias its column list and filters use. */
  protected abstract readonly from: string;
  protected abstract readonly alias: string;
  /** The columns the entity is built from, qualified with the alias. */
  protected abstract readonly allColumns: string;
  /** The same with the one long text column (abstract, bio…) read as NULL. */
  protected abstract readonly columnsWithoutLongText: string;

  /**
   * @param readsLongText false for the reads of an operation that shows no long text field
   *   (see namesLongText): a talk's abstract may run to 20,000 characters
   */
  constructor(
    protected readonly db: Database,
    private readonly readsLongText = true,
  ) {}

  protected get columns(): string {
    return this.readsLongText ? this.allColumns : this.columnsWithoutLongText;
  }

  protected abstract toEntity(row: Row): T;

  /**
   * One statement, shared with the look-ups other requests make at the same moment; rows in
   * no particular order (loaders restore key order).
   */
  readonly findByIds = this.shared(
    (ids) => this.selectByIds(ids),
    (row) => row.id,
  );

  /**
   * `find`, merged with the calls other requests make in the same turn of the event loop
   * (CoalescedLookup) where the database allows it.
   */
  protected shared<R>(
    find: (keys: readonly number[]) => Promise<R[]>,
    keyOf: (row: R) => number,
  ): (keys: readonly number[]) => Promise<R[]> {
    // Made on first use: field initializers run before the constructor has set `db`.
    let lookup: CoalescedLookup<R> | undefined;
    return (keys) => {
      if (!this.db.sharesReads) return find(keys);
      lookup ??= new CoalescedLookup(find, keyOf, (work) => this.db.atTurnEnd(work));
      return lookup.load(keys);
    };
  }

  private async selectByIds(ids: readonly number[]): Promise<T[]> {
    const rows = await this.db.query(
      `SELECT ${this.columns} FROM ${this.from} WHERE ${this.alias}.id IN (:...ids)`,
      { ids },
    );
    return rows.map((row) => this.toEntity(row));
  }

  async findBySlugs(slugs: readonly string[]): Promise<T[]> {
    const rows = await this.db.query(
      `SELECT ${this.columns} FROM ${this.from} WHERE ${this.alias}.slug IN (:...slugs)`,
      { slugs },
    );
    return rows.map((row) => this.toEntity(row));
  }

  /** Slugs equal to `base` or of the form `base-…`, to pick a free one. */
  async findSlugsLike(base: string, tx?: EntityManager): Promise<Set<string>> {
    const rows = await this.db.query(
      `SELECT ${this.alias}.slug FROM ${this.from} WHERE ${this.alias}.slug = :base OR ${this.alias}.slug LIKE :pattern`,
      { base, pattern: `${base}-%` },
      tx,
    );
    return new Set(rows.map((row) => String(row.slug)));
  }

  async delete(id: number, tx: EntityManager): Promise<void> {
    await this.db.query(`DELETE FROM ${this.from.split(' ')[0]} WHERE id = :id`, { id }, tx);
  }

  /** One keyset page in one statement: rows in page order, each with its cursor. */
  protected async findKeysetPage(
    conditions: string[],
    params: SqlParams,
    key: SortKey,
    page: PageRequest,
  ): Promise<Keyed<T>[]> {
    const keyset = keysetClauses(key, page, params);
    const rows = await this.db.query(
      `SELECT ${this.columns}, ${key.expr} AS sort_key FROM ${this.from}
       ${where([...conditions, ...keyset.conditions])}
       ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
      params,
    );
    return rows.map((row) => withCursor(this.toEntity(row), row.sort_key, key.kind, page.order));
  }

  /**
   * Keyset pages of many parents at once (e.g. the talks of each topic on a page), in one
   * statement: rows are ranked within their parent and cut at the page size.
   * @param source FROM clause that yields the parent column `parentExpr` next to the alias
   * @returns parent id → rows in page order; parents without rows are absent
   */
  protected async findPartitionedPages(
    source: string,
    parentExpr: string,
    parentIds: readonly number[],
    key: SortKey,
    page: PageRequest,
  ): Promise<Map<number, Keyed<T>[]>> {
    const params: SqlParams = { parentIds };
    const keyset = keysetClauses(key, page, params);
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT ${parentExpr} AS parent_id, ${this.columns}, ${key.expr} AS sort_key,
           ROW_NUMBER() OVER (PARTITION BY ${parentExpr} ORDER BY ${keyset.orderBy}) AS page_rank
         FROM ${source}
         ${where([`${parentExpr} IN (:...parentIds)`, ...keyset.conditions])}
       ) ranked
       WHERE page_rank <= ${keyset.limit}
       ORDER BY parent_id, page_rank`,
      params,
    );
    const pages = new Map<number, Keyed<T>[]>();
    for (const row of rows) {
      const parentId = toInt(row.parent_id);
      const list = pages.get(parentId) ?? [];
      list.push(withCursor(this.toEntity(row), row.sort_key, key.kind, page.order));
      pages.set(parentId, list);
    }
    return pages;
  }

  protected async countWhere(conditions: string[], params: SqlParams): Promise<number> {
    const [row] = await this.db.query(
      `SELECT COUNT(*) AS n FROM ${this.from} ${where(conditions)}`,
      params,
    );
    return toInt(row?.n);
  }

  /** `(col ILIKE :search OR …)` for a case-insensitive substring filter. */
  protected searchCondition(columns: string[]): string {
    return `(${columns.map((c) => this.db.likeIgnoringCase(c, ':search')).join(' OR ')})`;
  }
}
