import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FlushStats } from './counters/view-flusher';

/** Distinct operation names kept as label values; later ones are counted as `other`. */
export const MAX_OPERATION_LABELS = 200;

/** Seconds: most of our operations take milliseconds; the tail shows up above 1 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Keys per DataLoader batch: a page is at most 100 rows, nested lists multiply it. */
const LOADER_BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** Subjects per flush round; the flusher takes at most 500. */
const FLUSH_BATCH_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500];

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const ERROR_CODE = /^[A-Z_]{1,64}$/;

/**
 * Operation names, which clients choose, as label values with bounded cardinality: the
 * first `max` distinct names keep their own series, later ones share `other`, so a client
 * inventing names cannot grow the metrics without bound.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_LABELS) {}

  /**
   * @param name the resolved operation's name; null for an unnamed operation
   */
  label(name: string | null | undefined): string {
    if (name === null || name === undefined || name === '') return 'anonymous';
    if (this.seen.has(name)) return name;
    if (name.length > 100 || !GRAPHQL_NAME.test(name) || this.seen.size >= this.max) {
      return 'other';
    }
    this.seen.add(name);
    return name;
  }
}

/**
 * Seconds since the flusher last completed a round: how stale the database's counters
 * may be. Before the first round, counted from `since` (start-up).
 */
export function flushLagSeconds(stats: FlushStats, now: number, since: number): number {
  return Math.max(0, (now - (stats.lastSuccessAt ?? since)) / 1000);
}

let processRegistry: Registry | undefined;

/**
 * Memory, CPU, event-loop lag, GC: one set per process, however many servers it runs
 * (tests run several), collected from one registry created on first use.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The gateway's Prometheus metrics, in a registry of its own (never prom-client's global
 * one), so several servers in one process do not clash. Served on GET /metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly operations = new OperationLabels();
  private readonly createdAt = Date.now();
  private flushStats: FlushStats | null = null;

  private readonly requests = new Counter({
    name: 'talkgraph_graphql_requests_total',
    help: 'GraphQL operations executed (or refused during parsing/validation: operation="unknown").',
    labelNames: ['operation', 'type'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'talkgraph_graphql_request_duration_seconds',
    help: 'Time from the start of a GraphQL operation to its response.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'talkgraph_graphql_errors_total',
    help: 'Errors sent to clients, by extensions.code (INTERNAL_SERVER_ERROR: masked failures).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly httpResponses = new Counter({
    name: 'talkgraph_http_responses_total',
    help: 'HTTP responses by route and status, including requests refused before GraphQL.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly loaderBatches = new Histogram({
    name: 'talkgraph_dataloader_batch_size',
    help: 'Keys per DataLoader batch (one SQL statement or counter round trip each).',
    labelNames: ['loader'] as const,
    buckets: LOADER_BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly redisFallbacks = new Counter({
    name: 'talkgraph_redis_fallbacks_total',
    help: 'Counter operations answered by the database because Redis was unreachable.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  private readonly replicaFallbacks = new Counter({
    name: 'talkgraph_replica_fallbacks_total',
    help: 'Reads sent to the primary because no read replica connection could be had.',
    registers: [this.registry],
  });
  private readonly flushBatches = new Histogram({
    name: 'talkgraph_counter_flush_batch_subjects',
    help: 'Events and talks whose views one flush round moved from Redis to the database.',
    buckets: FLUSH_BATCH_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    const stats = (): FlushStats | null => this.flushStats;
    const since = this.createdAt;
    // Read from the flusher's own totals at scrape time: nothing to keep in step.
    let seenViews = 0;
    let seenFailures = 0;
    new Counter({
      name: 'talkgraph_counter_flushed_views_total',
      help: 'Views the write-behind flusher applied to the database.',
      registers: [this.registry],
      collect() {
        const views = stats()?.viewsApplied ?? 0;
        if (views > seenViews) this.inc(views - seenViews);
        seenViews = views;
      },
    });
    new Counter({
      name: 'talkgraph_counter_flush_failures_total',
      help: 'Flush rounds that failed; their views stay in Redis for the next round.',
      registers: [this.registry],
      collect() {
        const failures = stats()?.failures ?? 0;
        if (failures > seenFailures) this.inc(failures - seenFailures);
        seenFailures = failures;
      },
    });
    new Gauge({
      name: 'talkgraph_counter_flush_lag_seconds',
      help: 'Seconds since the write-behind flusher last completed a round; 0 when counters are written through.',
      registers: [this.registry],
      collect() {
        const current = stats();
        this.set(current ? flushLagSeconds(current, Date.now(), since) : 0);
      },
    });
  }

  /** The flusher whose totals the counter metrics report (none: counters written through). */
  watchFlusher(stats: FlushStats | null): void {
    this.flushStats = stats;
  }

  /** The label for a resolved operation's name; see OperationLabels. */
  operationLabel(name: string | null | undefined): string {
    return this.operations.label(name);
  }

  observeOperation(operation: string, type: string, seconds: number, errorCodes: string[]): void {
    this.requests.inc({ operation, type });
    this.duration.observe({ operation, type }, seconds);
    for (const code of errorCodes)
      this.errors.inc({ code: ERROR_CODE.test(code) ? code : 'OTHER' });
  }

  observeHttpResponse(route: string, status: number): void {
    this.httpResponses.inc({ route, status: String(status) });
  }

  observeLoaderBatch(loader: string, size: number): void {
    this.loaderBatches.observe({ loader }, size);
  }

  observeFlush(subjects: number): void {
    this.flushBatches.observe(subjects);
  }

  countRedisFallback(operation: string): void {
    this.redisFallbacks.inc({ operation });
  }

  countReplicaFallback(): void {
    this.replicaFallbacks.inc();
  }

  /** This server's metrics followed by the process's, in the Prometheus text format. */
  async text(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }
}
