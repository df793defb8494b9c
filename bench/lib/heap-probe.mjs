// Preloaded into the server by bench/soak.mjs (`node --expose-gc --import <this file>`): every
// SOAK_HEAP_INTERVAL_MS it runs a full GC and appends process.memoryUsage() as one JSON line to
// SOAK_HEAP_FILE. Heap after a full GC is the live heap, so a leak shows as a rising line
// instead of hiding in the saw-tooth of ordinary garbage. Without SOAK_HEAP_FILE it does nothing.
import { appendFileSync } from 'node:fs';

const file = process.env.SOAK_HEAP_FILE;
if (file) {
  const every = Number(process.env.SOAK_HEAP_INTERVAL_MS ?? 10_000);
  const timer = setInterval(() => {
    globalThis.gc?.();
    appendFileSync(file, JSON.stringify({ t: Date.now(), ...process.memoryUsage() }) + '\n');
  }, every);
  timer.unref();
}
