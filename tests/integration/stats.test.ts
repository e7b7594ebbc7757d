import {
  LikeDocument,
  RecordViewDocument,
  SpeakerLeaderboardDefaultDocument,
  SpeakerLeaderboardDocument,
  SpeakerPageStatsDocument,
  SpeakerPageTwoHistoriesDocument,
  SpeakerStatsDocument,
  TalkPageViewHistoryDocument,
  TalkViewHistoryDefaultDocument,
  TalkViewHistoryDocument,
  type SpeakerLeaderboardQueryVariables,
} from '../__generated__/graphql';
import { seedSynthetic } from '../../src/db/seed/synthetic';
import { addDays, daysEndingOn, utcDay } from '../../src/lib/days';
import { toGlobalId } from '../../src/lib/global-id';
import { codes, createTestServer, describeDb, type TestServer } from '../helpers/test-server';

/** The seeded 第21期 speakers: one talk each, 0 views and 0 likes on the talks. */
const SEEDED_SPEAKERS = ['xue-yu-fei', 'song-gu-yang', 'michael-yuan', 'lin-hui'];

describeDb('speaker statistics, view histories and the leaderboard', () => {
  let t: TestServer;
  const today = utcDay(new Date());
  const ids: Record<string, number> = {};

  const insert = async (sql: string, params: Record<string, unknown>): Promise<number> => {
    const [row] = await t.server.db.query(`${sql} RETURNING id`, params);
    return Number(row!.id);
  };
  const at = (iso: string) => t.server.db.dateParam(new Date(iso));

  async function addSpeaker(key: string, name: string): Promise<void> {
    ids[key] = await insert(`INSERT INTO speakers (slug, name) VALUES (:slug, :name)`, {
      slug: `stats-${key}`,
      name,
    });
  }

  async function addTalk(
    key: string,
    talk: {
      event: string;
      speakers: string[];
      topics: string[];
      views: number;
      likes: number;
      startsAt?: string;
    },
  ): Promise<void> {
    const [event] = await t.server.db.query(`SELECT starts_at FROM events WHERE id = :id`, {
      id: ids[talk.event],
    });
    ids[key] = await insert(
      `INSERT INTO talks (event_id, slug, title, position, starts_at, sort_starts_at, view_count, like_count)
       VALUES (:eventId, :slug, :slug, 1, :startsAt, :sortStartsAt, :views, :likes)`,
      {
        eventId: ids[talk.event],
        slug: `stats-${key}`,
        startsAt: talk.startsAt ? at(talk.startsAt) : null,
        sortStartsAt: talk.startsAt ? at(talk.startsAt) : event!.starts_at,
        views: talk.views,
        likes: talk.likes,
      },
    );
    for (const [i, speaker] of talk.speakers.entries()) {
      await t.server.db.query(
        `INSERT INTO talk_speakers (talk_id, speaker_id, position) VALUES (:talkId, :speakerId, :position)`,
        { talkId: ids[key], speakerId: ids[speaker], position: i + 1 },
      );
    }
    for (const [i, topic] of talk.topics.entries()) {
      await t.server.db.query(
        `INSERT INTO talk_topics (talk_id, topic_id, position) VALUES (:talkId, :topicId, :position)`,
        { talkId: ids[key], topicId: ids[topic], position: i + 1 },
      );
    }
  }

  async function addDailyViews(talk: string, daysAgo: number, views: number): Promise<void> {
    await t.server.db.query(
      `INSERT INTO talk_daily_views (talk_id, day, views) VALUES (:talkId, :day, :views)`,
      { talkId: ids[talk], day: addDays(today, -daysAgo), views },
    );
  }

  async function addLike(talk: string, viewer: string, createdAt: string): Promise<void> {
    await t.server.db.query(
      `INSERT INTO likes (viewer_id, talk_id, created_at) VALUES (:viewer, :talkId, :createdAt)`,
      { viewer, talkId: ids[talk], createdAt: at(createdAt) },
    );
  }

  /**
   * Speakers are created so that id order differs from name order (Cal before Ada), and
   * topic B before topic A: ties must be broken by name, not by id.
   *
   *   talk  event  speakers   topics  views  likes  daily views (days ago: n)
   *   t1    e1     ada        A       100    5      0: 4, 2: 6, 40: 90
   *   t2    e2     ada, bea   A, B    50     3      0: 1, 1: 2         (own start)
   *   t3    e2     cal        B       150    8      10: 30
   *   t4    e1     dee        —       200    1      3: 5
   *   t5    e1     ada        A       0      0
   *   eve has no talks.
   */
  beforeAll(async () => {
    t = await createTestServer();
    ids.topicB = await insert(`INSERT INTO topics (slug, name) VALUES ('stats-b', 'Stats B')`, {});
    ids.topicA = await insert(`INSERT INTO topics (slug, name) VALUES ('stats-a', 'Stats A')`, {});
    ids.e1 = await insert(
      `INSERT INTO events (slug, title, starts_at) VALUES ('stats-e1', 'E1', :startsAt)`,
      { startsAt: at('2024-01-10T10:00:00Z') },
    );
    ids.e2 = await insert(
      `INSERT INTO events (slug, title, starts_at) VALUES ('stats-e2', 'E2', :startsAt)`,
      { startsAt: at('2024-06-01T10:00:00Z') },
    );
    await addSpeaker('cal', 'Cal');
    await addSpeaker('ada', 'Ada');
    await addSpeaker('bea', 'Bea');
    await addSpeaker('dee', 'Dee');
    await addSpeaker('eve', 'Eve');
    await addTalk('t1', {
      event: 'e1',
      speakers: ['ada'],
      topics: ['topicA'],
      views: 100,
      likes: 5,
    });
    await addTalk('t2', {
      event: 'e2',
      speakers: ['ada', 'bea'],
      topics: ['topicA', 'topicB'],
      views: 50,
      likes: 3,
      startsAt: '2024-06-01T12:00:00Z',
    });
    await addTalk('t3', {
      event: 'e2',
      speakers: ['cal'],
      topics: ['topicB'],
      views: 150,
      likes: 8,
    });
    await addTalk('t4', { event: 'e1', speakers: ['dee'], topics: [], views: 200, likes: 1 });
    await addTalk('t5', { event: 'e1', speakers: ['ada'], topics: ['topicA'], views: 0, likes: 0 });
    await addDailyViews('t1', 0, 4);
    await addDailyViews('t1', 2, 6);
    await addDailyViews('t1', 40, 90);
    await addDailyViews('t2', 0, 1);
    await addDailyViews('t2', 1, 2);
    await addDailyViews('t3', 10, 30);
    await addDailyViews('t4', 3, 5);
    await addLike('t1', 'u1', '2024-03-15T00:00:00Z');
    await addLike('t1', 'u2', '2024-05-02T08:00:00Z');
    await addLike('t2', 'u1', '2024-05-03T00:00:00Z');
    await addLike('t2', 'u2', '2024-05-04T00:00:00Z');
    await addLike('t3', 'u3', '2024-05-05T10:00:00Z');
    // t4's one like is a seeded total without a like record.
  });
  afterAll(() => t?.stop());

  const speakerStats = async (key: string, days?: number) => {
    const result = await t.exec(SpeakerStatsDocument, { slug: `stats-${key}`, days });
    expect(result.errors).toBeUndefined();
    return result.data!.speaker!.stats;
  };

  const leaderboard = async (variables: SpeakerLeaderboardQueryVariables) => {
    const result = await t.exec(SpeakerLeaderboardDocument, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.speakerLeaderboard.map((r) => [r.rank, r.speaker.slug, r.value]);
  };

  describe('Speaker.stats', () => {
    it('aggregates the talks: counts, distinct events, flushed totals, first and last talk', async () => {
      const stats = await speakerStats('ada', 7);
      expect(stats).toMatchObject({
        talkCount: 3,
        eventCount: 2,
        viewCount: 150,
        likeCount: 8,
        // t1 and t5 have no start of their own: their event's counts.
        firstTalkAt: '2024-01-10T10:00:00.000Z',
        lastTalkAt: '2024-06-01T12:00:00.000Z',
      });
    });

    it('lists topics by talk count, most first, ties by name', async () => {
      expect((await speakerStats('ada')).topics).toEqual([
        {
          topic: { id: toGlobalId('Topic', ids.topicA!), slug: 'stats-a', name: 'Stats A' },
          talkCount: 3,
        },
        {
          topic: { id: toGlobalId('Topic', ids.topicB!), slug: 'stats-b', name: 'Stats B' },
          talkCount: 1,
        },
      ]);
      // One talk on each: A before B by name, although B's id is lower.
      expect((await speakerStats('bea')).topics.map((t) => [t.topic.slug, t.talkCount])).toEqual([
        ['stats-a', 1],
        ['stats-b', 1],
      ]);
      expect((await speakerStats('dee')).topics).toEqual([]);
    });

    it('sums the daily views of the speaker’s talks, one entry per day, zeros included', async () => {
      const history = (await speakerStats('ada', 7)).viewHistory;
      const expected = new Map([
        [today, 5],
        [addDays(today, -1), 2],
        [addDays(today, -2), 6],
      ]);
      expect(history).toEqual(
        daysEndingOn(today, 7).map((day) => ({ day, count: expected.get(day) ?? 0 })),
      );
    });

    it('reports zeros, no topics and null dates for a speaker without talks', async () => {
      const stats = await speakerStats('eve');
      expect(stats).toMatchObject({
        talkCount: 0,
        eventCount: 0,
        viewCount: 0,
        likeCount: 0,
        topics: [],
        firstTalkAt: null,
        lastTalkAt: null,
      });
      // The default window: 30 days.
      expect(stats.viewHistory).toEqual(daysEndingOn(today, 30).map((day) => ({ day, count: 0 })));
    });

    it('counts the seeded talks’ own counters, not their event’s 729 views', async () => {
      const result = await t.exec(SpeakerStatsDocument, { slug: 'xue-yu-fei', days: 1 });
      expect(result.errors).toBeUndefined();
      const stats = result.data!.speaker!.stats;
      expect(stats).toMatchObject({
        talkCount: 1,
        eventCount: 1,
        viewCount: 0,
        likeCount: 0,
        firstTalkAt: '2023-08-12T06:00:00.000Z',
        lastTalkAt: '2023-08-12T06:00:00.000Z',
        viewHistory: [{ day: today, count: 0 }],
      });
      expect(stats.topics.map((t) => t.topic.slug).sort()).toEqual(
        ['ai-bian-cheng-zhu-shou', 'da-mo-xing', 'dai-ma-sheng-cheng'].sort(),
      );
      expect(stats.topics.every((t) => t.talkCount === 1)).toBe(true);
    });

    it.each([0, -1, 366])('refuses viewHistory(days: %d) naming days', async (days) => {
      const result = await t.exec(SpeakerStatsDocument, { slug: 'stats-ada', days });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('days');
    });
  });

  describe('Talk.viewHistory', () => {
    const talkHistory = async (key: string, days?: number) => {
      const result = await t.exec(TalkViewHistoryDocument, {
        id: toGlobalId('Talk', ids[key]!),
        days,
      });
      expect(result.errors).toBeUndefined();
      return result.data!.talk!.viewHistory;
    };

    it('has one entry per day, oldest first, ending today, with zeros', async () => {
      const history = await talkHistory('t1', 7);
      expect(history.map((d) => d.day)).toEqual(daysEndingOn(today, 7));
      expect(history.map((d) => d.count)).toEqual([0, 0, 0, 0, 6, 0, 4]);
      expect(history[6]!.day).toBe(today);
    });

    it('defaults to 30 days and reaches back up to 365', async () => {
      const result = await t.exec(TalkViewHistoryDefaultDocument, {
        id: toGlobalId('Talk', ids.t1!),
      });
      expect(result.errors).toBeUndefined();
      const month = result.data!.talk!.viewHistory;
      expect(month).toHaveLength(30);
      expect(month.reduce((sum, d) => sum + d.count, 0)).toBe(10);
      const year = await talkHistory('t1', 365);
      expect(year).toHaveLength(365);
      expect(year.find((d) => d.day === addDays(today, -40))?.count).toBe(90);
      expect(year.reduce((sum, d) => sum + d.count, 0)).toBe(100);
      expect(await talkHistory('t1', 1)).toEqual([{ day: today, count: 4 }]);
    });

    it('is all zeros for a talk that was never viewed (the seeded talks)', async () => {
      const history = await talkHistory('t5', 3);
      expect(history).toEqual(daysEndingOn(today, 3).map((day) => ({ day, count: 0 })));
      const result = await t.exec(TalkViewHistoryDocument, { id: toGlobalId('Talk', 1), days: 5 });
      expect(result.data!.talk!.viewHistory.map((d) => d.count)).toEqual([0, 0, 0, 0, 0]);
    });

    it.each([0, 366, -30])('refuses days: %d naming days', async (days) => {
      const result = await t.exec(TalkViewHistoryDocument, {
        id: toGlobalId('Talk', ids.t1!),
        days,
      });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('days');
      expect(result.errors![0]!.message).toMatch(/^days: /);
    });
  });

  describe('speakerLeaderboard', () => {
    it('ranks by flushed views with competition ranks (1, 2, 2, 4), ties by name', async () => {
      expect(await leaderboard({ metric: 'VIEWS', first: 4 })).toEqual([
        [1, 'stats-dee', 200],
        [2, 'stats-ada', 150],
        [2, 'stats-cal', 150],
        [4, 'stats-bea', 50],
      ]);
    });

    it('defaults to VIEWS and 10 rows, and ranks only speakers with talks', async () => {
      const result = await t.exec(SpeakerLeaderboardDefaultDocument, {});
      expect(result.errors).toBeUndefined();
      const rows = result.data!.speakerLeaderboard;
      // 4 new speakers with talks + 4 seeded ones; eve has no talk.
      expect(rows).toHaveLength(8);
      expect(rows.slice(0, 4).map((r) => [r.rank, r.speaker.slug, r.value])).toEqual([
        [1, 'stats-dee', 200],
        [2, 'stats-ada', 150],
        [2, 'stats-cal', 150],
        [4, 'stats-bea', 50],
      ]);
      expect(rows.slice(4).every((r) => r.rank === 5 && r.value === 0)).toBe(true);
      expect(
        rows
          .slice(4)
          .map((r) => r.speaker.slug)
          .sort(),
      ).toEqual([...SEEDED_SPEAKERS].sort());
      expect(rows.map((r) => r.speaker.slug)).not.toContain('stats-eve');
    });

    it('ranks by flushed likes, ties sharing the first place', async () => {
      expect(await leaderboard({ metric: 'LIKES', first: 4 })).toEqual([
        [1, 'stats-ada', 8],
        [1, 'stats-cal', 8],
        [3, 'stats-bea', 3],
        [4, 'stats-dee', 1],
      ]);
    });

    it('ranks by talks given', async () => {
      const rows = await leaderboard({ metric: 'TALKS' });
      expect(rows[0]).toEqual([1, 'stats-ada', 3]);
      // Everyone else with a talk gave exactly one.
      expect(rows.slice(1).every(([rank, , value]) => rank === 2 && value === 1)).toBe(true);
      expect(rows).toHaveLength(8);
    });

    it('restricts every metric to talks with the topic', async () => {
      expect(await leaderboard({ metric: 'TALKS', topic: 'stats-a' })).toEqual([
        [1, 'stats-ada', 3],
        [2, 'stats-bea', 1],
      ]);
      expect(await leaderboard({ metric: 'VIEWS', topic: 'stats-b' })).toEqual([
        [1, 'stats-cal', 150],
        [2, 'stats-ada', 50],
        [2, 'stats-bea', 50],
      ]);
      expect(await leaderboard({ metric: 'LIKES', topic: 'stats-a' })).toEqual([
        [1, 'stats-ada', 8],
        [2, 'stats-bea', 3],
      ]);
      // Two seeded speakers share this topic (their CJK names' order depends on collation).
      const seeded = await leaderboard({ metric: 'TALKS', topic: 'da-mo-xing' });
      expect(seeded.map(([rank, slug, value]) => `${rank} ${slug} ${value}`).sort()).toEqual([
        '1 lin-hui 1',
        '1 xue-yu-fei 1',
      ]);
    });

    it('answers an unknown topic with an empty list', async () => {
      for (const metric of ['VIEWS', 'LIKES', 'TALKS'] as const) {
        expect(await leaderboard({ metric, topic: 'no-such-topic' })).toEqual([]);
      }
    });

    it('counts only daily buckets from the UTC day of `since` on, for VIEWS', async () => {
      // Late in the day three days ago: that whole day's bucket counts.
      const since = `${addDays(today, -3)}T23:00:00.000Z`;
      const rows = await leaderboard({ metric: 'VIEWS', since, first: 20 });
      expect(rows.slice(0, 3)).toEqual([
        [1, 'stats-ada', 13],
        [2, 'stats-dee', 5],
        [3, 'stats-bea', 3],
      ]);
      // Talks in scope without views since then rank last, with 0.
      expect(rows.slice(3).every(([rank, , value]) => rank === 4 && value === 0)).toBe(true);
      expect(
        rows
          .slice(3)
          .map(([, slug]) => slug as string)
          .sort(),
      ).toEqual(['stats-cal', ...SEEDED_SPEAKERS].sort());
      expect(await leaderboard({ metric: 'VIEWS', since, topic: 'stats-a' })).toEqual([
        [1, 'stats-ada', 13],
        [2, 'stats-bea', 3],
      ]);
      expect(
        (await leaderboard({ metric: 'VIEWS', since: `${today}T00:00:00Z`, first: 2 })).slice(0, 2),
      ).toEqual([
        [1, 'stats-ada', 5],
        [2, 'stats-bea', 1],
      ]);
    });

    it('counts only like records created at or after `since`, for LIKES', async () => {
      expect(
        await leaderboard({ metric: 'LIKES', since: '2024-05-02T00:00:00Z', first: 4 }),
      ).toEqual([
        [1, 'stats-ada', 3],
        [2, 'stats-bea', 2],
        [3, 'stats-cal', 1],
        // dee's like is a total without a record: it does not count here.
        [4, 'stats-dee', 0],
      ]);
      // At the very instant of the like: included; a millisecond later: not.
      const exactly = await leaderboard({ metric: 'LIKES', since: '2024-05-05T10:00:00.000Z' });
      expect(exactly[0]).toEqual([1, 'stats-cal', 1]);
      const after = await leaderboard({ metric: 'LIKES', since: '2024-05-05T10:00:00.001Z' });
      expect(after.every(([rank, , value]) => rank === 1 && value === 0)).toBe(true);
    });

    it('counts only talks at events starting at or after `since`, for TALKS', async () => {
      expect(await leaderboard({ metric: 'TALKS', since: '2024-03-01T00:00:00Z' })).toEqual([
        [1, 'stats-ada', 1],
        [1, 'stats-bea', 1],
        [1, 'stats-cal', 1],
      ]);
      // The event's start itself is included.
      expect(await leaderboard({ metric: 'TALKS', since: '2024-06-01T10:00:00Z' })).toHaveLength(3);
      expect(await leaderboard({ metric: 'TALKS', since: '2024-06-01T10:00:00.001Z' })).toEqual([]);
    });

    it('returns nothing for first: 0, without a statement', async () => {
      t.sql.length = 0;
      expect(await leaderboard({ first: 0 })).toEqual([]);
      expect(t.sql).toEqual([]);
    });

    it('costs two statements: the ranking and the speakers', async () => {
      t.sql.length = 0;
      await leaderboard({ metric: 'LIKES', since: '2024-01-01T00:00:00Z', topic: 'stats-a' });
      expect(t.sql).toHaveLength(2);
      expect(t.sql[0]).toMatch(/RANK\(\) OVER/);
    });

    it.each([-1, 101])('refuses first: %d naming first', async (first) => {
      const result = await t.exec(SpeakerLeaderboardDocument, { first });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0]!.extensions!.field).toBe('first');
    });

    it('accepts first: 100', async () => {
      expect((await leaderboard({ first: 100 })).length).toBe(8);
    });
  });

  it('sees a view and a like as soon as they are stored', async () => {
    await addSpeaker('fay', 'Fay');
    await addTalk('t6', { event: 'e2', speakers: ['fay'], topics: [], views: 0, likes: 0 });
    const talkId = toGlobalId('Talk', ids.t6!);
    for (let i = 0; i < 3; i++) {
      expect((await t.exec(RecordViewDocument, { id: talkId })).errors).toBeUndefined();
    }
    const liked = await t.exec(LikeDocument, { id: talkId }, { token: await t.token('zoe') });
    expect(liked.errors).toBeUndefined();

    const history = await t.exec(TalkViewHistoryDocument, { id: talkId, days: 2 });
    expect(history.data!.talk!.viewHistory).toEqual([
      { day: addDays(today, -1), count: 0 },
      { day: today, count: 3 },
    ]);
    const stats = await speakerStats('fay', 1);
    expect(stats).toMatchObject({
      viewCount: 3,
      likeCount: 1,
      viewHistory: [{ day: today, count: 3 }],
    });
    const since = `${today}T00:00:00Z`;
    expect((await leaderboard({ metric: 'VIEWS', since, first: 1 }))[0]).toEqual([
      1,
      'stats-ada',
      5,
    ]);
    const recent = new Date(Date.now() - 60_000).toISOString();
    expect(await leaderboard({ metric: 'LIKES', since: recent, first: 2 })).toEqual([
      [1, 'stats-fay', 1],
      [2, 'stats-ada', 0],
    ]);
  });
});

