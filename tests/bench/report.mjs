#!/usr/bin/env node
/* global process, console */
// Builds tests/bench/RESULTS.md from the newest results/*.json of each kind (suite, scale,
// profile); run.mjs calls it after every run.  `node tests/bench/report.mjs [results dir]`
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PEERS = ['postgraphile', 'ceiling', 'bare'];
const ORDER = ['gateway', ...PEERS];
const TITLES = {
  W1: "W1 'nested page': 20 newest events → talks → speakers, topics, with view/like counters",
  W2: "W2 'event by id': one event with all its fields, talks, speakers, topics; id rotated over every event",
  W3: "W3 'speaker leaderboard': top 10 speakers by the views of their talks",
  W4: "W4 'trivial': `{ __typename }`",
  W5: "W5 'record a view': `recordView` of a talk, id rotated over every talk",
};
const PEER_NOTES = {
  gateway: 'our gateway (`node dist/src/main.js`, Redis counters)',
  postgraphile: 'PostGraphile 5.1.5, amber preset, over the same tables',
  ceiling: 'one prepared SQL statement builds the whole JSON (no GraphQL)',
  bare: 'bare graphql-js 16 on node:http (W4 only)',
};

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f0 = (x) => (x == null || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const f2 = (x) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(2));
const sortServers = (a, b) =>
  (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b);

/** Per server × workload: the rounds merged (mean req/s; counts from the counting instance). */
function cellsOf(runs) {
  const out = new Map();
  for (const c of runs) {
    const k = `${c.server}|${c.workload}`;
    const e = out.get(k) ?? {
      server: c.server,
      workload: c.workload,
      rounds: [],
      count: null,
      error: null,
      missing: false,
      fp: null,
    };
    if (c.reqPerSec != null) e.rounds.push(c);
    if (c.count) e.count = c.count;
    if (c.error && !e.error) e.error = c.error;
    if (c.missing) e.missing = true;
    const p = c.countPreflight ?? c.preflight;
    if (p?.ok && !e.fp) e.fp = `${p.sha1}/${p.leaves}`;
    out.set(k, e);
  }
  for (const e of out.values()) e.rps = mean(e.rounds.map((r) => r.reqPerSec));
  return out;
}

function ratios(summary) {
  const cells = cellsOf(summary.runs ?? []);
  const get = (s, w) => cells.get(`${s}|${w}`);
  const out = [];
  const workloads = [...new Set([...cells.values()].map((c) => c.workload))].sort();
  for (const w of workloads) {
    const ours = get('gateway', w);
    for (const peer of PEERS) {
      const p = get(peer, w);
      if (!p || !ours) continue;
      let value = null;
      let note = '';
      if (ours.missing) note = 'gateway schema lacks the field (skipped)';
      else if (!(ours.rps > 0)) note = `gateway failed: ${ours.error ?? '?'}`;
      else if (!(p.rps > 0)) note = `${peer} failed`;
      else value = ours.rps / p.rps;
      out.push({ w, vs: peer, value, note });
    }
    if (w === 'W5' && ours && get('gateway', 'W4')?.rps > 0 && ours.rps > 0) {
      out.push({ w, vs: 'gateway W4', value: ours.rps / get('gateway', 'W4').rps, note: '' });
    }
  }
  return out;
}

/** `W1 ratio vs postgraphile: 1.23` lines (gateway req/s ÷ peer req/s). */
export function ratioLines(summary) {
  if (summary.scale) return scaleLines(summary);
  return ratios(summary).map(
    (r) => `${r.w} ratio vs ${r.vs}: ${r.value == null ? `n/a (${r.note})` : r.value.toFixed(2)}`,
  );
}

function scaleRows(summary) {
  const runs = summary.scale?.runs ?? [];
  const sizes = summary.scale?.sizes ?? [];
  const rows = [];
  const servers = [...new Set(runs.map((r) => r.server))].sort(sortServers);
  for (const server of servers) {
    for (const w of [...new Set(runs.map((r) => r.workload))].sort()) {
      const per = sizes.map((s) =>
        cellsOf(runs.filter((r) => r.events === s.events && r.server === server)).get(
          `${server}|${w}`,
        ),
      );
      // CPU per request (server + its PostgreSQL backends) moves far less with the other
      // work on the machine than req/s does: the second opinion on flatness.
      const cpu = per.map((c) =>
        c?.rounds.length
          ? mean(c.rounds.map((q) => q.cpu.serverMsPerReq + q.cpu.postgresMsPerReq))
          : null,
      );
      rows.push({
        server,
        w,
        per,
        cpu,
        change: per[0]?.rps > 0 && per[1]?.rps > 0 ? per[1].rps / per[0].rps : null,
        cpuChange: cpu[0] > 0 && cpu[1] > 0 ? cpu[1] / cpu[0] : null,
      });
    }
  }
  return rows;
}

