import type { DataSource, EntityManager } from 'typeorm';

export type DatabaseKind = 'postgres' | 'sqlite';
export type SqlParams = Record<string, unknown>;
export type Row = Record<string, unknown>;

/**
 * The thin layer repositories write SQL through. SQL uses `:name` parameters and
 * `:...name` for lists; the few spellings that differ between PostgreSQL and SQLite are
 * methods here, so each statement is written once.
 */
export class Database {
  readonly kind: DatabaseKind;
  /** SQLite has one connection: transactions must not interleave on it. */
  private sqliteWriteQueue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {
    this.kind = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  async query<T extends Row = Row>(sql: string, params: SqlParams = {}, tx?: EntityManager): Promise<T[]> {
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
    return (tx ?? this.dataSource.manager).query(text, values) as Promise<T[]>;
  }

  /** Runs `work` in one transaction; rolled back entirely when it throws. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    const run = this.sqliteWriteQueue.then(() => this.dataSource.transaction(work));
    this.sqliteWriteQueue = run.catch(() => undefined);
    return run;
  }

  /** Case-insensitive LIKE (SQLite's LIKE already ignores ASCII case; CJK has none). */
  get ilike(): string {
    return this.kind === 'postgres' ? 'ILIKE' : 'LIKE';
  }

  /** A Date as a parameter comparable with stored timestamps. */
  dateParam(value: Date): Date | string {
    return this.kind === 'postgres' ? value : value.toISOString().replace('T', ' ').replace('Z', '');
  }

  /** A stored timestamp as a Date (SQLite returns UTC text). */
  toDate(value: unknown): Date {
    if (value instanceof Date) return value;
    const text = String(value);
    return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`);
  }

  toDateOrNull(value: unknown): Date | null {
    return value === null || value === undefined ? null : this.toDate(value);
  }
}

/** The term with LIKE's wildcards escaped, to match literally (use `ESCAPE '\'`). */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function likeContains(term: string): string {
  return `%${escapeLike(term)}%`;
}

export function likePrefix(term: string): string {
  return `${escapeLike(term)}%`;
}

/** PostgreSQL returns COUNT/SUM as strings; SQLite as numbers. */
export function toInt(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
