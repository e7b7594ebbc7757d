import {
  CountersDocument,
  DeleteEventDocument,
  DeleteTalkDocument,
  LikeDocument,
  RecordViewDocument,
  UnlikeDocument,
} from '../__generated__/graphql';
import { toGlobalId } from '../../src/lib/global-id';
import { codes, createTestServer, describeDb, type TestServer } from '../helpers/test-server';

/** The stored view and like counts of a row, and how many like records point at it. */
async function stored(
  t: TestServer,
  type: 'Event' | 'Talk',
  id: number,
): Promise<{ views: number; likes: number; likeRows: number }> {
  const table = type === 'Event' ? 'events' : 'talks';
  const column = type === 'Event' ? 'event_id' : 'talk_id';
  const [row] = await t.server.db.query(
    `SELECT view_count, like_count, (SELECT COUNT(*) FROM likes WHERE ${column} = :id) AS like_rows
     FROM ${table} WHERE id = :id`,
    { id },
  );
  return {
    views: Number(row!.view_count),
    likes: Number(row!.like_count),
    likeRows: Number(row!.like_rows),
  };
}

/** A fresh read of a Countable through `node`, as `token`'s viewer (anonymous without one). */
async function read(t: TestServer, id: string, token?: string) {
  const result = await t.exec(CountersDocument, { id }, { token });
  expect(result.errors).toBeUndefined();
  return result.data!.node as {
    id: string;
    viewCount: number;
    likeCount: number;
    viewerHasLiked: boolean;
  };
}

/** An event with one talk of the seeded speaker, made with SQL; returns the row ids. */
async function addEventWithTalk(
  t: TestServer,
  slug: string,
): Promise<{ eventId: number; talkId: number }> {
  const db = t.server.db;
  const startsAt = db.dateParam(new Date('2024-05-01T06:00:00Z'));
  const [event] = await db.query(
    `INSERT INTO events (slug, title, starts_at) VALUES (:slug, :slug, :startsAt) RETURNING id`,
    { slug, startsAt },
  );
  const [talk] = await db.query(
    `INSERT INTO talks (event_id, slug, title, position, sort_starts_at)
     VALUES (:eventId, :slug, :slug, 1, :startsAt) RETURNING id`,
    { eventId: event!.id, slug: `${slug}-talk`, startsAt },
  );
  await db.query(
    `INSERT INTO talk_speakers (talk_id, speaker_id, position) SELECT :talkId, MIN(id), 1 FROM speakers`,
    { talkId: talk!.id },
  );
  return { eventId: Number(event!.id), talkId: Number(talk!.id) };
}

