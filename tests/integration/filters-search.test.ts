import {
  EventPageDocument,
  type EventFilter,
  LookupAllDocument,
  NodeByIdDocument,
  NodesByIdsDocument,
  SearchDocument,
  SpeakerPageDocument,
  type SpeakerFilter,
  TalkPageDocument,
  type TalkFilter,
  TopicConnectionsDocument,
  type TopicConnectionsQueryVariables,
  TopicsWithTalksDocument,
} from '../__generated__/graphql';
import type { Database } from '../../src/db/database';
import { type NodeType, toGlobalId } from '../../src/lib/global-id';
import { codes, createTestServer, describeDb, type TestServer } from '../helpers/test-server';

/**
 * On top of the seeded 掘力计划 第21期 (four talks, four speakers, eleven topics), a few
 * rows chosen for the filters: texts with LIKE wildcards, near-miss cities and series,
 * Latin text in both cases, a speaker and a topic shared across events.
 */
async function addFilterData(db: Database): Promise<void> {
  const insert = async (sql: string, params: Record<string, unknown>): Promise<number> => {
    const [row] = await db.query(`${sql} RETURNING id`, params);
    return Number(row!.id);
  };
  const idOf = async (table: string, slug: string): Promise<number> => {
    const [row] = await db.query(`SELECT id FROM ${table} WHERE slug = :slug`, { slug });
    return Number(row!.id);
  };
  const event = (e: {
    slug: string;
    title: string;
    summary?: string;
    series?: string;
    city: string;
    startsAt: string;
  }) =>
    insert(
      `INSERT INTO events (slug, title, summary, series, city, starts_at)
       VALUES (:slug, :title, :summary, :series, :city, :startsAt)`,
      {
        summary: null,
        series: null,
        ...e,
        startsAt: db.dateParam(new Date(e.startsAt)),
      },
    );
  const speaker = (s: {
    slug: string;
    name: string;
    headline?: string;
    affiliation?: string;
    bio?: string;
  }) =>
    insert(
      `INSERT INTO speakers (slug, name, headline, affiliation, bio) VALUES (:slug, :name, :headline, :affiliation, :bio)`,
      { headline: null, affiliation: null, bio: null, ...s },
    );
  const topic = (slug: string, name: string) =>
    insert(`INSERT INTO topics (slug, name) VALUES (:slug, :name)`, { slug, name });
  const talk = async (t: {
    eventId: number;
    slug: string;
    title: string;
    abstract?: string;
    position: number;
    speakers: number[];
    topics: number[];
  }) => {
    const [row] = await db.query(`SELECT starts_at FROM events WHERE id = :id`, { id: t.eventId });
    const talkId = await insert(
      `INSERT INTO talks (event_id, slug, title, abstract, position, sort_starts_at)
       VALUES (:eventId, :slug, :title, :abstract, :position, :sortStartsAt)`,
      {
        eventId: t.eventId,
        slug: t.slug,
        title: t.title,
        abstract: t.abstract ?? null,
        position: t.position,
        sortStartsAt: row!.starts_at,
      },
    );
    for (const [i, speakerId] of t.speakers.entries()) {
      await db.query(
        `INSERT INTO talk_speakers (talk_id, speaker_id, position) VALUES (:talkId, :speakerId, :p)`,
        {
          talkId,
          speakerId,
          p: i + 1,
        },
      );
    }
    for (const [i, topicId] of t.topics.entries()) {
      await db.query(
        `INSERT INTO talk_topics (talk_id, topic_id, position) VALUES (:talkId, :topicId, :p)`,
        {
          talkId,
          topicId,
          p: i + 1,
        },
      );
    }
  };

  const e1 = await event({
    slug: 'jue-li-ji-hua-22',
    title: 'AIGC 与前端工程化',
    summary: 'Vue、React 与大模型结合的前端实践',
    series: '掘力计划',
    city: '上海',
    startsAt: '2023-09-16T06:00:00Z',
  });
  const e2 = await event({
    slug: 'rust-night-1',
    title: 'Rust Night: WebAssembly 实战',
    summary: 'Systems programming for the web',
    series: 'Rust 夜话',
    city: '北京',
    startsAt: '2023-10-01T11:00:00Z',
  });
  const e3 = await event({
    slug: 'percent-event',
    title: '100% 开源：社区的_下划线_故事',
    city: '杭州',
    startsAt: '2024-01-10T02:00:00Z',
  });
  await event({
    slug: 'plain-event',
    title: '1000 percent Open Source',
    summary: 'no underscores here: 社区的 下划线 故事',
    series: '掘力计划 特别版',
    city: '杭州市',
    startsAt: '2024-02-01T02:00:00Z',
  });
  const e5 = await event({
    slug: 'jue-li-ji-hua-23',
    title: 'Cloud Native 云原生',
    series: '掘力计划',
    city: '北京',
    startsAt: '2024-03-02T06:00:00Z',
  });

  const you = await speaker({
    slug: 'you-yu-xi',
    name: '尤雨溪',
    headline: 'Creator of Vue',
    affiliation: 'Vue.js',
    bio: '前端框架作者',
  });
  await speaker({
    slug: 'alice-wang',
    name: 'alice wang',
    affiliation: 'ACME Corp',
    bio: 'Loves 100% coverage',
  });
  await speaker({
    slug: 'juergen-mueller',
    name: 'Jürgen Müller',
    headline: 'Δοκιμή Привет',
    affiliation: 'Universität Zürich',
  });
  await speaker({
    slug: 'bob-chen',
    name: 'Bob Chen',
    affiliation: 'ACME',
    bio: '1000 tests, path C:\\tools',
  });

  const frontEnd = await topic('qian-duan', '前端');
  const cloudNative = await topic('yun-yuan-sheng', '云原生');
  const damoxing = await idOf('topics', 'da-mo-xing');
  const rust = await idOf('topics', 'rust');
  const webassembly = await idOf('topics', 'webassembly');

  await talk({
    eventId: e1,
    slug: 'vue-compiler',
    title: 'Vue 3 编译器原理',
    position: 1,
    speakers: [you],
    topics: [frontEnd],
  });
  await talk({
    eventId: e2,
    slug: 'wasm-in-rust',
    title: 'WASM in Rust',
    abstract: 'compile aXb to wasm',
    position: 1,
    speakers: [await idOf('speakers', 'michael-yuan')],
    topics: [rust, webassembly],
  });
  await talk({
    eventId: e3,
    slug: 'faster-builds',
    title: '50% faster builds',
    abstract: 'with a_b testing',
    position: 1,
    speakers: [you],
    topics: [frontEnd],
  });
  await talk({
    eventId: e5,
    slug: 'codegeex-cloud',
    title: 'CODEGEEX 在云原生中的实践',
    abstract: '用大模型辅助编写 Kubernetes 配置',
    position: 1,
    speakers: [await idOf('speakers', 'xue-yu-fei')],
    topics: [damoxing, cloudNative],
  });
}

