import { GraphQLError } from 'graphql';
import { encodeCursor } from '../../src/lib/cursor';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type ConnectionArgs,
  type PageRequest,
  toPage,
  toPageRequest,
} from '../../src/lib/pagination';

const ORDER = 'STARTS_AT:DESC';
const cursorFor = (id: number, order = ORDER): string =>
  encodeCursor({ order, value: `2024-01-0${id}`, id });

/** The GraphQL error `toPageRequest` throws, for asserting its code and field. */
function refusal(args: ConnectionArgs, order = ORDER): GraphQLError {
  try {
    toPageRequest(args, order);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected toPageRequest to throw');
}

describe('toPageRequest', () => {
  it('defaults to the first 20 rows', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(toPageRequest({}, ORDER)).toEqual({
      order: ORDER,
      limit: 20,
      forward: true,
      after: null,
      before: null,
    });
    expect(toPageRequest({ first: null, last: null }, ORDER).limit).toBe(20);
  });

  it('takes last as a backward page', () => {
    const request = toPageRequest({ last: 5, before: cursorFor(3) }, ORDER);
    expect(request).toMatchObject({ limit: 5, forward: false, after: null });
    expect(request.before).toEqual({ order: ORDER, value: '2024-01-03', id: 3 });
  });

  it('accepts 0 and 100 for first and last', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    for (const size of [0, 1, 100]) {
      expect(toPageRequest({ first: size }, ORDER).limit).toBe(size);
      expect(toPageRequest({ last: size }, ORDER).limit).toBe(size);
    }
  });

  it.each([
    [{ first: -1 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ last: -1 }, 'last'],
    [{ last: 101 }, 'last'],
    [{ first: 2, last: 2 }, 'last'],
    [{ first: 0, last: 0 }, 'last'],
  ])('refuses %j as BAD_USER_INPUT naming %s', (args, field) => {
    const error = refusal(args);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a cursor that is not one of ours', () => {
    expect(refusal({ after: 'garbage!' }).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    expect(refusal({ before: 'Z2FyYmFnZQ' }).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'before',
    });
  });

  it('refuses a cursor issued for another ordering', () => {
    const error = refusal({ after: cursorFor(1, 'TITLE:ASC') });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    // The same field in the other direction is another ordering too.
    expect(refusal({ before: cursorFor(1, 'STARTS_AT:ASC') }).extensions?.field).toBe('before');
  });
});

describe('toPage', () => {
  const request = (overrides: Partial<PageRequest>): PageRequest => ({
    order: ORDER,
    limit: 3,
    forward: true,
    after: null,
    before: null,
    ...overrides,
  });
  const cursor = { order: ORDER, value: 'x', id: 9 };

  it('cuts the extra row of a forward page and reports a next page', () => {
    expect(toPage([1, 2, 3, 4], request({}))).toEqual({
      rows: [1, 2, 3],
      hasNextPage: true,
      hasPreviousPage: false,
    });
  });

  it('reports no next page when the query found no extra row', () => {
    expect(toPage([1, 2, 3], request({}))).toEqual({
      rows: [1, 2, 3],
      hasNextPage: false,
      hasPreviousPage: false,
    });
    expect(toPage([], request({}))).toEqual({
      rows: [],
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });

  it('reports a previous page after an `after` cursor', () => {
    expect(toPage([4, 5], request({ after: cursor }))).toEqual({
      rows: [4, 5],
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it('reverses a backward page into list order and cuts the extra row', () => {
    // Backward pages arrive nearest-to-the-cursor first: 8, 7, 6, then the extra 5.
    expect(toPage([8, 7, 6, 5], request({ forward: false, before: cursor }))).toEqual({
      rows: [6, 7, 8],
      hasNextPage: true,
      hasPreviousPage: true,
    });
  });

  it('reports no previous page at the start of a backward walk', () => {
    expect(toPage([2, 1], request({ forward: false, before: cursor }))).toEqual({
      rows: [1, 2],
      hasNextPage: true,
      hasPreviousPage: false,
    });
    expect(toPage([10, 9, 8], request({ forward: false }))).toEqual({
      rows: [8, 9, 10],
      hasNextPage: false,
      hasPreviousPage: false,
    });
  });

  it('gives an empty page for a limit of 0 while still reporting more rows', () => {
    expect(toPage([1], request({ limit: 0 }))).toEqual({
      rows: [],
      hasNextPage: true,
      hasPreviousPage: false,
    });
  });

  it('does not reorder the caller’s array', () => {
    const fetched = [3, 2, 1];
    toPage(fetched, request({ forward: false }));
    expect(fetched).toEqual([3, 2, 1]);
  });
});
