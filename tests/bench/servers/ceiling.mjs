#!/usr/bin/env node
/* global process, console, Buffer */
// Peer: the physical ceiling on our tables. node:http + a plain pg Pool, no GraphQL: each
// request is ONE named (prepared) SQL statement in which PostgreSQL builds the whole response
// text (json_build_object/json_agg) with exactly the leaves of tests/bench/queries/gateway;
// node copies it to the socket. It accepts the GraphQL POST body but ignores the document and
// dispatches on operationName (W1..W5). Counters are the stored columns (nothing is pending in
// Redis between runs); W5 writes the view through, with its daily bucket, in the same statement.
// Env: DATABASE_URL, PORT, HOST, PG_POOL_MAX (10)
import { createServer } from 'node:http';
import pg from 'pg';

const PORT = Number(process.env.PORT ?? 5679);
const HOST = process.env.HOST ?? '127.0.0.1';
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_MAX ?? 10),
});

const speakers = (fields) => `COALESCE((
  SELECT json_agg(json_build_object(${fields}) ORDER BY ts.position)
    FROM talk_speakers ts JOIN speakers s ON s.id = ts.speaker_id
   WHERE ts.talk_id = t.id), '[]'::json)`;
const topics = (fields) => `COALESCE((
  SELECT json_agg(json_build_object(${fields}) ORDER BY tt.position)
    FROM talk_topics tt JOIN topics tp ON tp.id = tt.topic_id
   WHERE tt.talk_id = t.id), '[]'::json)`;

const SQL = {
  W1: `
    SELECT json_build_object('data', json_build_object('events', json_build_object('nodes', COALESCE(json_agg(
      json_build_object('id', e.id, 'slug', e.slug, 'title', e.title, 'startsAt', e.starts_at,
        'city', e.city, 'viewCount', e.view_count, 'likeCount', e.like_count,
        'talks', COALESCE((
          SELECT json_agg(json_build_object('title', t.title, 'viewCount', t.view_count,
                   'likeCount', t.like_count,
                   'speakers', ${speakers(`'name', s.name, 'affiliation', s.affiliation`)},
                   'topics', ${topics(`'name', tp.name`)}) ORDER BY t.position, t.id)
            FROM talks t WHERE t.event_id = e.id), '[]'::json))
      ORDER BY e.starts_at DESC, e.id DESC), '[]'::json))))::text AS body
    FROM (SELECT * FROM events ORDER BY starts_at DESC, id DESC LIMIT $1) e`,
  W2: `
    SELECT json_build_object('data', json_build_object('event', (
      SELECT json_build_object('id', e.id, 'slug', e.slug, 'title', e.title, 'summary', e.summary,
        'series', e.series, 'edition', e.edition, 'startsAt', e.starts_at, 'endsAt', e.ends_at,
        'city', e.city, 'venue', e.venue, 'organizer', e.organizer,
        'viewCount', e.view_count, 'likeCount', e.like_count,
        'talks', COALESCE((
          SELECT json_agg(json_build_object('id', t.id, 'slug', t.slug, 'position', t.position,
                   'title', t.title, 'abstract', t.abstract, 'startsAt', t.starts_at,
                   'durationMinutes', t.duration_minutes,
                   'viewCount', t.view_count, 'likeCount', t.like_count,
                   'speakers', ${speakers(`'id', s.id, 'name', s.name, 'headline', s.headline, 'affiliation', s.affiliation`)},
                   'topics', ${topics(`'id', tp.id, 'name', tp.name`)}) ORDER BY t.position, t.id)
            FROM talks t WHERE t.event_id = e.id), '[]'::json))
      FROM events e WHERE e.id = $1)))::text AS body`,
  W3: `
    SELECT json_build_object('data', json_build_object('speakerLeaderboard', COALESCE(json_agg(
      json_build_object('rank', l.rank, 'value', l.v,
        'speaker', json_build_object('id', s.id, 'name', s.name, 'affiliation', s.affiliation))
      ORDER BY l.v DESC, l.speaker_id), '[]'::json)))::text AS body
    FROM (SELECT agg.*, rank() OVER (ORDER BY agg.v DESC)::int AS rank
            FROM (SELECT ts.speaker_id, sum(t.view_count)::int AS v
                    FROM talk_speakers ts JOIN talks t ON t.id = ts.talk_id
                   GROUP BY ts.speaker_id
                   ORDER BY sum(t.view_count) DESC, ts.speaker_id
                   LIMIT $1) agg) l
    JOIN speakers s ON s.id = l.speaker_id`,
  W5: `
    WITH day AS (
      INSERT INTO talk_daily_views (talk_id, day, views)
      VALUES ($1, (now() AT TIME ZONE 'UTC')::date, 1)
      ON CONFLICT (talk_id, day) DO UPDATE SET views = talk_daily_views.views + 1),
    t AS (UPDATE talks SET view_count = view_count + 1 WHERE id = $1
          RETURNING view_count, like_count)
    SELECT json_build_object('data', json_build_object('recordView',
      (SELECT json_build_object('viewCount', view_count, 'likeCount', like_count) FROM t)))::text AS body`,
};
const W4_BODY = '{"data":{"__typename":"Query"}}';

const handlers = {
  W1: () => ({ name: 'ceiling_w1', text: SQL.W1, values: [20] }),
  W2: (v) => ({ name: 'ceiling_w2', text: SQL.W2, values: [v.id] }),
  W3: () => ({ name: 'ceiling_w3', text: SQL.W3, values: [10] }),
  W5: (v) => ({ name: 'ceiling_w5', text: SQL.W5, values: [v.id] }),
};

function send(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || !req.url.startsWith('/graphql')) {
    return send(res, 404, '{"errors":[{"message":"POST /graphql"}]}');
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const op = body.operationName;
      if (op === 'W4') return send(res, 200, W4_BODY);
      const h = handlers[op];
      if (!h)
        return send(res, 400, JSON.stringify({ errors: [{ message: `unknown operation ${op}` }] }));
      const { rows } = await pool.query(h(body.variables ?? {}));
      send(res, 200, rows[0].body);
    } catch (e) {
      send(res, 500, JSON.stringify({ errors: [{ message: String(e?.message ?? e) }] }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, HOST, () => console.log(`ceiling listening on http://${HOST}:${PORT}/graphql`));
const stop = async () => {
  server.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
