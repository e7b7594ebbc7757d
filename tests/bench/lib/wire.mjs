/* global Buffer */
// Counting TCP proxies for PostgreSQL and Redis, and a tiny Redis client for clean-up.
//
// This PostgreSQL has no pg_stat_statements (it is not in shared_preload_libraries, and a
// restart would disturb the other users of the server), so statements are counted on the
// wire instead: a server started for counting connects to PostgreSQL and Redis through these
// proxies, which parse the client side of each protocol and count
//   - PostgreSQL: Query ('Q', simple protocol) and Execute ('E', extended protocol) messages,
//     i.e. statements executed, utility statements such as BEGIN/COMMIT included (the same
//     thing pg_stat_statements' `calls` counts); and round trips (Q + Sync 'S');
//   - Redis: commands (top-level RESP arrays) and writes (socket chunks from the client: node-redis
//     corks each tick's commands into one write, so one write is one pipelined round trip).
// The proxies add a hop, so load is never measured through them: run.mjs starts each server
// twice, once behind the proxies to count and once connected directly to measure.
import net from 'node:net';

/** Starts a proxy on 127.0.0.1:<free port> in front of `target`; `kind` is 'pg' or 'redis'. */
export async function startCountingProxy(kind, target) {
  const counts = { connections: 0, statements: 0, roundTrips: 0, commands: 0, writes: 0 };
  const sockets = new Set();
  const server = net.createServer((client) => {
    counts.connections++;
    const upstream = net.connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    const count = kind === 'pg' ? pgFrontendCounter(counts) : redisCommandCounter(counts);
    client.on('data', (chunk) => {
      count(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on('error', close);
      s.on('close', close);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    snapshot: () => ({ ...counts }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Delta of two snapshots. */
export function countsSince(before, after) {
  const out = {};
  for (const k of Object.keys(after)) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

function pgFrontendCounter(counts) {
  let buf = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    for (;;) {
      if (!started) {
        // Untyped messages first: SSLRequest / GSSENCRequest / CancelRequest, then StartupMessage.
        if (buf.length - off < 8) break;
        const len = buf.readInt32BE(off);
        if (buf.length - off < len) break;
        if (buf.readInt32BE(off + 4) === 196608) started = true; // protocol 3.0
        off += len;
        continue;
      }
      if (buf.length - off < 5) break;
      const type = buf[off];
      const len = buf.readInt32BE(off + 1);
      if (buf.length - off < 1 + len) break;
      if (type === 0x51 /* Q */ || type === 0x45 /* E */) counts.statements++;
      if (type === 0x51 /* Q */ || type === 0x53 /* S */) counts.roundTrips++;
      off += 1 + len;
    }
    buf = buf.subarray(off);
  };
}

function redisCommandCounter(counts) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    counts.writes++;
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let off = 0;
    for (;;) {
      const parsed = parseResp(buf, off);
      if (!parsed) break;
      counts.commands++;
      off = parsed[1];
    }
    buf = buf.subarray(off);
  };
}

/**
 * One RESP2/RESP3 value from `buf` at `off`: [value, nextOffset], or null when incomplete.
 * Inline commands (a plain text line) count as one value too.
 */
export function parseResp(buf, off) {
  const eol = buf.indexOf('\r\n', off);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[off]);
  const line = buf.toString('utf8', off + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
    case ':':
    case ',':
    case '#':
    case '(':
    case '_':
      return [line, next];
    case '-':
      return [new Error(line), next];
    case '$':
    case '=':
    case '!': {
      const len = Number(line);
      if (len < 0) return [null, next];
      if (buf.length < next + len + 2) return null;
      return [buf.toString('utf8', next, next + len), next + len + 2];
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const n = Number(line) * (type === '%' || type === '|' ? 2 : 1);
      if (n < 0) return [null, next];
      const items = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const item = parseResp(buf, at);
        if (!item) return null;
        items.push(item[0]);
        at = item[1];
      }
      return [items, at];
    }
    default:
      return [buf.toString('utf8', off, eol), next];
  }
}

function encodeCommand(args) {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`;
  return out;
}

/** A minimal Redis client (RESP2, one command at a time): enough for INFO and clean-up. */
export async function redisConnect({ host, port }) {
  const socket = net.connect(port, host);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buf = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    const parsed = parseResp(buf, 0);
    if (parsed && waiting) {
      buf = buf.subarray(parsed[1]);
      const w = waiting;
      waiting = null;
      if (parsed[0] instanceof Error) w.reject(parsed[0]);
      else w.resolve(parsed[0]);
    }
  });
  socket.on('error', (e) => waiting?.reject(e));
  const command = (...args) =>
    new Promise((resolve, reject) => {
      waiting = { resolve, reject };
      socket.write(encodeCommand(args));
    });
  return { command, close: () => socket.destroy() };
}

/** Deletes every key starting with `prefix` (SCAN + UNLINK); returns how many. */
export async function redisDeletePrefix(target, prefix) {
  const r = await redisConnect(target);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.command('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000');
      cursor = next;
      if (keys.length) deleted += Number(await r.command('UNLINK', ...keys));
    } while (cursor !== '0');
  } finally {
    r.close();
  }
  return deleted;
}
