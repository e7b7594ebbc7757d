#!/usr/bin/env node
/* global process, console, Buffer */
// Peer for W4 only: a bare graphql-js 16 server on node:http, the floor any GraphQL server
// pays per request (read the body, JSON.parse, parse + validate + execute, JSON.stringify).
// No document cache, no plugins, no context, no database.
// Env: PORT, HOST
import { createServer } from 'node:http';
import { graphql, GraphQLBoolean, GraphQLObjectType, GraphQLSchema } from 'graphql';

const PORT = Number(process.env.PORT ?? 5681);
const HOST = process.env.HOST ?? '127.0.0.1';
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { ok: { type: GraphQLBoolean, resolve: () => true } },
  }),
});

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
      const result = await graphql({
        schema,
        source: body.query,
        variableValues: body.variables,
        operationName: body.operationName,
      });
      send(res, 200, JSON.stringify(result));
    } catch (e) {
      send(res, 400, JSON.stringify({ errors: [{ message: String(e?.message ?? e) }] }));
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(PORT, HOST, () =>
  console.log(`bare graphql-js listening on http://${HOST}:${PORT}/graphql`),
);
const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
