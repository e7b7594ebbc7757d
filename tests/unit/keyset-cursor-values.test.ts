import { BadUserInputError } from '../../src/errors';
import type { PageRequest } from '../../src/lib/pagination';
import { keysetClauses, type SortKind } from '../../src/repositories/paging';

/** A forward page after a cursor holding `value`, sorted by an expression of `kind`. */
function pageAfter(kind: SortKind, value: string | number | null): () => unknown {
  const page: PageRequest = {
    order: 'X:ASC',
    limit: 20,
    forward: true,
    after: { order: 'X:ASC', value, id: 5 },
    before: null,
  };
  return () => keysetClauses({ expr: 'x', kind, idExpr: 'id', descending: false }, page, {});
}

describe('keyset cursor values', () => {
  it.each([
    '2023-08-12T06:00:00.000Z',
    '2023-08-12 06:00:00.000',
    '2024-02-29T00:00:00Z',
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '2023-01-01T00:00:00+08:00',
    '2023-01-01T00:00:00-15:59',
  ])('accepts the timestamp %s', (value) => {
    expect(pageAfter('timestamp', value)).not.toThrow();
  });

  // Each of these used to reach PostgreSQL and fail the request as INTERNAL_SERVER_ERROR.
  it.each([
    ['a day the month lacks', '2023-02-30T00:00:00Z'],
    ['29 February of a common year', '2023-02-29T00:00:00Z'],
    ['day zero', '2023-03-00T00:00:00Z'],
    ['month 13', '2023-13-01T00:00:00Z'],
    ['year zero', '0000-01-01T00:00:00.000Z'],
    ['hour 24', '2023-01-01T24:00:00Z'],
    ['an offset beyond ±15:59', '2023-01-01T00:00:00+23:59'],
    ['offset minutes of 60', '2023-01-01T00:00:00+01:60'],
    ['not a timestamp', 'yesterday'],
    ['a number', 1_690_000_000_000],
  ])('refuses %s as bad input', (_label, value) => {
    expect(pageAfter('timestamp', value)).toThrow(BadUserInputError);
  });

  it('refuses a text value holding NUL, which PostgreSQL text cannot hold', () => {
    expect(pageAfter('text', 'a\u0000b')).toThrow(BadUserInputError);
    expect(pageAfter('text', 'a b 大模型')).not.toThrow();
  });
});