/**
 * Every stats field of a whole page of speakers must cost a fixed number of statements,
 * one per kind of aggregate, never one per speaker.
 */
describeDb('batched statistics', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await createTestServer();
    await seedSynthetic(t.server.db, { events: 40, seed: 11 });
    await t.server.db.query(
      `INSERT INTO talk_daily_views (talk_id, day, views) SELECT id, :day, 1 + id % 7 FROM talks`,
      { day: utcDay(new Date()) },
    );
  });
  afterAll(() => t?.stop());

  const firstTable = (sql: string) => /\bFROM\s+(\w+)/i.exec(sql)?.[1];

  it('costs the same 5 statements for 5 and 50 speakers with every stats field', async () => {
    const statements: string[][] = [];
    for (const first of [5, 50]) {
      t.sql.length = 0;
      const result = await t.exec(SpeakerPageStatsDocument, { first, days: 7 });
      expect(result.errors).toBeUndefined();
      const nodes = result.data!.speakers.nodes;
      expect(nodes).toHaveLength(first);
      expect(nodes.some((n) => n.stats.talkCount > 0 && n.stats.topics.length > 0)).toBe(true);
      expect(nodes.every((n) => n.stats.viewHistory.length === 7)).toBe(true);
      statements.push([...t.sql]);
    }
    expect(statements[0]).toHaveLength(5);
    expect(statements[1]).toHaveLength(5);
    // The page, then totals, topic counts, their topics and the histories: one each.
    expect(statements[1]!.map(firstTable).sort()).toEqual([
      'speakers',
      'talk_speakers',
      'talk_speakers',
      'talk_speakers',
      'topics',
    ]);
  });

  it('adds one statement per distinct `days`, not per speaker', async () => {
    t.sql.length = 0;
    const result = await t.exec(SpeakerPageTwoHistoriesDocument, { first: 50 });
    expect(result.errors).toBeUndefined();
    expect(result.data!.speakers.nodes[0]!.stats.week).toHaveLength(7);
    expect(result.data!.speakers.nodes[0]!.stats.month).toHaveLength(30);
    expect(t.sql).toHaveLength(3);
  });

  it('reads the histories of a page of talks in one statement', async () => {
    for (const first of [5, 100]) {
      t.sql.length = 0;
      const result = await t.exec(TalkPageViewHistoryDocument, { first, days: 14 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.talks.nodes).toHaveLength(first);
      expect(result.data!.talks.nodes.every((n) => n.viewHistory.at(-1)!.count > 0)).toBe(true);
      expect(t.sql.map(firstTable)).toEqual(['talks', 'talk_daily_views']);
    }
  });
});
