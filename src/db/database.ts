import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { currentRequestScope } from '../request-scope';
import { TurnReads } from './turn-reads';

export type DatabaseKind = 'postgres' | 'sqlite';
export type SqlParams = Record<string, unknown>;
export type Row = Record<string, unknown>;

export type QueryTarget = 'primary' | 'replica';

/** `x [NOT] IN (:...name)`, the list spelling every statement uses. */
const IN_LIST = /\b(NOT\s+)?IN \(:\.\.\.(\w+)\)/gi;
/** Distinct statement texts prepared per process (and so per pooled connection). */
const MAX_PREPARED = 500;

export interface DatabaseHooks {
  /** A replica could not be reached and the primary answered instead. */
  onReplicaFallback?: (error: unknown) => void;
  /** Called with every SQL statement sent, in order, and where it went; tests count them. */
  onQuery?: (sql: string, target: QueryTarget) => void;
}

/**
 * The thin layer repositories write SQL through. SQL uses `:name` parameters and
 * `:...name` for lists; the few spellings that differ between PostgreSQL and SQLite are
 * methods here, so each statement is written once.
 *
 * With read replicas (DATABASE_REPLICA_URLS), a plain SELECT outside a transaction goes to
 * a replica, but only inside an HTTP request (a RequestScope) that has not written yet and
 * runs no mutation: after a write, the rest of the request reads from the primary, so it
 * sees its own write (the counter payload after `like`, the re-read after an admin write)
 * whatever the replication lag. Everything outside a request (flusher, start-up, seeding)
 * stays on the primary. Without replicas, plain reads outside transactions are sent at the
 * end of the event loop's turn and shared by the requests that ask for them then (TurnReads).
 */