describeDb('view and like counters', () => {
  let t: TestServer;
  let alice: string;
  let bob: string;
  let admin: string;
  // The seeded 第21期 event (729 views, 4 likes without like records) and its first talk.
  const eventId = toGlobalId('Event', 1);
  const talkId = toGlobalId('Talk', 1);

  beforeAll(async () => {
    t = await createTestServer({ env: { VIEW_DEDUP_SECONDS: '1800' } });
    [alice, bob, admin] = await Promise.all([
      t.token('alice'),
      t.token('bob'),
      t.token('root', 'admin'),
    ]);
  });
  afterAll(() => t?.stop());

  /** recordView (anonymous), like and unlike (as alice) of one id. */
  const allThree = (id: string) =>
    Promise.all([
      t.exec(RecordViewDocument, { id }),
      t.exec(LikeDocument, { id }, { token: alice }),
      t.exec(UnlikeDocument, { id }, { token: alice }),
    ]);

  describe('recordView', () => {
    it.each([
      ['Event', 1],
      ['Talk', 2],
    ] as const)(
      'adds one per anonymous view of a %s, in the payload, a fresh read and the database',
      async (type, rowId) => {
        const id = toGlobalId(type, rowId);
        const start = await stored(t, type, rowId);
        for (let n = 1; n <= 3; n++) {
          const result = await t.exec(RecordViewDocument, { id });
          expect(result.errors).toBeUndefined();
          const payload = result.data!.recordView;
          expect(payload.viewCount).toBe(start.views + n);
          expect(payload.subject).toMatchObject({
            __typename: type,
            id,
            viewCount: start.views + n,
          });
          expect(payload.viewerHasLiked).toBe(false);
          expect(await read(t, id)).toMatchObject({
            viewCount: start.views + n,
            likeCount: start.likes,
          });
          expect((await stored(t, type, rowId)).views).toBe(start.views + n);
        }
      },
    );

    it('counts a signed-in viewer’s repeat views once within VIEW_DEDUP_SECONDS', async () => {
      const start = (await stored(t, 'Talk', 3)).views;
      const id = toGlobalId('Talk', 3);
      const views = async (token?: string) =>
        (await t.exec(RecordViewDocument, { id }, { token })).data!.recordView;
      expect((await views(alice)).viewCount).toBe(start + 1);
      expect((await views(alice)).viewCount).toBe(start + 1);
      expect((await views(alice)).viewCount).toBe(start + 1);
      // Another viewer, and anonymous viewers, still count.
      expect((await views(bob)).viewCount).toBe(start + 2);
      expect((await views()).viewCount).toBe(start + 3);
      expect((await views()).viewCount).toBe(start + 4);
      expect((await views(bob)).viewCount).toBe(start + 4);
      expect((await stored(t, 'Talk', 3)).views).toBe(start + 4);
    });

    it('dedups per item: the same viewer’s view of another item counts', async () => {
      const event = (await stored(t, 'Event', 1)).views;
      const talk = (await stored(t, 'Talk', 4)).views;
      await t.exec(RecordViewDocument, { id: toGlobalId('Talk', 4) }, { token: alice });
      await t.exec(RecordViewDocument, { id: eventId }, { token: alice });
      await t.exec(RecordViewDocument, { id: toGlobalId('Talk', 4) }, { token: alice });
      await t.exec(RecordViewDocument, { id: eventId }, { token: alice });
      expect((await stored(t, 'Event', 1)).views).toBe(event + 1);
      expect((await stored(t, 'Talk', 4)).views).toBe(talk + 1);
    });

    it('counts 50 concurrent views exactly', async () => {
      const start = (await stored(t, 'Talk', 1)).views;
      const results = await Promise.all(
        Array.from({ length: 50 }, () => t.exec(RecordViewDocument, { id: talkId })),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      const seen = results.map((r) => r.data!.recordView.viewCount).sort((a, b) => a - b);
      // Every payload shows a count that includes its own view.
      expect(seen[0]).toBeGreaterThan(start);
      expect(seen.at(-1)).toBe(start + 50);
      expect((await stored(t, 'Talk', 1)).views).toBe(start + 50);
      expect((await read(t, talkId)).viewCount).toBe(start + 50);
    });

    it('counts 30 concurrent signed-in viewers once each', async () => {
      const start = (await stored(t, 'Event', 1)).views;
      const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => t.token(`crowd-${i}`)));
      await Promise.all(
        [...tokens, ...tokens].map((token) =>
          t.exec(RecordViewDocument, { id: eventId }, { token }),
        ),
      );
      expect((await stored(t, 'Event', 1)).views).toBe(start + 30);
    });

    it.each([
      ['Speaker', toGlobalId('Speaker', 1)],
      ['Topic', toGlobalId('Topic', 1)],
    ])('answers the id of a %s with NOT_FOUND, as admin mutations do', async (_type, id) => {
      for (const result of await allThree(id)) {
        expect(codes(result)).toEqual(['NOT_FOUND']);
        expect(result.data).toBeNull();
      }
    });

    it.each([
      ['an unknown event', toGlobalId('Event', 99_999)],
      ['an unknown talk', toGlobalId('Talk', 99_999)],
      ['a malformed id', 'not-an-id'],
      ['an empty id', ''],
      ['an id beyond the id column', Buffer.from('Talk:99999999999').toString('base64url')],
    ])('answers %s with NOT_FOUND', async (_label, id) => {
      for (const result of await allThree(id)) expect(codes(result)).toEqual(['NOT_FOUND']);
    });
  });

  describe('with VIEW_DEDUP_SECONDS=0', () => {
    let t0: TestServer;
    beforeAll(async () => {
      t0 = await createTestServer({ env: { VIEW_DEDUP_SECONDS: '0' } });
    });
    afterAll(() => t0?.stop());

    it('counts every view of a signed-in viewer', async () => {
      const token = await t0.token('alice');
      const start = (await stored(t0, 'Talk', 1)).views;
      for (let n = 1; n <= 4; n++) {
        const result = await t0.exec(RecordViewDocument, { id: talkId }, { token });
        expect(result.data?.recordView.viewCount).toBe(start + n);
      }
      expect((await stored(t0, 'Talk', 1)).views).toBe(start + 4);
    });
  });

  describe('like and unlike', () => {
    it('are idempotent per viewer and show the viewer’s own like only to them', async () => {
      const id = toGlobalId('Talk', 2);
      const start = await stored(t, 'Talk', 2);

      const first = await t.exec(LikeDocument, { id }, { token: alice });
      expect(first.errors).toBeUndefined();
      expect(first.data?.like).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: true,
        subject: { id, likeCount: start.likes + 1, viewerHasLiked: true },
      });
      const again = await t.exec(LikeDocument, { id }, { token: alice });
      expect(again.data?.like).toMatchObject({ likeCount: start.likes + 1, viewerHasLiked: true });
      expect(await stored(t, 'Talk', 2)).toMatchObject({
        likes: start.likes + 1,
        likeRows: start.likeRows + 1,
      });

      expect(await read(t, id, alice)).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: true,
      });
      expect(await read(t, id, bob)).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: false,
      });
      expect(await read(t, id)).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: false,
      });

      const bobs = await t.exec(LikeDocument, { id }, { token: bob });
      expect(bobs.data?.like).toMatchObject({ likeCount: start.likes + 2, viewerHasLiked: true });

      const unlike = await t.exec(UnlikeDocument, { id }, { token: alice });
      expect(unlike.errors).toBeUndefined();
      expect(unlike.data?.unlike).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: false,
        subject: { likeCount: start.likes + 1, viewerHasLiked: false },
      });
      const unlikeAgain = await t.exec(UnlikeDocument, { id }, { token: alice });
      expect(unlikeAgain.data?.unlike).toMatchObject({
        likeCount: start.likes + 1,
        viewerHasLiked: false,
      });
      expect(await stored(t, 'Talk', 2)).toMatchObject({
        likes: start.likes + 1,
        likeRows: start.likeRows + 1,
      });
      expect(await read(t, id, alice)).toMatchObject({ viewerHasLiked: false });
      expect(await read(t, id, bob)).toMatchObject({ viewerHasLiked: true });

      // Liking again after an unlike counts again.
      await t.exec(LikeDocument, { id }, { token: alice });
      expect(await stored(t, 'Talk', 2)).toMatchObject({
        likes: start.likes + 2,
        likeRows: start.likeRows + 2,
      });
    });

    it('shows the viewer’s like in the payload of their views', async () => {
      const id = toGlobalId('Talk', 4);
      const erin = await t.token('erin');
      await t.exec(LikeDocument, { id }, { token: erin });
      const own = await t.exec(RecordViewDocument, { id }, { token: erin });
      expect(own.data?.recordView).toMatchObject({
        viewerHasLiked: true,
        subject: { viewerHasLiked: true },
      });
      const other = await t.exec(RecordViewDocument, { id }, { token: bob });
      expect(other.data?.recordView).toMatchObject({
        viewerHasLiked: false,
        subject: { viewerHasLiked: false },
      });
    });

    it('keeps the likes of an event and a talk with the same row id apart', async () => {
      const event = toGlobalId('Event', 1);
      const talk = toGlobalId('Talk', 1);
      const carol = await t.token('carol');
      const before = await stored(t, 'Talk', 1);
      await t.exec(LikeDocument, { id: event }, { token: carol });
      expect(await read(t, event, carol)).toMatchObject({ viewerHasLiked: true });
      expect(await read(t, talk, carol)).toMatchObject({ viewerHasLiked: false });
      expect((await stored(t, 'Talk', 1)).likes).toBe(before.likes);
      await t.exec(LikeDocument, { id: talk }, { token: carol });
      expect(await read(t, talk, carol)).toMatchObject({ viewerHasLiked: true });
      expect((await stored(t, 'Talk', 1)).likes).toBe(before.likes + 1);
    });

    it('never takes the count below the likes it has records of', async () => {
      // The seeded 4 likes of 第21期 have no like records: dave never liked it.
      const dave = await t.token('dave');
      const before = await stored(t, 'Event', 1);
      const result = await t.exec(UnlikeDocument, { id: eventId }, { token: dave });
      expect(result.data?.unlike).toMatchObject({ likeCount: before.likes, viewerHasLiked: false });
      expect(await stored(t, 'Event', 1)).toEqual(before);
    });

    it('need a signed-in viewer and write nothing without one', async () => {
      const before = await stored(t, 'Talk', 3);
      const id = toGlobalId('Talk', 3);
      expect(codes(await t.exec(LikeDocument, { id }))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await t.exec(UnlikeDocument, { id }))).toEqual(['UNAUTHENTICATED']);
      expect(await stored(t, 'Talk', 3)).toEqual(before);
    });

    it('count one like per viewer under concurrency', async () => {
      const { talkId: rowId } = await addEventWithTalk(t, 'concurrent-likes');
      const id = toGlobalId('Talk', rowId);
      const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => t.token(`fan-${i}`)));
      // Every fan double-clicks: 40 likes at once, 20 viewers.
      const results = await Promise.all(
        [...tokens, ...tokens].map((token) => t.exec(LikeDocument, { id }, { token })),
      );
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(await stored(t, 'Talk', rowId)).toMatchObject({ likes: 20, likeRows: 20 });
      await Promise.all(
        tokens
          .slice(0, 5)
          .flatMap((token) => [1, 2].map(() => t.exec(UnlikeDocument, { id }, { token }))),
      );
      expect(await stored(t, 'Talk', rowId)).toMatchObject({ likes: 15, likeRows: 15 });
    });
  });

  describe('views and likes at once', () => {
    it('loses and doubles nothing when views, likes and unlikes interleave', async () => {
      const { eventId: eventRow, talkId: talkRow } = await addEventWithTalk(t, 'busy');
      const ids = { event: toGlobalId('Event', eventRow), talk: toGlobalId('Talk', talkRow) };
      const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => t.token(`busy-${i}`)));
      await Promise.all(tokens.map((token) => t.exec(LikeDocument, { id: ids.talk }, { token })));
      const results = await Promise.all([
        ...Array.from({ length: 20 }, () => t.exec(RecordViewDocument, { id: ids.talk })),
        ...Array.from({ length: 20 }, () => t.exec(RecordViewDocument, { id: ids.event })),
        ...tokens.slice(0, 4).map((token) => t.exec(UnlikeDocument, { id: ids.talk }, { token })),
        ...tokens.map((token) => t.exec(LikeDocument, { id: ids.event }, { token })),
      ]);
      expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
      expect(await stored(t, 'Talk', talkRow)).toEqual({ views: 20, likes: 6, likeRows: 6 });
      expect(await stored(t, 'Event', eventRow)).toEqual({ views: 20, likes: 10, likeRows: 10 });
    });
  });

  describe('deleting liked rows', () => {
    const likeRows = async (column: 'talk_id' | 'event_id', id: number) => {
      const [row] = await t.server.db.query(
        `SELECT COUNT(*) AS n FROM likes WHERE ${column} = :id`,
        { id },
      );
      return Number(row!.n);
    };

    it('removes the likes of a deleted talk', async () => {
      const { talkId: rowId } = await addEventWithTalk(t, 'doomed-talk');
      const id = toGlobalId('Talk', rowId);
      await t.exec(LikeDocument, { id }, { token: alice });
      await t.exec(LikeDocument, { id }, { token: bob });
      expect(await likeRows('talk_id', rowId)).toBe(2);

      const deleted = await t.exec(DeleteTalkDocument, { id }, { token: admin });
      expect(deleted.errors).toBeUndefined();
      expect(await likeRows('talk_id', rowId)).toBe(0);
      // Its counters are gone with it.
      expect(codes(await t.exec(RecordViewDocument, { id }))).toEqual(['NOT_FOUND']);
      expect(codes(await t.exec(LikeDocument, { id }, { token: alice }))).toEqual(['NOT_FOUND']);
      expect((await t.exec(CountersDocument, { id })).data?.node).toBeNull();
    });

    it('removes the likes of a deleted event and of its talks', async () => {
      const { eventId: eventRow, talkId: talkRow } = await addEventWithTalk(t, 'doomed-event');
      await t.exec(LikeDocument, { id: toGlobalId('Event', eventRow) }, { token: alice });
      await t.exec(LikeDocument, { id: toGlobalId('Talk', talkRow) }, { token: alice });
      expect(await likeRows('event_id', eventRow)).toBe(1);
      expect(await likeRows('talk_id', talkRow)).toBe(1);

      const deleted = await t.exec(
        DeleteEventDocument,
        { id: toGlobalId('Event', eventRow) },
        { token: admin },
      );
      expect(deleted.errors).toBeUndefined();
      expect(await likeRows('event_id', eventRow)).toBe(0);
      expect(await likeRows('talk_id', talkRow)).toBe(0);
    });
  });
});
