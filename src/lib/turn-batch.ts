/**
 * Collects what callers add during one turn of the event loop and hands it over together at
 * the turn's end (setImmediate, after the turn's I/O callbacks): requests that arrive
 * together share one call to Redis instead of one each.
 */
export class TurnBatch<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(private readonly send: (items: T[]) => void) {}

  add(item: T): void {
    this.items.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.endTurn);
  }

  private readonly endTurn = (): void => {
    const items = this.items;
    this.items = [];
    this.scheduled = false;
    this.send(items);
  };
}
