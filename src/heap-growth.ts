import { setFlagsFromString } from 'node:v8';

const FLAG = '--heap-growing-percent';

/**
 * After each full collection V8 lets the old generation grow to a multiple of what stayed
 * alive, a multiple it picks from its own GC speed. Under the nested-page load (W1: many
 * requests in flight, each holding its rows and response for tens of milliseconds) that
 * put peak RSS anywhere between 260 and 420 MB over a live heap of about 40 MB. Capping the
 * growth at 2× per collection keeps it near 180 MB with no throughput loss we could measure
 * (npm run bench). Imported first by main.ts, before the heap grows; an operator's own
 * --heap-growing-percent (command line or NODE_OPTIONS) is left alone.
 */
export function limitHeapGrowth(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  if (given.some((option) => option.includes(FLAG))) return;
  setFlagsFromString(`${FLAG}=100`);
}
