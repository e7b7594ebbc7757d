import {
  EventPageDocument,
  type EventFilter,
  type EventOrderField,
  type OrderDirection,
  type PageInfoFieldsFragment,
  SpeakerPageDocument,
  type SpeakerFilter,
  type SpeakerOrderField,
  TalkPageDocument,
  type TalkFilter,
  type TalkOrderField,
  TopicPageDocument,
  UpdateEventDocument,
} from '../__generated__/graphql';
import type { Database } from '../../src/db/database';
import { encodeCursor } from '../../src/lib/cursor';
import { type NodeType, toGlobalId } from '../../src/lib/global-id';
import { codes, createTestServer, describeDb, type TestServer } from '../helpers/test-server';

/** What every connection answers, reduced to what paging tests look at. */
interface Conn {
  totalCount: number;
  pageInfo: PageInfoFieldsFragment;
  edges: { cursor: string; node: { id: string } }[];
}

interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

type Fetch = (args: PageArgs) => Promise<Conn>;

const DIRECTIONS: OrderDirection[] = ['ASC', 'DESC'];
const LIST_ORDERS: (EventOrderField & TalkOrderField)[] = ['STARTS_AT', 'TITLE', 'VIEWS', 'LIKES'];
const SPEAKER_ORDERS: SpeakerOrderField[] = ['NAME', 'TALK_COUNT', 'VIEWS', 'LIKES'];

const EVENTS = 30;
const DAY = 24 * 60 * 60 * 1000;
const BASE = Date.parse('2024-01-06T10:00:00Z');

/**
 * 30 events (2 or 3 talks each), 14 speakers and 25 topics, written with plain SQL. Sort
 * values repeat on purpose (two events a day, titles and counters shared) so the id
 * tie-breaker is exercised; two speakers have no talks at all.
 */
async function buildDataSet(db: Database): Promise<void> {
  const insert = async (sql: string, params: Record<string, unknown>): Promise<number> => {
    const [row] = await db.query(`${sql} RETURNING id`, params);
    return Number(row!.id);
  };
  const speakerNames = [
    '张伟',
    'Alice Zhang',
    '李娜',
    'bob li',
    '张伟',
    'Carol',
    '王芳',
    'Dave',
    '刘洋',
    'Eve',
    '陈静',
    'Frank',
    '赵磊',
    'Grace',
  ];
  const speakers: number[] = [];
  for (const [i, name] of speakerNames.entries()) {
    speakers.push(
      await insert(
        `INSERT INTO speakers (slug, name, affiliation) VALUES (:slug, :name, :affiliation)`,
        { slug: `speaker-${i}`, name, affiliation: i % 2 ? '稀土掘金' : 'ACME' },
      ),
    );
  }
  const topics: number[] = [];
  for (let i = 0; i < 25; i++) {
    const name = i % 2 ? `主题 ${i % 7}` : `Topic ${String.fromCharCode(90 - i)}`;
    topics.push(
      await insert(`INSERT INTO topics (slug, name) VALUES (:slug, :name)`, {
        slug: `topic-${i}`,
        name,
      }),
    );
  }
  for (let i = 0; i < EVENTS; i++) {
    const startsAt = new Date(BASE + Math.floor(i / 2) * DAY);
    const title =
      i % 3 === 0 ? `第${i}期 大模型实践` : i % 3 === 1 ? `Rust night ${(i * 7) % 10}` : 'AI 夜话';
    const eventId = await insert(
      `INSERT INTO events (slug, title, series, edition, starts_at, city, view_count, like_count)
       VALUES (:slug, :title, :series, :edition, :startsAt, :city, :views, :likes)`,
      {
        slug: `event-${i}`,
        title,
        series: i % 2 ? 'Rust 夜话' : '掘力计划',
        edition: i + 1,
        startsAt: db.dateParam(startsAt),
        city: ['北京', '上海', '杭州'][i % 3],
        views: (i * 7) % 5,
        likes: i % 3,
      },
    );
    const talkCount = i % 5 === 0 ? 3 : 2;
    for (let p = 1; p <= talkCount; p++) {
      // Odd positions have their own start; even ones sort by their event's.
      const own = p % 2 ? new Date(startsAt.getTime() + p * 60 * 60 * 1000) : null;
      const talkId = await insert(
        `INSERT INTO talks (event_id, slug, title, position, starts_at, sort_starts_at, view_count, like_count)
         VALUES (:eventId, :slug, :title, :position, :startsAt, :sortStartsAt, :views, :likes)`,
        {
          eventId,
          slug: `talk-${i}-${p}`,
          title: p === 2 ? 'Q&A 问答' : `Talk ${(i * 11 + p) % 17} 大模型`,
          position: p,
          startsAt: own && db.dateParam(own),
          sortStartsAt: db.dateParam(own ?? startsAt),
          views: (i * 13 + p) % 6,
          likes: (i + p) % 4,
        },
      );
      const talkSpeakers = [speakers[(i * 2 + p) % 12]!];
      if ((i + p) % 4 === 0) talkSpeakers.push(speakers[(i + 5) % 12]!);
      for (const [position, speakerId] of [...new Set(talkSpeakers)].entries()) {
        await db.query(
          `INSERT INTO talk_speakers (talk_id, speaker_id, position) VALUES (:talkId, :speakerId, :position)`,
          { talkId, speakerId, position: position + 1 },
        );
      }
      for (const [position, topicId] of [
        ...new Set([topics[(i + p) % 25]!, topics[(i * 3 + p) % 25]!]),
      ].entries()) {
        await db.query(
          `INSERT INTO talk_topics (talk_id, topic_id, position) VALUES (:talkId, :topicId, :position)`,
          { talkId, topicId, position: position + 1 },
        );
      }
    }
  }
}

