import { seedSynthetic, type SyntheticSummary } from '../../src/db/seed/synthetic';
import { toInt, type Database } from '../../src/db/database';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from '../../src/lib/slug';
import { createTestServer, describeDb, type TestServer } from '../helpers/test-server';

const SLUG_TABLES = ['events', 'talks', 'speakers', 'topics'];
const TABLES = [...SLUG_TABLES, 'talk_speakers', 'talk_topics'];

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return toInt(row?.n);
}

async function counts(db: Database): Promise<number[]> {
  return Promise.all(TABLES.map((table) => count(db, table)));
}

async function slugs(db: Database, table: string): Promise<string[]> {
  return (await db.query(`SELECT slug FROM ${table} ORDER BY id`)).map((row) => String(row.slug));
}

/** Positions of each group, in order: every group should read 1, 2, 3, … */
async function positionsBy(
  db: Database,
  table: string,
  key: string,
): Promise<Map<number, number[]>> {
  const rows = await db.query(
    `SELECT ${key} AS k, position FROM ${table} ORDER BY ${key}, position`,
  );
  const groups = new Map<number, number[]>();
  for (const row of rows) {
    const k = toInt(row.k);
    groups.set(k, [...(groups.get(k) ?? []), toInt(row.position)]);
  }
  return groups;
}

const consecutive = (positions: number[]) => positions.every((p, i) => p === i + 1);

describeDb('seedSynthetic', () => {
  let a: TestServer;
  let b: TestServer;
  let summary: SyntheticSummary;
  let before: number[];

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestServer(), createTestServer()]);
    before = await counts(a.server.db);
    summary = await seedSynthetic(a.server.db, { events: 50, seed: 42 });
    await seedSynthetic(b.server.db, { events: 50, seed: 42 });
  });
  afterAll(() => Promise.all([a?.stop(), b?.stop()]));

  it('adds 50 events with 5 talks each, next to the real event', async () => {
    const db = a.server.db;
    expect(summary).toMatchObject({ events: 50, talks: 250, speakers: 75, topics: 200 });
    const { events, talks: talkCount, speakers, topics, talkSpeakers, talkTopics } = summary;
    const added = [events, talkCount, speakers, topics, talkSpeakers, talkTopics];
    expect(await counts(db)).toEqual(before.map((n, i) => n + added[i]!));
    const talks = await positionsBy(db, 'talks', 'event_id');
    expect([...talks.values()].filter((p) => p.length === 5 && consecutive(p))).toHaveLength(50);
  });

  it('gives every generated talk 1–2 speakers and 2–4 topics, positioned from 1', async () => {
    const db = a.server.db;
    const [first] = await db.query(`SELECT MIN(id) AS id FROM talks WHERE slug NOT IN (:...real)`, {
      real: [
        'codegeex',
        'ray-ai-infrastructure',
        'lightweight-runtime-llm-agent',
        'youdao-ziyue-education',
      ],
    });
    const generated = (groups: Map<number, number[]>) =>
      [...groups]
        .filter(([talkId]) => talkId >= toInt(first?.id))
        .map(([, positions]) => positions);
    const speakers = generated(await positionsBy(db, 'talk_speakers', 'talk_id'));
    const topics = generated(await positionsBy(db, 'talk_topics', 'talk_id'));
    expect(speakers).toHaveLength(250);
    expect(topics).toHaveLength(250);
    expect(speakers.every((p) => p.length >= 1 && p.length <= 2 && consecutive(p))).toBe(true);
    expect(topics.every((p) => p.length >= 2 && p.length <= 4 && consecutive(p))).toBe(true);
  });

  it('writes valid, unique slugs and likes never above views', async () => {
    const db = a.server.db;
    for (const table of SLUG_TABLES) {
      const all = await slugs(db, table);
      expect(
        all.filter((slug) => !SLUG_PATTERN.test(slug) || slug.length > MAX_SLUG_LENGTH),
      ).toEqual([]);
      expect(new Set(all).size).toBe(all.length);
    }
    for (const table of ['events', 'talks']) {
      const [row] = await db.query(
        `SELECT COUNT(*) AS n FROM ${table} WHERE like_count > view_count`,
      );
      expect(toInt(row?.n)).toBe(0);
    }
  });

  it('writes the same rows for the same seed on the same starting database', async () => {
    const rows = (db: Database) =>
      db.query(`SELECT id, slug, title, series, edition, city, view_count FROM events ORDER BY id`);
    const [fromA, fromB] = await Promise.all([rows(a.server.db), rows(b.server.db)]);
    expect(fromB).toEqual(fromA);
    expect(await slugs(b.server.db, 'talks')).toEqual(await slugs(a.server.db, 'talks'));
    expect(await slugs(b.server.db, 'speakers')).toEqual(await slugs(a.server.db, 'speakers'));
  });

  it('continues the 掘力计划 editions after the real 第21期', async () => {
    const [row] = await a.server.db.query(
      `SELECT MIN(edition) AS edition, COUNT(*) AS n FROM events WHERE series = '掘力计划' AND slug <> 'jue-li-ji-hua-21'`,
    );
    expect(toInt(row?.n)).toBeGreaterThan(0);
    expect(toInt(row?.edition)).toBe(22);
  });

  it('can run again on the same database with the same seed', async () => {
    const db = b.server.db;
    const again = await seedSynthetic(db, { events: 50, seed: 42 });
    expect(again).toMatchObject({ events: 50, talks: 250 });
    expect(await count(db, 'events')).toBe(101);
    for (const table of SLUG_TABLES) {
      const all = await slugs(db, table);
      expect(new Set(all).size).toBe(all.length);
    }
  });

  it('leaves ids to the database afterwards (PostgreSQL sequences are moved past the rows)', async () => {
    const db = a.server.db;
    const [max] = await db.query('SELECT MAX(id) AS id FROM events');
    const [inserted] = await db.query(
      `INSERT INTO events (slug, title, starts_at) VALUES ('after-seed', 'After the seed', :startsAt) RETURNING id`,
      { startsAt: db.dateParam(new Date('2026-01-01T00:00:00Z')) },
    );
    expect(toInt(inserted?.id)).toBe(toInt(max?.id) + 1);
  });
});
