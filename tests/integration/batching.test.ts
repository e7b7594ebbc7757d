import {
  EventDetailDocument,
  EventPageDocument,
  NestedEventsDocument,
} from '../__generated__/graphql';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';
import { seedSynthetic } from '../../src/db/seed/synthetic';
import { toGlobalId } from '../../src/lib/global-id';

/**
 * The nested page (events → talks → speakers, topics, with counters) must cost a fixed
 * number of statements whatever the page size: one per level, never one per row.
 */
describeDb('batched loading', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await createTestServer();
    await seedSynthetic(t.server.db, { events: 120, seed: 7 });
  });
  afterAll(() => t?.stop());

  const statementsFor = async (first: number, token?: string): Promise<string[]> => {
    t.sql.length = 0;
    const result = await t.exec(NestedEventsDocument, { first }, { token });
    expect(result.errors).toBeUndefined();
    expect(result.data?.events.edges).toHaveLength(first);
    return [...t.sql];
  };

  it('costs the same statements for 5, 20 and 100 events, at most 6', async () => {
    const token = await t.token('alice');
    for (const viewer of [undefined, token]) {
      const counts = [];
      for (const first of [5, 20, 100]) counts.push((await statementsFor(first, viewer)).length);
      expect(new Set(counts).size).toBe(1);
      expect(counts[0]).toBeLessThanOrEqual(6);
    }
  });

  it('reads counters from the rows already loaded, and a viewer’s likes once per level', async () => {
    const anonymous = await statementsFor(20);
    const signedIn = await statementsFor(20, await t.token('alice'));
    expect(anonymous).toHaveLength(4);
    expect(signedIn.filter((sql) => /\bFROM likes\b/.test(sql))).toHaveLength(2);
    expect(signedIn).toHaveLength(6);
  });

  it('reads the nested page in the statements the hot path is reviewed with', async () => {
    const statements = await statementsFor(20);
    const firstTable = (sql: string) => /\bFROM\s+(\w+)/i.exec(sql)?.[1];
    // Level by level: the page, then each relation in one statement.
    expect(statements.map(firstTable)).toEqual(['events', 'talks', 'talk_speakers', 'talk_topics']);
  });

  it('shares each level’s statement between requests running at the same moment', async () => {
    const ids = [3, 40, 77, 987_654].map((id) => toGlobalId('Event', id));
    const detail = (id: string) => t.exec(EventDetailDocument, { id });
    const sequential = [];
    const statementsEach = [];
    for (const id of ids) {
      t.sql.length = 0;
      sequential.push(await detail(id));
      statementsEach.push(t.sql.length);
    }

    t.sql.length = 0;
    const concurrent = await Promise.all(ids.map(detail));
    // As many statements as one request alone: one per level for all four requests, each
    // answered with its own rows only.
    expect(statementsEach).toEqual([4, 4, 4, 1]);
    expect(t.sql).toHaveLength(4);
    expect(concurrent).toEqual(sequential);
    expect(concurrent[3]!.data?.event).toBeNull();
    expect(concurrent.slice(0, 3).map((r) => r.data?.event?.id)).toEqual(ids.slice(0, 3));
  });

  it('runs a read that concurrent requests send identically once', async () => {
    const sequential = [];
    for (let i = 0; i < 3; i++) sequential.push(await t.exec(NestedEventsDocument, { first: 20 }));
    t.sql.length = 0;
    const concurrent = await Promise.all(
      [0, 1, 2].map(() => t.exec(NestedEventsDocument, { first: 20 })),
    );
    expect(t.sql).toHaveLength(4);
    expect(concurrent).toEqual(sequential);
  });

  it('never hands a caller the answer of a read sent before it asked', async () => {
    const count = () => t.server.db.query('SELECT COUNT(*) AS n FROM events');
    t.sql.length = 0;
    const sent = count();
    // The turn ends: the first read goes out. Later callers must not share it, since a
    // write they know of may have completed after it was sent.
    await new Promise((resolve) => setImmediate(resolve));
    const [a, b] = await Promise.all([count(), count()]);
    await sent;
    expect(t.sql).toHaveLength(2);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });

  it('adds exactly one COUNT statement when totalCount is selected', async () => {
    t.sql.length = 0;
    const result = await t.exec(EventPageDocument, { first: 20 });
    expect(result.data?.events.totalCount).toBe(121);
    expect(t.sql.filter((sql) => /COUNT\(\*\)/i.test(sql))).toHaveLength(1);
    expect(t.sql).toHaveLength(2);
  });
});
