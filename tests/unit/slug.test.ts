import { firstFreeSlug, MAX_SLUG_LENGTH, SLUG_PATTERN, slugify } from '../../src/lib/slug';

describe('slugify', () => {
  it.each([
    ['大模型', 'da-mo-xing'],
    ['掘力计划 21', 'jue-li-ji-hua-21'],
    ['行业应用', 'hang-ye-ying-yong'],
    ['重庆', 'chong-qing'],
    ['绿色', 'lv-se'],
  ])('spells Chinese %s in toneless pinyin', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it.each([
    [
      'CodeGeeX：从代码生成模型到AI编程助手',
      'codegeex-cong-dai-ma-sheng-cheng-mo-xing-dao-ai-bian-cheng-zhu-shou',
    ],
    ['Ray：大模型时代的AI计算基础设施', 'ray-da-mo-xing-shi-dai-de-ai-ji-suan-ji-chu-she-shi'],
    [
      '轻量级运行时在构建 LLM Agent 中的作用',
      'qing-liang-ji-yun-xing-shi-zai-gou-jian-llm-agent-zhong-de-zuo-yong',
    ],
  ])('keeps English words whole inside Chinese: %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it.each([
    ['Hello, World! (v2.0)', 'hello-world-v2-0'],
    ['  --Rust & WebAssembly--  ', 'rust-webassembly'],
    ['C++ / C#', 'c-c'],
    ['Ünïcödé café', 'unicode-cafe'],
    ['ＡＢＣ１２３', 'abc123'],
    ['a_b.c', 'a-b-c'],
  ])('turns punctuation and accents into single dashes: %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('returns an empty slug for emoji and punctuation only', () => {
    expect(slugify('🚀🎉')).toBe('');
    expect(slugify('！？……')).toBe('');
    expect(slugify('')).toBe('');
  });

  it('truncates a long English title at a word boundary, at most 72 characters', () => {
    const title =
      'The quick brown fox jumps over the lazy dog and keeps running through the forest until night falls';
    const slug = slugify(title);
    expect(slug.length).toBeLessThanOrEqual(72);
    expect(slug).toBe('the-quick-brown-fox-jumps-over-the-lazy-dog-and-keeps-running-through');
    expect(slug).toMatch(SLUG_PATTERN);
  });

  it('truncates a long Chinese title between syllables', () => {
    const slug = slugify(
      '大模型的崛起：解析大语言模型的训练和应用，从代码生成到AI编程助手再到轻量级运行时的全面实践与展望',
    );
    expect(slug).toBe('da-mo-xing-de-jue-qi-jie-xi-da-yu-yan-mo-xing-de-xun-lian-he-ying-yong');
    expect(slug.length).toBeLessThanOrEqual(72);
  });

  it('cuts a single over-long word hard at 72 characters', () => {
    expect(slugify('a'.repeat(100))).toBe('a'.repeat(72));
  });

  it('leaves room for a -N suffix within the column width', () => {
    expect(MAX_SLUG_LENGTH - 8).toBe(72);
    expect(
      firstFreeSlug(slugify('x'.repeat(200)), new Set([`${'x'.repeat(72)}`])).length,
    ).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
  });

  it.each(['大模型的崛起', 'Hello 世界 2024!', '--a--b--', 'Ω mega', '第21期 · 北京'])(
    'always yields a valid slug or an empty one: %s',
    (title) => {
      const slug = slugify(title);
      if (slug !== '') expect(slug).toMatch(SLUG_PATTERN);
    },
  );
});

describe('firstFreeSlug', () => {
  it('returns the base when it is free', () => {
    expect(firstFreeSlug('da-mo-xing', new Set())).toBe('da-mo-xing');
    expect(firstFreeSlug('da-mo-xing', new Set(['da-mo-xing-2']))).toBe('da-mo-xing');
  });

  it('appends the first free number from 2', () => {
    expect(firstFreeSlug('ray', new Set(['ray']))).toBe('ray-2');
    expect(firstFreeSlug('ray', new Set(['ray', 'ray-2', 'ray-3']))).toBe('ray-4');
    expect(firstFreeSlug('ray', new Set(['ray', 'ray-3']))).toBe('ray-2');
  });
});
