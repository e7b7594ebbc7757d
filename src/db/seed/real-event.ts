/**
 * The first real data: 掘力计划 第21期 (2023-08-12, 北京). Facts (titles, speakers,
 * affiliations, topics, recap counts) are from the public recap; summaries and abstracts
 * are our own words. The start time of day was not published: 14:00 local is assumed.
 */

export interface SeedSpeaker {
  slug: string;
  name: string;
  headline: string | null;
  affiliation: string;
}

export interface SeedTalk {
  slug: string;
  title: string;
  abstract: string;
  speakers: string[];
  topics: string[];
}

export const REAL_EVENT = {
  slug: 'jue-li-ji-hua-21',
  title: '大模型的崛起：解析大语言模型的训练和应用',
  summary:
    '掘力计划第 21 期聚焦大语言模型：从代码生成模型到 AI 编程助手，从大模型时代的分布式计算基础设施，' +
    '到轻量级运行时如何支撑 LLM Agent，再到大模型在教育行业的落地。四位来自一线团队的讲者分享训练与应用中的实践经验。',
  series: '掘力计划',
  edition: 21,
  startsAt: new Date('2023-08-12T14:00:00+08:00'),
  city: '北京',
  venue: '北京市海淀区方恒时尚中心',
  organizer: '稀土掘金技术社区',
  viewCount: 729,
  likeCount: 4,
} as const;

export const REAL_TOPICS: { slug: string; name: string }[] = [
  { slug: 'dai-ma-sheng-cheng', name: '代码生成' },
  { slug: 'da-mo-xing', name: '大模型' },
  { slug: 'ai-bian-cheng-zhu-shou', name: 'AI 编程助手' },
  { slug: 'fen-bu-shi-ji-suan', name: '分布式计算' },
  { slug: 'ai-ji-chu-she-shi', name: 'AI 基础设施' },
  { slug: 'ray', name: 'Ray' },
  { slug: 'llm-agent', name: 'LLM Agent' },
  { slug: 'webassembly', name: 'WebAssembly' },
  { slug: 'rust', name: 'Rust' },
  { slug: 'jiao-yu', name: '教育' },
  { slug: 'hang-ye-ying-yong', name: '行业应用' },
];

export const REAL_SPEAKERS: SeedSpeaker[] = [
  { slug: 'xue-yu-fei', name: '薛宇飞', headline: '大模型事业部副总裁', affiliation: '智谱AI' },
  {
    slug: 'song-gu-yang',
    name: '宋顾杨',
    headline: 'Ray 开源社区核心贡献者',
    affiliation: '蚂蚁集团 Ray 团队',
  },
  { slug: 'michael-yuan', name: 'Michael Yuan', headline: null, affiliation: 'CNCF WasmEdge 项目' },
  { slug: 'lin-hui', name: '林辉', headline: '技术总监', affiliation: '网易有道' },
];

export const REAL_TALKS: SeedTalk[] = [
  {
    slug: 'codegeex',
    title: 'CodeGeeX：从代码生成模型到AI编程助手',
    abstract:
      '讲述多语言代码生成模型 CodeGeeX 如何从一个预训练模型成长为开发者日常使用的 AI 编程助手：' +
      '训练数据与评测、推理部署的取舍，以及在 IDE 插件中打磨补全与问答体验的经验。',
    speakers: ['xue-yu-fei'],
    topics: ['dai-ma-sheng-cheng', 'da-mo-xing', 'ai-bian-cheng-zhu-shou'],
  },
  {
    slug: 'ray-ai-infrastructure',
    title: 'Ray：大模型时代的AI计算基础设施',
    abstract:
      '大模型的训练、微调与在线推理都需要弹性的分布式算力。本次分享介绍 Ray 的核心抽象，' +
      '以及蚂蚁集团如何用它把数据处理、训练和服务串成统一的 AI 计算底座。',
    speakers: ['song-gu-yang'],
    topics: ['fen-bu-shi-ji-suan', 'ai-ji-chu-she-shi', 'ray'],
  },
  {
    slug: 'lightweight-runtime-llm-agent',
    title: '轻量级运行时在构建 LLM Agent 中的作用',
    abstract:
      'LLM Agent 需要安全、可移植、启动快的执行环境来调用工具和运行插件。分享以 WasmEdge 为例，' +
      '说明 WebAssembly 与 Rust 构成的轻量级运行时如何让 Agent 更易部署、更可控。',
    speakers: ['michael-yuan'],
    topics: ['llm-agent', 'webassembly', 'rust'],
  },
  {
    slug: 'youdao-ziyue-education',
    title: '有道子曰大模型及其在教育领域的应用',
    abstract:
      '介绍网易有道的教育大模型“子曰”：面向学习场景的能力建设与评估，' +
      '以及它在口语陪练、作文批改、答疑讲解等产品中的落地方式与经验。',
    speakers: ['lin-hui'],
    topics: ['da-mo-xing', 'jiao-yu', 'hang-ye-ying-yong'],
  },
];
