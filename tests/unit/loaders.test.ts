import { groupByKeys, orderByKeys } from '../../src/loaders';

interface Row {
  id: number;
  parentId: number;
  name: string;
}
const row = (id: number, parentId = 0): Row => ({ id, parentId, name: `row ${id}` });

describe('orderByKeys', () => {
  it('returns rows in key order, whatever order they arrived in', () => {
    const rows = [row(3), row(1), row(2)];
    expect(orderByKeys([1, 2, 3], rows, (r) => r.id).map((r) => r?.id)).toEqual([1, 2, 3]);
  });

  it('puts null where a key has no row', () => {
    expect(orderByKeys([4, 1, 5], [row(1)], (r) => r.id)).toEqual([null, row(1), null]);
  });

  it('answers a repeated key twice with the same row', () => {
    const one = row(1);
    const result = orderByKeys([1, 1], [one], (r) => r.id);
    expect(result[0]).toBe(one);
    expect(result[1]).toBe(one);
  });

  it('ignores rows nobody asked for', () => {
    expect(orderByKeys([2], [row(1), row(2), row(3)], (r) => r.id)).toEqual([row(2)]);
  });

  it('works with string keys (slugs)', () => {
    const rows = [
      { slug: 'b', id: 2 },
      { slug: 'a', id: 1 },
    ];
    expect(orderByKeys(['a', 'missing', 'b'], rows, (r) => r.slug)).toEqual([
      { slug: 'a', id: 1 },
      null,
      { slug: 'b', id: 2 },
    ]);
  });
});

describe('groupByKeys', () => {
  it('groups items under each key, keeping arrival order within a group', () => {
    const items = [row(10, 2), row(11, 1), row(12, 2), row(13, 1)];
    const groups = groupByKeys(
      [1, 2],
      items,
      (r) => r.parentId,
      (r) => r.id,
    );
    expect(groups).toEqual([
      [11, 13],
      [10, 12],
    ]);
  });

  it('gives [] for a key without items, in the key’s place', () => {
    const groups = groupByKeys(
      [3, 1, 4],
      [row(5, 1)],
      (r) => r.parentId,
      (r) => r.id,
    );
    expect(groups).toEqual([[], [5], []]);
  });

  it('drops items whose key was not asked for', () => {
    expect(
      groupByKeys(
        [1],
        [row(1, 1), row(2, 9)],
        (r) => r.parentId,
        (r) => r.id,
      ),
    ).toEqual([[1]]);
  });

  it('maps items through valueOf', () => {
    expect(
      groupByKeys(
        [1],
        [row(7, 1)],
        (r) => r.parentId,
        (r) => r.name,
      ),
    ).toEqual([['row 7']]);
  });

  it('returns distinct arrays, so callers cannot alias groups of different keys', () => {
    const groups = groupByKeys(
      [1, 2],
      [],
      (r: Row) => r.parentId,
      (r) => r.id,
    );
    expect(groups[0]).not.toBe(groups[1]);
  });
});
