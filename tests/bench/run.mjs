#!/usr/bin/env node
/* global process, console, fetch, AbortSignal, Buffer, setTimeout, setInterval, clearInterval, clearTimeout, URL */
// talkgraph benchmark: our gateway against its peers, on the gateway's own PostgreSQL database.
//
//   npm run bench                     full run (3 s warm-up + 10 s per cell)
//   npm run bench -- --quick          2 s warm-up + 5 s per cell (< 5 minutes with a cached data set)
//   npm run bench -- --scale [--quick] W1/W2 on 2,000 and on 200,000 events: the gateway, and
//                                     PostGraphile and the ceiling for what the database does
//   npm run bench -- --cpu-prof [--quick] [--workload W1]  the gateway under one workload with
//                                     node --cpu-prof, then its top self-time functions
//
// Options: --servers gateway,postgraphile,ceiling,bare  --workload W1,W2,W3,W4,W5  --rounds N
//   --duration S --warmup S --connections N --sql-samples N --events N --scale-events N
//   --pg-url postgres://postgres@127.0.0.1:5432/postgres --redis-url redis://127.0.0.1:6379
//   --db talkgraph_bench --scale-db talkgraph_bench_200k --build (always) --no-build (never)
//   --no-count (skip the counting instance) --out DIR
//
// A run: build the gateway when dist/ is older than its sources; make sure the data set is
// there (created, migrated and seeded by our own seed command, reseeded only when missing or
// different); then, one server at a time:
//   1. counting instance: the server connects to PostgreSQL (and Redis) through counting proxies
//      (lib/wire.mjs); per workload one preflight request (checked, fingerprinted) and
//      --sql-samples sequential requests give SQL statements and Redis round trips per request;
//   2. measuring instance, connected directly: per workload a preflight, --warmup s of load
//      (discarded), --duration s measured with autocannon at --connections; CPU per request of
//      the server and of the PostgreSQL backends of this database from /proc, peak RSS (VmHWM,
//      reset per workload), whole-machine busy %.
// W5 writes views, so after every server instance the counters are put back to the seeded values
// (lib/db.mjs restoreCounters): every server reads the same data, which the response fingerprint
// (sorted leaf values, global ids decoded, timestamps normalised) checks.
// Results: results/<stamp>-<mode>.json, results/raw/ (autocannon output, server logs, profiles;
// git-ignored), and RESULTS.md rebuilt by report.mjs from the newest results.
import autocannon from 'autocannon';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  allIds,
  dbUrl,
  ensureDataset,
  installPeerFunctions,
  restoreCounters,
  serverVersion,
  sharedPreloadLibraries,
} from './lib/db.mjs';
import {
  backendDelta,
  backendTicks,
  machineCpu,
  peakRssMb,
  procTicks,
  resetPeakRss,
  rssMb,
  TICK_MS,
} from './lib/proc.mjs';
import { countsSince, redisConnect, redisDeletePrefix, startCountingProxy } from './lib/wire.mjs';
import { buildReport, renderRun } from './report.mjs';
import { summarizeProfile } from './profile.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    servers: { type: 'string' },
    workload: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '10' },
    'sql-samples': { type: 'string', default: '20' },
    events: { type: 'string', default: '2000' },
    'scale-events': { type: 'string', default: '200000' },
    'pg-url': {
      type: 'string',
      default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'redis-url': {
      type: 'string',
      default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
    db: { type: 'string', default: 'talkgraph_bench' },
    'scale-db': { type: 'string', default: 'talkgraph_bench_200k' },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'no-count': { type: 'boolean', default: false },
    out: { type: 'string', default: join(HERE, 'results') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (opt.help) {
  const src = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(2);
  console.log(
    src
      .slice(
        0,
        src.findIndex((l) => !l.startsWith('//')),
      )
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
  process.exit(0);
}

const MODE = opt.scale ? 'scale' : opt['cpu-prof'] ? 'profile' : 'suite';
const DURATION = Number(opt.duration ?? (opt.quick ? 5 : 10));
const WARMUP = Number(opt.warmup ?? (opt.quick ? 2 : 3));
const CONNECTIONS = Number(opt.connections);
const SQL_SAMPLES = Number(opt['sql-samples']);
const POOL = '10';
const STAMP = new Date().toISOString().replace(/[:.]/g, '-');
const RAW = join(opt.out, 'raw');
mkdirSync(RAW, { recursive: true });
const REDIS = (() => {
  const u = new URL(opt['redis-url']);
  return { host: u.hostname, port: Number(u.port || 6379) };
})();
const PG = (() => {
  const u = new URL(opt['pg-url']);
  return { host: u.hostname, port: Number(u.port || 5432) };
})();
const JWT_SECRET = 'talkgraph-bench-secret-not-for-production-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => console.log(line);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

// ------------------------------------------------------------------ servers
/** The Node flags `npm start` runs the gateway with (package.json config.nodeFlags). */
const GATEWAY_NODE_FLAGS = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).config?.nodeFlags ?? ''
)
  .split(/\s+/)
  .filter(Boolean);

/**
 * Every server gets the same pool size, NODE_ENV=production and a keep-alive timeout of 65 s.
 * The gateway also gets Redis (a key prefix of its own per start, deleted afterwards),
 * LOG_LEVEL=warn and RATE_LIMIT_PER_MINUTE=0: W5 sends thousands of views a second from one
 * address, which is load, not abuse.
 */
const SERVERS = {
  gateway: {
    queries: 'gateway',
    usesDb: true,
    usesRedis: true,
    args: ({ cpuProfDir }) => [
      ...GATEWAY_NODE_FLAGS,
      ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
      join(ROOT, 'dist', 'src', 'main.js'),
    ],
    cwd: ROOT,
    env: ({ databaseUrl, redisUrl, prefix, counting }) => ({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      NODE_ENV: 'production',
      JWT_SECRET,
      LOG_LEVEL: 'warn',
      PG_POOL_MAX: POOL,
      RATE_LIMIT_PER_MINUTE: '0',
      // The counting instance never flushes on its own: its counts are per request, without the
      // once-a-second background flush (which the measuring instance does run).
      ...(counting ? { COUNTER_FLUSH_MS: '3600000' } : {}),
    }),
  },
  postgraphile: {
    queries: 'postgraphile',
    usesDb: true,
    args: () => [join(HERE, 'servers', 'postgraphile.mjs')],
    cwd: HERE,
    env: ({ databaseUrl }) => ({
      DATABASE_URL: databaseUrl,
      PG_POOL_MAX: POOL,
      NODE_ENV: 'production',
    }),
  },
  ceiling: {
    queries: 'ceiling',
    usesDb: true,
    args: () => [join(HERE, 'servers', 'ceiling.mjs')],
    cwd: HERE,
    env: ({ databaseUrl }) => ({
      DATABASE_URL: databaseUrl,
      PG_POOL_MAX: POOL,
      NODE_ENV: 'production',
    }),
  },
  bare: {
    queries: 'bare',
    usesDb: false,
    args: () => [join(HERE, 'servers', 'bare-graphql.mjs')],
    cwd: HERE,
    env: () => ({ NODE_ENV: 'production' }),
  },
};

async function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

let instanceNo = 0;
const running = new Set();

/** Starts one server; resolves once it answers W4. `via` = counting proxies (or null). */
async function startServer(name, { db, via = null, cpuProfDir = null }) {
  const def = SERVERS[name];
  const port = await freePort();
  const n = ++instanceNo;
  const prefix = `tgbench:${STAMP}:${n}:`;
  const databaseUrl = dbUrl(
    opt['pg-url'],
    db,
    via?.pg ? { host: '127.0.0.1', port: via.pg.port } : null,
  );
  const redisUrl = via?.redis ? `redis://127.0.0.1:${via.redis.port}` : opt['redis-url'];
  const logFile = join(RAW, `${STAMP}-${n}-${name}${via ? '-counting' : ''}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, def.args({ cpuProfDir }), {
    cwd: def.cwd,
    env: {
      ...process.env,
      ...def.env({ databaseUrl, redisUrl, prefix, counting: !!via }),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const inst = {
    name,
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${port}/graphql`,
    prefix,
    logFile,
    db,
  };
  running.add(inst);
  const until = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `${name} exited with ${child.exitCode} at start; log: ${logFile}\n${tail(logFile)}`,
      );
    try {
      if ((await post(inst.url, '{"query":"query W4 { __typename }","operationName":"W4"}')).ok)
        break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${name} not ready after 120 s; log: ${logFile}`);
    await sleep(200);
  }
  return inst;
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** SIGTERM to the server's own pid (the gateway drains its counters), SIGKILL after 15 s. */
async function stopServer(inst) {
  const { child } = inst;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }
  running.delete(inst);
  if (SERVERS[inst.name].usesRedis) await redisDeletePrefix(REDIS, inst.prefix).catch(() => 0);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    for (const inst of running) await stopServer(inst).catch(() => {});
    process.exit(130);
  });
}

// ------------------------------------------------------------------ workloads and requests
function loadQueries(flavor) {
  const dir = join(HERE, 'queries', flavor);
  const vars = existsSync(join(dir, 'vars.json'))
    ? JSON.parse(readFileSync(join(dir, 'vars.json'), 'utf8'))
    : {};
  const out = {};
  for (const f of readdirSync(dir)
    .filter((f) => /^W\d+\.graphql$/.test(f))
    .sort()) {
    const w = basename(f, '.graphql');
    const query = readFileSync(join(dir, f), 'utf8');
    const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(query.replace(/#.*$/gm, ''))?.[1];
    out[w] = { query, operationName, rotate: vars[w] ?? null };
  }
  return out;
}

const gcd = (a, b) => (b ? gcd(b, a % b) : a);

/**
 * Request bodies of one workload: the same body every time, or, for a workload with a rotated
 * variable, the ids of a table in a fixed permutation (prime stride, every id once per cycle).
 */
function requestBodies(wl, ids) {
  const head = JSON.stringify({ query: wl.query, operationName: wl.operationName }).slice(0, -1);
  if (!wl.rotate) {
    const body = `${head},"variables":{}}`;
    return { count: 1, at: () => body, mid: 0 };
  }
  const list = ids[wl.rotate.ids];
  const n = list.length;
  let stride = 7919 % n || 1;
  while (gcd(stride, n) !== 1) stride++;
  const [kind, type] = wl.rotate.format.split(':');
  const fmt =
    kind === 'global'
      ? (id) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url')
      : kind === 'string'
        ? String
        : (id) => id;
  const pre = `${head},"variables":{${JSON.stringify(wl.rotate.variable)}:`;
  return {
    count: n,
    at: (i) => `${pre}${JSON.stringify(fmt(list[(i * stride) % n]))}}}`,
    mid: n >> 1,
  };
}

async function post(url, body) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported as is
  }
  const ok = r.status === 200 && !!json?.data && !json.errors;
  return { status: r.status, ok, json, text, bytes: Buffer.byteLength(text) };
}

const GLOBAL_ID = /^(Event|Talk|Speaker|Topic):(\d+)$/;
const ISO_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)$/;

/**
 * The multiset of a response's leaf values, hashed: field names and nesting are ignored, so
 * differently named schemas can be compared; our global ids are decoded to row ids and
 * timestamps normalised to epoch ms, so 'RXZlbnQ6Nw', 7 and '7' agree.
 */
export function fingerprint(json) {
  const leaves = [];
  const walk = (v) => {
    if (v === null || typeof v !== 'object') {
      let s = String(v);
      if (typeof v === 'string') {
        if (ISO_TIME.test(v)) s = `t${Date.parse(v.replace(' ', 'T'))}`;
        else if (/^[A-Za-z0-9_-]{4,64}$/.test(v)) {
          const m = GLOBAL_ID.exec(Buffer.from(v, 'base64url').toString('utf8'));
          if (m) s = m[2];
        }
      }
      leaves.push(s);
    } else if (Array.isArray(v)) v.forEach(walk);
    else Object.values(v).forEach(walk);
  };
  walk(json?.data);
  leaves.sort();
  return {
    leaves: leaves.length,
    sha1: createHash('sha1').update(leaves.join('\u0000')).digest('hex').slice(0, 12),
  };
}

const okBody = (b) => typeof b === 'string' && b.startsWith('{"data"') && !b.includes('"errors"');

/** Why a preflight failed, shortly; `missing` when the schema lacks the workload's field. */
function preflightError(pre) {
  const msg = pre.json?.errors?.map((e) => e.message).join('; ') ?? pre.text.slice(0, 300);
  const missing = /Cannot query field|Unknown (argument|type)/.test(msg);
  return { missing, error: `HTTP ${pre.status}: ${msg.slice(0, 400)}` };
}

// ------------------------------------------------------------------ one cell: counting
async function countCell(inst, w, wl, bodies, proxies) {
  const pre = await post(inst.url, bodies.at(bodies.mid));
  const res = {
    workload: w,
    preflight: { ok: pre.ok, status: pre.status, bytes: pre.bytes, ...fingerprint(pre.json) },
  };
  if (!pre.ok) return { ...res, ...preflightError(pre) };
  await sleep(50);
  const pg0 = proxies.pg.snapshot();
  const rd0 = proxies.redis?.snapshot();
  let bad = 0;
  for (let i = 0; i < SQL_SAMPLES; i++)
    if (!(await post(inst.url, bodies.at((i * 37 + 1) % bodies.count))).ok) bad++;
  await sleep(150); // work a server finishes after answering (e.g. a trailing Redis write)
  const pg = countsSince(pg0, proxies.pg.snapshot());
  const rd = proxies.redis ? countsSince(rd0, proxies.redis.snapshot()) : null;
  res.count = {
    samples: SQL_SAMPLES,
    badResponses: bad,
    sqlPerReq: pg.statements / SQL_SAMPLES,
    pgRoundTripsPerReq: pg.roundTrips / SQL_SAMPLES,
    redisRoundTripsPerReq: rd ? rd.writes / SQL_SAMPLES : null,
    redisCommandsPerReq: rd ? rd.commands / SQL_SAMPLES : null,
  };
  return res;
}

// ------------------------------------------------------------------ one cell: load
async function loadCell(inst, w, wl, bodies, { tag }) {
  const pre = await post(inst.url, bodies.at(bodies.mid));
  const res = {
    workload: w,
    preflight: { ok: pre.ok, status: pre.status, bytes: pre.bytes, ...fingerprint(pre.json) },
  };
  if (!pre.ok) return { ...res, ...preflightError(pre) };

  let i = 0;
  const ac = {
    url: inst.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    pipelining: 1,
    timeout: 10,
    verifyBody: okBody,
    ...(bodies.count === 1
      ? { body: bodies.at(0) }
      : { requests: [{ setupRequest: (req) => ({ ...req, body: bodies.at(i++) }) }] }),
  };
  const peakReset = resetPeakRss(inst.pid);
  let sampledPeak = rssMb(inst.pid);
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, rssMb(inst.pid));
  }, 100);
  try {
    await autocannon({ ...ac, duration: WARMUP });
    const cpu0 = machineCpu();
    const srv0 = procTicks(inst.pid);
    const pg0 = backendTicks(inst.db);
    const me0 = process.cpuUsage();
    // Same clock as V8's profile timestamps (CLOCK_MONOTONIC, µs): lets --cpu-prof keep only this window.
    res.measuredUs = [Number(process.hrtime.bigint() / 1000n)];
    const r = await autocannon({ ...ac, duration: DURATION });
    const cpu1 = machineCpu();
    const srv1 = procTicks(inst.pid);
    const pg1 = backendTicks(inst.db);
    const me1 = process.cpuUsage(me0);
    res.measuredUs.push(Number(process.hrtime.bigint() / 1000n));
    writeFileSync(join(RAW, `${STAMP}-${tag}-${w}.json`), JSON.stringify(r));
    const total = r.requests.total || 1;
    Object.assign(res, {
      reqPerSec: r.requests.average,
      requests: r.requests.total,
      latency: {
        mean: r.latency.average,
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
      },
      errors: r.errors + r.timeouts + r.non2xx + (r.mismatches ?? 0),
      bytesPerReq: r.throughput.total / total,
      cpu: {
        serverMsPerReq: ((srv1 - srv0) * TICK_MS) / total,
        postgresMsPerReq: inst.db ? (backendDelta(pg0, pg1) * TICK_MS) / total : 0,
        loadGeneratorMsPerReq: (me1.user + me1.system) / 1000 / total,
        machineBusyPct: 100 * (1 - (cpu1.idle - cpu0.idle) / (cpu1.total - cpu0.total)),
        machineStealPct: (100 * (cpu1.steal - cpu0.steal)) / (cpu1.total - cpu0.total),
      },
    });
  } finally {
    clearInterval(sampler);
  }
  res.peakRssMb = Math.max(sampledPeak, peakReset ? peakRssMb(inst.pid) : 0);
  res.peakRssMethod = peakReset ? 'VmHWM reset per workload' : 'VmRSS sampled every 100 ms';
  res.postflightOk = (await post(inst.url, bodies.at(0))).ok;
  return res;
}

function cellLine(label, r) {
  if (r.error)
    return `  ${label.padEnd(13)} ${r.workload}  ${r.missing ? 'SKIPPED (schema lacks the field)' : 'FAILED'}: ${r.error.slice(0, 160)}`;
  const c = r.count;
  const parts = [`  ${label.padEnd(13)} ${r.workload}`];
  if (r.reqPerSec != null) {
    parts.push(
      `${r.reqPerSec.toFixed(1).padStart(8)} req/s`,
      `p50 ${String(r.latency.p50).padStart(4)} ms`,
      `p99 ${String(r.latency.p99).padStart(4)} ms`,
      `err ${r.errors}`,
      `cpu ms/req srv ${r.cpu.serverMsPerReq.toFixed(2)} pg ${r.cpu.postgresMsPerReq.toFixed(2)}`,
      `rss ${r.peakRssMb.toFixed(0)} MB`,
      `busy ${r.cpu.machineBusyPct.toFixed(0)}%`,
    );
  }
  if (c)
    parts.push(
      `sql/req ${c.sqlPerReq.toFixed(2)}`,
      c.redisRoundTripsPerReq == null
        ? ''
        : `redis rt/req ${c.redisRoundTripsPerReq.toFixed(2)} (cmds ${c.redisCommandsPerReq.toFixed(1)})`,
    );
  parts.push(`fp ${r.preflight.sha1}/${r.preflight.leaves}`);
  return parts.filter(Boolean).join('  ');
}

// ------------------------------------------------------------------ one server: count, then measure
async function runServer(
  name,
  { db, ids, workloads, round, count, label = name, cpuProfDir = null },
) {
  const def = SERVERS[name];
  const queries = loadQueries(def.queries);
  const ws = workloads.filter((w) => queries[w]);
  const url = dbUrl(opt['pg-url'], db);
  const cells = new Map(ws.map((w) => [w, { server: label, round, workload: w }]));

  if (count && def.usesDb && !opt['no-count']) {
    const proxies = {
      pg: await startCountingProxy('pg', PG),
      redis: def.usesRedis ? await startCountingProxy('redis', REDIS) : null,
    };
    const inst = await startServer(name, { db, via: proxies });
    log(
      ` ${label}: counting instance pid ${inst.pid} (through the counting proxies)  [${elapsed()}]`,
    );
    try {
      for (const w of ws) {
        const r = await countCell(inst, w, queries[w], requestBodies(queries[w], ids), proxies);
        Object.assign(cells.get(w), {
          count: r.count,
          countPreflight: r.preflight,
          error: r.error,
          missing: r.missing,
        });
      }
    } finally {
      await stopServer(inst);
      await proxies.pg.close();
      await proxies.redis?.close();
      if (ws.includes('W5')) await restoreCounters(url);
    }
  }

  const inst = await startServer(name, { db, cpuProfDir });
  log(` ${label}: measuring instance pid ${inst.pid} ${inst.url}  [${elapsed()}]`);
  try {
    for (const w of ws) {
      const cell = cells.get(w);
      if (cell.missing) {
        log(cellLine(label, cell));
        continue;
      }
      const r = await loadCell(inst, w, queries[w], requestBodies(queries[w], ids), {
        tag: `${label}-r${round}`,
      });
      Object.assign(cell, r, {
        count: cell.count,
        countPreflight: cell.countPreflight,
        error: r.error ?? cell.error,
        missing: r.missing,
      });
      if (!def.usesDb)
        cell.count = {
          samples: 0,
          sqlPerReq: 0,
          pgRoundTripsPerReq: 0,
          redisRoundTripsPerReq: null,
          redisCommandsPerReq: null,
        };
      log(cellLine(label, cell));
    }
  } finally {
    await stopServer(inst);
    if (ws.includes('W5') && def.usesDb) await restoreCounters(url);
  }
  return { cells: [...cells.values()], logFile: relative(HERE, inst.logFile) };
}

// ------------------------------------------------------------------ set-up
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (opt['no-build']) {
    if (!existsSync(main)) throw new Error('dist/src/main.js is missing and --no-build was given');
    return 'skipped (--no-build)';
  }
  const sources = Math.max(
    ...['src', 'entities', 'resolvers'].map((d) => newestMtime(join(ROOT, d))),
  );
  if (!opt.build && existsSync(main) && statSync(main).mtimeMs > sources) return 'up to date';
  log(`building the gateway (npm run build) …`);
  const started = Date.now();
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
  return `built in ${((Date.now() - started) / 1000).toFixed(0)} s`;
}

function git(args) {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

async function machine() {
  const meta = {
    stamp: STAMP,
    mode: MODE,
    quick: opt.quick,
    argv: process.argv.slice(2),
    node: process.version,
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(),
    loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
    duration: DURATION,
    warmup: WARMUP,
    connections: CONNECTIONS,
    sqlSamples: SQL_SAMPLES,
    pool: Number(POOL),
    gitHead: git(['rev-parse', '--short', 'HEAD']),
    gitDirtyFiles: (git(['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length,
  };
  meta.postgres = await serverVersion(opt['pg-url']);
  meta.pgStatStatements = /pg_stat_statements/.test(await sharedPreloadLibraries(opt['pg-url']));
  const r = await redisConnect(REDIS);
  try {
    meta.redis = /redis_version:(\S+)/.exec(await r.command('INFO', 'server'))?.[1];
  } finally {
    r.close();
  }
  return meta;
}

// ------------------------------------------------------------------ main
const meta = await machine().catch((e) => {
  console.error(
    `PostgreSQL (${opt['pg-url']}) or Redis (${opt['redis-url']}) unreachable: ${e.message}`,
  );
  process.exit(2);
});
log(
  `talkgraph bench (${MODE}${opt.quick ? ', quick' : ''}): ${meta.nproc} CPUs, ${meta.memGiB} GiB, Node ${meta.node}, PostgreSQL ${meta.postgres}, Redis ${meta.redis}; load avg ${meta.loadavgStart.join(' ')}`,
);
meta.build = ensureBuild();
log(`gateway build: ${meta.build}  [${elapsed()}]`);

const summary = { meta, datasets: {}, runs: [], scale: null, profile: null, warnings: [] };
const summaryFile = join(opt.out, `${STAMP}-${MODE}${opt.quick ? '-quick' : ''}.json`);
const save = () => writeFileSync(summaryFile, `${JSON.stringify(summary, null, 1)}\n`);

async function prepareDb(name, events) {
  const marker = await ensureDataset({ baseUrl: opt['pg-url'], name, events, root: ROOT, log });
  const url = dbUrl(opt['pg-url'], name);
  await installPeerFunctions(url);
  const restored = await restoreCounters(url);
  if (restored.talks + restored.events > 0)
    log(
      `database ${name}: counters of ${restored.talks} talks, ${restored.events} events put back to the seeded values`,
    );
  const ids = { events: await allIds(url, 'events'), talks: await allIds(url, 'talks') };
  summary.datasets[name] = {
    events,
    eventRows: marker.event_rows,
    talkRows: marker.talk_rows,
    seed: marker.summary,
    seedMs: marker.seed_ms,
    seededAt: marker.seeded_at,
  };
  return ids;
}

const requested = (
  opt.workload ?? (MODE === 'scale' ? 'W1,W2' : MODE === 'profile' ? 'W1' : 'W1,W2,W3,W4,W5')
)
  .split(',')
  .map((s) => s.trim());
let failed = false;
try {
  if (MODE === 'suite') {
    const ids = await prepareDb(opt.db, Number(opt.events));
    log(`data ready  [${elapsed()}]`);
    const names = (opt.servers ?? 'gateway,postgraphile,ceiling,bare')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const n of names)
      if (!SERVERS[n])
        throw new Error(`unknown server ${n} (known: ${Object.keys(SERVERS).join(', ')})`);
    for (let round = 1; round <= Number(opt.rounds); round++) {
      log(`# round ${round}`);
      for (const name of names) {
        const { cells } = await runServer(name, {
          db: opt.db,
          ids,
          workloads: requested,
          round,
          count: round === 1,
        });
        summary.runs.push(...cells);
        save();
      }
    }
    // Same workload => same data from every server.
    const byW = {};
    for (const c of summary.runs) {
      const p = c.countPreflight ?? c.preflight;
      if (p?.ok) (byW[c.workload] ??= new Set()).add(`${p.sha1}/${p.leaves}`);
    }
    for (const [w, set] of Object.entries(byW)) {
      if (set.size > 1)
        summary.warnings.push(
          `${w}: responses differ between servers (fingerprints ${[...set].join(', ')})`,
        );
    }
  } else if (MODE === 'scale') {
    const sizes = [
      { db: opt.db, events: Number(opt.events) },
      { db: opt['scale-db'], events: Number(opt['scale-events']) },
    ];
    const idsBy = {};
    for (const s of sizes) idsBy[s.db] = await prepareDb(s.db, s.events);
    log(`data ready  [${elapsed()}]`);
    // The peers run too: what the ceiling (one statement, almost no server) loses with the
    // data set is the database's share of any slowdown.
    const names = (opt.servers ?? 'gateway,postgraphile,ceiling').split(',').map((x) => x.trim());
    summary.scale = { sizes, runs: [] };
    for (let round = 1; round <= Number(opt.rounds); round++) {
      for (const s of sizes) {
        log(`# ${s.events} events (${s.db}), round ${round}`);
        for (const name of names) {
          const { cells } = await runServer(name, {
            db: s.db,
            ids: idsBy[s.db],
            workloads: requested,
            round,
            count: round === 1,
          });
          summary.scale.runs.push(...cells.map((c) => ({ ...c, events: s.events, db: s.db })));
          save();
        }
      }
    }
  } else {
    const ids = await prepareDb(opt.db, Number(opt.events));
    const dir = join(RAW, `${STAMP}-cpu-prof`);
    mkdirSync(dir, { recursive: true });
    log(
      `# gateway under ${requested.join(',')} with node --cpu-prof (profiles in ${relative(ROOT, dir)})`,
    );
    const { cells } = await runServer('gateway', {
      db: opt.db,
      ids,
      workloads: requested,
      round: 1,
      count: false,
      cpuProfDir: dir,
    });
    summary.runs.push(...cells);
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f))[0];
    if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
    summary.profile = {
      file: relative(HERE, file),
      workloads: requested,
      measuredOnly: !!cells[0]?.measuredUs,
      ...summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), {
        root: ROOT,
        window: cells[0]?.measuredUs,
      }),
    };
  }
} catch (e) {
  failed = true;
  console.error(`bench failed: ${e.stack ?? e}`);
  summary.error = String(e.message ?? e);
} finally {
  for (const inst of running) await stopServer(inst).catch(() => {});
}

meta.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
meta.totalSeconds = Math.round((Date.now() - t0) / 1000);
save();
for (const w of summary.warnings) log(`WARNING: ${w}`);
// RESULTS.md beside the harness for the default results folder, inside --out otherwise.
const reportFile =
  resolve(opt.out) === join(HERE, 'results')
    ? join(HERE, 'RESULTS.md')
    : join(opt.out, 'RESULTS.md');
writeFileSync(reportFile, buildReport(opt.out));
log(`\n${renderRun(summary)}`);
log(
  `\nresults: ${relative(ROOT, summaryFile)}, ${relative(ROOT, reportFile)}  (${meta.totalSeconds} s)`,
);
const cellFailed = [...summary.runs, ...(summary.scale?.runs ?? [])].some(
  (c) => c.error && !c.missing,
);
process.exit(failed || cellFailed ? 1 : 0);