export class Database {
  readonly kind: DatabaseKind;
  /** True when read replicas are configured. */
  readonly replicated: boolean;
  /**
   * Whether concurrent requests may share read statements (TurnReads, CoalescedLookup): not
   * with replicas, where each request decides where it reads.
   */
  readonly sharesReads: boolean;
  /** Names of the statements prepared on the primary's connections, by text. */
  private readonly statementNames = new Map<string, string>();
  private readonly turnReads = new TurnReads((sql, params) => this.send(sql, params));
  /** SQLite has one connection: transactions must not interleave on it. */
  private sqliteWriteQueue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dataSource: DataSource,
    private readonly hooks: DatabaseHooks = {},
  ) {
    this.kind = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.replicated = dataSource.driver.isReplicated;
    this.sharesReads = !this.replicated;
    if (this.kind === 'sqlite') registerCasefold(dataSource);
  }

  async query<T extends Row = Row>(
    sql: string,
    params: SqlParams = {},
    tx?: EntityManager,
  ): Promise<T[]> {
    if (!tx && this.sharesReads && isPlainRead(sql)) {
      return (await this.turnReads.read(sql, params)).slice() as T[];
    }
    return this.send<T>(sql, params, tx);
  }

  /**
   * Runs `work` at the end of the current turn of the event loop, before the turn's reads
   * go out (see TurnReads): look-ups that merge their callers' keys (CoalescedLookup) add
   * their statement to the same turn.
   */
  atTurnEnd(work: () => void): void {
    this.turnReads.atTurnEnd(work);
  }

  private async send<T extends Row>(
    sql: string,
    params: SqlParams,
    tx?: EntityManager,
  ): Promise<T[]> {
    const pool = tx ? undefined : this.primaryPool();
    if (pool && !(this.replicated && this.mayReadFromReplica(sql))) {
      if (this.replicated && !isPlainRead(sql)) this.readFromPrimary();
      return this.queryPrepared<T>(pool, sql, params);
    }
    // Lists as one array parameter here too: a flush round's look-up of 500 rows is then one
    // parameter, not 500 for TypeORM to splice in and PostgreSQL to parse.
    const listed = this.kind === 'postgres' ? listsAsArrays(sql).text : sql;
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(listed, params);
    let result: unknown;
    if (tx) {
      result = await tx.query(text, values);
    } else if (this.replicated && this.mayReadFromReplica(sql)) {
      result = await this.queryReplica(text, values);
    } else {
      result = await this.dataSource.manager.query(text, values);
    }
    // TypeORM answers UPDATE and DELETE on PostgreSQL with `[rows, rowCount]`, not the rows
    // (a `DELETE … RETURNING` that deleted nothing would look like two rows).
    return (isRowsAndCount(result) ? result[0] : result) as T[];
  }

  /**
   * A statement on the primary's pool. Batch look-ups (a list parameter: what the loaders
   * send) run as named prepared statements, so each connection parses and plans them once;
   * their list goes as one array (`IN (:...ids)` becomes `= ANY(:ids)`, `NOT IN` becomes
   * `<> ALL`), so the text does not depend on the list's length. Other statements run
   * unnamed and planned for their values: a generic plan cannot see a `LIMIT :first` or a
   * date bound (the leaderboard's). At most MAX_PREPARED texts are named.
   */
  private async queryPrepared<T extends Row>(
    pool: Pool,
    sql: string,
    params: SqlParams,
  ): Promise<T[]> {
    const { text: listed, batch } = listsAsArrays(sql);
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(listed, params);
    let name = this.statementNames.get(text);
    if (name === undefined && batch && this.statementNames.size < MAX_PREPARED) {
      name = `talkgraph_${this.statementNames.size}`;
      this.statementNames.set(text, name);
    }
    this.hooks.onQuery?.(text, 'primary');
    return (await pool.query<T>({ name, text, values })).rows;
  }

  /**
   * The primary's pg pool: statements outside a transaction go to it directly, without a
   * TypeORM QueryRunner per statement (a third of the driver time on nested pages). Asked
   * for each time: a re-initialised DataSource has a new pool.
   */
  private primaryPool(): Pool | undefined {
    return this.kind === 'postgres'
      ? (this.dataSource.driver as unknown as { master?: Pool }).master
      : undefined;
  }

  /** Runs `work` in one transaction; rolled back entirely when it throws. */
  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (this.replicated) this.readFromPrimary();
    if (this.kind === 'postgres') return this.dataSource.transaction(work);
    const run = this.sqliteWriteQueue.then(() => this.dataSource.transaction(work));
    this.sqliteWriteQueue = run.catch(() => undefined);
    return run;
  }

  /** The rest of the current request reads from the primary (a mutation runs, or it wrote). */
  readFromPrimary(): void {
    const scope = currentRequestScope();
    if (scope) scope.readFromPrimary = true;
  }

  /** On a replica; on the primary when no replica connection can be had (a replica down costs no reads). */
  private async queryReplica(text: string, values: unknown[]): Promise<unknown> {
    const replica = this.dataSource.createQueryRunner('slave');
    try {
      try {
        await replica.connect();
      } catch (error) {
        this.hooks.onReplicaFallback?.(error);
        return await this.dataSource.manager.query(text, values);
      }
      return await replica.query(text, values);
    } finally {
      await replica.release();
    }
  }

  /** `SELECT 1` on a replica (readiness); throws when it cannot be reached. */
  async pingReplica(): Promise<void> {
    const replica = this.dataSource.createQueryRunner('slave');
    try {
      await replica.query('SELECT 1');
    } finally {
      await replica.release();
    }
  }

  private mayReadFromReplica(sql: string): boolean {
    const scope = currentRequestScope();
    return scope !== undefined && !scope.readFromPrimary && isPlainRead(sql);
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

/**
 * PostgreSQL spelling of `IN (:...list)`: `= ANY(:list)` (`NOT IN` becomes `<> ALL`), one array
 * parameter whatever the list's length; `batch` tells whether the statement had a list.
 */
function listsAsArrays(sql: string): { text: string; batch: boolean } {
  let batch = false;
  const text = sql.replace(IN_LIST, (_, not: string | undefined, name: string) => {
    batch = true;
    return not ? `<> ALL(:${name})` : `= ANY(:${name})`;
  });
  return { text, batch };
}

/** A SELECT that takes no row locks: the only statement a (read-only) replica may run. */
export function isPlainRead(sql: string): boolean {
  return (
    /^\s*SELECT\b/i.test(sql) && !/\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)\b/i.test(sql)
  );
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
