/**
 * Word pools for the synthetic seed. Slugs are written out (not derived with pinyin at run
 * time) so generating a million talks costs no pinyin lookups, and so surnames with more
 * than one reading get the reading a person would use. Names are invented; companies are
 * real employers of the community's speakers, used only as plausible affiliations.
 */

export interface Word {
  name: string;
  slug: string;
}

export interface Series extends Word {
  organizer: string;
  /** The language of its event titles and summaries. */
  lang: 'zh' | 'en';
}

/** Series names carry no digits, so `<series>-<edition>-<id>` can never be mistaken for another. */
export const SERIES: Series[] = [
  { name: '掘力计划', slug: 'jue-li-ji-hua', organizer: '稀土掘金技术社区', lang: 'zh' },
  { name: '前端早早聊', slug: 'qian-duan-zao-zao-liao', organizer: '前端早早聊', lang: 'zh' },
  { name: 'Rust Meetup', slug: 'rust-meetup', organizer: 'Rust 中文社区', lang: 'en' },
  { name: 'Gopher Meetup', slug: 'gopher-meetup', organizer: 'Go 语言中文网', lang: 'en' },
  {
    name: '云原生技术沙龙',
    slug: 'yun-yuan-sheng-ji-shu-sha-long',
    organizer: 'CNCF 中国社区',
    lang: 'zh',
  },
  { name: 'AI 开发者沙龙', slug: 'ai-kai-fa-zhe-sha-long', organizer: '开源中国', lang: 'zh' },
  {
    name: 'PyCon China City Day',
    slug: 'pycon-china-city-day',
    organizer: 'PyChina',
    lang: 'en',
  },
  {
    name: '数据库技术沙龙',
    slug: 'shu-ju-ku-ji-shu-sha-long',
    organizer: 'PingCAP 社区',
    lang: 'zh',
  },
  { name: 'Flutter Night', slug: 'flutter-night', organizer: 'GDG China', lang: 'en' },
  { name: '架构师夜话', slug: 'jia-gou-shi-ye-hua', organizer: 'InfoQ 中国', lang: 'zh' },
  {
    name: 'DevOps Days Meetup',
    slug: 'devops-days-meetup',
    organizer: 'DevOps 中国社区',
    lang: 'en',
  },
  { name: '移动开发者大会', slug: 'yi-dong-kai-fa-zhe-da-hui', organizer: 'CSDN', lang: 'zh' },
];

export const CITIES: Word[] = [
  { name: '北京', slug: 'beijing' },
  { name: '上海', slug: 'shanghai' },
  { name: '深圳', slug: 'shenzhen' },
  { name: '杭州', slug: 'hangzhou' },
  { name: '广州', slug: 'guangzhou' },
  { name: '成都', slug: 'chengdu' },
  { name: '南京', slug: 'nanjing' },
  { name: '武汉', slug: 'wuhan' },
  { name: '西安', slug: 'xian' },
  { name: 'Remote', slug: 'remote' },
];

export const VENUE_KINDS = [
  '国际会议中心',
  '科技园报告厅',
  '创新中心',
  '联合办公空间',
  '大学学术报告厅',
];

export const COMPANIES: Word[] = [
  { name: '字节跳动', slug: 'bytedance' },
  { name: '阿里巴巴', slug: 'alibaba' },
  { name: '腾讯', slug: 'tencent' },
  { name: '美团', slug: 'meituan' },
  { name: '蚂蚁集团', slug: 'ant-group' },
  { name: '百度', slug: 'baidu' },
  { name: '京东', slug: 'jd' },
  { name: '快手', slug: 'kuaishou' },
  { name: '小红书', slug: 'xiaohongshu' },
  { name: '网易', slug: 'netease' },
  { name: '华为', slug: 'huawei' },
  { name: 'PingCAP', slug: 'pingcap' },
  { name: '智谱AI', slug: 'zhipu-ai' },
  { name: '月之暗面', slug: 'moonshot-ai' },
  { name: 'Shopee', slug: 'shopee' },
  { name: 'Microsoft', slug: 'microsoft' },
  { name: 'Google', slug: 'google' },
  { name: 'Cloudflare', slug: 'cloudflare' },
  { name: 'Vercel', slug: 'vercel' },
  { name: '独立开发者', slug: 'indie' },
];

export const HEADLINES = [
  '高级前端工程师',
  '资深后端工程师',
  '技术专家',
  '架构师',
  '技术总监',
  '开源项目维护者',
  '算法工程师',
  'SRE 负责人',
  'Staff Engineer',
  'Developer Advocate',
  'Engineering Manager',
  'Principal Engineer',
];

