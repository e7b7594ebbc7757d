#!/usr/bin/env node
/* global process, console */
// Installs the benchmark's own dependencies (tests/bench/node_modules, kept out of the main
// install) only when they are missing or package.json / package-lock.json changed since the
// last install: `npm ci` with a lock file, `npm install` without one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const lock = join(HERE, 'package-lock.json');
const stampFile = join(HERE, 'node_modules', '.talkgraph-bench-installed');
const hash = createHash('sha1');
for (const f of [join(HERE, 'package.json'), lock]) if (existsSync(f)) hash.update(readFileSync(f));
const want = hash.digest('hex');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === want) process.exit(0);
const args = existsSync(lock)
  ? ['ci', '--no-audit', '--no-fund']
  : ['install', '--no-audit', '--no-fund'];
console.log(`tests/bench: npm ${args[0]} (dependencies missing or changed) …`);
const r = spawnSync('npm', args, { cwd: HERE, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) {
  console.error(`tests/bench: npm ${args[0]} failed (exit ${r.status})`);
  process.exit(r.status ?? 1);
}
writeFileSync(stampFile, `${want}\n`);
