/**
 * Soak test (`npm run soak -- --minutes N`; not in CI): two gateway processes on one
 * scratch PostgreSQL database and the local Redis (a key prefix of their own), a bounded
 * mixed load of reads and counter writes against both, alternating, for N minutes.
 *
 * Reports error rate, p50/p99 latency, throughput, and each process's memory (from its own
 * /metrics) between the end of the warm-up and the end of the run; then stops both with
 * SIGTERM and checks that every acknowledged view reached the database exactly once.
 * Exits 1 when the error rate is above 0.1%, a process's RSS grew by more than 50%, or
 * views were lost or doubled.
 *
 * Options: --minutes N (default 3) --concurrency C (default 16) --events E (default 500).
 * Environment: TEST_POSTGRES_URL, TEST_REDIS_URL as for the tests. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DocumentNode, print } from 'graphql';
import { Client } from 'pg';
import { createClient } from 'redis';
import { signToken } from '../../src/auth';
import { openDatabase } from '../../src/db/open';
import { seedSynthetic } from '../../src/db/seed/synthetic';
import { toGlobalId } from '../../src/lib/global-id';
import {
  CountersDocument,
  EventDetailDocument,
  LikeDocument,
  NestedEventsDocument,
  RecordViewDocument,
  SearchDocument,
  SpeakerDetailDocument,
  TalkDetailDocument,
  UnlikeDocument,
} from '../__generated__/graphql';
import { freePort, GatewayProcess } from '../helpers/gateway-process';
import { createScratchDatabase } from '../helpers/postgres';

// Not from helpers/redis-server: that module needs jest's globals.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAX_ERROR_RATE = 0.001;
const MAX_RSS_GROWTH = 0.5;
const SAMPLE_EVERY_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
const JWT_SECRET = `soak-${randomBytes(16).toString('hex')}`;
const VIEWERS = 50;
const SEARCH_TERMS = ['前端', 'React', '架构', 'AI', 'Rust', '性能', 'cloud', '掘金'];

interface Args {
  minutes: number;
  concurrency: number;
  events: number;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '16' },
      events: { type: 'string', default: '500' },
    },
  });
  const number = (name: keyof Args, min: number, max: number): number => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max) {
      console.error(`soak: --${name} must be a number from ${min} to ${max}`);
      process.exit(2);
    }
    return value;
  };
  return {
    minutes: number('minutes', 0.25, 60),
    concurrency: Math.round(number('concurrency', 1, 64)),
    events: Math.round(number('events', 10, 20_000)),
  };
}

interface Ids {
  events: number[];
  talks: number[];
  speakers: number[];
}

/** One operation of the mix: what it sends, and how many acknowledged views it adds. */
interface Operation {
  name: string;
  weight: number;
  request(
    ids: Ids,
    tokens: string[],
  ): { document: DocumentNode; variables: object; token?: string };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const subject = (ids: Ids): string =>
  Math.random() < 0.3 ? toGlobalId('Event', pick(ids.events)) : toGlobalId('Talk', pick(ids.talks));

/** About a quarter counter writes, the rest the reads the app makes. */
const MIX: Operation[] = [
  {
    name: 'NestedEvents',
    weight: 15,
    request: () => ({ document: NestedEventsDocument, variables: { first: 10 } }),
  },
  {
    name: 'EventDetail',
    weight: 15,
    request: (ids) => ({
      document: EventDetailDocument,
      variables: { id: toGlobalId('Event', pick(ids.events)) },
    }),
  },
  {
    name: 'TalkDetail',
    weight: 15,
    request: (ids) => ({
      document: TalkDetailDocument,
      variables: { id: toGlobalId('Talk', pick(ids.talks)) },
    }),
  },
  {
    name: 'SpeakerDetail',
    weight: 10,
    request: (ids) => ({
      document: SpeakerDetailDocument,
      variables: { id: toGlobalId('Speaker', pick(ids.speakers)) },
    }),
  },
  {
    name: 'Search',
    weight: 5,
    request: () => ({
      document: SearchDocument,
      variables: { query: pick(SEARCH_TERMS), first: 10 },
    }),
  },
  {
    name: 'Counters',
    weight: 15,
    request: (ids, tokens) => ({
      document: CountersDocument,
      variables: { id: subject(ids) },
      token: Math.random() < 0.5 ? pick(tokens) : undefined,
    }),
  },
  {
    name: 'RecordView',
    weight: 20,
    request: (ids) => ({ document: RecordViewDocument, variables: { id: subject(ids) } }),
  },
  {
    name: 'Like',
    weight: 3,
    request: (ids, tokens) => ({
      document: LikeDocument,
      variables: { id: subject(ids) },
      token: pick(tokens),
    }),
  },
  {
    name: 'Unlike',
    weight: 2,
    request: (ids, tokens) => ({
      document: UnlikeDocument,
      variables: { id: subject(ids) },
      token: pick(tokens),
    }),
  },
];
const TOTAL_WEIGHT = MIX.reduce((sum, op) => sum + op.weight, 0);

function drawOperation(): Operation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const op of MIX) {
    roll -= op.weight;
    if (roll < 0) return op;
  }
  return MIX[MIX.length - 1]!;
}