/** Surnames with a single common reading, so the written slug is the one people expect. */
export const SURNAMES: Word[] = [
  { name: '王', slug: 'wang' },
  { name: '李', slug: 'li' },
  { name: '张', slug: 'zhang' },
  { name: '刘', slug: 'liu' },
  { name: '陈', slug: 'chen' },
  { name: '杨', slug: 'yang' },
  { name: '黄', slug: 'huang' },
  { name: '赵', slug: 'zhao' },
  { name: '吴', slug: 'wu' },
  { name: '周', slug: 'zhou' },
  { name: '徐', slug: 'xu' },
  { name: '孙', slug: 'sun' },
  { name: '马', slug: 'ma' },
  { name: '朱', slug: 'zhu' },
  { name: '胡', slug: 'hu' },
  { name: '林', slug: 'lin' },
  { name: '郭', slug: 'guo' },
  { name: '何', slug: 'he' },
  { name: '高', slug: 'gao' },
  { name: '罗', slug: 'luo' },
  { name: '郑', slug: 'zheng' },
  { name: '梁', slug: 'liang' },
  { name: '谢', slug: 'xie' },
  { name: '宋', slug: 'song' },
  { name: '唐', slug: 'tang' },
  { name: '韩', slug: 'han' },
  { name: '冯', slug: 'feng' },
  { name: '邓', slug: 'deng' },
  { name: '许', slug: 'xu' },
  { name: '欧阳', slug: 'ou-yang' },
];

export const GIVEN_NAMES: Word[] = [
  { name: '伟', slug: 'wei' },
  { name: '芳', slug: 'fang' },
  { name: '娜', slug: 'na' },
  { name: '敏', slug: 'min' },
  { name: '静', slug: 'jing' },
  { name: '磊', slug: 'lei' },
  { name: '洋', slug: 'yang' },
  { name: '杰', slug: 'jie' },
  { name: '涛', slug: 'tao' },
  { name: '明', slug: 'ming' },
  { name: '超', slug: 'chao' },
  { name: '婷', slug: 'ting' },
  { name: '子涵', slug: 'zi-han' },
  { name: '宇航', slug: 'yu-hang' },
  { name: '思远', slug: 'si-yuan' },
  { name: '雨萱', slug: 'yu-xuan' },
  { name: '浩然', slug: 'hao-ran' },
  { name: '嘉怡', slug: 'jia-yi' },
  { name: '俊杰', slug: 'jun-jie' },
  { name: '晓东', slug: 'xiao-dong' },
  { name: '一鸣', slug: 'yi-ming' },
  { name: '梓萌', slug: 'zi-meng' },
  { name: '文博', slug: 'wen-bo' },
  { name: '欣怡', slug: 'xin-yi' },
  { name: '志强', slug: 'zhi-qiang' },
  { name: '海峰', slug: 'hai-feng' },
];

/** English names: slugs are the lowercase names. */
export const FIRST_NAMES: Word[] = asWords([
  'Alice',
  'Ben',
  'Chloe',
  'David',
  'Emma',
  'Felix',
  'Grace',
  'Henry',
  'Iris',
  'Jack',
  'Kate',
  'Leo',
]);
export const LAST_NAMES: Word[] = asWords([
  'Anderson',
  'Brown',
  'Chen',
  'Garcia',
  'Kim',
  'Lee',
  'Miller',
  'Nguyen',
  'Smith',
  'Wang',
]);

function asWords(names: string[]): Word[] {
  return names.map((name) => ({ name, slug: name.toLowerCase() }));
}

/**
 * Base topic names; the synthetic seed takes up to 200 topics from these, adding a
 * variant suffix once the list runs out. Slugs come from `slugify` when the seed starts.
 */
export const TOPIC_NAMES = [
  ...[
    '大模型',
    'LLM Agent',
    'RAG',
    '提示工程',
    '向量数据库',
    '模型微调',
    '推理优化',
    'AI 编程助手',
    '多模态',
  ],
  ...[
    '代码生成',
    '机器学习',
    '深度学习',
    'PyTorch',
    'TensorFlow',
    '推荐系统',
    '搜索引擎',
    '自然语言处理',
  ],
  ...[
    '计算机视觉',
    'React',
    'Vue',
    'Svelte',
    'Angular',
    'Next.js',
    'Nuxt',
    'TypeScript',
    'JavaScript',
  ],
  ...[
    'Node.js',
    'Deno',
    'Bun',
    'Vite',
    'Webpack',
    '前端工程化',
    '微前端',
    '低代码',
    '跨端开发',
    '小程序',
  ],
  ...[
    'Flutter',
    'React Native',
    'Swift',
    'Kotlin',
    'Android',
    'iOS',
    '鸿蒙',
    'WebAssembly',
    'WebGPU',
  ],
  ...[
    'CSS',
    '性能优化',
    '可访问性',
    '设计系统',
    '可视化',
    'Three.js',
    'Rust',
    'Go',
    'Java',
    'Python',
  ],
  ...['C++', 'Zig', 'Elixir', 'Scala', 'Spring Boot', '微服务', '服务网格', 'Kubernetes', 'Docker'],
  ...[
    '云原生',
    'Serverless',
    '边缘计算',
    'eBPF',
    '可观测性',
    'OpenTelemetry',
    'Prometheus',
    '日志平台',
  ],
  ...['SRE', '混沌工程', 'DevOps', 'CI/CD', 'GitOps', '基础设施即代码', 'Terraform', '分布式计算'],
  ...[
    '分布式事务',
    '一致性协议',
    'Raft',
    '消息队列',
    'Kafka',
    'Redis',
    'PostgreSQL',
    'MySQL',
    'SQLite',
  ],
  ...[
    'TiDB',
    'ClickHouse',
    '数据湖',
    '实时计算',
    'Flink',
    'Spark',
    '数据治理',
    '数据安全',
    '隐私计算',
  ],
  ...[
    '应用安全',
    '零信任',
    '密码学',
    '区块链',
    'GraphQL',
    'gRPC',
    'API 设计',
    '领域驱动设计',
    '架构演进',
  ],
  ...[
    '技术管理',
    '开源治理',
    '开发者体验',
    '测试自动化',
    '单元测试',
    '代码评审',
    '编译器',
    '操作系统',
  ],
  ...[
    'Linux 内核',
    '网络协议',
    'QUIC',
    '音视频',
    '实时通信',
    '游戏引擎',
    '物联网',
    '嵌入式',
    '机器人',
  ],
];

