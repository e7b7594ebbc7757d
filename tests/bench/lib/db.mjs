/* global process, URL */
// The benchmark databases: created, migrated and seeded by the gateway's own seed command,
// marked so they are reseeded only when the data set is missing or differs, plus what the
// peers need on top (schema bench_pg) and a snapshot of the counters (schema bench_meta) so
// every server starts from the same data after a W5 run wrote views.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';

/** Bumped when what prepare() adds changes in a way that needs a fresh data set. */
const DATASET_FORMAT = 1;

/** `base` (a postgres:// URL) pointed at database `name`, optionally at another host:port. */
export function dbUrl(base, name, at = null) {
  const u = new URL(base);
  u.pathname = `/${name}`;
  if (at) {
    u.hostname = at.host;
    u.port = String(at.port);
  }
  return u.toString();
}

export async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const q = async (url, text, values) =>
  withClient(url, async (c) => (await c.query(text, values)).rows);

/**
 * Makes sure database `name` holds the synthetic data set with `events` events (plus the real
 * event the seed command adds to an empty database). Reseeds (drop, create, migrate + seed with
 * the gateway's own command) only when the marker is missing or differs, or the row counts
 * no longer match it. Returns the marker row.
 */
export async function ensureDataset({ baseUrl, name, events, root, log }) {
  const adminUrl = dbUrl(baseUrl, 'postgres');
  const url = dbUrl(baseUrl, name);
  const exists =
    (await q(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length > 0;
  let marker = null;
  if (exists) {
    marker = await withClient(url, async (c) => {
      const { rows: t } = await c.query(`SELECT to_regclass('bench_meta.dataset') AS t`);
      if (!t[0].t) return null;
      const { rows } = await c.query('SELECT * FROM bench_meta.dataset');
      const m = rows[0];
      if (!m || m.events !== events || m.format !== DATASET_FORMAT) return null;
      const { rows: n } = await c.query(
        'SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM talks)::int AS talks',
      );
      return n[0].events === m.event_rows && n[0].talks === m.talk_rows ? m : null;
    });
  }
  if (marker) {
    log(
      `database ${name}: data set of ${events} events present (seeded ${marker.seeded_at.toISOString()}), reused`,
    );
    return marker;
  }
  log(
    `database ${name}: ${exists ? 'data set missing or different: dropping and ' : ''}seeding ${events} events …`,
  );
  if (exists) await q(adminUrl, `DROP DATABASE "${name}" WITH (FORCE)`);
  await q(adminUrl, `CREATE DATABASE "${name}"`);
  const started = Date.now();
  const seed = spawnSync(
    process.execPath,
    [join(root, 'dist', 'src', 'cli', 'seed.js'), '--synthetic', '--events', String(events)],
    { cwd: root, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8' },
  );
  if (seed.status !== 0)
    throw new Error(`seed failed (exit ${seed.status}): ${seed.stderr.slice(-2000)}`);
  const summary = JSON.parse(seed.stdout.trim().split('\n').pop());
  const seedMs = Date.now() - started;
  await withClient(url, async (c) => {
    await c.query('ANALYZE');
    await c.query(`
      CREATE SCHEMA bench_meta;
      CREATE TABLE bench_meta.talk_counts AS SELECT id, view_count, like_count FROM talks;
      CREATE TABLE bench_meta.event_counts AS SELECT id, view_count, like_count FROM events;
      CREATE TABLE bench_meta.talk_daily_views AS SELECT * FROM talk_daily_views;
      CREATE TABLE bench_meta.event_daily_views AS SELECT * FROM event_daily_views;
      ALTER TABLE bench_meta.talk_counts ADD PRIMARY KEY (id);
      ALTER TABLE bench_meta.event_counts ADD PRIMARY KEY (id);
      CREATE TABLE bench_meta.dataset (
        format int NOT NULL, events int NOT NULL, event_rows int NOT NULL, talk_rows int NOT NULL,
        summary jsonb NOT NULL, seed_ms int NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now());`);
    await c.query(
      `INSERT INTO bench_meta.dataset (format, events, event_rows, talk_rows, summary, seed_ms)
       SELECT $1, $2, (SELECT count(*) FROM events), (SELECT count(*) FROM talks), $3, $4`,
      [DATASET_FORMAT, events, JSON.stringify(summary), seedMs],
    );
  });
  const [m] = await q(url, 'SELECT * FROM bench_meta.dataset');
  log(
    `database ${name}: seeded in ${(seedMs / 1000).toFixed(1)} s: ${JSON.stringify(summary.synthetic)}`,
  );
  return m;
}

/**
 * What the PostGraphile peer needs beyond our tables, in its own schema so our migrations
 * never see it: W3 as a SQL function (PostGraphile has no aggregates in its amber preset) and
 * W5 as a VOLATILE function (a mutation that increments, written through like the ceiling's).
 * Re-created on every run, so edits here take effect without reseeding.
 */
export async function installPeerFunctions(url) {
  await q(
    url,
    `
    CREATE SCHEMA IF NOT EXISTS bench_pg;
    CREATE OR REPLACE FUNCTION bench_pg.speaker_leaderboard(n int DEFAULT 10)
    RETURNS TABLE (rank int, speaker_id int, name text, affiliation text, value int)
    LANGUAGE sql STABLE AS $$
      SELECT (rank() OVER (ORDER BY agg.v DESC))::int, s.id, s.name::text, s.affiliation::text, agg.v::int
        FROM (SELECT ts.speaker_id, sum(t.view_count) AS v
                FROM talk_speakers ts JOIN talks t ON t.id = ts.talk_id
               GROUP BY ts.speaker_id
               ORDER BY sum(t.view_count) DESC, ts.speaker_id
               LIMIT n) agg
        JOIN speakers s ON s.id = agg.speaker_id
       ORDER BY agg.v DESC, agg.speaker_id
    $$;
    COMMENT ON FUNCTION bench_pg.speaker_leaderboard(int) IS 'W3: top n speakers by the total views of their talks.';
    CREATE OR REPLACE FUNCTION bench_pg.record_talk_view(talk_row_id int) RETURNS public.talks
    LANGUAGE sql VOLATILE AS $$
      WITH day AS (
        INSERT INTO talk_daily_views (talk_id, day, views)
        VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 1)
        ON CONFLICT (talk_id, day) DO UPDATE SET views = talk_daily_views.views + 1)
      UPDATE talks SET view_count = view_count + 1 WHERE id = $1 RETURNING *
    $$;
    COMMENT ON FUNCTION bench_pg.record_talk_view(int) IS 'W5: one view of a talk, written through.';`,
  );
}

/**
 * Puts the counters back to the seeded values (views written by W5, by any server) and the
 * daily buckets back to the seeded rows. view_flush_seq is left alone: it only ever grows and a
 * fresh Redis key prefix per gateway start means no old batch can be re-applied.
 */
export async function restoreCounters(url) {
  return withClient(url, async (c) => {
    await c.query('BEGIN');
    const t = await c.query(`
      UPDATE talks t SET view_count = s.view_count, like_count = s.like_count
        FROM bench_meta.talk_counts s
       WHERE s.id = t.id AND (t.view_count, t.like_count) IS DISTINCT FROM (s.view_count, s.like_count)`);
    const e = await c.query(`
      UPDATE events t SET view_count = s.view_count, like_count = s.like_count
        FROM bench_meta.event_counts s
       WHERE s.id = t.id AND (t.view_count, t.like_count) IS DISTINCT FROM (s.view_count, s.like_count)`);
    await c.query(`DELETE FROM talk_daily_views;
      INSERT INTO talk_daily_views SELECT * FROM bench_meta.talk_daily_views;
      DELETE FROM event_daily_views;
      INSERT INTO event_daily_views SELECT * FROM bench_meta.event_daily_views;`);
    await c.query('COMMIT');
    return { talks: t.rowCount, events: e.rowCount };
  });
}

/** Every id of a table, ascending (W2/W5 rotate over them). */
export async function allIds(url, table) {
  return (await q(url, `SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);
}

export async function serverVersion(url) {
  return (await q(url, 'SHOW server_version'))[0].server_version;
}

export async function sharedPreloadLibraries(url) {
  return (await q(url, 'SHOW shared_preload_libraries'))[0].shared_preload_libraries;
}
