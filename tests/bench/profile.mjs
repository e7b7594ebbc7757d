#!/usr/bin/env node
/* global process, console */
// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time, self time by
// area (our code, each npm package, Node internals, GC), and our own functions by inclusive time.
//   node tests/bench/profile.mjs <file.cpuprofile> [--top 25]
// run.mjs --cpu-prof calls summarizeProfile() on the gateway's profile and keeps the result.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** Where a frame's code lives: 'talkgraph', an npm package name, 'node (internals)', or a special frame. */
function area(cf, root) {
  if (SPECIAL.has(cf.functionName) && !cf.url) return cf.functionName;
  const url = cf.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:') || (!url.startsWith('/') && url !== '')) return 'node (internals)';
  if (url.startsWith(root)) return 'talkgraph';
  return url === '' ? '(native/V8)' : 'other';
}

function shortUrl(url, root) {
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('/node_modules/');
  if (nm >= 0) return u.slice(nm + '/node_modules/'.length);
  if (u.startsWith(root)) return u.slice(root.length + 1);
  return u;
}

/** Numbers in ms; percentages of the busy time (everything but idle). */
export function summarizeProfile(profile, { root, top = 25, window = null } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const inclusiveUs = new Map();
  const { samples, timeDeltas } = profile;
  let totalUs = 0;
  let idleUs = 0;
  const key = (cf) =>
    `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url, root)}:${cf.lineNumber + 1}`;
  const callers = new Map();
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i];
    // A [from, to] window (µs, the profile's monotonic clock) keeps start-up and warm-up out.
    if (window && (at < window[0] || at > window[1])) continue;
    // timeDeltas[i] is the time before sample i; the time after it belongs to it.
    const dt = Math.max(0, timeDeltas[i + 1] ?? 0);
    const node = byId.get(samples[i]);
    totalUs += dt;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += dt;
      continue;
    }
    selfUs.set(node.id, (selfUs.get(node.id) ?? 0) + dt);
    // The nearest caller outside Node's internals and the function's own package.
    const own = area(node.callFrame, root);
    for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id).callFrame;
      const a = area(cf, root);
      if (
        a === own ||
        a === 'node (internals)' ||
        a === '(native/V8)' ||
        SPECIAL.has(cf.functionName)
      )
        continue;
      const m = callers.get(key(node.callFrame)) ?? new Map();
      m.set(key(cf), (m.get(key(cf)) ?? 0) + dt);
      callers.set(key(node.callFrame), m);
      break;
    }
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id).callFrame;
      if (area(cf, root) !== 'talkgraph') continue;
      const k = key(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusiveUs.set(k, (inclusiveUs.get(k) ?? 0) + dt);
    }
  }
  const busyUs = totalUs - idleUs || 1;
  const fnSelf = new Map();
  const areaSelf = new Map();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id).callFrame;
    const k = key(cf);
    const prev = fnSelf.get(k) ?? {
      fn: cf.functionName || '(anonymous)',
      where: `${shortUrl(cf.url, root)}:${cf.lineNumber + 1}`,
      area: area(cf, root),
      key: k,
      us: 0,
    };
    prev.us += us;
    fnSelf.set(k, prev);
    const a = area(cf, root);
    areaSelf.set(a, (areaSelf.get(a) ?? 0) + us);
  }
  const ms = (us) => +(us / 1000).toFixed(1);
  const pct = (us) => +((100 * us) / busyUs).toFixed(1);
  return {
    totalMs: ms(totalUs),
    busyMs: ms(busyUs),
    idleMs: ms(idleUs),
    topSelf: [...fnSelf.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => {
        const c = [...(callers.get(f.key) ?? [])].sort((a, b) => b[1] - a[1])[0];
        return {
          fn: f.fn,
          where: f.where,
          area: f.area,
          selfMs: ms(f.us),
          pct: pct(f.us),
          caller: c ? { fn: c[0], share: +((100 * c[1]) / f.us).toFixed(0) } : null,
        };
      }),
    byArea: [...areaSelf]
      .sort((a, b) => b[1] - a[1])
      .map(([a, us]) => ({ area: a, selfMs: ms(us), pct: pct(us) })),
    oursInclusive: [...inclusiveUs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, us]) => ({ fn: k, inclusiveMs: ms(us), pct: pct(us) })),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node tests/bench/profile.mjs <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const topArg = process.argv.indexOf('--top');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), {
    root,
    top: topArg > 0 ? Number(process.argv[topArg + 1]) : 25,
  });
  console.log(`busy ${s.busyMs} ms of ${s.totalMs} ms sampled (idle ${s.idleMs} ms)\n`);
  console.log('self time by function:');
  for (const f of s.topSelf)
    console.log(
      `  ${String(f.pct).padStart(5)} %  ${String(f.selfMs).padStart(8)} ms  ${f.fn}  (${f.where})` +
        (f.caller ? `  <- ${f.caller.fn} (${f.caller.share} %)` : ''),
    );
  console.log('\nself time by area:');
  for (const a of s.byArea)
    console.log(`  ${String(a.pct).padStart(5)} %  ${String(a.selfMs).padStart(8)} ms  ${a.area}`);
  console.log('\nour functions, inclusive:');
  for (const f of s.oursInclusive)
    console.log(
      `  ${String(f.pct).padStart(5)} %  ${String(f.inclusiveMs).padStart(8)} ms  ${f.fn}`,
    );
}
