// Process accounting from /proc (Linux): CPU ticks of a process and of the PostgreSQL
// backends serving one database, resident memory, and whole-machine busy/steal time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export const TICK_MS = 10; // CLK_TCK = 100 on Linux x86_64

/** utime + stime of a process, all threads (fields 14 and 15 of /proc/<pid>/stat). */
export function procTicks(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/**
 * Per-pid ticks of the backends connected to database `db` (their process title is
 * "postgres: <cluster>: <user> <db> <client> <state>"). Other databases on the same server
 * (other sessions' test suites) are left out; PostgreSQL's shared background processes too.
 */
export function backendTicks(db) {
  const m = new Map();
  const title = new RegExp(`^postgres: [^:]+: \\S+ ${db.replace(/[^\w]/g, '\\$&')} `);
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (title.test(readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ')))
        m.set(d, procTicks(d));
    } catch {
      // The process ended while we looked.
    }
  }
  return m;
}

/** Ticks used between two backendTicks() snapshots; a backend that started in between counts in full. */
export function backendDelta(before, after) {
  let t = 0;
  for (const [pid, ticks] of after) t += ticks - (before.get(pid) ?? 0);
  return t;
}

export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { total: f.reduce((a, b) => a + b, 0), idle: f[3] + f[4], steal: f[7] ?? 0 };
}

function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Resident set size now, in MiB. */
export const rssMb = (pid) => (statusKb(pid, 'VmRSS') ?? 0) / 1024;

/** Peak resident set size (VmHWM) in MiB. */
export const peakRssMb = (pid) => (statusKb(pid, 'VmHWM') ?? 0) / 1024;

/** Resets VmHWM to the current RSS (Linux >= 4.0), so the next peak belongs to one workload. */
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
