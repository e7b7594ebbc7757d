import type { GraphQLFormattedError } from 'graphql';
import {
  CreateEventDocument,
  type CreateEventInput,
  CreateSpeakerDocument,
  type CreateSpeakerInput,
  CreateTalkDocument,
  type CreateTalkInput,
  CreateTopicDocument,
  type CreateTopicInput,
  DeleteEventDocument,
  DeleteSpeakerDocument,
  DeleteTalkDocument,
  DeleteTopicDocument,
  EventDetailDocument,
  EventPageDocument,
  NodeByIdDocument,
  SpeakerDetailDocument,
  SpeakerPageDocument,
  TalkDetailDocument,
  TalkPageDocument,
  TopicDetailDocument,
  TopicPageDocument,
  TopicsWithTalksDocument,
  UpdateEventDocument,
  UpdateSpeakerDocument,
  UpdateTalkDocument,
  type UpdateTalkInput,
  UpdateTopicDocument,
} from '../__generated__/graphql';
import { fromGlobalId, toGlobalId } from '../../src/lib/global-id';
import {
  createTestServer,
  describeDb,
  type ExecResult,
  type TestServer,
} from '../helpers/test-server';

/** Every table an admin write can touch, each in a stable order, for before/after comparisons. */
const TABLES: [table: string, orderBy: string][] = [
  ['events', 'id'],
  ['talks', 'id'],
  ['speakers', 'id'],
  ['topics', 'id'],
  ['talk_speakers', 'talk_id, position'],
  ['talk_topics', 'talk_id, position'],
  ['likes', 'id'],
];

const STARTS = '2030-01-01T06:00:00.000Z';

