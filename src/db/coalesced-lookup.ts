/** Keys per statement at most, so a coalesced list stays far below SQLite's parameter limit. */
const MAX_KEYS = 1_000;

interface Waiting<R> {
  keys: readonly number[];
  resolve: (rows: R[]) => void;
  reject: (error: unknown) => void;
}

/**
 * A look-up by key (rows by id, talks by event id…) shared by every request in flight.
 *
 * Each request's DataLoaders already send one statement per batch; under load, though,
 * several requests reach the same look-up in one turn of the event loop (their sockets were
 * readable together), and each statement costs a pool connection, a socket write and a
 * wake-up of a PostgreSQL backend. Calls made in the same turn go out as one statement
 * with the union of their keys, sent when the turn's I/O callbacks have run (see
 * Database.atTurnEnd); each caller gets the rows of its own keys, in the statement's order.
 *
 * Only for reads outside transactions and without read replicas (where each request picks
 * its own target): a call made after a write is sent after it, so it sees the write.
 * Rows are shared between callers and must not be mutated.
 */
export class CoalescedLookup<R> {
  private waiting: Waiting<R>[] = [];

  /** @param atTurnEnd schedules the dispatch (Database.atTurnEnd, or setImmediate) */
  constructor(
    private readonly find: (keys: readonly number[]) => Promise<R[]>,
    private readonly keyOf: (row: R) => number,
    private readonly atTurnEnd: (work: () => void) => void,
  ) {}

  load(keys: readonly number[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.atTurnEnd(this.dispatch);
      this.waiting.push({ keys, resolve, reject });
    });
  }

  private readonly dispatch = (): void => {
    const waiting = this.waiting;
    this.waiting = [];
    let group: Waiting<R>[] = [];
    let size = 0;
    for (const caller of waiting) {
      if (group.length > 0 && size + caller.keys.length > MAX_KEYS) {
        this.run(group);
        group = [];
        size = 0;
      }
      group.push(caller);
      size += caller.keys.length;
    }
    this.run(group);
  };

  private run(group: Waiting<R>[]): void {
    if (group.length === 1) {
      const [only] = group as [Waiting<R>];
      this.find(only.keys).then(only.resolve, only.reject);
      return;
    }
    const union = [...new Set(group.flatMap((caller) => caller.keys))];
    this.find(union).then(
      (rows) => {
        for (const caller of group) {
          const wanted = new Set(caller.keys);
          caller.resolve(rows.filter((row) => wanted.has(this.keyOf(row))));
        }
      },
      (error: unknown) => {
        for (const caller of group) caller.reject(error);
      },
    );
  }
}
