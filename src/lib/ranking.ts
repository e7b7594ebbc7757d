/**
 * Distinct items from several ordered lists, most frequent first; ties keep the order in
 * which items first appear. Used for "topics of an event/speaker, most-used first".
 */
export function distinctByFrequency<T>(
  lists: readonly (readonly T[])[],
  keyOf: (item: T) => number,
): T[] {
  const seen = new Map<number, { item: T; count: number; first: number }>();
  let index = 0;
  for (const list of lists) {
    for (const item of list) {
      const key = keyOf(item);
      const entry = seen.get(key);
      if (entry) entry.count++;
      else seen.set(key, { item, count: 1, first: index });
      index++;
    }
  }
  return [...seen.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .map((entry) => entry.item);
}

/** Distinct items in the order they first appear across the lists. */
export function distinctInOrder<T>(
  lists: readonly (readonly T[])[],
  keyOf: (item: T) => number,
): T[] {
  const seen = new Map<number, T>();
  for (const list of lists)
    for (const item of list) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
}