describeDb('admin writes', () => {
  let t: TestServer;
  let token: string;
  /** Ids of the seeded 掘力计划 第21期 rows. */
  const seed = {
    event: '',
    talks: [] as string[],
    speakers: {} as Record<string, string>,
    topics: {} as Record<string, string>,
  };

  beforeAll(async () => {
    t = await createTestServer();
    token = await t.token('alice', 'admin');
    const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
    const event = data!.event!;
    seed.event = event.id;
    seed.talks = event.talks.map((talk) => talk.id);
    for (const talk of event.talks) {
      for (const speaker of talk.speakers) seed.speakers[speaker.slug] = speaker.id;
      for (const topic of talk.topics) seed.topics[topic.slug] = topic.id;
    }
  });
  afterAll(() => t?.stop());

  const snapshot = async (): Promise<Record<string, unknown[]>> => {
    const tables: Record<string, unknown[]> = {};
    for (const [table, orderBy] of TABLES) {
      tables[table] = await t.server.db.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
    }
    return tables;
  };

  /** The single error of a refused request: its code and, for BAD_USER_INPUT, the field it names. */
  const expectError = (
    result: ExecResult<unknown>,
    code: string,
    field?: string,
  ): GraphQLFormattedError => {
    expect(result.errors).toHaveLength(1);
    const error = result.errors![0]!;
    expect(error.extensions?.code).toBe(code);
    if (field !== undefined) {
      expect(error.extensions?.field).toBe(field);
      expect(error.message).toContain(field);
    }
    expect(error.extensions).not.toHaveProperty('stacktrace');
    expect(JSON.stringify(error)).not.toMatch(/\b(SELECT|INSERT|UPDATE|DELETE)\b/);
    return error;
  };

  /** Runs a write that must be refused, and checks that not one row changed. */
  const expectRefused = async (
    write: () => Promise<ExecResult<unknown>>,
    code: string,
    field?: string,
  ): Promise<GraphQLFormattedError> => {
    const before = await snapshot();
    const result = await write();
    const error = expectError(result, code, field);
    expect(result.data ?? null).toBeNull();
    expect(await snapshot()).toEqual(before);
    return error;
  };

  const ok = <T>(result: ExecResult<T>): T => {
    expect(result.errors).toBeUndefined();
    return result.data!;
  };

  const createEvent = async (input: CreateEventInput) =>
    ok(await t.exec(CreateEventDocument, { input }, { token })).createEvent;
  const createTalk = async (input: CreateTalkInput) =>
    ok(await t.exec(CreateTalkDocument, { input }, { token })).createTalk;
  const createSpeaker = async (input: CreateSpeakerInput) =>
    ok(await t.exec(CreateSpeakerDocument, { input }, { token })).createSpeaker;
  const createTopic = async (input: CreateTopicInput) =>
    ok(await t.exec(CreateTopicDocument, { input }, { token })).createTopic;
  const nodeSlug = async (id: string) =>
    ok(await t.exec(NodeByIdDocument, { id })).node?.slug ?? null;

  describe('events', () => {
    it('generates slugs from series and edition, else from the title in pinyin', async () => {
      const salon = await createEvent({ title: '前端技术沙龙', startsAt: STARTS, city: '上海' });
      expect(salon).toMatchObject({
        slug: 'qian-duan-ji-shu-sha-long',
        title: '前端技术沙龙',
        city: '上海',
        startsAt: STARTS,
      });
      const next = await createEvent({
        title: 'AI 应用',
        series: '掘力计划',
        edition: 22,
        startsAt: STARTS,
      });
      expect(next.slug).toBe('jue-li-ji-hua-22');
      // The seed holds jue-li-ji-hua-21: a second event of that edition gets the next free suffix.
      const again = await createEvent({
        title: '重办',
        series: '掘力计划',
        edition: 21,
        startsAt: STARTS,
      });
      expect(again.slug).toBe('jue-li-ji-hua-21-2');
      const stored = ok(await t.exec(EventDetailDocument, { slug: 'qian-duan-ji-shu-sha-long' }));
      expect(stored.event?.id).toBe(salon.id);
    });

    it('uses a given slug, and refuses a taken one with CONFLICT, writing nothing', async () => {
      const event = await createEvent({
        title: 'Given slug',
        slug: 'given-event-slug',
        startsAt: STARTS,
      });
      expect(event.slug).toBe('given-event-slug');
      const error = await expectRefused(
        () =>
          t.exec(
            CreateEventDocument,
            { input: { title: 'Taken', slug: 'given-event-slug', startsAt: STARTS } },
            { token },
          ),
        'CONFLICT',
      );
      expect(error.message).toContain('given-event-slug');
      await expectRefused(
        () =>
          t.exec(
            UpdateEventDocument,
            { id: event.id, input: { slug: 'jue-li-ji-hua-21' } },
            { token },
          ),
        'CONFLICT',
      );
    });

    it('keeps the slug on update unless one is given', async () => {
      const event = await createEvent({ title: '云原生大会', startsAt: STARTS });
      expect(event.slug).toBe('yun-yuan-sheng-da-hui');
      const renamed = ok(
        await t.exec(
          UpdateEventDocument,
          { id: event.id, input: { title: '云原生峰会' } },
          { token },
        ),
      ).updateEvent;
      expect(renamed).toMatchObject({ title: '云原生峰会', slug: 'yun-yuan-sheng-da-hui' });
      // Giving its own slug back is no conflict.
      ok(
        await t.exec(
          UpdateEventDocument,
          { id: event.id, input: { slug: 'yun-yuan-sheng-da-hui' } },
          { token },
        ),
      );
      const moved = ok(
        await t.exec(
          UpdateEventDocument,
          { id: event.id, input: { slug: 'cloud-native-2030' } },
          { token },
        ),
      ).updateEvent;
      expect(moved).toMatchObject({ slug: 'cloud-native-2030', title: '云原生峰会' });
      expect(
        ok(await t.exec(EventDetailDocument, { slug: 'yun-yuan-sheng-da-hui' })).event,
      ).toBeNull();
      expect(ok(await t.exec(EventDetailDocument, { slug: 'cloud-native-2030' })).event?.id).toBe(
        event.id,
      );
    });

    it('changes only the fields given; null clears an optional one', async () => {
      const event = await createEvent({
        title: 'Partial update',
        startsAt: STARTS,
        city: '杭州',
        venue: 'Hall 1',
        summary: 'before',
      });
      const updated = ok(
        await t.exec(
          UpdateEventDocument,
          { id: event.id, input: { venue: null, summary: 'after' } },
          { token },
        ),
      ).updateEvent;
      expect(updated).toMatchObject({
        title: 'Partial update',
        slug: event.slug,
        city: '杭州',
        venue: null,
        summary: 'after',
        startsAt: STARTS,
      });
    });

    it('re-sorts talks without their own start when the event moves (TalkPage STARTS_AT)', async () => {
      const speaker = await createSpeaker({ name: 'Sort Probe' });
      const early = await createEvent({ title: 'Early', startsAt: '2030-01-01T00:00:00.000Z' });
      const late = await createEvent({ title: 'Late', startsAt: '2030-06-01T00:00:00.000Z' });
      const talk = (eventId: string, slug: string, startsAt?: string) =>
        createTalk({ eventId, title: slug, slug, speakerIds: [speaker.id], startsAt });
      await talk(early.id, 'sort-a1');
      await talk(late.id, 'sort-b1');
      await talk(late.id, 'sort-b2', '2030-03-01T00:00:00.000Z');
      const order = async (): Promise<string[]> =>
        ok(
          await t.exec(TalkPageDocument, {
            filter: { speaker: speaker.slug },
            orderBy: { field: 'STARTS_AT', direction: 'ASC' },
          }),
        ).talks.edges.map((edge) => edge.node.slug);

      expect(await order()).toEqual(['sort-a1', 'sort-b2', 'sort-b1']);
      const moved = ok(
        await t.exec(
          UpdateEventDocument,
          { id: early.id, input: { startsAt: '2030-12-01T00:00:00.000Z' } },
          { token },
        ),
      ).updateEvent;
      expect(moved.startsAt).toBe('2030-12-01T00:00:00.000Z');
      expect(await order()).toEqual(['sort-b2', 'sort-b1', 'sort-a1']);
      // A talk with its own start keeps it when its event moves.
      ok(
        await t.exec(
          UpdateEventDocument,
          { id: late.id, input: { startsAt: '2029-01-01T00:00:00.000Z' } },
          { token },
        ),
      );
      expect(await order()).toEqual(['sort-b1', 'sort-b2', 'sort-a1']);
      const descending = ok(
        await t.exec(TalkPageDocument, {
          filter: { speaker: speaker.slug },
          orderBy: { field: 'STARTS_AT', direction: 'DESC' },
        }),
      ).talks.edges.map((edge) => edge.node.slug);
      expect(descending).toEqual(['sort-a1', 'sort-b2', 'sort-b1']);
    });

    it('deleteEvent deletes its talks and their links, but not the speakers', async () => {
      const speaker = await createSpeaker({ name: 'Delete Probe' });
      const event = await createEvent({ title: 'Doomed', startsAt: STARTS });
      const first = await createTalk({
        eventId: event.id,
        title: 'Doomed talk one',
        speakerIds: [speaker.id],
        topicIds: [seed.topics.rust!],
      });
      const second = await createTalk({
        eventId: event.id,
        title: 'Doomed talk two',
        speakerIds: [speaker.id],
      });
      const deleted = ok(await t.exec(DeleteEventDocument, { id: event.id }, { token }));
      expect(deleted.deleteEvent).toBe(event.id);
      expect(await nodeSlug(event.id)).toBeNull();
      expect(await nodeSlug(first.id)).toBeNull();
      expect(await nodeSlug(second.id)).toBeNull();
      expect(ok(await t.exec(TalkDetailDocument, { slug: first.slug })).talk).toBeNull();
      const speakerAfter = ok(await t.exec(SpeakerDetailDocument, { id: speaker.id })).speaker;
      expect(speakerAfter?.talks).toEqual([]);
      const links = await t.server.db.query(
        `SELECT (SELECT COUNT(*) FROM talk_speakers WHERE speaker_id = :speaker) AS speakers,
                (SELECT COUNT(*) FROM talks WHERE slug IN (:...slugs)) AS talks`,
        { speaker: fromGlobalId(speaker.id)!.id, slugs: [first.slug, second.slug] },
      );
      expect(links.map((row) => [Number(row.speakers), Number(row.talks)])).toEqual([[0, 0]]);
      // With its talks gone the speaker can be deleted too.
      expect(
        ok(await t.exec(DeleteSpeakerDocument, { id: speaker.id }, { token })).deleteSpeaker,
      ).toBe(speaker.id);
    });
  });

  describe('talks', () => {
    it('generates a pinyin slug, places the talk after the last one, keeps list order', async () => {
      const event = await createEvent({ title: 'Talk host', startsAt: STARTS });
      const { speakers, topics } = seed;
      const first = await createTalk({
        eventId: event.id,
        title: '大模型推理优化',
        speakerIds: [speakers['lin-hui']!, speakers['xue-yu-fei']!],
        topicIds: [topics.rust!, topics['da-mo-xing']!],
        durationMinutes: 40,
      });
      expect(first).toMatchObject({
        slug: 'da-mo-xing-tui-li-you-hua',
        position: 1,
        startsAt: null,
        durationMinutes: 40,
        event: { id: event.id },
        speakers: [{ slug: 'lin-hui' }, { slug: 'xue-yu-fei' }],
        topics: [{ slug: 'rust' }, { slug: 'da-mo-xing' }],
      });
      const second = await createTalk({
        eventId: event.id,
        title: '大模型推理优化',
        speakerIds: [speakers['lin-hui']!],
      });
      expect(second).toMatchObject({
        slug: 'da-mo-xing-tui-li-you-hua-2',
        position: 2,
        topics: [],
      });
      const placed = await createTalk({
        eventId: event.id,
        title: 'Placed',
        position: 10,
        speakerIds: [speakers['lin-hui']!],
      });
      expect(placed.position).toBe(10);
      const after = await createTalk({
        eventId: event.id,
        title: 'After placed',
        speakerIds: [speakers['lin-hui']!],
      });
      expect(after.position).toBe(11);
      const agenda = ok(await t.exec(EventDetailDocument, { id: event.id })).event!.talks;
      expect(agenda.map((talk) => [talk.position, talk.slug])).toEqual([
        [1, 'da-mo-xing-tui-li-you-hua'],
        [2, 'da-mo-xing-tui-li-you-hua-2'],
        [10, 'placed'],
        [11, 'after-placed'],
      ]);
    });

    it('replaces speaker and topic lists in the given order; [] clears topics; absent lists stay', async () => {
      const { speakers, topics } = seed;
      const talk = await createTalk({
        eventId: seed.event,
        title: 'List replacement',
        speakerIds: [speakers['xue-yu-fei']!],
        topicIds: [topics.ray!, topics.rust!],
      });
      const update = async (input: UpdateTalkInput) =>
        ok(await t.exec(UpdateTalkDocument, { id: talk.id, input }, { token })).updateTalk;

      const reordered = await update({
        speakerIds: [speakers['michael-yuan']!, speakers['song-gu-yang']!, speakers['xue-yu-fei']!],
        topicIds: [topics.rust!, topics['jiao-yu']!, topics.ray!],
      });
      expect(reordered.speakers.map((s) => s.slug)).toEqual([
        'michael-yuan',
        'song-gu-yang',
        'xue-yu-fei',
      ]);
      expect(reordered.topics.map((s) => s.slug)).toEqual(['rust', 'jiao-yu', 'ray']);

      const renamed = await update({ title: 'List replacement renamed' });
      expect(renamed).toMatchObject({ title: 'List replacement renamed', slug: talk.slug });
      expect(renamed.speakers.map((s) => s.slug)).toEqual([
        'michael-yuan',
        'song-gu-yang',
        'xue-yu-fei',
      ]);
      expect(renamed.topics.map((s) => s.slug)).toEqual(['rust', 'jiao-yu', 'ray']);

      const cleared = await update({ topicIds: [], speakerIds: [speakers['song-gu-yang']!] });
      expect(cleared.topics).toEqual([]);
      expect(cleared.speakers.map((s) => s.slug)).toEqual(['song-gu-yang']);
      const reread = ok(await t.exec(TalkDetailDocument, { id: talk.id })).talk!;
      expect(reread.topics).toEqual([]);
      expect(reread.speakers.map((s) => s.slug)).toEqual(['song-gu-yang']);
    });

    it('keeps the slug on update unless one is given, and refuses a taken one', async () => {
      const talk = await createTalk({
        eventId: seed.event,
        title: '边缘计算',
        speakerIds: [seed.speakers['lin-hui']!],
      });
      expect(talk.slug).toBe('bian-yuan-ji-suan');
      const renamed = ok(
        await t.exec(
          UpdateTalkDocument,
          { id: talk.id, input: { title: '边缘计算实践' } },
          { token },
        ),
      ).updateTalk;
      expect(renamed.slug).toBe('bian-yuan-ji-suan');
      const reslugged = ok(
        await t.exec(
          UpdateTalkDocument,
          { id: talk.id, input: { slug: 'edge-computing' } },
          { token },
        ),
      ).updateTalk;
      expect(reslugged.slug).toBe('edge-computing');
      await expectRefused(
        () => t.exec(UpdateTalkDocument, { id: talk.id, input: { slug: 'codegeex' } }, { token }),
        'CONFLICT',
      );
      await expectRefused(
        () =>
          t.exec(
            CreateTalkDocument,
            {
              input: {
                eventId: seed.event,
                title: 'Taken',
                slug: 'edge-computing',
                speakerIds: [seed.speakers['lin-hui']!],
              },
            },
            { token },
          ),
        'CONFLICT',
      );
    });

    it('moving a talk to another event sorts it by that event’s start; startsAt: null clears its own', async () => {
      const speaker = await createSpeaker({ name: 'Move Probe' });
      const a = await createEvent({ title: 'Move A', startsAt: '2031-01-01T00:00:00.000Z' });
      const b = await createEvent({ title: 'Move B', startsAt: '2031-02-01T00:00:00.000Z' });
      await createTalk({
        eventId: b.id,
        title: 'move-fixed',
        slug: 'move-fixed',
        speakerIds: [speaker.id],
        startsAt: '2031-01-15T00:00:00.000Z',
      });
      const mover = await createTalk({
        eventId: a.id,
        title: 'move-me',
        slug: 'move-me',
        speakerIds: [speaker.id],
        startsAt: '2031-03-01T00:00:00.000Z',
      });
      const order = async (): Promise<string[]> =>
        ok(
          await t.exec(TalkPageDocument, {
            filter: { speaker: speaker.slug },
            orderBy: { field: 'STARTS_AT', direction: 'ASC' },
          }),
        ).talks.edges.map((edge) => edge.node.slug);
      expect(await order()).toEqual(['move-fixed', 'move-me']);
      const cleared = ok(
        await t.exec(UpdateTalkDocument, { id: mover.id, input: { startsAt: null } }, { token }),
      ).updateTalk;
      expect(cleared.startsAt).toBeNull();
      expect(await order()).toEqual(['move-me', 'move-fixed']);
      const moved = ok(
        await t.exec(UpdateTalkDocument, { id: mover.id, input: { eventId: b.id } }, { token }),
      ).updateTalk;
      expect(moved.event.id).toBe(b.id);
      expect(await order()).toEqual(['move-fixed', 'move-me']);
      // Its place in A's agenda means nothing in B's: it goes after B's last talk.
      expect(moved.position).toBe(2);
      const agenda = ok(await t.exec(EventDetailDocument, { id: b.id })).event!.talks;
      expect(agenda.map((talk) => [talk.position, talk.slug])).toEqual([
        [1, 'move-fixed'],
        [2, 'move-me'],
      ]);
      expect(ok(await t.exec(EventDetailDocument, { id: a.id })).event!.talks).toEqual([]);
      // Any other change keeps its place.
      const retitled = ok(
        await t.exec(UpdateTalkDocument, { id: mover.id, input: { title: 'Moved' } }, { token }),
      ).updateTalk;
      expect(retitled.position).toBe(2);
    });

    it('concurrent creates from the same title all get distinct generated slugs', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map(() =>
          t.exec(CreateSpeakerDocument, { input: { name: '赵六' } }, { token }),
        ),
      );
      for (const result of results) expect(result.errors).toBeUndefined();
      const slugs = results.map((result) => result.data!.createSpeaker.slug).sort();
      expect(slugs).toEqual(['zhao-liu', 'zhao-liu-2', 'zhao-liu-3', 'zhao-liu-4', 'zhao-liu-5']);
      const talks = await Promise.all(
        [1, 2, 3].map(() =>
          t.exec(
            CreateTalkDocument,
            {
              input: {
                eventId: seed.event,
                title: '并发',
                speakerIds: [seed.speakers['lin-hui']!],
              },
            },
            { token },
          ),
        ),
      );
      for (const result of talks) expect(result.errors).toBeUndefined();
      expect(talks.map((result) => result.data!.createTalk.slug).sort()).toEqual([
        'bing-fa',
        'bing-fa-2',
        'bing-fa-3',
      ]);
    });

    it('falls back to the type name for a title with nothing to spell, and mixes scripts', async () => {
      const emoji = await createTalk({
        eventId: seed.event,
        title: '🚀🔥',
        speakerIds: [seed.speakers['lin-hui']!],
      });
      expect(emoji.slug).toBe('talk');
      const mixed = await createTalk({
        eventId: seed.event,
        title: 'Vue 3 实战：从 0 到 1',
        speakerIds: [seed.speakers['lin-hui']!],
      });
      expect(mixed.slug).toBe('vue-3-shi-zhan-cong-0-dao-1');
    });

    it('deleteTalk removes it and its links', async () => {
      const talk = await createTalk({
        eventId: seed.event,
        title: 'Short lived',
        speakerIds: [seed.speakers['lin-hui']!],
        topicIds: [seed.topics.rust!],
      });
      const rustBefore = ok(await t.exec(TopicDetailDocument, { slug: 'rust' })).topic!.talkCount;
      expect(ok(await t.exec(DeleteTalkDocument, { id: talk.id }, { token })).deleteTalk).toBe(
        talk.id,
      );
      expect(await nodeSlug(talk.id)).toBeNull();
      expect(ok(await t.exec(TopicDetailDocument, { slug: 'rust' })).topic!.talkCount).toBe(
        rustBefore - 1,
      );
    });
  });

  describe('speakers', () => {
    it('spells Chinese names in pinyin and numbers repeats: 张三 → zhang-san, zhang-san-2', async () => {
      const first = await createSpeaker({ name: '张三', affiliation: '掘金' });
      expect(first).toMatchObject({ slug: 'zhang-san', name: '张三', affiliation: '掘金' });
      const second = await createSpeaker({ name: '张三' });
      expect(second.slug).toBe('zhang-san-2');
      const given = await createSpeaker({ name: '张三', slug: 'zhang-san-beijing' });
      expect(given.slug).toBe('zhang-san-beijing');
      const third = await createSpeaker({ name: ' 张三 ' });
      expect(third).toMatchObject({ slug: 'zhang-san-3', name: '张三' });
      await expectRefused(
        () =>
          t.exec(CreateSpeakerDocument, { input: { name: '李四', slug: 'zhang-san' } }, { token }),
        'CONFLICT',
      );
      await expectRefused(
        () =>
          t.exec(UpdateSpeakerDocument, { id: second.id, input: { slug: 'zhang-san' } }, { token }),
        'CONFLICT',
      );
      const renamed = ok(
        await t.exec(
          UpdateSpeakerDocument,
          { id: second.id, input: { name: '张三丰', headline: '太极' } },
          { token },
        ),
      ).updateSpeaker;
      expect(renamed).toMatchObject({ name: '张三丰', slug: 'zhang-san-2', headline: '太极' });
    });

    it('deleteSpeaker is CONFLICT while they have talks, and works once removed from them', async () => {
      const speaker = await createSpeaker({ name: '王五' });
      const talk = await createTalk({
        eventId: seed.event,
        title: 'Co-presented',
        speakerIds: [speaker.id, seed.speakers['lin-hui']!],
      });
      await expectRefused(
        () => t.exec(DeleteSpeakerDocument, { id: speaker.id }, { token }),
        'CONFLICT',
      );
      expect(ok(await t.exec(SpeakerDetailDocument, { id: speaker.id })).speaker?.talks).toEqual([
        expect.objectContaining({ id: talk.id }),
      ]);
      ok(
        await t.exec(
          UpdateTalkDocument,
          { id: talk.id, input: { speakerIds: [seed.speakers['lin-hui']!] } },
          { token },
        ),
      );
      expect(
        ok(await t.exec(DeleteSpeakerDocument, { id: speaker.id }, { token })).deleteSpeaker,
      ).toBe(speaker.id);
      expect(await nodeSlug(speaker.id)).toBeNull();
      expect(
        ok(await t.exec(TalkDetailDocument, { id: talk.id })).talk?.speakers.map((s) => s.slug),
      ).toEqual(['lin-hui']);
    });
  });

  describe('topics', () => {
    it('generates, keeps and checks slugs like the other types', async () => {
      const topic = await createTopic({ name: '云原生', description: 'Kubernetes 等' });
      expect(topic).toMatchObject({
        slug: 'yun-yuan-sheng',
        name: '云原生',
        description: 'Kubernetes 等',
      });
      const renamed = ok(
        await t.exec(
          UpdateTopicDocument,
          { id: topic.id, input: { name: '云原生技术' } },
          { token },
        ),
      ).updateTopic;
      expect(renamed).toMatchObject({
        slug: 'yun-yuan-sheng',
        name: '云原生技术',
        description: 'Kubernetes 等',
      });
      await expectRefused(
        () =>
          t.exec(CreateTopicDocument, { input: { name: 'Rust again', slug: 'rust' } }, { token }),
        'CONFLICT',
      );
      const english = await createTopic({ name: 'Large Language Models' });
      expect(english.slug).toBe('large-language-models');
    });

    it('deleteTopic untags its talks and leaves them otherwise alone', async () => {
      const doomed = await createTopic({ name: 'Doomed topic' });
      const talk = await createTalk({
        eventId: seed.event,
        title: 'Tagged twice',
        speakerIds: [seed.speakers['lin-hui']!],
        topicIds: [seed.topics.rust!, doomed.id, seed.topics.ray!],
      });
      expect(ok(await t.exec(TopicDetailDocument, { id: doomed.id })).topic?.talkCount).toBe(1);
      expect(ok(await t.exec(DeleteTopicDocument, { id: doomed.id }, { token })).deleteTopic).toBe(
        doomed.id,
      );
      expect(await nodeSlug(doomed.id)).toBeNull();
      const after = ok(await t.exec(TalkDetailDocument, { id: talk.id })).talk!;
      expect(after.topics.map((topic) => topic.slug)).toEqual(['rust', 'ray']);
      expect(after.title).toBe('Tagged twice');
    });
  });

  describe('the id argument of a mutation', () => {
    const unknownIds = (type: 'Event' | 'Talk' | 'Speaker' | 'Topic') => {
      const otherType = type === 'Event' ? seed.speakers['lin-hui']! : seed.event;
      return [
        ['unknown', toGlobalId(type, 987_654)],
        ['malformed', 'not an id'],
        ['base64 of garbage', Buffer.from('Event:abc').toString('base64url')],
        ['of another type', otherType],
      ] as const;
    };

    it.each(['Event', 'Talk', 'Speaker', 'Topic'] as const)(
      'is NOT_FOUND for update and delete of a %s when unknown, malformed or of another type',
      async (type) => {
        for (const [_label, id] of unknownIds(type)) {
          const attempts = {
            Event: [
              () => t.exec(UpdateEventDocument, { id, input: { title: 'x' } }, { token }),
              () => t.exec(DeleteEventDocument, { id }, { token }),
            ],
            Talk: [
              () => t.exec(UpdateTalkDocument, { id, input: { title: 'x' } }, { token }),
              () => t.exec(DeleteTalkDocument, { id }, { token }),
            ],
            Speaker: [
              () => t.exec(UpdateSpeakerDocument, { id, input: { name: 'x' } }, { token }),
              () => t.exec(DeleteSpeakerDocument, { id }, { token }),
            ],
            Topic: [
              () => t.exec(UpdateTopicDocument, { id, input: { name: 'x' } }, { token }),
              () => t.exec(DeleteTopicDocument, { id }, { token }),
            ],
          }[type];
          for (const attempt of attempts) {
            const error = await expectRefused(
              attempt as () => Promise<ExecResult<unknown>>,
              'NOT_FOUND',
            );
            expect(error.message).toContain(type);
          }
        }
      },
    );
  });

  describe('ids inside an input', () => {
    const unknownEvent = () => toGlobalId('Event', 987_654);
    const unknownSpeaker = () => toGlobalId('Speaker', 987_654);
    const unknownTopic = () => toGlobalId('Topic', 987_654);

    it.each([
      ['an unknown eventId', () => ({ eventId: unknownEvent() }), 'input.eventId'],
      ['a malformed eventId', () => ({ eventId: 'nope' }), 'input.eventId'],
      ['a speaker id as eventId', () => ({ eventId: seed.speakers['lin-hui']! }), 'input.eventId'],
      [
        'an unknown speakerIds[1]',
        () => ({ speakerIds: [seed.speakers['lin-hui']!, unknownSpeaker()] }),
        'input.speakerIds[1]',
      ],
      [
        'a topic id in speakerIds[0]',
        () => ({ speakerIds: [seed.topics.rust!] }),
        'input.speakerIds[0]',
      ],
      ['a malformed speakerIds[0]', () => ({ speakerIds: ['%%%'] }), 'input.speakerIds[0]'],
      [
        'an unknown topicIds[2]',
        () => ({ topicIds: [seed.topics.rust!, seed.topics.ray!, unknownTopic()] }),
        'input.topicIds[2]',
      ],
      ['an event id in topicIds[0]', () => ({ topicIds: [seed.event] }), 'input.topicIds[0]'],
    ])('createTalk with %s is BAD_USER_INPUT naming the field', async (_label, patch, field) => {
      const input: CreateTalkInput = {
        eventId: seed.event,
        title: 'Never stored',
        speakerIds: [seed.speakers['lin-hui']!],
        ...patch(),
      };
      const error = await expectRefused(
        () => t.exec(CreateTalkDocument, { input }, { token }),
        'BAD_USER_INPUT',
        field,
      );
      expect(error.message).not.toMatch(/select|insert|sql/i);
    });

    it('a null inside speakerIds is refused by variable coercion as BAD_USER_INPUT', async () => {
      const input = {
        eventId: seed.event,
        title: 'Never stored',
        speakerIds: [seed.speakers['lin-hui']!, null as unknown as string],
      };
      const error = await expectRefused(
        () => t.exec(CreateTalkDocument, { input }, { token }),
        'BAD_USER_INPUT',
      );
      expect(error.message).toContain('speakerIds');
    });

    it.each([
      ['an unknown eventId', () => ({ eventId: unknownEvent() }), 'input.eventId'],
      [
        'an unknown speakerIds[0]',
        () => ({ speakerIds: [unknownSpeaker(), seed.speakers['lin-hui']!] }),
        'input.speakerIds[0]',
      ],
      [
        'an unknown topicIds[1] next to a rename',
        () => ({ title: 'Renamed?', topicIds: [seed.topics.rust!, unknownTopic()] }),
        'input.topicIds[1]',
      ],
    ])('updateTalk with %s is BAD_USER_INPUT naming the field', async (_label, patch, field) => {
      await expectRefused(
        () => t.exec(UpdateTalkDocument, { id: seed.talks[0]!, input: patch() }, { token }),
        'BAD_USER_INPUT',
        field,
      );
    });
  });

  describe('validation', () => {
    const title201 = '题'.repeat(201);
    let endedEvent = '';
    beforeAll(async () => {
      const event = await createEvent({
        title: 'Has an end',
        startsAt: STARTS,
        endsAt: '2030-01-01T10:00:00.000Z',
      });
      endedEvent = event.id;
    });
    const text20001 = '文'.repeat(20_001);

    type Attempt = [label: string, run: () => Promise<ExecResult<unknown>>, field: string];
    const event = (input: Partial<CreateEventInput>) => () =>
      t.exec(
        CreateEventDocument,
        { input: { title: 'Valid', startsAt: STARTS, ...input } },
        { token },
      );
    const speaker = (input: Partial<CreateSpeakerInput>) => () =>
      t.exec(CreateSpeakerDocument, { input: { name: 'Valid', ...input } }, { token });
    const topic = (input: Partial<CreateTopicInput>) => () =>
      t.exec(CreateTopicDocument, { input: { name: 'Valid', ...input } }, { token });
    /** The patch is a function because seed ids are known only once the suite has started. */
    const talk = (patch: () => Partial<CreateTalkInput>) => () =>
      t.exec(
        CreateTalkDocument,
        {
          input: {
            eventId: seed.event,
            title: 'Valid',
            speakerIds: [seed.speakers['lin-hui']!],
            ...patch(),
          },
        },
        { token },
      );

    const attempts: Attempt[] = [
      ['event: empty title', event({ title: '' }), 'input.title'],
      ['event: whitespace title', event({ title: ' \t\n ' }), 'input.title'],
      ['event: title of 201 Chinese characters', event({ title: title201 }), 'input.title'],
      ['event: summary of 20,001 characters', event({ summary: text20001 }), 'input.summary'],
      ['event: slug with a space', event({ slug: 'Has Space' }), 'input.slug'],
      ['event: slug with a leading dash', event({ slug: '-x' }), 'input.slug'],
      ['event: slug with a double dash', event({ slug: 'a--b' }), 'input.slug'],
      ['event: slug in uppercase', event({ slug: 'ABC' }), 'input.slug'],
      ['event: slug of 81 characters', event({ slug: 'a'.repeat(81) }), 'input.slug'],
      ['event: city of 201 characters', event({ city: '城'.repeat(201) }), 'input.city'],
      ['event: edition 0', event({ edition: 0 }), 'input.edition'],
      [
        'event: endsAt before startsAt',
        event({ endsAt: '2029-12-31T23:59:59.000Z' }),
        'input.endsAt',
      ],
      ['talk: empty title', talk(() => ({ title: '' })), 'input.title'],
      ['talk: whitespace title', talk(() => ({ title: '   ' })), 'input.title'],
      ['talk: title of 201 Chinese characters', talk(() => ({ title: title201 })), 'input.title'],
      [
        'talk: abstract of 20,001 characters',
        talk(() => ({ abstract: text20001 })),
        'input.abstract',
      ],
      ['talk: slug ending in a dash', talk(() => ({ slug: 'x-' })), 'input.slug'],
      ['talk: speakerIds empty', talk(() => ({ speakerIds: [] })), 'input.speakerIds'],
      [
        'talk: a speaker listed twice',
        talk(() => ({ speakerIds: [seed.speakers['lin-hui']!, seed.speakers['lin-hui']!] })),
        'input.speakerIds[1]',
      ],
      [
        'talk: a topic listed twice',
        talk(() => ({ topicIds: [seed.topics.rust!, seed.topics.ray!, seed.topics.rust!] })),
        'input.topicIds[2]',
      ],
      ['talk: position 0', talk(() => ({ position: 0 })), 'input.position'],
      ['talk: durationMinutes 0', talk(() => ({ durationMinutes: 0 })), 'input.durationMinutes'],
      ['speaker: empty name', speaker({ name: '' }), 'input.name'],
      ['speaker: whitespace name', speaker({ name: '\u3000 ' }), 'input.name'],
      ['speaker: name of 201 Chinese characters', speaker({ name: title201 }), 'input.name'],
      ['speaker: bio of 20,001 characters', speaker({ bio: text20001 }), 'input.bio'],
      [
        'speaker: headline of 201 characters',
        speaker({ headline: 'h'.repeat(201) }),
        'input.headline',
      ],
      ['speaker: slug in uppercase', speaker({ slug: 'Zhang-San' }), 'input.slug'],
      ['topic: empty name', topic({ name: '' }), 'input.name'],
      ['topic: name of 201 Chinese characters', topic({ name: title201 }), 'input.name'],
      [
        'topic: description of 20,001 characters',
        topic({ description: text20001 }),
        'input.description',
      ],
      ['topic: slug with an underscore', topic({ slug: 'a_b' }), 'input.slug'],
      [
        'updateEvent: null title',
        () => t.exec(UpdateEventDocument, { id: seed.event, input: { title: null } }, { token }),
        'input.title',
      ],
      [
        'updateEvent: whitespace title',
        () => t.exec(UpdateEventDocument, { id: seed.event, input: { title: '  ' } }, { token }),
        'input.title',
      ],
      [
        'updateEvent: endsAt before the stored startsAt',
        () =>
          t.exec(
            UpdateEventDocument,
            { id: seed.event, input: { endsAt: '2023-08-11T00:00:00.000Z' } },
            { token },
          ),
        'input.endsAt',
      ],
      [
        'updateEvent: startsAt moved past the stored endsAt',
        () =>
          t.exec(
            UpdateEventDocument,
            { id: endedEvent, input: { startsAt: '2030-02-01T00:00:00.000Z' } },
            { token },
          ),
        'input.startsAt',
      ],
      [
        'updateEvent: bad slug',
        () => t.exec(UpdateEventDocument, { id: seed.event, input: { slug: 'a--b' } }, { token }),
        'input.slug',
      ],
      [
        'updateTalk: speakerIds empty',
        () =>
          t.exec(UpdateTalkDocument, { id: seed.talks[0]!, input: { speakerIds: [] } }, { token }),
        'input.speakerIds',
      ],
      [
        'updateTalk: speakerIds null',
        () =>
          t.exec(
            UpdateTalkDocument,
            { id: seed.talks[0]!, input: { speakerIds: null } },
            { token },
          ),
        'input.speakerIds',
      ],
      [
        'updateTalk: title of 201 Chinese characters',
        () =>
          t.exec(UpdateTalkDocument, { id: seed.talks[0]!, input: { title: title201 } }, { token }),
        'input.title',
      ],
      [
        'updateSpeaker: whitespace name',
        () =>
          t.exec(
            UpdateSpeakerDocument,
            { id: seed.speakers['lin-hui']!, input: { name: ' ' } },
            { token },
          ),
        'input.name',
      ],
      [
        'updateSpeaker: bio of 20,001 characters',
        () =>
          t.exec(
            UpdateSpeakerDocument,
            { id: seed.speakers['lin-hui']!, input: { bio: text20001 } },
            { token },
          ),
        'input.bio',
      ],
      [
        'updateTopic: name of 201 characters',
        () =>
          t.exec(
            UpdateTopicDocument,
            { id: seed.topics.rust!, input: { name: 'r'.repeat(201) } },
            { token },
          ),
        'input.name',
      ],
    ];

    it.each(attempts)(
      '%s is BAD_USER_INPUT naming the field, nothing written',
      async (_label, run, field) => {
        await expectRefused(run, 'BAD_USER_INPUT', field);
      },
    );

    it('accepts the limits themselves: 200 Chinese characters and a 20,000-character text', async () => {
      const title200 = '题'.repeat(200);
      const text20000 = '文'.repeat(20_000);
      const event = await createEvent({ title: title200, summary: text20000, startsAt: STARTS });
      expect([...event.title]).toHaveLength(200);
      expect([...event.summary!]).toHaveLength(20_000);
      expect(event.slug).toMatch(/^(ti-)+ti$/);
      const speaker = await createSpeaker({ name: title200, bio: text20000 });
      expect([...speaker.name]).toHaveLength(200);
      const talk = await createTalk({
        eventId: event.id,
        title: title200,
        abstract: text20000,
        speakerIds: [speaker.id],
      });
      expect(talk.title).toBe(title200);
      expect(talk.abstract).toBe(text20000);
      // Two generated slugs from the same long title still differ.
      const second = await createEvent({ title: title200, startsAt: STARTS });
      expect(second.slug).toBe(`${event.slug}-2`);
    });

    it.each([
      ['first above 100', { first: 101 }, 'first'],
      ['first below 0', { first: -1 }, 'first'],
      ['last above 100', { last: 101 }, 'last'],
      ['last below 0', { last: -5 }, 'last'],
      ['first and last together', { first: 1, last: 1 }, 'last'],
    ])('a list with %s is BAD_USER_INPUT naming the argument', async (_label, args, field) => {
      for (const run of [
        () => t.exec(EventPageDocument, args),
        () => t.exec(TalkPageDocument, args),
        () => t.exec(SpeakerPageDocument, args),
        () => t.exec(TopicPageDocument, args),
      ]) {
        const result = await run();
        expectError(result, 'BAD_USER_INPUT', field);
        expect(result.data ?? null).toBeNull();
      }
    });

    it('checks page sizes of nested connections too', async () => {
      const result = await t.exec(TopicsWithTalksDocument, { first: 2, talksFirst: 101 });
      const error = expectErrorAtLeastOnce(result.errors, 'BAD_USER_INPUT');
      expect(error.extensions?.field).toBe('first');
      expect(error.path).toEqual(['topics', 'nodes', 0, 'talks']);
    });

    it('accepts 0 and 100 as page sizes', async () => {
      expect(ok(await t.exec(EventPageDocument, { first: 0 })).events.edges).toEqual([]);
      expect(ok(await t.exec(TalkPageDocument, { last: 100 })).talks.edges.length).toBeGreaterThan(
        0,
      );
    });
  });
});

/** The first of possibly many errors (one per list item), after checking they all share the code. */
function expectErrorAtLeastOnce(
  errors: readonly GraphQLFormattedError[] | undefined,
  code: string,
): GraphQLFormattedError {
  expect(errors?.length).toBeGreaterThan(0);
  for (const error of errors!) expect(error.extensions?.code).toBe(code);
  return errors![0]!;
}
