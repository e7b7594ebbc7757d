#!/usr/bin/env node
/* global process, console */
// Peer: PostGraphile v5 over the gateway's own database. Amber preset + pg adaptor, grafserv
// on node:http; GraphiQL, watch mode and websockets off. It exposes our migrated tables in
// `public` with its own naming (events.talksByEventId, talks.talkSpeakersByTalkId.speakerBySpeakerId,
// …) plus two functions the harness adds in schema `bench_pg` (db.mjs): speakerLeaderboard
// (W3) and recordTalkView (W5), since PostGraphile has neither an aggregate nor an increment.
// Env: DATABASE_URL, PORT, HOST, PG_POOL_MAX (10)
import './polyfill-node22.mjs'; // must stay first: PostGraphile 5.1 needs Promise.withResolvers (Node >= 22)
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';

const PORT = Number(process.env.PORT ?? 5678);
const HOST = process.env.HOST ?? '127.0.0.1';

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  // Lets talkSpeakers/talkTopics be ordered by `position` like the gateway does (the column
  // is not indexed on its own; PostGraphile hides orderings on unindexed columns by default).
  disablePlugins: ['PgIndexBehaviorsPlugin'],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public', 'bench_pg'],
      poolConfig: { max: Number(process.env.PG_POOL_MAX ?? 10) },
    }),
  ],
  grafserv: {
    port: PORT,
    host: HOST,
    graphqlPath: '/graphql',
    graphiql: false,
    watch: false,
    websockets: false,
  },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65_000;
server.on('error', (e) => {
  console.error(e);
  process.exit(1);
});
await serv.addTo(server);
await pgl.getSchema(); // introspect and build before accepting traffic
server.listen(PORT, HOST, () =>
  console.log(`postgraphile listening on http://${HOST}:${PORT}/graphql`),
);
const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
