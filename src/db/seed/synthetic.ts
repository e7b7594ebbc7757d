import type { EntityManager } from 'typeorm';
import { MAX_SLUG_LENGTH, slugify } from '../../lib/slug';
import { toInt, type Database, type SqlParams } from '../database';
import * as words from './synthetic-words';

export interface SyntheticOptions {
  events: number;
  /** The same seed on the same starting database writes the same rows. */
  seed?: number;
}

/** Rows added, per table. */
export interface SyntheticSummary {
  events: number;
  talks: number;
  speakers: number;
  topics: number;
  talkSpeakers: number;
  talkTopics: number;
}

export const DEFAULT_SYNTHETIC_SEED = 20240611;
const TALKS_PER_EVENT = 5;
/** PostgreSQL allows 65,535 bind parameters per statement and SQLite 32,766: stay under both. */
const MAX_PARAMS_PER_STATEMENT = 30_000;
/** Rows are generated and written a slice at a time, so memory stays flat at 200,000 events. */
const EVENTS_PER_ROUND = 2_000;
const SPEAKERS_PER_ROUND = 10_000;
const FIRST_DAY = Date.UTC(2016, 0, 1);
const DAYS = 3_650;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DURATIONS = [20, 30, 40, 45, 60];
const MAX_VIEWS = 5_000_000;

/** A row keyed by column name. Each table's rows come from one object literal, so keys agree. */
type Row = Record<string, unknown>;
type Round = Record<'events' | 'talks' | 'talk_speakers' | 'talk_topics', Row[]>;

/** mulberry32: a few lines, fast, and unlike Math.random the same on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  int = (n: number): number => Math.floor(this.next() * n);
  pick = <T>(items: readonly T[]): T => items[this.int(items.length)]!;
  chance = (p: number): boolean => this.next() < p;
  /** Low indexes are far likelier, so a few speakers and topics are the popular ones. */
  skewed = (n: number): number => Math.floor(n * this.next() ** 2);
  /** Pareto-like: median about 1.4 × scale, one in 10⁴ near 10⁵ × scale; capped below int4. */
  views = (scale: number): number =>
    Math.min(MAX_VIEWS, Math.floor(scale * ((1 - this.next()) ** -1.25 - 1)));
  /** At most a tenth of the views, usually far fewer. */
  likes = (views: number): number => Math.floor(views * 0.1 * this.next() ** 3);

  /** `count` distinct skewed indexes below `n`, starting with `first` when given. */
  distinct(count: number, n: number, first?: number): number[] {
    const chosen = first === undefined ? [] : [first];
    while (chosen.length < Math.min(count, n)) {
      const index = this.skewed(n);
      if (!chosen.includes(index)) chosen.push(index);
    }
    return chosen;
  }
}

/**
 * Adds `events` generated events (5 talks each) with their own pool of speakers
 * (1.5 per event, at least 10) and topics (4 per event, from 20 to 200), in one transaction.
 * Ids continue from each table's MAX(id) and every slug ends in its row's id, so runs never
 * collide with each other or with the real seed; editions continue per series. Multi-row
 * INSERTs make it about one statement per 2,700 talks.
 */
export async function seedSynthetic(
  db: Database,
  options: SyntheticOptions,
): Promise<SyntheticSummary> {
  const { events } = options;
  if (!Number.isInteger(events) || events < 1) {
    throw new RangeError(`events must be a positive integer, got ${events}`);
  }
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') {
      // Writers drawing ids from the sequences wait until setval below has moved them.
      await db.query('LOCK TABLE events, talks, speakers, topics IN EXCLUSIVE MODE', {}, tx);
    }
    const [max] = await db.query(
      `SELECT (SELECT MAX(id) FROM events) AS events, (SELECT MAX(id) FROM talks) AS talks,
              (SELECT MAX(id) FROM speakers) AS speakers, (SELECT MAX(id) FROM topics) AS topics`,
      {},
      tx,
    );
    const editions = await db.query(
      'SELECT series, MAX(edition) AS edition FROM events WHERE series IN (:...series) GROUP BY series',
      { series: words.SERIES.map((s) => s.name) },
      tx,
    );
    const gen = new Generator(db, options.seed ?? DEFAULT_SYNTHETIC_SEED, events, {
      event: toInt(max?.events),
      talk: toInt(max?.talks),
      speaker: toInt(max?.speakers),
      topic: toInt(max?.topics),
      editions: new Map(editions.map((row) => [String(row.series), toInt(row.edition)])),
    });
    const summary = { events: 0, talks: 0, speakers: 0, topics: 0, talkSpeakers: 0, talkTopics: 0 };
    const insert = (table: string, rows: Row[]) => insertRows(db, tx, table, rows);

    summary.topics = await insert('topics', gen.topics(Math.min(200, Math.max(20, events * 4))));
    for (let first = 0; first < gen.speakerCount; first += SPEAKERS_PER_ROUND) {
      summary.speakers += await insert('speakers', gen.speakers(first, SPEAKERS_PER_ROUND));
    }
    for (let first = 0; first < events; first += EVENTS_PER_ROUND) {
      const round = gen.events(first, Math.min(EVENTS_PER_ROUND, events - first));
      summary.events += await insert('events', round.events);
      summary.talks += await insert('talks', round.talks);
      summary.talkSpeakers += await insert('talk_speakers', round.talk_speakers);
      summary.talkTopics += await insert('talk_topics', round.talk_topics);
    }
    if (db.kind === 'postgres') {
      // Explicit ids leave a serial sequence behind; the next plain INSERT would collide.
      for (const table of ['events', 'talks', 'speakers', 'topics']) {
        const sequence = `pg_get_serial_sequence('${table}', 'id')`;
        await db.query(`SELECT setval(${sequence}, (SELECT MAX(id) FROM ${table}))`, {}, tx);
      }
    }
    return summary;
  });
}

