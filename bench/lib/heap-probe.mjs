// Preloaded into the server by bench/soak.mjs (`node --import <this file>`): every
// SOAK_HEAP_INTERVAL_MS it runs a full GC and appends process.memoryUsage() as one JSON line to
// SOAK_HEAP_FILE. Heap after a full GC is the live heap, so a leak shows as a rising line
// instead of hiding in the saw-tooth of ordinary garbage. Without SOAK_HEAP_FILE it does nothing.
// Only the main thread samples (worker threads inherit --import); RSS covers every thread.
// gc is enabled here rather than with --expose-gc, which worker threads refuse in their execArgv.
import { appendFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const file = process.env.SOAK_HEAP_FILE;
if (file && isMainThread) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const every = Number(process.env.SOAK_HEAP_INTERVAL_MS ?? 10_000);
  const timer = setInterval(() => {
    gc();
    appendFileSync(file, JSON.stringify({ t: Date.now(), ...process.memoryUsage() }) + '\n');
  }, every);
  timer.unref();
}
