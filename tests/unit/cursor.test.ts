import { decodeCursor, encodeCursor, type Cursor } from '../../src/lib/cursor';
import { MAX_ROW_ID } from '../../src/lib/global-id';

describe('cursors', () => {
  it.each<Cursor>([
    { order: 'STARTS_AT:DESC', value: '2023-08-12T06:00:00.000Z', id: 1 },
    { order: 'TITLE:ASC', value: '大模型的崛起：解析大语言模型', id: 12 },
    { order: 'VIEWS:DESC', value: 729, id: 3 },
    { order: 'NAME:ASC', value: null, id: MAX_ROW_ID },
    { order: 'TITLE:ASC', value: 'quotes " and \\ and ] , [', id: 5 },
  ])('round-trips %j', (cursor) => {
    const raw = encodeCursor(cursor);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw)).toEqual(cursor);
  });

  it('differs between orderings of the same row', () => {
    const a = encodeCursor({ order: 'VIEWS:ASC', value: 1, id: 1 });
    const b = encodeCursor({ order: 'VIEWS:DESC', value: 1, id: 1 });
    expect(a).not.toBe(b);
    expect(decodeCursor(a)?.order).toBe('VIEWS:ASC');
    expect(decodeCursor(b)?.order).toBe('VIEWS:DESC');
  });

  const json = (value: unknown): string =>
    Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['base64 of garbage', Buffer.from('not json at all').toString('base64url')],
    ['a JSON object', json({ order: 'VIEWS:ASC', value: 1, id: 1 })],
    ['too few parts', json(['VIEWS:ASC', 1])],
    ['too many parts', json(['VIEWS:ASC', 1, 1, 1])],
    ['non-string order', json([1, 1, 1])],
    ['object value', json(['VIEWS:ASC', { a: 1 }, 1])],
    ['boolean value', json(['VIEWS:ASC', true, 1])],
    ['string id', json(['VIEWS:ASC', 1, '1'])],
    ['zero id', json(['VIEWS:ASC', 1, 0])],
    ['negative id', json(['VIEWS:ASC', 1, -4])],
    ['fractional id', json(['VIEWS:ASC', 1, 1.5])],
    ['id beyond the id column', json(['VIEWS:ASC', 1, MAX_ROW_ID + 1])],
    ['unsafe id', json(['VIEWS:ASC', 1, 2 ** 60])],
    ['over 1024 characters', json(['TITLE:ASC', 'x'.repeat(2000), 1])],
  ])('refuses %s', (_label, raw) => {
    expect(decodeCursor(raw)).toBeNull();
  });
});