function scaleLines(summary) {
  const [a, b] = summary.scale.sizes;
  return scaleRows(summary).map(
    (r) =>
      `${r.w} ${r.server} at ${b.events} vs ${a.events} events: req/s ${r.change == null ? 'n/a' : `${r.change.toFixed(2)} (${Math.abs(r.change - 1) <= 0.2 ? 'flat within ±20%' : 'NOT flat'})`}` +
      `; CPU ms/req (server + PostgreSQL) ${r.cpuChange == null ? 'n/a' : `${r.cpuChange.toFixed(2)} (${Math.abs(r.cpuChange - 1) <= 0.2 ? 'flat within ±20%' : 'NOT flat'})`}`,
  );
}

function machineLine(m) {
  return (
    `Machine: ${m.nproc} vCPU (${m.cpuModel}), ${m.memGiB} GiB, Linux ${m.kernel}, Node ${m.node}, ` +
    `PostgreSQL ${m.postgres}, Redis ${m.redis}; load average ${m.loadavgStart?.join(' ')} at the ` +
    `start, ${m.loadavgEnd?.join(' ') ?? '?'} at the end (the load generator, PostgreSQL, Redis and ` +
    `the server share these cores). Throughput moves ±20–40 % between runs on this machine: ` +
    `compare ratios within one run, and CPU per request, rather than absolute req/s.`
  );
}

function settingsLine(s) {
  const m = s.meta;
  const ds = Object.entries(s.datasets ?? {})
    .map(
      ([db, d]) =>
        `\`${db}\`: ${d.eventRows.toLocaleString('en')} events, ${d.talkRows.toLocaleString('en')} talks`,
    )
    .join('; ');
  return (
    `Run \`${['npm run bench --', ...m.argv].join(' ').replace(/ --$/, '')}\` at ${m.stamp} (gateway ${m.gitHead ?? '?'}` +
    `${m.gitDirtyFiles ? ` + ${m.gitDirtyFiles} uncommitted files` : ''}), ${m.totalSeconds} s in all. ` +
    `autocannon, ${m.connections} connections, ${m.warmup} s warm-up + ${m.duration} s measured per cell, ` +
    `servers one at a time, each with a pool of ${m.pool} PostgreSQL connections. Data: ${ds}.`
  );
}