class Tally {
  readonly latencies: number[] = [];
  requests = 0;
  errors = 0;
  readonly errorKinds = new Map<string, number>();
  readonly perOperation = new Map<string, { latencies: number[]; errors: number }>();
  /** RecordView: acknowledged, and failed without an answer (may or may not have counted). */
  viewsAcked = 0;
  viewsUnknown = 0;

  record(op: string, ms: number, error: string | null): void {
    this.requests++;
    this.latencies.push(ms);
    const entry = this.perOperation.get(op) ?? { latencies: [], errors: 0 };
    entry.latencies.push(ms);
    if (error !== null) {
      this.errors++;
      entry.errors++;
      this.errorKinds.set(`${op}: ${error}`, (this.errorKinds.get(`${op}: ${error}`) ?? 0) + 1);
    }
    this.perOperation.set(op, entry);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function send(
  gateway: GatewayProcess,
  op: Operation,
  ids: Ids,
  tokens: string[],
  tally: Tally,
): Promise<void> {
  const { document, variables, token } = op.request(ids, tokens);
  const started = performance.now();
  let error: string | null = null;
  let answered = false;
  try {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    answered = true;
    if (response.status !== 200) error = `HTTP ${response.status}`;
    else if (body.errors?.length) error = String(body.errors[0]!.extensions?.code ?? 'error');
  } catch (caught) {
    error = caught instanceof Error ? caught.name : 'failed';
  }
  tally.record(op.name, performance.now() - started, error);
  if (op.name === 'RecordView') {
    if (error === null) tally.viewsAcked++;
    else if (!answered) tally.viewsUnknown++;
  }
}

/** A series' value from a gateway's /metrics. */
async function metric(gateway: GatewayProcess, series: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.slice(series.length + 1));
}

interface MemorySample {
  atMs: number;
  rss: number[];
  heap: number[];
  flushLag: number[];
}

async function sampleMemory(gateways: GatewayProcess[], startedAt: number): Promise<MemorySample> {
  const each = await Promise.all(
    gateways.map(async (g) => ({
      rss: await metric(g, 'process_resident_memory_bytes'),
      heap: await metric(g, 'nodejs_heap_size_used_bytes'),
      flushLag: await metric(g, 'talkgraph_counter_flush_lag_seconds'),
    })),
  );
  return {
    atMs: performance.now() - startedAt,
    rss: each.map((e) => e.rss),
    heap: each.map((e) => e.heap),
    flushLag: each.map((e) => e.flushLag),
  };
}

/**
 * Memory at the end of the warm-up and at the end of the run, per gateway. The start is the
 * warm-up's high-water mark (RSS rarely falls back from a peak, so a single early sample
 * would count the heap settling to its working size as growth); the end is the median of
 * the last three samples, so one sample caught before a GC does not decide the verdict.
 */
function memoryWindow(
  samples: readonly MemorySample[],
  warmupMs: number,
): { baseline: Pick<MemorySample, 'rss' | 'heap'>; last: Pick<MemorySample, 'rss' | 'heap'> } {
  const firstAfter = samples.findIndex((s) => s.atMs >= warmupMs);
  const warmup = samples.slice(0, firstAfter < 0 ? 1 : firstAfter + 1);
  const tail = samples.slice(Math.max(warmup.length, samples.length - 3));
  const ends = tail.length > 0 ? tail : samples.slice(-1);
  const width = samples[0]!.rss.length;
  const per = (
    pick: (s: MemorySample) => number[],
    of: readonly MemorySample[],
    f: (v: number[]) => number,
  ) => Array.from({ length: width }, (_, i) => f(of.map((s) => pick(s)[i]!)));
  const max = (v: number[]) => Math.max(...v);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  return {
    baseline: { rss: per((s) => s.rss, warmup, max), heap: per((s) => s.heap, warmup, max) },
    last: { rss: per((s) => s.rss, ends, median), heap: per((s) => s.heap, ends, median) },
  };
}

async function storedViews(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT (SELECT COALESCE(SUM(view_count), 0) FROM events) + (SELECT COALESCE(SUM(view_count), 0) FROM talks) AS n',
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function loadIds(url: string): Promise<Ids> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const ids = async (table: string) =>
      (await client.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map(
        (r) => r.id,
      );
    return {
      events: await ids('events'),
      talks: await ids('talks'),
      speakers: await ids('speakers'),
    };
  } finally {
    await client.end();
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (ratio: number): string => `${(ratio * 100).toFixed(Math.abs(ratio) < 0.01 ? 3 : 1)}%`;

async function main(): Promise<void> {
  const args = parseCli();
  const durationMs = args.minutes * 60_000;
  // Start-up growth (JIT, pools, caches, the heap reaching its working size: about 90 s
  // at 200 req/s on 2 cores) is not a leak: measure from the end of the warm-up.
  const warmupMs = Math.min(60_000, Math.max(15_000, durationMs * 0.25));
  const prefix = `tg-soak-${process.pid}-${randomBytes(4).toString('hex')}:`;
  const scratch = await createScratchDatabase();
  const gateways: GatewayProcess[] = [];
  let failed = false;
  try {
    console.log(
      `soak: ${args.minutes} min, ${args.concurrency} concurrent requests, ${args.events} events`,
    );
    const db = await openDatabase({
      kind: 'postgres',
      url: scratch.url,
      poolSize: 2,
      replicaUrls: [],
    });
    const seeded = await seedSynthetic(db, { events: args.events });
    await db.dataSource.destroy();
    console.log(
      `soak: seeded ${seeded.events} events, ${seeded.talks} talks, ${seeded.speakers} speakers`,
    );

    const mainJs = join(__dirname, '..', '..', 'src', 'main.js');
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      // The load comes from one address: the per-client limit would refuse most of it.
      RATE_LIMIT_PER_MINUTE: '0',
    };
    for (let i = 0; i < 2; i++) gateways.push(new GatewayProcess(mainJs, await freePort(), env));
    await Promise.all(gateways.map((g) => g.start()));
    console.log(`soak: gateways at ${gateways.map((g) => g.url).join(', ')}`);

    const ids = await loadIds(scratch.url);
    const tokens = await Promise.all(
      Array.from({ length: VIEWERS }, (_, i) =>
        signToken({ id: `soak-viewer-${i}`, role: 'viewer' }, JWT_SECRET),
      ),
    );
    const viewsBefore = await storedViews(scratch.url);

    const tally = new Tally();
    const startedAt = performance.now();
    const deadline = startedAt + durationMs;
    const samples: MemorySample[] = [];
    let next = 0;
    const sampler = setInterval(() => {
      sampleMemory(gateways, startedAt).then(
        (sample) => {
          samples.push(sample);
          const done = tally.requests;
          console.log(
            `soak: ${(sample.atMs / 1000).toFixed(0)} s, ${done} requests, ${tally.errors} errors, RSS ${sample.rss.map(mb).join(' / ')}`,
          );
        },
        (error: unknown) => console.error('soak: sampling failed', error),
      );
    }, SAMPLE_EVERY_MS);
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (performance.now() < deadline) {
          // Alternate instances, so reads on one see writes made through the other.
          const gateway = gateways[next++ % gateways.length]!;
          await send(gateway, drawOperation(), ids, tokens, tally);
        }
      }),
    );
    clearInterval(sampler);
    const elapsedS = (performance.now() - startedAt) / 1000;
    samples.push(await sampleMemory(gateways, startedAt));
    const { baseline, last } = memoryWindow(samples, warmupMs);