/** Writes `rows` in as few statements as the parameter limit allows; returns the row count. */
async function insertRows(
  db: Database,
  tx: EntityManager,
  table: string,
  rows: Row[],
): Promise<number> {
  const columns = Object.keys(rows[0] ?? {});
  const perStatement = Math.floor(MAX_PARAMS_PER_STATEMENT / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const params: SqlParams = {};
    const tuples = rows.slice(start, start + perStatement).map((row, i) => {
      params[`r${i}`] = columns.map((column) => row[column]);
      return `(:...r${i})`;
    });
    await db.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
      params,
      tx,
    );
  }
  return rows.length;
}

/** `base-<id>`, cut at a word boundary to fit: the id keeps it unique however it is cut. */
function slugWithId(base: string, id: number): string {
  const suffix = `-${id}`;
  const room = MAX_SLUG_LENGTH - suffix.length;
  const dash = base.lastIndexOf('-', room);
  const cut = base.length <= room ? base : base.slice(0, dash > 0 ? dash : room);
  return `${cut.replace(/-+$/, '')}${suffix}`;
}

/** A template with its placeholders filled in, spaced as `tidy` leaves it. */
function fill(template: string, [a, b]: string[], org: string): string {
  return tidy(template.replace('{a}', a!).replace('{b}', b!).replace('{org}', org));
}

/** Drops a space between two Han characters (or Chinese punctuation); keeps it next to Latin text. */
function tidy(text: string): string {
  return text.replace(/(?<=[\p{Script=Han}，：。]) (?=[\p{Script=Han}，：。])/gu, '');
}

/** A talk's link rows, positioned from 1; `indexes` count from the run's first id. */
function links(talkId: number, column: string, indexes: number[], lastId: number): Row[] {
  return indexes.map((index, k) => ({
    talk_id: talkId,
    [column]: lastId + 1 + index,
    position: k + 1,
  }));
}

interface Start {
  event: number;
  talk: number;
  speaker: number;
  topic: number;
  editions: Map<string, number>;
}

/**
 * Builds rows in a fixed order of dice throws: topics, then speakers, then events with their
 * talks. Changing that order (or a pool) changes every row after it for the same seed.
 */
class Generator {
  private readonly dice: Dice;
  readonly speakerCount: number;
  private readonly topicNames: string[] = [];
  private readonly topicSlugs: string[] = [];
  /** The words.COMPANIES index of each speaker of this run, so talk titles can name it. */
  private readonly speakerCompanies: Uint8Array;

  constructor(
    private readonly db: Database,
    seed: number,
    private readonly eventCount: number,
    private readonly last: Start,
  ) {
    this.dice = new Dice(mulberry32(seed));
    this.speakerCount = Math.max(10, Math.round(eventCount * 1.5));
    this.speakerCompanies = new Uint8Array(this.speakerCount);
  }

  topics(count: number): Row[] {
    const order = words.TOPIC_NAMES.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.dice.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rows: Row[] = [];
    for (let i = 0; i < count; i++) {
      const base = words.TOPIC_NAMES[order[i % order.length]!]!;
      const variant = words.TOPIC_VARIANTS[Math.floor(i / order.length) - 1];
      const name = base + (variant?.name ?? '');
      const slug = [slugify(base) || 'topic', variant?.slug].filter(Boolean).join('-');
      this.topicNames.push(name);
      this.topicSlugs.push(slug);
      const id = this.last.topic + 1 + i;
      const description = tidy(words.TEXTS.topicDescription(name));
      rows.push({ id, slug: slugWithId(slug, id), name, description });
    }
    return rows;
  }

