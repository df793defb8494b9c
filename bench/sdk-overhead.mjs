#!/usr/bin/env node
// SDK overhead: what tracing costs the host, for @sightline/sdk and the official `langfuse` v3
// SDK side by side, on the same workload in the same run.
//
//   npm run build && node --expose-gc bench/sdk-overhead.mjs [--iterations 50000] [--rounds 3]
//
// One iteration = trace({name, userId, input, metadata}) + span({name, input}) + span.end({output}),
// i.e. three events, issued in synchronous chunks of 500 with a macrotask turn between chunks
// (as a server handling requests would). Each measurement runs in a fresh child process; the
// ingestion stub (instant 207) runs in its own process so its CPU is not counted.
//   hot path µs  = time spent inside the SDK calls, per iteration (what a request pays)
//   total CPU µs = process CPU (user+sys) from the first call until flush() resolved, per
//                  iteration: the hot path plus batching, serialisation and HTTP export
//   memory       = heap after GC while the server is unreachable, sampled as events pile up
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const CHUNK = 500;
const KEYS = { publicKey: 'pk-lf-bench', secretKey: 'sk-lf-bench' };

// ---- the SDKs under test ---------------------------------------------------------------------

async function makeClient(sdk, baseUrl) {
  if (sdk === 'sightline') {
    const { Sightline } = await import('@sightline/sdk');
    const client = new Sightline({ ...KEYS, baseUrl, onError: () => {} });
    return { client, flush: () => client.flush(), stop: () => client.shutdown() };
  }
  const { Langfuse } = await import('langfuse');
  const extra = sdk === 'langfuse-flushAt100' ? { flushAt: 100 } : {};
  const client = new Langfuse({ ...KEYS, baseUrl, ...extra });
  client.on?.('error', () => {});
  return { client, flush: () => client.flushAsync(), stop: () => client.shutdownAsync() };
}

function iteration(client, i) {
  const trace = client.trace({ name: 'bench-request', userId: 'user-1', input: { question: `q${i}` }, metadata: { route: '/chat' } });
  const span = trace.span({ name: 'retrieve', input: { query: `q${i}` } });
  span.end({ output: { docs: ['a', 'b'] } });
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Runs `iterations` in chunks; returns the time spent inside the SDK calls (ms). */
async function drive(client, iterations, start = 0) {
  let hot = 0;
  for (let done = 0; done < iterations; done += CHUNK) {
    const t0 = performance.now();
    for (let i = done; i < Math.min(iterations, done + CHUNK); i++) iteration(client, start + i);
    hot += performance.now() - t0;
    await turn();
  }
  return hot;
}

// ---- child modes -------------------------------------------------------------------------------

async function childCpu(sdk, baseUrl, iterations) {
  const { client, flush, stop } = await makeClient(sdk, baseUrl);
  await drive(client, Math.min(10_000, iterations)); // warm-up (JIT), not measured
  await flush();
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const hotMs = await drive(client, iterations, 1e7);
  await flush();
  const cpu = process.cpuUsage(cpu0);
  await stop();
  return { hotUs: (hotMs * 1000) / iterations, totalCpuUs: (cpu.user + cpu.system) / iterations };
}

async function childMemory(sdk, iterations) {
  // Port 9 on loopback: nothing listens, every request is refused.
  const { client } = await makeClient(sdk, 'http://127.0.0.1:9');
  const samples = [];
  const heap = () => (globalThis.gc?.(), process.memoryUsage().heapUsed / 2 ** 20);
  samples.push(heap());
  const step = iterations / 5;
  for (let s = 0; s < 5; s++) {
    await drive(client, step, s * step);
    samples.push(heap());
  }
  return { heapMb: samples.map((m) => Math.round(m * 10) / 10), stats: client.stats };
}

// ---- orchestration -----------------------------------------------------------------------------

function runChild(childArgs, execArgv = ['--expose-gc']) {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, childArgs, { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', resolve);
    child.once('exit', (code) => code !== 0 && reject(new Error(`child ${childArgs.join(' ')} exited ${code}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(2);

async function main() {
  const iterations = Number(opt('iterations', 50_000));
  const rounds = Number(opt('rounds', 3));
  const memoryIterations = Number(opt('memory-iterations', 200_000));
  const sdks = ['sightline', 'langfuse', 'langfuse-flushAt100'];
  const stubProc = fork(SELF, ['--stub'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { url } = await new Promise((resolve) => stubProc.once('message', resolve));

  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(`workload: ${iterations} iterations × 3 events (trace + span + end), chunks of ${CHUNK}, ${rounds} rounds, median\n`);
  const results = Object.fromEntries(sdks.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    // Alternate the order each round so neither SDK always runs on a cooler machine.
    for (const sdk of r % 2 ? [...sdks].reverse() : sdks) results[sdk].push(await runChild(['--child', 'cpu', sdk, url, String(iterations)]));
  }
  stubProc.kill();

  const row = (sdk) => ({ hot: median(results[sdk].map((x) => x.hotUs)), total: median(results[sdk].map((x) => x.totalCpuUs)) });
  const base = row('sightline');
  console.log('| SDK | hot path µs / iteration | total CPU µs / iteration | hot path vs Sightline | total CPU vs Sightline |');
  console.log('|---|---:|---:|---:|---:|');
  for (const sdk of sdks) {
    const { hot, total } = row(sdk);
    console.log(`| ${sdk} | ${fmt(hot)} | ${fmt(total)} | ${fmt(hot / base.hot)}× | ${fmt(total / base.total)}× |`);
  }

  console.log(`\nmemory while the server is unreachable: ${memoryIterations} iterations (${memoryIterations * 3} events), heap MB after GC at 0, 20, 40, 60, 80, 100 %`);
  for (const sdk of ['sightline', 'langfuse']) {
    const m = await runChild(['--child', 'memory', sdk, '-', String(memoryIterations)]);
    console.log(`- ${sdk}: ${m.heapMb.join(' → ')}${m.stats ? ` (queued ${m.stats.queued + m.stats.inFlight}, dropped ${m.stats.dropped})` : ''}`);
  }
}

// ---- entry (last, so every const above is initialised) ---------------------------------------

if (args[0] === '--child') {
  const [, mode, sdk, baseUrl, n] = args;
  const result = mode === 'cpu' ? await childCpu(sdk, baseUrl, Number(n)) : await childMemory(sdk, Number(n));
  process.send(result, () => process.exit(0));
} else if (args[0] === '--stub') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(req.url.includes('ingestion') ? 207 : 200, { 'content-type': 'application/json' });
      res.end('{"successes":[],"errors":[]}');
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}` }));
} else {
  await main();
}