describeDb('filters, search and look-ups', () => {
  let t: TestServer;
  let db: Database;
  const ids = new Map<string, string>();
  /** The global id of a row by table and slug. */
  const gid = (type: NodeType, slug: string): string => {
    const id = ids.get(`${type}:${slug}`);
    if (!id) throw new Error(`no ${type} ${slug}`);
    return id;
  };

  beforeAll(async () => {
    t = await createTestServer();
    db = t.server.db;
    await addFilterData(db);
    for (const [type, table] of [
      ['Event', 'events'],
      ['Talk', 'talks'],
      ['Speaker', 'speakers'],
      ['Topic', 'topics'],
    ] as const) {
      for (const row of await db.query(`SELECT id, slug FROM ${table}`)) {
        ids.set(`${type}:${String(row.slug)}`, toGlobalId(type, Number(row.id)));
      }
    }
  });
  afterAll(() => t?.stop());

  const eventSlugs = async (filter: EventFilter): Promise<string[]> => {
    const result = await t.exec(EventPageDocument, { filter, first: 100 });
    expect(result.errors).toBeUndefined();
    const { edges, totalCount } = result.data!.events;
    expect(totalCount).toBe(edges.length);
    return edges.map((e) => e.node.slug).sort();
  };
  const talkSlugs = async (filter: TalkFilter): Promise<string[]> => {
    const result = await t.exec(TalkPageDocument, { filter, first: 100 });
    expect(result.errors).toBeUndefined();
    const { edges, totalCount } = result.data!.talks;
    expect(totalCount).toBe(edges.length);
    return edges.map((e) => e.node.slug).sort();
  };
  const speakerSlugs = async (filter: SpeakerFilter): Promise<string[]> => {
    const result = await t.exec(SpeakerPageDocument, { filter, first: 100 });
    expect(result.errors).toBeUndefined();
    const { edges, totalCount } = result.data!.speakers;
    expect(totalCount).toBe(edges.length);
    return edges.map((e) => e.node.slug).sort();
  };
  const sorted = (...slugs: string[]) => [...slugs].sort();

  describe('EventFilter', () => {
    it('matches series and city exactly', async () => {
      expect(await eventSlugs({ series: '掘力计划' })).toEqual(
        sorted('jue-li-ji-hua-21', 'jue-li-ji-hua-22', 'jue-li-ji-hua-23'),
      );
      expect(await eventSlugs({ series: '掘力' })).toEqual([]);
      expect(await eventSlugs({ series: '掘力计划 特别版' })).toEqual(['plain-event']);
      expect(await eventSlugs({ city: '杭州' })).toEqual(['percent-event']);
      expect(await eventSlugs({ city: '北京' })).toEqual(
        sorted('jue-li-ji-hua-21', 'rust-night-1', 'jue-li-ji-hua-23'),
      );
      expect(await eventSlugs({ city: '北京', series: '掘力计划' })).toEqual(
        sorted('jue-li-ji-hua-21', 'jue-li-ji-hua-23'),
      );
    });

    it('finds events with a talk on a topic or by a speaker, by slug', async () => {
      expect(await eventSlugs({ topic: 'da-mo-xing' })).toEqual(
        sorted('jue-li-ji-hua-21', 'jue-li-ji-hua-23'),
      );
      expect(await eventSlugs({ topic: 'rust' })).toEqual(
        sorted('jue-li-ji-hua-21', 'rust-night-1'),
      );
      expect(await eventSlugs({ speaker: 'you-yu-xi' })).toEqual(
        sorted('jue-li-ji-hua-22', 'percent-event'),
      );
      expect(await eventSlugs({ speaker: 'michael-yuan', series: 'Rust 夜话' })).toEqual([
        'rust-night-1',
      ]);
      expect(await eventSlugs({ topic: 'no-such-topic' })).toEqual([]);
      // The topic's name is not its slug.
      expect(await eventSlugs({ topic: '大模型' })).toEqual([]);
    });

    it('lists an event with several matching talks once', async () => {
      const result = await t.exec(EventPageDocument, { filter: { speaker: 'xue-yu-fei' } });
      expect(result.data?.events.edges.map((e) => e.node.slug)).toEqual([
        'jue-li-ji-hua-23',
        'jue-li-ji-hua-21',
      ]);
      expect(result.data?.events.totalCount).toBe(2);
    });

    it('bounds start times, with time zones honoured', async () => {
      expect(
        await eventSlugs({
          startsAfter: '2023-09-01T00:00:00Z',
          startsBefore: '2024-01-31T00:00:00Z',
        }),
      ).toEqual(sorted('jue-li-ji-hua-22', 'rust-night-1', 'percent-event'));
      expect(await eventSlugs({ startsAfter: '2024-02-15T00:00:00Z' })).toEqual([
        'jue-li-ji-hua-23',
      ]);
      expect(await eventSlugs({ startsBefore: '2023-09-01T00:00:00Z' })).toEqual([
        'jue-li-ji-hua-21',
      ]);
      // 第21期 starts 14:00 in Beijing, 06:00 UTC.
      expect(
        await eventSlugs({
          startsAfter: '2023-08-12T13:59:00+08:00',
          startsBefore: '2023-08-13T00:00:00Z',
        }),
      ).toEqual(['jue-li-ji-hua-21']);
      expect(
        await eventSlugs({
          startsAfter: '2023-08-12T14:01:00+08:00',
          startsBefore: '2023-08-13T00:00:00Z',
        }),
      ).toEqual([]);
      expect(
        await eventSlugs({
          startsAfter: '2024-01-01T00:00:00Z',
          startsBefore: '2023-01-01T00:00:00Z',
        }),
      ).toEqual([]);
    });

    it('searches titles and summaries case-insensitively, in Chinese and English', async () => {
      expect(await eventSlugs({ search: '大模型' })).toEqual(
        sorted('jue-li-ji-hua-21', 'jue-li-ji-hua-22'),
      );
      expect(await eventSlugs({ search: 'rust night' })).toEqual(['rust-night-1']);
      expect(await eventSlugs({ search: 'RUST NIGHT' })).toEqual(['rust-night-1']);
      expect(await eventSlugs({ search: 'webASSEMBLY' })).toEqual(['rust-night-1']);
      expect(await eventSlugs({ search: 'SYSTEMS' })).toEqual(['rust-night-1']);
      expect(await eventSlugs({ search: '云原生' })).toEqual(['jue-li-ji-hua-23']);
      expect(await eventSlugs({ search: 'cloud 云' })).toEqual([]);
      expect(await eventSlugs({ search: 'Cloud Native 云' })).toEqual(['jue-li-ji-hua-23']);
    });

    it('matches % and _ in the search literally', async () => {
      expect(await eventSlugs({ search: '100%' })).toEqual(['percent-event']);
      expect(await eventSlugs({ search: '%' })).toEqual(['percent-event']);
      expect(await eventSlugs({ search: '的_下划线_' })).toEqual(['percent-event']);
      expect(await eventSlugs({ search: '_' })).toEqual(['percent-event']);
      expect(await eventSlugs({ search: '\\' })).toEqual([]);
    });

    it('combines search with the other conditions', async () => {
      expect(await eventSlugs({ search: '大模型', city: '上海' })).toEqual(['jue-li-ji-hua-22']);
      expect(await eventSlugs({ search: '大模型', topic: 'da-mo-xing' })).toEqual([
        'jue-li-ji-hua-21',
      ]);
    });

    it('refuses a search longer than 200 characters', async () => {
      const result = await t.exec(EventPageDocument, { filter: { search: '模'.repeat(201) } });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('TalkFilter', () => {
    it('filters by event, topic and speaker slugs', async () => {
      expect(await talkSlugs({ event: 'jue-li-ji-hua-21' })).toEqual(
        sorted(
          'codegeex',
          'ray-ai-infrastructure',
          'lightweight-runtime-llm-agent',
          'youdao-ziyue-education',
        ),
      );
      expect(await talkSlugs({ topic: 'da-mo-xing' })).toEqual(
        sorted('codegeex', 'youdao-ziyue-education', 'codegeex-cloud'),
      );
      expect(await talkSlugs({ speaker: 'you-yu-xi' })).toEqual(
        sorted('vue-compiler', 'faster-builds'),
      );
      expect(await talkSlugs({ event: 'jue-li-ji-hua-21', topic: 'da-mo-xing' })).toEqual(
        sorted('codegeex', 'youdao-ziyue-education'),
      );
      expect(await talkSlugs({ event: 'rust-night-1', speaker: 'xue-yu-fei' })).toEqual([]);
      expect(await talkSlugs({ event: 'no-such-event' })).toEqual([]);
    });

    it('searches titles and abstracts case-insensitively', async () => {
      expect(await talkSlugs({ search: 'codegeex' })).toEqual(sorted('codegeex', 'codegeex-cloud'));
      expect(await talkSlugs({ search: 'vue' })).toEqual(['vue-compiler']);
      expect(await talkSlugs({ search: '子曰' })).toEqual(['youdao-ziyue-education']);
      expect(await talkSlugs({ search: 'kubernetes' })).toEqual(['codegeex-cloud']);
    });

    it('matches % and _ in the search literally', async () => {
      expect(await talkSlugs({ search: '50%' })).toEqual(['faster-builds']);
      expect(await talkSlugs({ search: 'a_b' })).toEqual(['faster-builds']);
      expect(await talkSlugs({ search: 'a%b' })).toEqual([]);
    });
  });

  describe('SpeakerFilter', () => {
    it('filters by topic slug and exact affiliation', async () => {
      expect(await speakerSlugs({ topic: 'qian-duan' })).toEqual(['you-yu-xi']);
      expect(await speakerSlugs({ topic: 'da-mo-xing' })).toEqual(sorted('xue-yu-fei', 'lin-hui'));
      expect(await speakerSlugs({ affiliation: '网易有道' })).toEqual(['lin-hui']);
      expect(await speakerSlugs({ affiliation: '网易' })).toEqual([]);
      expect(await speakerSlugs({ affiliation: 'ACME' })).toEqual(['bob-chen']);
      expect(await speakerSlugs({ affiliation: 'acme' })).toEqual([]);
      expect(await speakerSlugs({ topic: 'da-mo-xing', affiliation: '智谱AI' })).toEqual([
        'xue-yu-fei',
      ]);
    });

    it('searches names, headlines, affiliations and bios case-insensitively', async () => {
      expect(await speakerSlugs({ search: 'VUE' })).toEqual(['you-yu-xi']);
      expect(await speakerSlugs({ search: '前端' })).toEqual(['you-yu-xi']);
      expect(await speakerSlugs({ search: 'Alice' })).toEqual(['alice-wang']);
      expect(await speakerSlugs({ search: 'acme' })).toEqual(sorted('alice-wang', 'bob-chen'));
      expect(await speakerSlugs({ search: '大模型' })).toEqual(['xue-yu-fei']);
      expect(await speakerSlugs({ search: 'wasmedge' })).toEqual(['michael-yuan']);
    });

    it('ignores case beyond ASCII, on every database', async () => {
      for (const search of ['MÜLLER', 'müller', 'ZÜRICH', 'δοκιμή', 'ПРИВЕТ']) {
        expect(await speakerSlugs({ search })).toEqual(['juergen-mueller']);
      }
    });

    it('matches %, _ and \\ in the search literally', async () => {
      expect(await speakerSlugs({ search: '100%' })).toEqual(['alice-wang']);
      expect(await speakerSlugs({ search: 'C:\\tools' })).toEqual(['bob-chen']);
      expect(await speakerSlugs({ search: 'C:_tools' })).toEqual([]);
    });
  });

  describe('search(query:)', () => {
    const search = async (query: string, first?: number) => {
      const result = await t.exec(SearchDocument, { query, first });
      expect(result.errors).toBeUndefined();
      return result.data!.search.map((hit) => `${hit.__typename}:${hit.slug}`);
    };

    it('finds the CodeGeeX talk whatever the case', async () => {
      for (const query of ['codegeex', 'CodeGeeX', 'CODEGEEX', 'cOdEgEeX']) {
        const hits = await search(query);
        expect(hits).toContain('Talk:codegeex');
        expect(hits).toContain('Talk:codegeex-cloud');
      }
    });

    it('puts the topic named exactly 大模型 first, then headings starting with it, then containing it', async () => {
      const hits = await search('大模型');
      expect(hits[0]).toBe('Topic:da-mo-xing');
      expect(hits[1]).toBe('Event:jue-li-ji-hua-21');
      expect(hits.slice(2, 4).sort()).toEqual(
        sorted('Talk:ray-ai-infrastructure', 'Talk:youdao-ziyue-education'),
      );
      // Then the rows that mention it only outside their title or name.
      expect(hits.slice(4).sort()).toEqual(
        sorted('Speaker:xue-yu-fei', 'Event:jue-li-ji-hua-22', 'Talk:codegeex-cloud'),
      );
    });

    it('ranks an exact English name first regardless of case', async () => {
      const hits = await search('webassembly');
      expect(hits[0]).toBe('Topic:webassembly');
      expect(hits).toEqual(
        expect.arrayContaining(['Event:rust-night-1', 'Talk:lightweight-runtime-llm-agent']),
      );
      expect(hits).toHaveLength(3);
    });

    it('requires every word of a multi-word query, in any text column', async () => {
      expect((await search('Rust WebAssembly')).sort()).toEqual(
        sorted('Event:rust-night-1', 'Talk:lightweight-runtime-llm-agent'),
      );
      expect((await search('rust   webassembly')).sort()).toEqual(
        sorted('Event:rust-night-1', 'Talk:lightweight-runtime-llm-agent'),
      );
      // The series and the city of one event.
      expect(await search('Rust 夜话 北京')).toEqual(['Event:rust-night-1']);
      // 第21期's summary names both as well.
      expect((await search('LLM 运行时')).sort()).toEqual(
        sorted('Event:jue-li-ji-hua-21', 'Talk:lightweight-runtime-llm-agent'),
      );
      expect(await search('Rust 子曰')).toEqual([]);
    });

    it('finds speakers by name and affiliation', async () => {
      expect(await search('尤雨溪')).toEqual(['Speaker:you-yu-xi']);
      expect(await search('网易有道')).toEqual(expect.arrayContaining(['Speaker:lin-hui']));
    });

    it('ignores case beyond ASCII', async () => {
      expect(await search('jürgen MÜLLER')).toEqual(['Speaker:juergen-mueller']);
      expect(await search('jÜrgen müller')).toEqual(['Speaker:juergen-mueller']);
    });

    it('matches % and _ literally', async () => {
      expect((await search('100%')).sort()).toEqual(
        sorted('Event:percent-event', 'Speaker:alice-wang'),
      );
      expect(await search('a_b')).toEqual(['Talk:faster-builds']);
    });

    it('trims the query and refuses an empty one', async () => {
      expect(await search('  尤雨溪  ')).toEqual(['Speaker:you-yu-xi']);
      for (const query of ['', '   ', '\t\n']) {
        const result = await t.exec(SearchDocument, { query });
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('returns at most `first` hits, 0 to 100', async () => {
      expect(await search('大模型', 1)).toEqual(['Topic:da-mo-xing']);
      expect(await search('大模型', 2)).toEqual(['Topic:da-mo-xing', 'Event:jue-li-ji-hua-21']);
      expect(await search('大模型', 0)).toEqual([]);
      expect(await search('大模型', 100)).toHaveLength(7);
      for (const first of [-1, 101]) {
        const result = await t.exec(SearchDocument, { query: '大模型', first });
        expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      }
    });

    it('defaults to 20 hits', async () => {
      const filler: number[] = [];
      for (let i = 0; i < 25; i++) {
        const [row] = await db.query(
          `INSERT INTO topics (slug, name) VALUES (:slug, :name) RETURNING id`,
          { slug: `filler-${i}`, name: `Filler ${i}` },
        );
        filler.push(Number(row!.id));
      }
      try {
        expect(await search('filler')).toHaveLength(20);
        expect(await search('filler', 25)).toHaveLength(25);
      } finally {
        await db.query(`DELETE FROM topics WHERE id IN (:...ids)`, { ids: filler });
      }
    });
  });

  describe('node and nodes', () => {
    it('finds every type by id', async () => {
      for (const [type, slug] of [
        ['Event', 'jue-li-ji-hua-21'],
        ['Talk', 'codegeex'],
        ['Speaker', 'you-yu-xi'],
        ['Topic', 'da-mo-xing'],
      ] as const) {
        const result = await t.exec(NodeByIdDocument, { id: gid(type, slug) });
        expect(result.errors).toBeUndefined();
        expect(result.data?.node).toEqual({ __typename: type, id: gid(type, slug), slug });
      }
    });

    it.each([
      ['an unknown row', toGlobalId('Event', 999_999)],
      ['the largest possible row id', toGlobalId('Talk', 2_147_483_647)],
      ['a row id beyond the id column', Buffer.from('Topic:99999999999').toString('base64url')],
      ['an unknown type', Buffer.from('User:1').toString('base64url')],
      ['garbage', 'not-an-id'],
      ['an empty id', ''],
      ['a raw row id', '1'],
    ])('returns null without an error for %s', async (_label, id) => {
      const result = await t.exec(NodeByIdDocument, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ node: null });
    });

    it('returns null for the id of a deleted row', async () => {
      const [row] = await db.query(
        `INSERT INTO topics (slug, name) VALUES ('short-lived', '短命') RETURNING id`,
      );
      const id = toGlobalId('Topic', Number(row!.id));
      expect((await t.exec(NodeByIdDocument, { id })).data?.node).toMatchObject({
        slug: 'short-lived',
      });
      await db.query(`DELETE FROM topics WHERE id = :id`, { id: Number(row!.id) });
      const result = await t.exec(NodeByIdDocument, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data?.node).toBeNull();
    });

    it('keeps the order of ids, with null where a node is missing', async () => {
      const requested = [
        gid('Talk', 'codegeex'),
        'bogus',
        gid('Event', 'rust-night-1'),
        toGlobalId('Speaker', 999_999),
        gid('Speaker', 'lin-hui'),
        gid('Talk', 'codegeex'),
        gid('Topic', 'rust'),
      ];
      const result = await t.exec(NodesByIdsDocument, { ids: requested });
      expect(result.errors).toBeUndefined();
      expect(result.data?.nodes).toEqual([
        { __typename: 'Talk', id: requested[0] },
        null,
        { __typename: 'Event', id: requested[2] },
        null,
        { __typename: 'Speaker', id: requested[4] },
        { __typename: 'Talk', id: requested[0] },
        { __typename: 'Topic', id: requested[6] },
      ]);
      expect((await t.exec(NodesByIdsDocument, { ids: [] })).data?.nodes).toEqual([]);
    });

    it('refuses more than 100 ids', async () => {
      const id = gid('Talk', 'codegeex');
      expect(
        (await t.exec(NodesByIdsDocument, { ids: Array(100).fill(id) })).data?.nodes,
      ).toHaveLength(100);
      const result = await t.exec(NodesByIdsDocument, { ids: Array(101).fill(id) });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });

    it('loads many nodes of one type in one statement', async () => {
      const requested = ['codegeex', 'ray-ai-infrastructure', 'vue-compiler', 'faster-builds'].map(
        (s) => gid('Talk', s),
      );
      t.sql.length = 0;
      await t.exec(NodesByIdsDocument, { ids: requested });
      expect(t.sql).toHaveLength(1);
    });
  });

  describe('event, talk, speaker and topic by id or slug', () => {
    it('refuses neither and both with BAD_USER_INPUT', async () => {
      const neither = await t.exec(LookupAllDocument, {});
      expect(codes(neither)).toEqual(Array(4).fill('BAD_USER_INPUT'));
      const both = await t.exec(LookupAllDocument, {
        id: gid('Event', 'rust-night-1'),
        slug: 'rust-night-1',
      });
      expect(codes(both)).toEqual(Array(4).fill('BAD_USER_INPUT'));
    });

    it('looks up by slug, null when unknown', async () => {
      for (const [type, slug] of [
        ['Event', 'rust-night-1'],
        ['Talk', 'wasm-in-rust'],
        ['Speaker', 'you-yu-xi'],
        ['Topic', 'yun-yuan-sheng'],
      ] as const) {
        const result = await t.exec(LookupAllDocument, { slug });
        expect(result.errors).toBeUndefined();
        const field = type.toLowerCase() as 'event' | 'talk' | 'speaker' | 'topic';
        expect(result.data?.[field]).toEqual({ id: gid(type, slug), slug });
      }
      const unknown = await t.exec(LookupAllDocument, { slug: 'no-such-slug' });
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data).toEqual({ event: null, talk: null, speaker: null, topic: null });
    });

    it('answers an id only for its own type', async () => {
      const result = await t.exec(LookupAllDocument, { id: gid('Talk', 'wasm-in-rust') });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        event: null,
        talk: { id: gid('Talk', 'wasm-in-rust'), slug: 'wasm-in-rust' },
        speaker: null,
        topic: null,
      });
      const malformed = await t.exec(LookupAllDocument, { id: 'nope' });
      expect(malformed.errors).toBeUndefined();
      expect(malformed.data).toEqual({ event: null, talk: null, speaker: null, topic: null });
    });
  });

  describe('Topic.talks and Topic.speakers', () => {
    const topicConnections = async (variables: Partial<TopicConnectionsQueryVariables>) => {
      const result = await t.exec(TopicConnectionsDocument, { slug: 'da-mo-xing', ...variables });
      expect(result.errors).toBeUndefined();
      return result.data!.topic!;
    };
    const slugsOf = (conn: { edges: { node: { slug: string } }[] }) =>
      conn.edges.map((e) => e.node.slug);

    it('pages a topic’s talks, newest first by default, with totalCount', async () => {
      const all = await topicConnections({ talksFirst: 100 });
      // 第21期's two talks share the event's start: the later id comes first.
      expect(slugsOf(all.talks)).toEqual(['codegeex-cloud', 'youdao-ziyue-education', 'codegeex']);
      expect(all.talks.totalCount).toBe(3);
      expect(all.talkCount).toBe(3);

      const page1 = await topicConnections({ talksFirst: 2 });
      expect(slugsOf(page1.talks)).toEqual(['codegeex-cloud', 'youdao-ziyue-education']);
      expect(page1.talks.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      expect(page1.talks.totalCount).toBe(3);
      const page2 = await topicConnections({
        talksFirst: 2,
        talksAfter: page1.talks.pageInfo.endCursor,
      });
      expect(slugsOf(page2.talks)).toEqual(['codegeex']);
      expect(page2.talks.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const tail = await topicConnections({ talksLast: 2 });
      expect(slugsOf(tail.talks)).toEqual(['youdao-ziyue-education', 'codegeex']);
      expect(tail.talks.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const head = await topicConnections({
        talksLast: 2,
        talksBefore: tail.talks.pageInfo.startCursor,
      });
      expect(slugsOf(head.talks)).toEqual(['codegeex-cloud']);
    });

    it('orders a topic’s talks by any TalkOrder and refuses a cursor of another', async () => {
      const byTitle = await topicConnections({
        talksFirst: 100,
        talksOrderBy: { field: 'TITLE', direction: 'ASC' },
      });
      const [expected] = [
        (
          await db.query(
            `SELECT t.slug FROM talks t JOIN talk_topics tt ON tt.talk_id = t.id JOIN topics tp ON tp.id = tt.topic_id
             WHERE tp.slug = 'da-mo-xing' ORDER BY t.title, t.id`,
          )
        ).map((row) => String(row.slug)),
      ];
      expect(slugsOf(byTitle.talks)).toEqual(expected);
      const result = await t.exec(TopicConnectionsDocument, {
        slug: 'da-mo-xing',
        talksFirst: 1,
        talksAfter: byTitle.talks.pageInfo.startCursor,
      });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });

    it('pages a topic’s distinct speakers by name, with totalCount', async () => {
      // 薛宇飞 gives two of the topic's talks and is listed once.
      const all = await topicConnections({ speakersFirst: 100 });
      expect(all.speakers.totalCount).toBe(2);
      const [row] = await db.query(
        `SELECT slug FROM speakers WHERE slug IN ('xue-yu-fei', 'lin-hui') ORDER BY name, id`,
      );
      expect(slugsOf(all.speakers)[0]).toBe(row!.slug);
      expect(slugsOf(all.speakers).sort()).toEqual(sorted('xue-yu-fei', 'lin-hui'));

      const page1 = await topicConnections({ speakersFirst: 1 });
      expect(page1.speakers.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const page2 = await topicConnections({
        speakersFirst: 1,
        speakersAfter: page1.speakers.pageInfo.endCursor,
      });
      expect([...slugsOf(page1.speakers), ...slugsOf(page2.speakers)]).toEqual(
        slugsOf(all.speakers),
      );
      expect(page2.speakers.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const last = await topicConnections({ speakersLast: 1 });
      expect(slugsOf(last.speakers)).toEqual(slugsOf(all.speakers).slice(-1));
    });

    it('gives a topic without talks empty connections', async () => {
      const [row] = await db.query(
        `INSERT INTO topics (slug, name) VALUES ('lonely', '孤独') RETURNING id`,
      );
      try {
        const result = await t.exec(TopicConnectionsDocument, {
          slug: 'lonely',
          talksFirst: 5,
          speakersFirst: 5,
        });
        expect(result.errors).toBeUndefined();
        expect(result.data?.topic).toMatchObject({
          talkCount: 0,
          talks: {
            totalCount: 0,
            edges: [],
            pageInfo: { hasNextPage: false, hasPreviousPage: false },
          },
          speakers: {
            totalCount: 0,
            edges: [],
            pageInfo: { hasNextPage: false, hasPreviousPage: false },
          },
        });
      } finally {
        await db.query(`DELETE FROM topics WHERE id = :id`, { id: Number(row!.id) });
      }
    });

    it('gives every topic in a list the same page it gets on its own', async () => {
      const list = await t.exec(TopicsWithTalksDocument, {
        first: 100,
        talksFirst: 1,
        speakersFirst: 1,
      });
      expect(list.errors).toBeUndefined();
      const topics = list.data!.topics.nodes;
      expect(topics.length).toBeGreaterThan(10);
      for (const topic of topics) {
        const alone = await topicConnections({ slug: topic.slug, talksFirst: 1, speakersFirst: 1 });
        expect(topic.talks.edges).toEqual(alone.talks.edges);
        expect(topic.talks.pageInfo).toEqual(alone.talks.pageInfo);
        expect(topic.talks.totalCount).toBe(alone.talks.totalCount);
        expect(topic.talkCount).toBe(alone.talkCount);
        expect(topic.speakers.nodes.map((n) => n.slug)).toEqual(slugsOf(alone.speakers));
        expect(topic.speakers.totalCount).toBe(alone.speakers.totalCount);
      }
    });

    it('costs the same statements for 3 topics as for 20', async () => {
      const [row] = await db.query(`SELECT COUNT(*) AS n FROM topics`);
      expect(Number(row!.n)).toBeGreaterThanOrEqual(13);
      const statementsFor = async (first: number) => {
        t.sql.length = 0;
        const result = await t.exec(TopicsWithTalksDocument, {
          first,
          talksFirst: 2,
          speakersFirst: 2,
        });
        expect(result.errors).toBeUndefined();
        expect(result.data!.topics.nodes).toHaveLength(Math.min(first, Number(row!.n)));
        return t.sql.length;
      };
      const three = await statementsFor(3);
      const twenty = await statementsFor(20);
      expect(twenty).toBe(three);
      // The page of topics, talkCount, the talk pages, the speaker pages, the speaker counts.
      expect(three).toBeLessThanOrEqual(5);
    });
  });
});
