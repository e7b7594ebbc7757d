import { fromGlobalId, MAX_ROW_ID, NODE_TYPES, toGlobalId } from '../../src/lib/global-id';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('global ids', () => {
  it.each(NODE_TYPES)('round-trips a %s id', (type) => {
    for (const id of [1, 42, 1_000_000_007, MAX_ROW_ID]) {
      const globalId = toGlobalId(type, id);
      expect(globalId).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(fromGlobalId(globalId)).toEqual({ type, id });
    }
  });

  it('stays exact while remembered ids turn over', () => {
    // More than twice the ids remembered per type, each asked for twice and types
    // interleaved: every answer must be the plain encoding, whichever generation held it.
    for (let round = 0; round < 2; round++) {
      for (let id = 1; id <= 45_000; id += 1) {
        for (const type of NODE_TYPES) {
          if (toGlobalId(type, id) !== b64(`${type}:${id}`)) throw new Error(`${type} ${id}`);
        }
      }
    }
    expect(toGlobalId('Speaker', 44_999)).toBe(b64('Speaker:44999'));
  });

  it('gives the same row number a different id for each type', () => {
    const ids = NODE_TYPES.map((type) => toGlobalId(type, 7));
    expect(new Set(ids).size).toBe(NODE_TYPES.length);
  });

  it('is opaque: not the plain type:id text', () => {
    expect(toGlobalId('Talk', 3)).not.toContain('Talk');
    expect(toGlobalId('Talk', 3)).toBe(b64('Talk:3'));
  });

  it.each([
    ['empty', ''],
    ['not base64', 'Event:1'],
    ['standard base64 padding', `${b64('Event:1')}==`],
    ['base64 with + and /', 'RX+lbnQ6/Q'],
    ['unknown type', b64('User:1')],
    ['lower-case type', b64('event:1')],
    ['no separator', b64('Event1')],
    ['no id', b64('Event:')],
    ['zero', b64('Event:0')],
    ['negative', b64('Event:-1')],
    ['leading zero', b64('Event:01')],
    ['fraction', b64('Event:1.5')],
    ['exponent', b64('Event:1e3')],
    ['hex', b64('Event:0x10')],
    ['spaces', b64('Event: 1')],
    ['trailing text', b64('Event:1:2')],
    ['huge', b64('Event:99999999999999999999')],
    ['one past the id column', b64(`Event:${MAX_ROW_ID + 1}`)],
    ['a safe integer beyond the id column', b64(`Event:${Number.MAX_SAFE_INTEGER}`)],
    ['beyond safe integers', b64(`Event:${Number.MAX_SAFE_INTEGER + 2}`)],
    ['too long', 'A'.repeat(65)],
    ['unicode', b64('Event:１')],
  ])('returns null for %s', (_label, globalId) => {
    expect(fromGlobalId(globalId)).toBeNull();
  });

  it('returns null for a non-canonical base64 spelling of a valid id', () => {
    const canonical = toGlobalId('Event', 1);
    // The last character carries unused low bits: changing them decodes to the same bytes.
    const lastChar = canonical.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = canonical.slice(0, -1) + alphabet[alphabet.indexOf(lastChar) + 1];
    expect(Buffer.from(sibling, 'base64url').toString('utf8')).toBe('Event:1');
    expect(fromGlobalId(sibling)).toBeNull();
    expect(fromGlobalId(canonical)).toEqual({ type: 'Event', id: 1 });
  });
});