export const TOPIC_VARIANTS: Word[] = [
  { name: ' 生态', slug: 'sheng-tai' },
  { name: ' Internals', slug: 'internals' },
  { name: ' 工程化', slug: 'gong-cheng-hua' },
];

/**
 * Talk title templates: `{a}`/`{b}` are the talk's first two topics and `{org}` the first
 * speaker's company; `slug` spells the same title, with the same placeholders.
 */
export const TALK_TITLES: { title: string; slug: string; lang: 'zh' | 'en' }[] = [
  { title: '{a} 在 {org} 的落地实践', slug: '{a}-zai-{org}-de-luo-di-shi-jian', lang: 'zh' },
  { title: '从零到一：{a} 实战', slug: 'cong-ling-dao-yi-{a}-shi-zhan', lang: 'zh' },
  { title: '深入浅出 {a}', slug: 'shen-ru-qian-chu-{a}', lang: 'zh' },
  { title: '{a} 与 {b} 的融合探索', slug: '{a}-yu-{b}-de-rong-he-tan-suo', lang: 'zh' },
  { title: '{a} 性能优化之路', slug: '{a}-xing-neng-you-hua-zhi-lu', lang: 'zh' },
  { title: '聊聊 {a} 的设计与演进', slug: 'liao-liao-{a}-de-she-ji-yu-yan-jin', lang: 'zh' },
  {
    title: '用 {b} 重构 {a}：{org} 的经验',
    slug: 'yong-{b}-chong-gou-{a}-{org}-de-jing-yan',
    lang: 'zh',
  },
  { title: 'Building {a} with {b}', slug: 'building-{a}-with-{b}', lang: 'en' },
  {
    title: '{a} in Production: Lessons Learned',
    slug: '{a}-in-production-lessons-learned',
    lang: 'en',
  },
  { title: 'Scaling {a} at {org}', slug: 'scaling-{a}-at-{org}', lang: 'en' },
  { title: 'A Deep Dive into {a}', slug: 'a-deep-dive-into-{a}', lang: 'en' },
  {
    title: 'From {a} to {b}: A Migration Story',
    slug: 'from-{a}-to-{b}-a-migration-story',
    lang: 'en',
  },
];

export const EVENT_THEMES: { zh: string; en: string }[] = [
  { zh: '{a} 专场', en: '{a} Night' },
  { zh: '{a} 实践与展望', en: '{a} in Practice' },
  { zh: '走进 {a}', en: 'All about {a}' },
  { zh: '{a} 开发者面对面', en: 'Meet the {a} Builders' },
];

/**
 * The longer texts, in both languages where a row can be either; `city` is null online.
 * Spaces go around every inserted word: the seed drops those that end up between two
 * Han characters, leaving the usual spacing between Chinese and Latin text.
 */
export const TEXTS = {
  topicDescription: (topic: string) => `与 ${topic} 相关的分享与讨论。`,
  speakerBio: (company: string, headline: string | null, topic: string) =>
    `${company} ${headline ?? '工程师'}，长期关注 ${topic}。`,
  eventTitle: {
    zh: (series: string, edition: number, theme: string) => `${series} 第${edition}期：${theme}`,
    en: (series: string, edition: number, theme: string) => `${series} #${edition}: ${theme}`,
  },
  eventSummary: {
    zh: (series: string, edition: number, city: string | null, topic: string) =>
      `${series} 第 ${edition} 期${city ? `在 ${city}` : '线上'}举办，五位讲者围绕 ${topic} 分享实践。`,
    en: (series: string, edition: number, city: string | null, topic: string) =>
      `${series} #${edition}, ${city ? `in ${city}` : 'online'}: five talks around ${topic}.`,
  },
  talkAbstract: {
    zh: (org: string, [a, b]: string[]) =>
      `围绕 ${a} 与 ${b}，分享 ${org} 团队在真实业务中的实践、踩坑与取舍。`,
    en: (org: string, [a, b]: string[]) =>
      `How the ${org} team uses ${a} and ${b}: design choices, pitfalls and results.`,
  },
};