/** Ids of rows in the order the database's own ORDER BY gives, as global ids. */
async function orderedIds(db: Database, type: NodeType, sql: string): Promise<string[]> {
  const rows = await db.query(sql);
  return rows.map((row) => toGlobalId(type, Number(row.id)));
}

/** Sorts [id, value] pairs by value then id, numerically, in one direction. */
function byValueThenId(
  type: NodeType,
  rows: Record<string, unknown>[],
  dir: OrderDirection,
): string[] {
  const sign = dir === 'ASC' ? 1 : -1;
  return rows
    .map((row) => ({ id: Number(row.id), value: Number(row.value) }))
    .sort((a, b) => sign * (a.value - b.value || a.id - b.id))
    .map((row) => toGlobalId(type, row.id));
}

/** Walks the whole list forward with `first: size`, checking each page's pageInfo. */
async function walkForward(fetch: Fetch, size: number): Promise<string[][]> {
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const conn = await fetch({ first: size, after });
    const ids = conn.edges.map((edge) => edge.node.id);
    pages.push(ids);
    expect(conn.pageInfo.hasPreviousPage).toBe(after !== undefined);
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0]?.cursor ?? null);
    expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
    if (!conn.pageInfo.hasNextPage) break;
    expect(ids).toHaveLength(size);
    after = conn.pageInfo.endCursor!;
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

/** Walks the whole list backward with `last: size`, from the end towards the start. */
async function walkBackward(fetch: Fetch, size: number): Promise<string[][]> {
  const pages: string[][] = [];
  let before: string | undefined;
  for (;;) {
    const conn = await fetch({ last: size, before });
    const ids = conn.edges.map((edge) => edge.node.id);
    pages.push(ids);
    expect(conn.pageInfo.hasNextPage).toBe(before !== undefined);
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0]?.cursor ?? null);
    if (!conn.pageInfo.hasPreviousPage) break;
    expect(ids).toHaveLength(size);
    before = conn.pageInfo.startCursor!;
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