function workloadTable(cells, w, lines) {
  const rows = [...cells.values()]
    .filter((c) => c.workload === w)
    .sort((a, b) => sortServers(a.server, b.server));
  const ours = cells.get(`gateway|${w}`);
  lines.push(`### ${TITLES[w] ?? w}`, '');
  lines.push(
    '| server | req/s | p50 ms | p99 ms | errors | SQL stmts/req | Redis round trips/req (commands) | server CPU ms/req | PG CPU ms/req | peak RSS MB | busy % | gateway ÷ server (req/s) | gateway ÷ server (by CPU/req) |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  // Server + PostgreSQL CPU per request: what a request costs whatever else runs on the machine.
  const cpuPerReq = (c) =>
    c?.rounds.length
      ? mean(c.rounds.map((x) => x.cpu.serverMsPerReq + x.cpu.postgresMsPerReq))
      : NaN;
  for (const c of rows) {
    if (!c.rounds.length) {
      lines.push(
        `| ${c.server} | ${c.missing ? 'skipped: the schema has no such field yet' : `failed: ${(c.error ?? '?').replace(/\|/g, '/').slice(0, 200)}`} |||||||||||| `,
      );
      continue;
    }
    const r = c.rounds;
    const avg = (f) => mean(r.map(f).filter((x) => x != null));
    const cnt = c.count;
    const redis =
      cnt?.redisRoundTripsPerReq == null
        ? '–'
        : `${f2(cnt.redisRoundTripsPerReq)} (${f2(cnt.redisCommandsPerReq)})`;
    const rps =
      r.length > 1
        ? `**${f0(c.rps)}** (${r.map((x) => f0(x.reqPerSec)).join(' / ')})`
        : `**${f0(c.rps)}**`;
    const ratio =
      c.server === 'gateway' ? '1' : ours?.rps > 0 ? `**${f2(ours.rps / c.rps)}**` : '–';
    lines.push(
      `| ${c.server} | ${rps} | ${f0(avg((x) => x.latency.p50))} | ${f0(avg((x) => x.latency.p99))} | ` +
        `${r.reduce((a, x) => a + x.errors + (x.postflightOk ? 0 : 1), 0)} | ${cnt ? f2(cnt.sqlPerReq) : '–'} | ${redis} | ` +
        `${f2(avg((x) => x.cpu.serverMsPerReq))} | ${f2(avg((x) => x.cpu.postgresMsPerReq))} | ${f0(Math.max(...r.map((x) => x.peakRssMb)))} | ` +
        `${f0(avg((x) => x.cpu.machineBusyPct))} | ${ratio} | ` +
        `${c.server === 'gateway' ? '1' : cpuPerReq(ours) > 0 ? f2(cpuPerReq(c) / cpuPerReq(ours)) : '–'} |`,
    );
  }
  const fps = new Set(rows.map((c) => c.fp).filter(Boolean));
  lines.push(
    '',
    fps.size === 0
      ? 'No successful response to compare.'
      : fps.size === 1
        ? `Same data from every server (response fingerprint ${[...fps][0] ?? '–'}: hash/number of leaf values).`
        : `**Responses differ between servers**: ${rows
            .filter((c) => c.fp)
            .map((c) => `${c.server} ${c.fp}`)
            .join(', ')}.`,
    '',
  );
}

function targets(summary, scaleSummary) {
  const cells = cellsOf(summary.runs ?? []);
  const get = (s, w) => cells.get(`${s}|${w}`);
  const ratio = (w, peer) =>
    get('gateway', w)?.rps > 0 && get(peer, w)?.rps > 0
      ? get('gateway', w).rps / get(peer, w).rps
      : null;
  const w1 = get('gateway', 'W1');
  const t = [
    ['W1 ≥ 1.0× PostGraphile', ratio('W1', 'postgraphile'), (v) => v >= 1.0, f2],
    ['W2 ≥ 1.0× PostGraphile', ratio('W2', 'postgraphile'), (v) => v >= 1.0, f2],
    ['W1 ≥ 0.5× ceiling', ratio('W1', 'ceiling'), (v) => v >= 0.5, f2],
    ['W4 ≥ 0.8× bare graphql-js', ratio('W4', 'bare'), (v) => v >= 0.8, f2],
    [
      'W5 ≥ 0.7× our own W4',
      get('gateway', 'W5')?.rps > 0 && get('gateway', 'W4')?.rps > 0
        ? get('gateway', 'W5').rps / get('gateway', 'W4').rps
        : null,
      (v) => v >= 0.7,
      f2,
    ],
    ['W1 ≤ 6 SQL statements per request', w1?.count?.sqlPerReq, (v) => v <= 6, f2],
    ['W1 ≤ 2 Redis round trips per request', w1?.count?.redisRoundTripsPerReq, (v) => v <= 2, f2],
    [
      'W1 peak RSS ≤ 250 MB',
      w1?.rounds.length ? Math.max(...w1.rounds.map((r) => r.peakRssMb)) : null,
      (v) => v <= 250,
      (v) => `${f0(v)} MB`,
    ],
  ];
  for (const r of scaleSummary
    ? scaleRows(scaleSummary).filter((x) => x.server === 'gateway')
    : []) {
    t.push([
      `${r.w} flat (±20%) from ${scaleSummary.scale.sizes[0].events.toLocaleString('en')} to ${scaleSummary.scale.sizes[1].events.toLocaleString('en')} events (req/s ratio, scale run)`,
      r.change,
      (v) => Math.abs(v - 1) <= 0.2,
      (v) => `${f2(v)} (CPU/req ratio ${f2(r.cpuChange)})`,
    ]);
  }
  const lines = ['| target | measured | met |', '|---|---|---|'];
  for (const [name, v, ok, fmt] of t)
    lines.push(
      `| ${name} | ${v == null ? '–' : fmt(v)} | ${v == null ? '–' : ok(v) ? 'yes' : '**no**'} |`,
    );
  return lines;
}

/** The tables of one suite run (also printed by run.mjs). */
export function renderSuite(summary, { heading = '##' } = {}) {
  const lines = [];
  const cells = cellsOf(summary.runs ?? []);
  const workloads = [...new Set([...cells.values()].map((c) => c.workload))].sort();
  for (const w of workloads) workloadTable(cells, w, lines);
  lines.push(`${heading} Ratios (gateway req/s ÷ peer req/s)`, '', '```');
  lines.push(...ratioLines(summary), '```', '');
  for (const warning of summary.warnings ?? []) lines.push(`**Warning**: ${warning}`, '');
  return lines.join('\n');
}

export function renderScale(summary) {
  const [a, b] = summary.scale.sizes;
  const lines = [];
  const n = (x) => x.toLocaleString('en');
  lines.push(
    `| server | workload | req/s ${n(a.events)} | req/s ${n(b.events)} | req/s ${n(b.events)} ÷ ${n(a.events)} | p50 / p99 ms ${n(a.events)} | p50 / p99 ms ${n(b.events)} | SQL/req | Redis rt/req | server CPU ms/req | PG CPU ms/req | CPU/req ${n(b.events)} ÷ ${n(a.events)} |`,
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of scaleRows(summary)) {
    const [x, y] = r.per;
    const lat = (c) =>
      c?.rounds.length
        ? `${f0(mean(c.rounds.map((q) => q.latency.p50)))} / ${f0(mean(c.rounds.map((q) => q.latency.p99)))}`
        : '–';
    const cpu = (c, k) => (c?.rounds.length ? f2(mean(c.rounds.map((q) => q.cpu[k]))) : '–');
    lines.push(
      `| ${r.server} | ${r.w} | ${f0(x?.rps)} | ${f0(y?.rps)} | **${f2(r.change)}**${r.change == null ? '' : Math.abs(r.change - 1) <= 0.2 ? ' (flat)' : ' (**not flat**)'} | ${lat(x)} | ${lat(y)} | ` +
        `${f2(x?.count?.sqlPerReq)} → ${f2(y?.count?.sqlPerReq)} | ${f2(x?.count?.redisRoundTripsPerReq)} → ${f2(y?.count?.redisRoundTripsPerReq)} | ` +
        `${cpu(x, 'serverMsPerReq')} → ${cpu(y, 'serverMsPerReq')} | ${cpu(x, 'postgresMsPerReq')} → ${cpu(y, 'postgresMsPerReq')} | ` +
        `**${f2(r.cpuChange)}** |`,
    );
  }
  lines.push('', '```', ...scaleLines(summary), '```', '');
  return lines.join('\n');
}

export function renderProfile(summary) {
  const p = summary.profile;
  const lines = [];
  const c = summary.runs?.[0];
  lines.push(
    `The gateway under ${p.workloads.join(', ')} with \`node --cpu-prof\` (${c?.reqPerSec ? `${f0(c.reqPerSec)} req/s while profiled, ` : ''}` +
      `${p.busyMs} ms busy of ${p.totalMs} ms sampled${p.measuredOnly ? ' in the measured window only (start-up and warm-up left out)' : ', start-up and warm-up included'}; profile: \`${p.file}\`, git-ignored). ` +
      `Self time = time in the function itself, as % of busy time.`,
    '',
    '| # | self % | self ms | function | where | main caller outside its package (share) |',
    '|---|---|---|---|---|---|',
  );
  p.topSelf.forEach((f, i) =>
    lines.push(
      `| ${i + 1} | ${f2(f.pct)} | ${f0(f.selfMs)} | \`${f.fn}\` | ${f.where} | ` +
        `${f.caller ? `\`${f.caller.fn}\` (${f.caller.share} %)` : '–'} |`,
    ),
  );
  lines.push('', 'Self time by area:', '', '| area | self % | self ms |', '|---|---|---|');
  for (const a of p.byArea.slice(0, 15))
    lines.push(`| ${a.area} | ${f2(a.pct)} | ${f0(a.selfMs)} |`);
  lines.push(
    '',
    'Our own functions by inclusive time (callees included):',
    '',
    '| inclusive % | ms | function |',
    '|---|---|---|',
  );
  for (const f of p.oursInclusive)
    lines.push(`| ${f2(f.pct)} | ${f0(f.inclusiveMs)} | \`${f.fn}\` |`);
  lines.push('');
  return lines.join('\n');
}

/** What run.mjs prints at the end of a run. */
export function renderRun(summary) {
  if (summary.scale) return renderScale(summary);
  if (summary.profile) return renderProfile(summary);
  return renderSuite(summary);
}

const METHOD = `## Method

- **Servers**, one at a time, all on the gateway's own PostgreSQL database (\`talkgraph_bench\`,
  migrated and seeded by \`node dist/src/cli/seed.js --synthetic --events 2000\`, which also adds
  the real 掘力计划 event: 2,001 events, 10,004 talks): ${ORDER.map((s) => `\`${s}\` = ${PEER_NOTES[s]}`).join('; ')}.
  Same pool size (10), \`NODE_ENV=production\`, keep-alive 65 s. The gateway runs with Redis
  (its own key prefix per start, deleted afterwards), \`LOG_LEVEL=warn\` and
  \`RATE_LIMIT_PER_MINUTE=0\` (W5 sends thousands of views a second from one address).
- **Queries**: \`tests/bench/queries/<server>/W*.graphql\` select the same leaves everywhere; the
  response fingerprint (sorted leaf values, global ids decoded, timestamps normalised) checks it.
  PostGraphile reaches speakers/topics through \`talkSpeakersByTalkId\`/\`talkTopicsByTalkId\`
  (ordered by their \`position\` like the gateway; \`PgIndexBehaviorsPlugin\` is disabled since
  that column has no index of its own) and
  gets W3/W5 from two functions in schema \`bench_pg\` (a leaderboard query and a written-through
  view increment), which the harness adds beside our tables.
- **Counters**: W5 writes views (the gateway to Redis, flushed every second; the peers straight
  to the database), so the harness puts every talk's and event's counters and the daily buckets
  back to the seeded values after each server instance.
- **SQL statements and Redis round trips per request**: this PostgreSQL runs without
  pg_stat_statements (it is not in \`shared_preload_libraries\`; enabling it needs a restart that
  would break the other users of the server). Each server is therefore started twice: a counting
  instance connects to PostgreSQL and Redis through small TCP proxies in the harness
  (\`lib/wire.mjs\`) that count, per request over ${'`--sql-samples`'} sequential requests,
  PostgreSQL Query + Execute messages (= statements executed, BEGIN/COMMIT included, as
  pg_stat_statements' calls would count) and Redis client writes (node-redis sends each tick's
  commands as one write: one pipelined round trip) and commands; the measuring instance
  connects directly, so no proxy hop is ever in a measured number. The gateway's counting
  instance runs with \`COUNTER_FLUSH_MS=3600000\`: its counts are per request, without the
  background flush (one transaction per second for all pending views).
- **CPU and memory** from /proc: server CPU = the server process (all threads); PG CPU = the
  backends connected to the benchmark database only (other databases on the server are not
  counted); peak RSS = VmHWM, reset before each workload (warm-up included). "busy" is the whole
  machine, load generator included.
- **Load**: autocannon in the harness process, ${'`--connections`'} connections, pipelining 1;
  every response body is checked (\`{"data"…\` without \`"errors"\`). p50/p99 have 1 ms resolution.
`;

