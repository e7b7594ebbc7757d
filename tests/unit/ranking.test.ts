import { distinctByFrequency, distinctInOrder } from '../../src/lib/ranking';

interface Item {
  id: number;
  name: string;
}
const item = (id: number): Item => ({ id, name: `item ${id}` });
const ids = (items: Item[]): number[] => items.map((i) => i.id);

describe('distinctByFrequency', () => {
  it('puts the most frequent first', () => {
    const lists = [
      [item(1), item(2)],
      [item(2), item(3)],
      [item(3), item(2)],
    ];
    expect(ids(distinctByFrequency(lists, (i) => i.id))).toEqual([2, 3, 1]);
  });

  it('breaks ties by first appearance across the lists', () => {
    const lists = [[item(5), item(4)], [item(3)], [item(4), item(3), item(5)]];
    // 5, 4 and 3 each appear twice; 5 came first, then 4, then 3.
    expect(ids(distinctByFrequency(lists, (i) => i.id))).toEqual([5, 4, 3]);
  });

  it('keeps the first object seen for a key', () => {
    const first = { id: 1, name: 'first' };
    const [only] = distinctByFrequency([[first], [{ id: 1, name: 'second' }]], (i) => i.id);
    expect(only).toBe(first);
  });

  it('handles empty input', () => {
    expect(distinctByFrequency<Item>([], (i) => i.id)).toEqual([]);
    expect(distinctByFrequency<Item>([[], []], (i) => i.id)).toEqual([]);
  });
});

describe('distinctInOrder', () => {
  it('keeps first appearances in order and drops repeats', () => {
    const lists = [[item(3), item(1)], [item(1), item(2)], [item(3)]];
    expect(ids(distinctInOrder(lists, (i) => i.id))).toEqual([3, 1, 2]);
  });

  it('keeps the first object seen for a key', () => {
    const first = { id: 1, name: 'first' };
    expect(distinctInOrder([[first, { id: 1, name: 'second' }]], (i) => i.id)[0]).toBe(first);
  });

  it('handles empty input', () => {
    expect(distinctInOrder<Item>([[]], (i) => i.id)).toEqual([]);
  });
});