/** Forward and backward walks both see `expected`, every row once, in order. */
async function expectWalks(fetch: Fetch, expected: string[], size: number): Promise<void> {
  const forward = await walkForward(fetch, size);
  expect(forward.flat()).toEqual(expected);
  expect(forward).toHaveLength(Math.max(1, Math.ceil(expected.length / size)));

  const backward = await walkBackward(fetch, size);
  expect([...backward].reverse().flat()).toEqual(expected);
  // The last page of a backward walk is the list's end: the same rows as the tail.
  expect(backward[0]).toEqual(expected.slice(-size));
}

describeDb('cursor pagination', () => {
  let t: TestServer;
  let db: Database;

  beforeAll(async () => {
    t = await createTestServer({ seed: false });
    db = t.server.db;
    await buildDataSet(db);
  });
  afterAll(() => t?.stop());

  const events =
    (
      orderBy?: { field: EventOrderField; direction: OrderDirection },
      filter?: EventFilter,
    ): Fetch =>
    async (args) => {
      const result = await t.exec(EventPageDocument, { ...args, orderBy, filter });
      expect(result.errors).toBeUndefined();
      return result.data!.events;
    };
  const talks =
    (orderBy?: { field: TalkOrderField; direction: OrderDirection }, filter?: TalkFilter): Fetch =>
    async (args) => {
      const result = await t.exec(TalkPageDocument, { ...args, orderBy, filter });
      expect(result.errors).toBeUndefined();
      return result.data!.talks;
    };
  const speakers =
    (
      orderBy?: { field: SpeakerOrderField; direction: OrderDirection },
      filter?: SpeakerFilter,
    ): Fetch =>
    async (args) => {
      const result = await t.exec(SpeakerPageDocument, { ...args, orderBy, filter });
      expect(result.errors).toBeUndefined();
      return result.data!.speakers;
    };
  const topics: Fetch = async (args) => {
    const result = await t.exec(TopicPageDocument, args);
    expect(result.errors).toBeUndefined();
    return result.data!.topics;
  };

  const EVENT_COLUMN: Record<EventOrderField, string> = {
    STARTS_AT: 'starts_at',
    TITLE: 'title',
    VIEWS: 'view_count',
    LIKES: 'like_count',
  };
  const TALK_COLUMN: Record<TalkOrderField, string> = {
    // Independent of the denormalised sort column: a talk without a start uses its event's.
    STARTS_AT: 'COALESCE(t.starts_at, e.starts_at)',
    TITLE: 't.title',
    VIEWS: 't.view_count',
    LIKES: 't.like_count',
  };

  describe.each(LIST_ORDERS)('events by %s', (field) => {
    it.each(DIRECTIONS)(
      '%s: forward and backward walks visit every row once, in order',
      async (direction) => {
        const expected = await orderedIds(
          db,
          'Event',
          `SELECT id FROM events ORDER BY ${EVENT_COLUMN[field]} ${direction}, id ${direction}`,
        );
        expect(expected).toHaveLength(EVENTS);
        await expectWalks(events({ field, direction }), expected, 7);
      },
    );
  });

  describe.each(LIST_ORDERS)('talks by %s', (field) => {
    it.each(DIRECTIONS)(
      '%s: forward and backward walks visit every row once, in order',
      async (direction) => {
        const expected = await orderedIds(
          db,
          'Talk',
          `SELECT t.id FROM talks t JOIN events e ON e.id = t.event_id
         ORDER BY ${TALK_COLUMN[field]} ${direction}, t.id ${direction}`,
        );
        expect(expected).toHaveLength(66);
        await expectWalks(talks({ field, direction }), expected, 9);
      },
    );
  });

  describe.each(SPEAKER_ORDERS)('speakers by %s', (field) => {
    it.each(DIRECTIONS)(
      '%s: forward and backward walks visit every row once, in order',
      async (direction) => {
        let expected: string[];
        if (field === 'NAME') {
          expected = await orderedIds(
            db,
            'Speaker',
            `SELECT id FROM speakers ORDER BY name ${direction}, id ${direction}`,
          );
        } else {
          const value = {
            TALK_COUNT: 'COUNT(t.id)',
            VIEWS: 'SUM(t.view_count)',
            LIKES: 'SUM(t.like_count)',
          }[field];
          const rows = await db.query(
            `SELECT s.id, ${value} AS value FROM speakers s
           LEFT JOIN talk_speakers ts ON ts.speaker_id = s.id LEFT JOIN talks t ON t.id = ts.talk_id
           GROUP BY s.id`,
          );
          expected = byValueThenId('Speaker', rows, direction);
        }
        expect(expected).toHaveLength(14);
        await expectWalks(speakers({ field, direction }), expected, 4);
      },
    );
  });

  it('topics: forward and backward walks visit every row once, by name', async () => {
    const expected = await orderedIds(db, 'Topic', `SELECT id FROM topics ORDER BY name, id`);
    expect(expected).toHaveLength(25);
    await expectWalks(topics, expected, 6);
  });

  it('walks with a page size that divides the list exactly, and with one page for all', async () => {
    const expected = await orderedIds(
      db,
      'Event',
      `SELECT id FROM events ORDER BY starts_at DESC, id DESC`,
    );
    await expectWalks(events(), expected, 10);
    await expectWalks(events(), expected, 100);
    await expectWalks(events(), expected, 1);
  });

  it('uses STARTS_AT DESC for events and talks and NAME ASC for speakers by default', async () => {
    const first = async (fetch: Fetch) => (await fetch({ first: 100 })).edges.map((e) => e.node.id);
    expect(await first(events())).toEqual(
      await first(events({ field: 'STARTS_AT', direction: 'DESC' })),
    );
    expect(await first(talks())).toEqual(
      await first(talks({ field: 'STARTS_AT', direction: 'DESC' })),
    );
    expect(await first(speakers())).toEqual(
      await first(speakers({ field: 'NAME', direction: 'ASC' })),
    );
    // A cursor of the default order is a cursor of the explicit one.
    const page = await events()({ first: 3 });
    const next = await events({ field: 'STARTS_AT', direction: 'DESC' })({
      first: 3,
      after: page.pageInfo.endCursor!,
    });
    expect(next.pageInfo.hasPreviousPage).toBe(true);
  });

  it('sorts talks without their own start by their event’s new start after it moves', async () => {
    const admin = await t.token('root', 'admin');
    const [event] = await db.query(`SELECT id, starts_at FROM events WHERE slug = 'event-3'`);
    const [talk] = await db.query(`SELECT id FROM talks WHERE slug = 'talk-3-2'`);
    const eventId = toGlobalId('Event', Number(event!.id));
    const original = db.toDate(event!.starts_at).toISOString();
    const move = (startsAt: string) =>
      t.exec(UpdateEventDocument, { id: eventId, input: { startsAt } }, { token: admin });
    expect((await move('2030-01-01T00:00:00Z')).errors).toBeUndefined();
    try {
      const expected = await orderedIds(
        db,
        'Talk',
        `SELECT t.id FROM talks t JOIN events e ON e.id = t.event_id
         ORDER BY COALESCE(t.starts_at, e.starts_at) DESC, t.id DESC`,
      );
      // The moved event's talk without a start of its own now leads the list.
      expect(expected[0]).toBe(toGlobalId('Talk', Number(talk!.id)));
      expect((await walkForward(talks(), 9)).flat()).toEqual(expected);
    } finally {
      expect((await move(original)).errors).toBeUndefined();
    }
  });

  it('pages between two cursors with first and with last', async () => {
    const fetch = events({ field: 'VIEWS', direction: 'ASC' });
    const all = (await fetch({ first: 100 })).edges;
    const [after, before] = [all[4]!.cursor, all[15]!.cursor];
    const between = all.slice(5, 15).map((e) => e.node.id);

    const head = await fetch({ first: 3, after, before });
    expect(head.edges.map((e) => e.node.id)).toEqual(between.slice(0, 3));
    expect(head.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const tail = await fetch({ last: 3, after, before });
    expect(tail.edges.map((e) => e.node.id)).toEqual(between.slice(-3));
    expect(tail.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const everything = await fetch({ first: 100, after, before });
    expect(everything.edges.map((e) => e.node.id)).toEqual(between);
    expect(everything.pageInfo.hasNextPage).toBe(false);
  });

  it('hands out the same cursor for a row on every page it appears on', async () => {
    const fetch = talks({ field: 'TITLE', direction: 'ASC' });
    const all = (await fetch({ first: 100 })).edges;
    const page = await fetch({ first: 5, after: all[9]!.cursor });
    expect(page.edges).toEqual(all.slice(10, 15));
  });

  describe('totalCount', () => {
    it('counts every row whatever the page', async () => {
      for (const [fetch, table] of [
        [events(), 'events'],
        [talks(), 'talks'],
        [speakers(), 'speakers'],
        [topics, 'topics'],
      ] as const) {
        const [row] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
        const first = await fetch({ first: 2 });
        const later = await fetch({ first: 2, after: first.pageInfo.endCursor! });
        expect(first.totalCount).toBe(Number(row!.n));
        expect(later.totalCount).toBe(Number(row!.n));
        expect((await fetch({ last: 1 })).totalCount).toBe(Number(row!.n));
      }
    });

    it('counts what the filter keeps, and the pages hold exactly those rows', async () => {
      const cases: [Fetch, string][] = [
        [
          events(undefined, { city: '北京' }),
          `SELECT COUNT(*) AS n FROM events WHERE city = '北京'`,
        ],
        [
          events(undefined, { series: 'Rust 夜话', city: '上海' }),
          `SELECT COUNT(*) AS n FROM events WHERE series = 'Rust 夜话' AND city = '上海'`,
        ],
        [
          talks({ field: 'VIEWS', direction: 'DESC' }, { topic: 'topic-3' }),
          `SELECT COUNT(*) AS n FROM talk_topics tt JOIN topics tp ON tp.id = tt.topic_id WHERE tp.slug = 'topic-3'`,
        ],
        [
          speakers({ field: 'TALK_COUNT', direction: 'DESC' }, { affiliation: '稀土掘金' }),
          `SELECT COUNT(*) AS n FROM speakers WHERE affiliation = '稀土掘金'`,
        ],
      ];
      for (const [fetch, countSql] of cases) {
        const [row] = await db.query(countSql);
        const expected = Number(row!.n);
        expect(expected).toBeGreaterThan(2);
        const pages = await walkForward(fetch, 2);
        expect(pages.flat()).toHaveLength(expected);
        expect(new Set(pages.flat()).size).toBe(expected);
        expect((await fetch({ first: 1 })).totalCount).toBe(expected);
      }
    });

    it('is 0 for a filter nothing matches, with an empty page', async () => {
      const conn = await events(undefined, { city: 'Atlantis' })({ first: 5 });
      expect(conn).toEqual({
        totalCount: 0,
        pageInfo: {
          hasNextPage: false,
          hasPreviousPage: false,
          startCursor: null,
          endCursor: null,
        },
        edges: [],
        nodes: [],
      });
    });
  });

  describe('page sizes', () => {
    it('first: 0 gives an empty page that still says more rows follow', async () => {
      for (const fetch of [events(), talks(), speakers(), topics]) {
        const conn = await fetch({ first: 0 });
        expect(conn.edges).toEqual([]);
        expect(conn.pageInfo).toEqual({
          hasNextPage: true,
          hasPreviousPage: false,
          startCursor: null,
          endCursor: null,
        });
        expect(conn.totalCount).toBeGreaterThan(0);
      }
    });

    it('defaults to 20 rows', async () => {
      const conn = await talks()({});
      expect(conn.edges).toHaveLength(20);
      expect(conn.pageInfo.hasNextPage).toBe(true);
    });

    it('allows 100 rows', async () => {
      const conn = await talks()({ first: 100 });
      expect(conn.edges).toHaveLength(66);
      expect(conn.pageInfo.hasNextPage).toBe(false);
    });

    it.each([
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ last: -1 }, 'last'],
      [{ last: 101 }, 'last'],
      [{ first: 1, last: 1 }, 'last'],
    ])('refuses %j with BAD_USER_INPUT on every list', async (args, field) => {
      const results = await Promise.all([
        t.exec(EventPageDocument, args),
        t.exec(TalkPageDocument, args),
        t.exec(SpeakerPageDocument, args),
        t.exec(TopicPageDocument, args),
      ]);
      for (const result of results) {
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors![0]!.extensions?.field).toBe(field);
        expect(result.data).toBeNull();
      }
    });
  });

  describe('cursors', () => {
    it('refuses a cursor from another orderBy with BAD_USER_INPUT', async () => {
      const titleCursor = (await events({ field: 'TITLE', direction: 'ASC' })({ first: 2 }))
        .pageInfo.endCursor!;
      for (const orderBy of [
        { field: 'VIEWS', direction: 'ASC' },
        { field: 'TITLE', direction: 'DESC' },
        undefined,
      ] as const) {
        for (const args of [{ after: titleCursor }, { last: 2, before: titleCursor }]) {
          const result = await t.exec(EventPageDocument, { ...args, orderBy });
          expect(codes(result)).toEqual(['BAD_USER_INPUT']);
        }
      }
      const speakerCursor = (await speakers({ field: 'VIEWS', direction: 'DESC' })({ first: 1 }))
        .pageInfo.endCursor!;
      const result = await t.exec(SpeakerPageDocument, {
        after: speakerCursor,
        orderBy: { field: 'LIKES', direction: 'DESC' },
      });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });

    it.each([
      ['garbage', 'not a cursor'],
      ['an id instead of a cursor', toGlobalId('Event', 1)],
      [
        'a truncated cursor',
        encodeCursor({ order: 'Event:STARTS_AT:DESC', value: 'x', id: 1 }).slice(0, 10),
      ],
    ])('refuses %s with BAD_USER_INPUT', async (_label, cursor) => {
      for (const args of [{ after: cursor }, { before: cursor }]) {
        const result = await t.exec(EventPageDocument, args);
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it.each([
      ['a text value where a number belongs', 'Event:VIEWS:DESC', 'many'],
      ['a number where a date belongs', 'Event:STARTS_AT:DESC', 12],
      ['a malformed date', 'Event:STARTS_AT:DESC', 'yesterday'],
      ['a date out of range', 'Event:STARTS_AT:ASC', '99999-01-01T00:00:00Z'],
      ['a day the month lacks', 'Event:STARTS_AT:DESC', '2023-02-30T00:00:00Z'],
      ['year zero, which PostgreSQL lacks', 'Event:STARTS_AT:ASC', '0000-01-01T00:00:00.000Z'],
      ['an offset beyond ±15:59', 'Event:STARTS_AT:DESC', '2023-01-01T00:00:00+23:59'],
      ['a title holding NUL', 'Event:TITLE:ASC', 'a\u0000b'],
      ['a number out of range', 'Event:LIKES:ASC', 1e300],
    ])(
      'refuses a forged cursor with %s as BAD_USER_INPUT, never an internal error',
      async (_label, order, value) => {
        const [, field, direction] = order.split(':') as [string, EventOrderField, OrderDirection];
        const cursor = encodeCursor({ order, value, id: 1 });
        const result = await t.exec(EventPageDocument, {
          after: cursor,
          orderBy: { field, direction },
        });
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      },
    );

    it('refuses a cursor issued by another list with the same ordering', async () => {
      const events = await t.exec(EventPageDocument, { first: 1 });
      const eventCursor = events.data!.events.pageInfo.endCursor!;
      const talks = await t.exec(TalkPageDocument, { after: eventCursor });
      expect(codes(talks)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a forged cursor with an id beyond the id column as BAD_USER_INPUT', async () => {
      const cursor = encodeCursor({ order: 'Event:VIEWS:DESC', value: 1, id: 2 ** 40 });
      const result = await t.exec(EventPageDocument, {
        after: cursor,
        orderBy: { field: 'VIEWS', direction: 'DESC' },
      });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('keyset stability', () => {
    const inserted: number[] = [];
    afterEach(async () => {
      if (inserted.length > 0)
        await db.query(`DELETE FROM events WHERE id IN (:...ids)`, { ids: inserted.splice(0) });
    });

    const addEvent = async (
      slug: string,
      title: string,
      startsAt: Date,
      views = 0,
    ): Promise<number> => {
      const [row] = await db.query(
        `INSERT INTO events (slug, title, starts_at, view_count) VALUES (:slug, :title, :startsAt, :views) RETURNING id`,
        { slug, title, startsAt: db.dateParam(startsAt), views },
      );
      inserted.push(Number(row!.id));
      return Number(row!.id);
    };

    it('keeps an `after` cursor on its row when rows are inserted before it', async () => {
      const fetch = events();
      const before = (await fetch({ first: 100 })).edges.map((e) => e.node.id);
      const page1 = await fetch({ first: 5 });
      // Newer than every event: under OFFSET these would push page 1's rows onto page 2.
      for (let i = 0; i < 3; i++)
        await addEvent(`newer-${i}`, `Newer ${i}`, new Date(BASE + 100 * DAY + i));
      const page2 = await fetch({ first: 5, after: page1.pageInfo.endCursor! });
      expect(page2.edges.map((e) => e.node.id)).toEqual(before.slice(5, 10));
      expect(page2.totalCount).toBe(EVENTS + 3);
    });

    it('keeps a `before` cursor on its row when rows are inserted after it', async () => {
      const fetch = events({ field: 'TITLE', direction: 'ASC' });
      const all = (await fetch({ first: 100 })).edges;
      const cursor = all[20]!.cursor;
      // Sorts after every title: appended at the end, behind the cursor.
      for (let i = 0; i < 4; i++) await addEvent(`tail-${i}`, `\u9fa5 tail ${i}`, new Date(BASE));
      const page = await fetch({ last: 5, before: cursor });
      expect(page.edges.map((e) => e.node.id)).toEqual(all.slice(15, 20).map((e) => e.node.id));
    });

    it('keeps paging after the cursor’s own row is deleted', async () => {
      const fetch = events({ field: 'STARTS_AT', direction: 'ASC' });
      const id = await addEvent('doomed', 'Doomed', new Date(BASE + 3 * DAY + 1));
      const all = (await fetch({ first: 100 })).edges;
      const index = all.findIndex((e) => e.node.id === toGlobalId('Event', id));
      expect(index).toBeGreaterThan(0);
      await db.query(`DELETE FROM events WHERE id = :id`, { id });
      const page = await fetch({ first: 4, after: all[index]!.cursor });
      expect(page.edges.map((e) => e.node.id)).toEqual(
        all.slice(index + 1, index + 5).map((e) => e.node.id),
      );
    });

    it('moves a row whose sort value changes, without repeating the rows before the cursor', async () => {
      const fetch = events({ field: 'VIEWS', direction: 'DESC' });
      const all = (await fetch({ first: 100 })).edges.map((e) => e.node.id);
      const page1 = await fetch({ first: 6 });
      const moved = page1.edges[0]!.node.id;
      const movedId = Number(Buffer.from(moved, 'base64url').toString().split(':')[1]);
      const [original] = await db.query(`SELECT view_count FROM events WHERE id = :id`, {
        id: movedId,
      });
      // A row from page 1 drops to the bottom: page 2 must not repeat page 1's other rows.
      await db.query(`UPDATE events SET view_count = -1 WHERE id = :id`, { id: movedId });
      try {
        const rest = await fetch({ first: 100, after: page1.pageInfo.endCursor! });
        expect(rest.edges.map((e) => e.node.id)).toEqual([...all.slice(6), moved]);
      } finally {
        await db.query(`UPDATE events SET view_count = :views WHERE id = :id`, {
          id: movedId,
          views: original!.view_count,
        });
      }
    });
  });
});
