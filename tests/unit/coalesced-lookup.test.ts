import { CoalescedLookup } from '../../src/db/coalesced-lookup';

interface Row {
  id: number;
  name: string;
}

/** A lookup over ids 1–5000 that records every key list it was asked for. */
function lookup() {
  const calls: number[][] = [];
  const state = { failing: false };
  const shared = new CoalescedLookup<Row>(
    async (keys) => {
      calls.push([...keys]);
      if (state.failing) throw new Error('connection terminated');
      return keys.filter((id) => id <= 5000).map((id) => ({ id, name: `row ${id}` }));
    },
    (row) => row.id,
    setImmediate,
  );
  return { shared, calls, state };
}

describe('CoalescedLookup', () => {
  it('sends the calls of one turn as one look-up, each caller getting its own rows', async () => {
    const { shared, calls } = lookup();
    const [a, b, c] = await Promise.all([
      shared.load([1, 2]),
      shared.load([2, 3, 9999]),
      shared.load([9999]),
    ]);
    expect(calls).toEqual([[1, 2, 3, 9999]]);
    expect(a!.map((row) => row.id)).toEqual([1, 2]);
    expect(b!.map((row) => row.id)).toEqual([2, 3]);
    expect(c).toEqual([]);
  });

  it('sends calls of different turns separately', async () => {
    const { shared, calls } = lookup();
    await shared.load([1]);
    await shared.load([2]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('splits a turn whose keys would make one statement too long', async () => {
    const { shared, calls } = lookup();
    const lists = [0, 1, 2].map((n) => Array.from({ length: 400 }, (_, i) => n * 400 + i + 1));
    const results = await Promise.all(lists.map((keys) => shared.load(keys)));
    expect(calls.map((keys) => keys.length)).toEqual([800, 400]);
    results.forEach((rows, n) => expect(rows.map((row) => row.id)).toEqual(lists[n]));
  });

  it('rejects every caller of a failed look-up, and the next turn starts afresh', async () => {
    const { shared, calls, state } = lookup();
    state.failing = true;
    const outcomes = await Promise.allSettled([shared.load([1]), shared.load([2])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toEqual([[1, 2]]);

    state.failing = false;
    await expect(shared.load([4])).resolves.toEqual([{ id: 4, name: 'row 4' }]);
    expect(calls).toEqual([[1, 2], [4]]);
  });
});