  speakers(first: number, maxCount: number): Row[] {
    const { dice } = this;
    const rows: Row[] = [];
    for (let i = first; i < Math.min(first + maxCount, this.speakerCount); i++) {
      const chinese = dice.chance(0.75);
      const given = chinese ? dice.pick(words.GIVEN_NAMES) : dice.pick(words.FIRST_NAMES);
      const family = chinese ? dice.pick(words.SURNAMES) : dice.pick(words.LAST_NAMES);
      const [name, slug] = chinese
        ? [family.name + given.name, `${family.slug}-${given.slug}`]
        : [`${given.name} ${family.name}`, `${given.slug}-${family.slug}`];
      this.speakerCompanies[i] = dice.int(words.COMPANIES.length);
      const company = words.COMPANIES[this.speakerCompanies[i]!]!.name;
      const headline = dice.chance(0.8) ? dice.pick(words.HEADLINES) : null;
      const focus = dice.pick(this.topicNames);
      const bio = dice.chance(0.5) ? tidy(words.TEXTS.speakerBio(company, headline, focus)) : null;
      const id = this.last.speaker + 1 + i;
      rows.push({ id, slug: slugWithId(slug, id), name, headline, affiliation: company, bio });
    }
    return rows;
  }

  events(first: number, count: number): Round {
    const { dice, db, topicNames, last } = this;
    const round: Round = { events: [], talks: [], talk_speakers: [], talk_topics: [] };
    for (let i = first; i < first + count; i++) {
      const eventId = last.event + 1 + i;
      const series = dice.pick(words.SERIES);
      const edition = (last.editions.get(series.name) ?? 0) + 1;
      last.editions.set(series.name, edition);
      // Ten years in id order, so a series' editions also rise with the date; 14:00 or 19:00 in China.
      const day = Math.floor(((i + dice.next()) / this.eventCount) * DAYS);
      const startsAt = FIRST_DAY + day * DAY_MS + (dice.chance(0.7) ? 6 : 11) * HOUR_MS;
      const city = dice.pick(words.CITIES);
      const where = city.slug === 'remote' ? null : city.name;
      const themeIndex = dice.skewed(topicNames.length);
      const theme = topicNames[themeIndex]!;
      const themeText = fill(dice.pick(words.EVENT_THEMES)[series.lang], [theme], '');
      const views = dice.views(60);
      round.events.push({
        id: eventId,
        slug: slugWithId(`${series.slug}-${edition}`, eventId),
        title: tidy(words.TEXTS.eventTitle[series.lang](series.name, edition, themeText)),
        summary: tidy(words.TEXTS.eventSummary[series.lang](series.name, edition, where, theme)),
        series: series.name,
        edition,
        starts_at: db.dateParam(new Date(startsAt)),
        ends_at: db.dateParam(new Date(startsAt + 4 * HOUR_MS)),
        city: city.name,
        venue: where === null ? '线上直播' : `${where}${dice.pick(words.VENUE_KINDS)}`,
        organizer: series.organizer,
        view_count: views,
        like_count: dice.likes(views),
      });

      let offsetMinutes = 0;
      for (let position = 1; position <= TALKS_PER_EVENT; position++) {
        const talkId = last.talk + 1 + i * TALKS_PER_EVENT + (position - 1);
        const speakers = dice.distinct(dice.chance(0.75) ? 1 : 2, this.speakerCount);
        const onTheme = dice.chance(0.5) ? themeIndex : undefined;
        const topics = dice.distinct(2 + dice.int(3), topicNames.length, onTheme);
        const company = words.COMPANIES[this.speakerCompanies[speakers[0]!]!]!;
        const template = dice.pick(words.TALK_TITLES);
        const names = topics.map((t) => topicNames[t]!);
        const slug = fill(
          template.slug,
          topics.map((t) => this.topicSlugs[t]!),
          company.slug,
        );
        const abstract = dice.chance(0.1)
          ? null
          : tidy(words.TEXTS.talkAbstract[template.lang](company.name, names));
        const duration = dice.pick(DURATIONS);
        // A fifth of talks have no announced time and sort at the event's start.
        const talkStart = dice.chance(0.8) ? startsAt + offsetMinutes * 60_000 : null;
        offsetMinutes += duration + 10;
        const talkViews = dice.views(25);
        round.talks.push({
          id: talkId,
          event_id: eventId,
          slug: slugWithId(slug, talkId),
          title: fill(template.title, names, company.name),
          abstract,
          position,
          starts_at: talkStart === null ? null : db.dateParam(new Date(talkStart)),
          sort_starts_at: db.dateParam(new Date(talkStart ?? startsAt)),
          duration_minutes: duration,
          view_count: talkViews,
          like_count: dice.likes(talkViews),
        });
        round.talk_speakers.push(...links(talkId, 'speaker_id', speakers, last.speaker));
        round.talk_topics.push(...links(talkId, 'topic_id', topics, last.topic));
      }
    }
    return round;
  }
}
