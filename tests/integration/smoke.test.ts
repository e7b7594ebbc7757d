import { EventDetailDocument, NestedEventsDocument } from '../__generated__/graphql';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

describeDb('the seeded 掘力计划 第21期 event', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer();
  });
  afterAll(() => t?.stop());

  it('answers the nested query with its four talks in agenda order', async () => {
    const { data, errors } = await t.exec(NestedEventsDocument, { first: 5 });
    expect(errors).toBeUndefined();
    expect(data?.events.edges).toHaveLength(1);
    const event = data!.events.edges[0]!.node;
    expect(event).toMatchObject({
      slug: 'jue-li-ji-hua-21',
      title: '大模型的崛起：解析大语言模型的训练和应用',
      series: '掘力计划',
      edition: 21,
      city: '北京',
      venue: '北京市海淀区方恒时尚中心',
      organizer: '稀土掘金技术社区',
      startsAt: '2023-08-12T06:00:00.000Z',
      viewCount: 729,
      likeCount: 4,
      viewerHasLiked: false,
    });
    expect(
      event.talks.map((talk) => [talk.position, talk.title, talk.speakers.map((s) => s.name)]),
    ).toEqual([
      [1, 'CodeGeeX：从代码生成模型到AI编程助手', ['薛宇飞']],
      [2, 'Ray：大模型时代的AI计算基础设施', ['宋顾杨']],
      [3, '轻量级运行时在构建 LLM Agent 中的作用', ['Michael Yuan']],
      [4, '有道子曰大模型及其在教育领域的应用', ['林辉']],
    ]);
  });

  it('lists distinct speakers in talk order and topics most-used first', async () => {
    const { data } = await t.exec(EventDetailDocument, { slug: 'jue-li-ji-hua-21' });
    expect(data?.event?.speakers.map((s) => s.slug)).toEqual([
      'xue-yu-fei',
      'song-gu-yang',
      'michael-yuan',
      'lin-hui',
    ]);
    expect(data?.event?.topics[0]?.name).toBe('大模型');
    expect(data?.event?.topics).toHaveLength(11);
  });
});
