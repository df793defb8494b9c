#!/usr/bin/env node
// Evaluation throughput (issue 17 point 6): whole `evaluation` jobs — load the rule, evaluator and
// trace, re-check filter and sample, fill the judge prompt, call a fake OpenAI-compatible judge on
// loopback answering after a fixed latency (default 500 ms), parse its JSON verdict, and write the
// judge trace and the EVAL score through ingestion — with 20 in flight. --jobs traces are ingested
// first and one evaluation per trace is enqueued due at one instant a few seconds ahead; the
// clock runs from that instant until the last has succeeded. The ceiling is in-flight ÷ latency
// (40/s at the defaults). Also reports the server's CPU time per evaluation. Every evaluation
// must succeed and leave one score, or the run fails.
// Usage: npm run build && node bench/evaluations.mjs [--engine sqlite|postgres|both] [--jobs N] [--latency ms] [--in-flight N]
import { execSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { openStorage } from '@sightline/storage';
import { startFakeLlm } from '../test/support/fake-llm.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    jobs: { type: 'string', default: '400' },
    latency: { type: 'string', default: '500' },
    'in-flight': { type: 'string', default: '20' },
  },
});
const opts = { jobs: Number(flags.jobs), latency: Number(flags.latency), inFlight: Number(flags['in-flight']) };
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const k of ['jobs', 'latency', 'inFlight']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: expected a positive integer`);

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function benchEngine(engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-evals-'));
  const db = engine === 'postgres' ? await createDatabase() : null;
  const fake = await startFakeLlm({ latencyMs: opts.latency, reply: () => JSON.stringify({ score: 1, reasoning: 'The answer follows from the question.' }) });
  let server;
  let storage;
  try {
    server = await startServer({
      dataDir,
      databaseUrl: db?.url,
      env: {
        SIGHTLINE_ENCRYPTION_KEY: 'cd'.repeat(32),
        SIGHTLINE_LLM_ALLOWED_HOSTS: '127.0.0.1',
        SIGHTLINE_JOB_CONCURRENCY: String(opts.inFlight),
        SIGHTLINE_LLM_CONCURRENCY: String(opts.inFlight),
      },
    });
    const put = await fetch(`${server.url}/api/public/llm-connections`, {
      method: 'PUT',
      headers: { authorization: AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'fake', adapter: 'openai', secretKey: 'sk-bench', baseURL: `${fake.url}/v1` }),
    });
    if (put.status !== 200) throw new Error(`PUT llm-connections: ${put.status} ${await put.text()}`);
    const projectId = (await (await fetch(`${server.url}/api/public/projects`, { headers: { authorization: AUTH } })).json()).data[0].id;
    for (let i = 0; i < opts.jobs; i += 500) {
      const batch = Array.from({ length: Math.min(500, opts.jobs - i) }, (_, k) => ({
        id: `ev-${i + k}`, type: 'trace-create', timestamp: new Date().toISOString(),
        body: { id: `t-${i + k}`, name: 'qa', input: { question: `What is ${i + k} squared?` }, output: `${(i + k) ** 2}` },
      }));
      const res = await fetch(`${server.url}/api/public/ingestion`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
      if (res.status !== 207) throw new Error(`ingestion: ${res.status}`);
    }
    storage = await openStorage({ databaseUrl: db?.url, dataDir });
    const now = Date.now();
    await storage.evaluators.createEvaluator({
      projectId, id: 'bench-evaluator', name: 'correctness', version: 1, type: 'llm_as_judge', description: null,
      prompt: 'Question: {{question}}\nAnswer: {{answer}}\nIs the answer correct?', variables: ['question', 'answer'], provider: 'fake', model: 'bench-judge', modelParams: { temperature: 0 },
      output: { dataType: 'NUMERIC', scoreDescription: '1 if correct, else 0', reasoningDescription: 'One sentence.', categories: null },
      scoreName: 'correctness', scoreConfigId: null, templateId: null, createdAt: now, updatedAt: now,
    });
    await storage.evaluators.createRule({
      projectId, id: 'bench-rule', name: 'bench', evaluatorId: 'bench-evaluator', target: 'trace', filter: [],
      mapping: [
        { variable: 'question', source: 'input', object: 'trace', observationName: null, jsonPath: '$.question' },
        { variable: 'answer', source: 'output', object: 'trace', observationName: null, jsonPath: null },
      ],
      sampling: 1, delayMs: 0, enabled: false, status: 'inactive', pausedReason: null, pausedMessage: null, createdAt: now, updatedAt: now,
    });
    const due = Date.now() + 5_000 + opts.jobs * 10;
    const enqueue = (i) =>
      storage.jobs.enqueue({
        id: randomUUID(), projectId, kind: 'evaluation', runAt: due, maxAttempts: 3, idempotencyKey: `eval:bench-rule:t-${i}`, createdAt: Date.now(),
        payload: { ruleId: 'bench-rule', target: 'trace', targetId: `t-${i}`, provider: 'fake', evaluatorId: 'bench-evaluator', bulk: true },
      });
    for (let i = 0; i < opts.jobs; i += 50) await Promise.all(Array.from({ length: Math.min(50, opts.jobs - i) }, (_, k) => enqueue(i + k)));
    if (Date.now() >= due) throw new Error('enqueueing took longer than the lead time; raise it');
    await new Promise((r) => setTimeout(r, due - Date.now()));
    const cpuStart = cpuSeconds(server.child.pid);
    let done = 0;
    while (done < opts.jobs) {
      await new Promise((r) => setTimeout(r, 50));
      const failed = await storage.jobs.list(projectId, { state: 'failed' }, { page: 1, limit: 1 });
      if (failed.totalItems > 0) throw new Error(`${failed.totalItems} evaluations failed: ${failed.rows[0].lastError}`);
      done = (await storage.jobs.list(projectId, { state: 'succeeded' }, { page: 1, limit: 1 })).totalItems;
    }
    const seconds = (Date.now() - due) / 1000;
    const cpu = cpuSeconds(server.child.pid) - cpuStart;
    const scores = await (await fetch(`${server.url}/api/public/v2/scores?name=correctness&limit=1`, { headers: { authorization: AUTH } })).json();
    if (scores.meta.totalItems !== opts.jobs) throw new Error(`expected ${opts.jobs} scores, found ${scores.meta.totalItems}`);
    return {
      engine, jobs: opts.jobs, seconds, perSecond: opts.jobs / seconds, ceiling: opts.inFlight / (opts.latency / 1000),
      cpuMsPerJob: (cpu * 1000) / opts.jobs, providerCalls: fake.requests.length,
    };
  } finally {
    await storage?.close();
    await server?.stop();
    await fake.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`# evaluations bench: ${opts.jobs} evaluation jobs, judge latency ${opts.latency} ms, ${opts.inFlight} in flight`);
console.log(`# ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const engine of engines) {
  const r = await benchEngine(engine);
  console.log(
    `${r.engine}: ${r.jobs} evaluations in ${r.seconds.toFixed(2)} s = ${r.perSecond.toFixed(1)} evaluations/s (ceiling ${r.ceiling.toFixed(1)}, ${((100 * r.perSecond) / r.ceiling).toFixed(1)}%); ` +
      `server CPU ${r.cpuMsPerJob.toFixed(2)} ms/evaluation; provider calls ${r.providerCalls}`,
  );
}
console.log(`# load at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