    // SIGTERM flushes what each instance still holds; then every acknowledged view is stored.
    const exitCodes = await Promise.all(gateways.map((g) => g.stop('SIGTERM')));
    const viewsStored = (await storedViews(scratch.url)) - viewsBefore;

    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const errorRate = tally.requests === 0 ? 1 : tally.errors / tally.requests;
    const growth = last.rss.map((rss, i) => (rss - baseline.rss[i]!) / baseline.rss[i]!);
    const heapGrowth = last.heap.map((heap, i) => (heap - baseline.heap[i]!) / baseline.heap[i]!);
    const maxLag = Math.max(...samples.flatMap((s) => s.flushLag).filter(Number.isFinite), 0);
    const viewsOk =
      viewsStored >= tally.viewsAcked && viewsStored <= tally.viewsAcked + tally.viewsUnknown;

    console.log('\nsoak results');
    console.log(
      `  duration        ${elapsedS.toFixed(1)} s (warm-up ${(warmupMs / 1000).toFixed(0)} s)`,
    );
    console.log(
      `  requests        ${tally.requests} (${(tally.requests / elapsedS).toFixed(0)} req/s)`,
    );
    console.log(
      `  errors          ${tally.errors} (${pct(errorRate)}; limit ${pct(MAX_ERROR_RATE)})`,
    );
    for (const [kind, n] of tally.errorKinds) console.log(`    ${kind}: ${n}`);
    console.log(
      `  latency         p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${percentile(sorted, 100).toFixed(1)} ms`,
    );
    for (const [i, g] of gateways.entries()) {
      console.log(
        `  gateway ${i + 1} (${g.port}) RSS ${mb(baseline.rss[i]!)} → ${mb(last.rss[i]!)} (${growth[i]! >= 0 ? '+' : ''}${pct(growth[i]!)}; limit +${pct(MAX_RSS_GROWTH)}), heap ${mb(baseline.heap[i]!)} → ${mb(last.heap[i]!)} (${heapGrowth[i]! >= 0 ? '+' : ''}${pct(heapGrowth[i]!)}), exit ${exitCodes[i]}`,
      );
    }
    console.log(`  flush lag       at most ${maxLag.toFixed(1)} s in samples`);
    console.log(
      `  views           ${tally.viewsAcked} acknowledged (+${tally.viewsUnknown} unanswered), ${viewsStored} stored`,
    );
    console.log('  per operation   requests, errors, p50 / p99 ms');
    for (const [op, entry] of [...tally.perOperation].sort(([a], [b]) => a.localeCompare(b))) {
      const byOp = [...entry.latencies].sort((a, b) => a - b);
      console.log(
        `    ${op.padEnd(14)} ${String(byOp.length).padStart(7)} ${String(entry.errors).padStart(4)}  ${percentile(byOp, 50).toFixed(1)} / ${percentile(byOp, 99).toFixed(1)}`,
      );
    }

    const problems: string[] = [];
    if (errorRate > MAX_ERROR_RATE) problems.push(`error rate ${pct(errorRate)}`);
    growth.forEach((g, i) => {
      if (g > MAX_RSS_GROWTH) problems.push(`gateway ${i + 1} RSS grew ${pct(g)}`);
    });
    if (!viewsOk)
      problems.push(`views: ${tally.viewsAcked} acknowledged but ${viewsStored} stored`);
    if (exitCodes.some((code) => code !== 0)) problems.push(`exit codes ${exitCodes.join(', ')}`);
    failed = problems.length > 0;
    console.log(failed ? `\nsoak: FAILED: ${problems.join('; ')}` : '\nsoak: passed');
  } finally {
    await Promise.all(gateways.map((g) => g.stop('SIGKILL')));
    await scratch.drop();
    await deleteKeys(prefix);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error('soak: failed to run:', error);
  process.exit(2);
});
