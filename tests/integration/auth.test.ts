import { print } from 'graphql';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  CountersDocument,
  CreateEventDocument,
  CreateSpeakerDocument,
  CreateTopicDocument,
  DeleteEventDocument,
  DeleteSpeakerDocument,
  DeleteTalkDocument,
  DeleteTopicDocument,
  EventDetailDocument,
  LikeDocument,
  TotalsDocument,
  TypenameDocument,
  UnlikeDocument,
  UpdateEventDocument,
  UpdateTalkDocument,
} from '../__generated__/graphql';
import {
  createTestServer,
  describeDb,
  type ExecResult,
  TEST_JWT_SECRET,
  type TestServer,
} from '../helpers/test-server';

const key = (secret: string) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

/** A token like ours, with the parts a test wants changed. */
async function craftToken(
  options: {
    sub?: string | null;
    role?: string;
    secret?: string;
    alg?: string;
    expiresAt?: number;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ role: options.role ?? 'admin' })
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? now() + 3600);
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'mallory');
  return jwt.sign(key(options.secret ?? TEST_JWT_SECRET));
}

describeDb('authentication and roles', () => {
  let t: TestServer;
  let url: string;
  let eventId: string;
  let talkId: string;
  let speakerId: string;
  let topicId: string;

  beforeAll(async () => {
    t = await createTestServer();
    url = await t.listen();
    const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
    eventId = data!.event!.id;
    talkId = data!.event!.talks[0]!.id;
    speakerId = data!.event!.speakers[0]!.id;
    topicId = data!.event!.topics[0]!.id;
  });
  afterAll(() => t?.stop());

  const totals = async () => (await t.exec(TotalsDocument)).data;
  const codeOf = (result: ExecResult<unknown>) => {
    expect(result.errors).toHaveLength(1);
    return result.errors![0]!.extensions?.code;
  };

  /** Every kind of admin mutation, run under one identity (anonymous without a token). */
  const adminWrites = (token?: string) => {
    const as = { token };
    return [
      () =>
        t.exec(
          CreateEventDocument,
          { input: { title: 'Nope', startsAt: '2030-01-01T00:00:00Z' } },
          as,
        ),
      () => t.exec(UpdateEventDocument, { id: eventId, input: { title: 'Nope' } }, as),
      () => t.exec(DeleteEventDocument, { id: eventId }, as),
      () => t.exec(UpdateTalkDocument, { id: talkId, input: { title: 'Nope' } }, as),
      () => t.exec(DeleteTalkDocument, { id: talkId }, as),
      () => t.exec(CreateSpeakerDocument, { input: { name: 'Nope' } }, as),
      () => t.exec(DeleteSpeakerDocument, { id: speakerId }, as),
      () => t.exec(CreateTopicDocument, { input: { name: 'Nope' } }, as),
      () => t.exec(DeleteTopicDocument, { id: topicId }, as),
    ];
  };

  describe('in process (executeOperation with the context a header gives)', () => {
    it('anonymous: queries work, viewerHasLiked is false, likes and admin writes are UNAUTHENTICATED', async () => {
      const before = await totals();
      const counters = await t.exec(CountersDocument, { id: eventId });
      expect(counters.errors).toBeUndefined();
      expect(counters.data?.node).toMatchObject({
        viewCount: 729,
        likeCount: 4,
        viewerHasLiked: false,
      });
      expect(codeOf(await t.exec(LikeDocument, { id: eventId }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.exec(UnlikeDocument, { id: eventId }))).toBe('UNAUTHENTICATED');
      for (const write of adminWrites()) {
        const result = await write();
        expect(codeOf(result)).toBe('UNAUTHENTICATED');
        expect(result.data).toBeNull();
      }
      expect(await totals()).toEqual(before);
      const after = await t.exec(CountersDocument, { id: eventId });
      expect(after.data?.node).toMatchObject({ likeCount: 4 });
    });

    it('a viewer may like but gets FORBIDDEN for every admin write', async () => {
      const viewer = await t.token('bob', 'viewer');
      const before = await totals();
      for (const write of adminWrites(viewer)) {
        const result = await write();
        expect(codeOf(result)).toBe('FORBIDDEN');
        expect(result.data).toBeNull();
      }
      expect(await totals()).toEqual(before);

      const liked = await t.exec(LikeDocument, { id: talkId }, { token: viewer });
      expect(liked.errors).toBeUndefined();
      expect(liked.data?.like).toMatchObject({ viewerHasLiked: true, likeCount: 1 });
      const seen = await t.exec(CountersDocument, { id: talkId }, { token: viewer });
      expect(seen.data?.node).toMatchObject({ viewerHasLiked: true, likeCount: 1 });
      // Another viewer sees the count but not bob's like as theirs; anonymous sees false.
      const other = await t.exec(
        CountersDocument,
        { id: talkId },
        { token: await t.token('carol') },
      );
      expect(other.data?.node).toMatchObject({ viewerHasLiked: false, likeCount: 1 });
      expect((await t.exec(CountersDocument, { id: talkId })).data?.node).toMatchObject({
        viewerHasLiked: false,
        likeCount: 1,
      });
      const unliked = await t.exec(UnlikeDocument, { id: talkId }, { token: viewer });
      expect(unliked.data?.unlike).toMatchObject({ viewerHasLiked: false, likeCount: 0 });
    });

    it('an admin token may write', async () => {
      const token = await t.token('alice', 'admin');
      const created = await t.exec(
        CreateTopicDocument,
        { input: { name: 'Admin only' } },
        { token },
      );
      expect(created.errors).toBeUndefined();
      expect(created.data?.createTopic.slug).toBe('admin-only');
      const deleted = await t.exec(
        DeleteTopicDocument,
        { id: created.data!.createTopic.id },
        { token },
      );
      expect(deleted.data?.deleteTopic).toBe(created.data!.createTopic.id);
    });

    it('a bad token fails context creation with UNAUTHENTICATED, before any resolver', async () => {
      for (const token of [
        'garbage',
        await craftToken({ expiresAt: now() - 60 }),
        await craftToken({ secret: 'another-secret-another-secret-0123' }),
      ]) {
        await expect(t.exec(TypenameDocument, {}, { token })).rejects.toMatchObject({
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
    });
  });

  describe('over HTTP', () => {
    const post = async (
      query: string,
      variables: Record<string, unknown>,
      authorization?: string,
    ) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      expect(text).not.toContain('stacktrace');
      expect(text).not.toContain(TEST_JWT_SECRET);
      return {
        status: response.status,
        body: JSON.parse(text) as ExecResult<Record<string, unknown>>,
      };
    };
    const typename = print(TypenameDocument);

    it('no header is anonymous: queries work, writes and likes are UNAUTHENTICATED', async () => {
      const query = await post(typename, {});
      expect(query.status).toBe(200);
      expect(query.body.data).toEqual({ __typename: 'Query' });
      const counters = await post(print(CountersDocument), { id: eventId });
      expect(counters.body.data).toMatchObject({ node: { viewerHasLiked: false } });
      for (const [document, variables] of [
        [LikeDocument, { id: eventId }],
        [CreateEventDocument, { input: { title: 'Nope', startsAt: '2030-01-01T00:00:00Z' } }],
      ] as const) {
        const result = await post(print(document), variables);
        expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(result.body.data).toBeNull();
      }
    });

    it('an empty Authorization header is anonymous too', async () => {
      const result = await post(typename, {}, '');
      expect(result.status).toBe(200);
      expect(result.body.data).toEqual({ __typename: 'Query' });
    });

    it('a viewer token is FORBIDDEN for admin writes; an admin token works', async () => {
      const before = await totals();
      const create = print(CreateSpeakerDocument);
      const viewer = await post(
        create,
        { input: { name: 'Via HTTP' } },
        `Bearer ${await t.token('bob')}`,
      );
      expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await totals()).toEqual(before);
      const admin = await post(
        create,
        { input: { name: 'Via HTTP' } },
        `Bearer ${await t.token('alice', 'admin')}`,
      );
      expect(admin.status).toBe(200);
      expect(admin.body.errors).toBeUndefined();
      expect(admin.body.data).toMatchObject({
        createSpeaker: { slug: 'via-http', name: 'Via HTTP' },
      });
      // The scheme is case-insensitive (RFC 7235).
      const lower = await post(typename, {}, `bearer ${await t.token('alice', 'admin')}`);
      expect(lower.body.data).toEqual({ __typename: 'Query' });
    });

    const badHeaders: [label: string, header: () => Promise<string>][] = [
      ['an expired token', async () => `Bearer ${await craftToken({ expiresAt: now() - 60 })}`],
      [
        'a token signed with another secret',
        async () => `Bearer ${await craftToken({ secret: 'another-secret-another-secret-0123' })}`,
      ],
      [
        'an unsigned alg:none token',
        async () =>
          `Bearer ${new UnsecuredJWT({ role: 'admin' }).setSubject('mallory').setIssuedAt().setExpirationTime('1h').encode()}`,
      ],
      [
        'an HS512 token, even with our secret',
        async () => `Bearer ${await craftToken({ alg: 'HS512' })}`,
      ],
      ['garbage', async () => 'Bearer not-a-jwt'],
      ['three dotted garbage parts', async () => 'Bearer aaa.bbb.ccc'],
      ['a token with role "root"', async () => `Bearer ${await craftToken({ role: 'root' })}`],
      ['a token without sub', async () => `Bearer ${await craftToken({ sub: null })}`],
      ['a token with an empty sub', async () => `Bearer ${await craftToken({ sub: '' })}`],
      ['the Basic scheme', async () => `Basic ${Buffer.from('alice:secret').toString('base64')}`],
      [
        'a valid token under another scheme',
        async () => `Token ${await t.token('alice', 'admin')}`,
      ],
      ['a bare token without a scheme', async () => t.token('alice', 'admin')],
      ['"Bearer" without a token', async () => 'Bearer '],
    ];

    it.each(badHeaders)('%s is UNAUTHENTICATED even for a plain query', async (_label, header) => {
      const authorization = await header();
      const result = await post(typename, {}, authorization);
      expect(result.status).toBe(401);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors).toHaveLength(1);
      expect(result.body.errors![0]).toEqual({
        message: expect.any(String),
        extensions: { code: 'UNAUTHENTICATED' },
      });
    });

    it.each(badHeaders)('%s cannot write either, and nothing changes', async (_label, header) => {
      const before = await totals();
      const result = await post(print(DeleteEventDocument), { id: eventId }, await header());
      expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await totals()).toEqual(before);
      expect((await t.exec(EventDetailDocument, { id: eventId })).data?.event?.id).toBe(eventId);
    });
  });
});