function newest(dir, test) {
  const files = readdirSync(dir)
    .filter((f) => /\.json$/.test(f))
    .sort()
    .reverse();
  for (const f of files) {
    try {
      const s = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      if (test(s)) return { file: f, s };
    } catch {
      // a run still being written or a foreign file
    }
  }
  return null;
}

/** RESULTS.md from the newest suite, scale and profile results in `dir`. */
export function buildReport(dir = join(HERE, 'results')) {
  const suite = newest(dir, (s) => s.meta?.mode === 'suite' && s.runs?.length);
  const scale = newest(dir, (s) => s.meta?.mode === 'scale' && s.scale?.runs?.length);
  const profile = newest(dir, (s) => s.meta?.mode === 'profile' && s.profile);
  const lines = ['# talkgraph benchmark results', ''];
  lines.push(
    'Generated by `tests/bench/report.mjs` from the newest results in `tests/bench/results/`; ' +
      'rerun with `npm run bench` (full), `npm run bench -- --quick`, `npm run bench -- --scale`, ' +
      '`npm run bench -- --cpu-prof`. Throughput ratios are gateway ÷ peer within one run.',
    '',
  );
  if (suite) {
    lines.push(`## Gateway against its peers (\`results/${suite.file}\`)`, '');
    lines.push(machineLine(suite.s.meta), '', settingsLine(suite.s), '');
    lines.push('### Targets', '', ...targets(suite.s, scale?.s), '');
    lines.push(renderSuite(suite.s, { heading: '###' }));
  }
  if (scale) {
    lines.push(
      `## Scale: ${scale.s.scale.sizes.map((x) => x.events.toLocaleString('en')).join(' → ')} events (\`results/${scale.file}\`)`,
      '',
    );
    lines.push(machineLine(scale.s.meta), '', settingsLine(scale.s), '', renderScale(scale.s));
  }
  if (profile) {
    lines.push(`## Profile: where the gateway spends its CPU (\`results/${profile.file}\`)`, '');
    lines.push(machineLine(profile.s.meta), '', renderProfile(profile.s));
  }
  lines.push(METHOD);
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = join(HERE, 'RESULTS.md');
  writeFileSync(out, buildReport(process.argv[2] ? resolve(process.argv[2]) : undefined));
  console.log(`wrote ${out}`);
}
