import type { Row, SqlParams } from './database';

interface PendingRead {
  sql: string;
  params: SqlParams;
  rows: Promise<Row[]>;
  resolve: (rows: Row[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Plain reads outside transactions wait for the end of the current turn of the event loop
 * (setImmediate: after the turn's I/O callbacks) and go out then, each distinct text and
 * parameters once: requests that ask for the same page of newest events or the same
 * leaderboard in one turn share one execution.
 *
 * Waiting is what makes sharing safe. A statement is sent after every request of its turn
 * has arrived and after every write this process saw complete before the read was asked
 * for, so it sees every write its callers could know of; a read asked for after the turn's
 * statements went out waits for the next turn and is sent again.
 */
export class TurnReads {
  private pending = new Map<string, PendingRead>();
  private work: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly send: (sql: string, params: SqlParams) => Promise<Row[]>) {}

  /** The rows of `sql`, shared with identical reads of this turn: do not mutate them. */
  read(sql: string, params: SqlParams): Promise<Row[]> {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    let read = this.pending.get(key);
    if (read === undefined) {
      let resolve!: (rows: Row[]) => void;
      let reject!: (error: unknown) => void;
      const rows = new Promise<Row[]>((res, rej) => ((resolve = res), (reject = rej)));
      read = { sql, params, rows, resolve, reject };
      this.pending.set(key, read);
      this.schedule();
    }
    return read.rows;
  }

  /** Runs `work` at the end of the turn, before its reads go out (it may add reads). */
  atTurnEnd(work: () => void): void {
    this.work.push(work);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.endTurn);
  }

  private readonly endTurn = (): void => {
    this.scheduled = false;
    const work = this.work;
    this.work = [];
    for (const run of work) run();
    const reads = this.pending;
    this.pending = new Map();
    for (const read of reads.values()) {
      this.send(read.sql, read.params).then(read.resolve, read.reject);
    }
  };
}
