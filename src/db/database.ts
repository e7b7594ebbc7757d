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
    if (this.kind === 'sqlite') registerCasefold(dataSource);
  }

  async query<T extends Row = Row>(
    sql: string,
    params: SqlParams = {},
    tx?: EntityManager,
  ): Promise<T[]> {
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
    const result: unknown = await (tx ?? this.dataSource.manager).query(text, values);
    // TypeORM answers UPDATE and DELETE on PostgreSQL with `[rows, rowCount]`, not the rows
    // (a `DELETE … RETURNING` that deleted nothing would look like two rows).
    return (isRowsAndCount(result) ? result[0] : result) as T[];
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

  /**
   * `expr` matches the LIKE pattern in `param` (escaped with `\`), ignoring case in every
   * script. PostgreSQL's ILIKE does that; SQLite's LIKE folds ASCII only ("über" would miss
   * "Über"), so there both sides go through `casefold`, registered on the connection.
   */
  likeIgnoringCase(expr: string, param: string): string {
    return this.kind === 'postgres'
      ? `${expr} ILIKE ${param} ESCAPE '\\'`
      : `casefold(${expr}) LIKE casefold(${param}) ESCAPE '\\'`;
  }

  /** A Date as a parameter comparable with stored timestamps. */
  dateParam(value: Date): Date | string {
    return this.kind === 'postgres'
      ? value
      : value.toISOString().replace('T', ' ').replace('Z', '');
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

function isRowsAndCount(result: unknown): result is [Row[], number] {
  return (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  );
}

interface SqliteConnection {
  function(
    name: string,
    options: { deterministic: boolean },
    fn: (value: unknown) => unknown,
  ): void;
}

/** `casefold(text)`: Unicode lower case for SQLite, whose own lower() is ASCII-only. */
function registerCasefold(dataSource: DataSource): void {
  const connection = (dataSource.driver as unknown as { databaseConnection: SqliteConnection })
    .databaseConnection;
  connection.function('casefold', { deterministic: true }, (value) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
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
