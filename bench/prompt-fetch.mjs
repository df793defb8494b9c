#!/usr/bin/env node
// Prompt-fetch benchmark (issue 13 point 2): requests/s, p50 and p99 of
// GET /api/public/v2/prompts/{name}?label=production under N concurrent keep-alive clients,
// next to two floors measured in the same run on the same server:
//   - GET /api/public/health: no auth, no database read — the cheapest route there is;
//   - GET /api/public/projects: Basic auth (key cached for KEY_CACHE_MS, SHA-256 of the secret on
//     every request) plus one primary-key read — an authenticated cheap route.
// A prompt fetch pays the same auth, one read of the project's prompt revision, then serves the
// body from the in-process cache (packages/server/src/prompts/prompt-cache.ts).
//
// Prompts: a text prompt, a chat prompt (system + user messages with {{variables}}) and a
// composed text prompt that references a snippet prompt by label (resolved when served).
// Every route is measured in --rounds rounds, the routes taking turns within a round, so load
// from other processes falls on all of them alike; figures are the rounds pooled. Every answer
// must be 200 with the byte length of the first one (checked before timing), or the run fails.
// Besides wall-clock figures it reports the server process's CPU time per request
// (/proc/<pid>/stat), which other processes on the machine disturb less.
// Usage: npm run bench:prompts -- [--engine sqlite|postgres|both] [--clients N] [--duration S] [--rounds N] [--warmup S]
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchArgs } from './lib/cli.mjs';
import { createDatabase } from './lib/pg-database.mjs';
import { AUTH, startServer } from './lib/server-process.mjs';

const { values: flags } = benchArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    clients: { type: 'string', default: '16' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
  },
});
const opts = { clients: Number(flags.clients), duration: Number(flags.duration), rounds: Number(flags.rounds), warmup: Number(flags.warmup) };
const engines = flags.engine === 'both' ? ['sqlite', 'postgres'] : [flags.engine];
if (!engines.every((e) => e === 'sqlite' || e === 'postgres')) throw new Error(`--engine: expected sqlite, postgres or both; got ${flags.engine}`);
for (const k of ['clients', 'rounds']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k}: expected a positive integer`);
for (const k of ['duration', 'warmup']) if (!(opts[k] >= 0) || (k === 'duration' && opts[k] === 0)) throw new Error(`--${k}: expected a positive number of seconds`);

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
/** CPU seconds (user + system, all threads) the process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const WORDS = 'you are a concise support assistant answer the question using only the passages below cite each passage you use and say so when the passages do not hold the answer'.split(' ');
const text = (n, seed) => {
  let out = '';
  for (let i = seed; out.length < n; i++) out += WORDS[(i * 7 + seed) % WORDS.length] + ' ';
  return out.slice(0, n);
};

/** Prompts created before timing, in order (the snippet before the prompt that references it). */
const PROMPTS = [
  { name: 'bench/text', type: 'text', prompt: `${text(800, 1)} Question: {{question}}`, labels: ['production'], config: { model: 'gpt-4o-mini', temperature: 0.2 } },
  {
    name: 'bench/chat',
    type: 'chat',
    prompt: [
      { role: 'system', content: text(600, 2) },
      { role: 'user', content: `Passages: {{passages}}\n\nQuestion: {{question}}` },
    ],
    labels: ['production'],
    config: { model: 'gpt-4o', max_tokens: 512 },
  },
  { name: 'bench/snippet', type: 'text', prompt: text(300, 3), labels: ['production'] },
  { name: 'bench/composed', type: 'text', prompt: `${text(400, 4)}\n@@@langfusePrompt:name=bench/snippet|label=production@@@\nQuestion: {{question}}`, labels: ['production'] },
];

const prompt = (name) => `/api/public/v2/prompts/${encodeURIComponent(name)}?label=production`;
const ROUTES = [
  { label: 'GET /health (floor, no auth)', path: '/api/public/health', auth: false },
  { label: 'GET /projects (Basic auth + 1 read)', path: '/api/public/projects', auth: true },
  { label: 'prompt, text', path: prompt('bench/text'), auth: true, prompt: true },
  { label: 'prompt, chat', path: prompt('bench/chat'), auth: true, prompt: true },
  { label: 'prompt, composed (1 reference)', path: prompt('bench/composed'), auth: true, prompt: true },
];

function get(agent, port, path, auth) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: auth ? { authorization: AUTH } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function post(url, path, body) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

/** N clients, each sending its next request when the previous answer is in, until `seconds` have passed. */
async function load(agent, port, route, expectedBytes, seconds) {
  const latencies = [];
  const end = performance.now() + seconds * 1000;
  const client = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const { status, body } = await get(agent, port, route.path, route.auth);
      latencies.push(performance.now() - t0);
      if (status !== 200 || body.length !== expectedBytes) throw new Error(`${route.path}: ${status}, ${body.length} bytes (expected 200, ${expectedBytes}): ${body.toString().slice(0, 300)}`);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.clients }, client));
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

async function benchEngine(engine) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-bench-prompts-'));
  const db = engine === 'postgres' ? await createDatabase() : null;
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients });
  let server;
  try {
    server = await startServer({ dataDir, databaseUrl: db?.url });
    const port = Number(new URL(server.url).port);
    for (const p of PROMPTS) await post(server.url, '/api/public/v2/prompts', p);
    // The answers timed below, checked once: the composed prompt arrives resolved.
    for (const route of ROUTES) {
      const { status, body } = await get(agent, port, route.path, route.auth);
      if (status !== 200) throw new Error(`${route.path}: ${status} ${body}`);
      const json = JSON.parse(body.toString());
      if (route.path.includes('composed') && (String(json.prompt).includes('@@@') || !String(json.prompt).includes(text(300, 3)) || !json.resolutionGraph)) {
        throw new Error(`composed prompt not resolved: ${body}`);
      }
      route.bytes = body.length;
    }
    const pooled = new Map(ROUTES.map((r) => [r, { latencies: [], seconds: 0, cpu: 0 }]));
    for (const route of ROUTES) await load(agent, port, route, route.bytes, opts.warmup);
    for (let round = 0; round < opts.rounds; round++) {
      for (const route of ROUTES) {
        const cpu0 = cpuSeconds(server.child.pid);
        const r = await load(agent, port, route, route.bytes, opts.duration);
        const p = pooled.get(route);
        p.cpu += cpuSeconds(server.child.pid) - cpu0;
        p.latencies.push(...r.latencies);
        p.seconds += r.seconds;
      }
      console.error(`${engine}: round ${round + 1}/${opts.rounds} done, load average ${loadavg()[0].toFixed(2)}`);
    }
    return ROUTES.map((route) => {
      const { latencies, seconds, cpu } = pooled.get(route);
      const sorted = latencies.sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
      return { engine, route, requests: sorted.length, rps: sorted.length / seconds, p50: at(0.5), p99: at(0.99), cpuUs: (cpu / sorted.length) * 1e6, bytes: route.bytes };
    });
  } catch (err) {
    if (server) console.error(server.output());
    throw err;
  } finally {
    agent.destroy();
    await server?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const load3 = () => loadavg().map((l) => l.toFixed(2)).join(' ');
let commit = '?';
try {
  commit = execSync('git rev-parse --short HEAD', { cwd: new URL('..', import.meta.url) }).toString().trim();
  if (execSync('git status --porcelain -- packages', { cwd: new URL('..', import.meta.url) }).toString().trim()) commit += ' (+ uncommitted changes under packages/)';
} catch {
  // not a git checkout
}

console.log(`# Prompt-fetch benchmark — ${new Date().toString()}`);
console.log(`machine: ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}; code ${commit}; load average at start ${load3()}`);
console.log(`${opts.clients} keep-alive clients; each route ${opts.rounds} × ${opts.duration} s (routes taking turns within a round) after a ${opts.warmup} s warm-up`);
const results = [];
for (const engine of engines) results.push(...(await benchEngine(engine)));

console.log('\n| engine | route | req/s | p50 ms | p99 ms | server CPU µs/req | cost ÷ health (req/s) | p99 ÷ health | cost ÷ projects (req/s) | p99 ÷ projects | requests | body B |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const health = results.find((x) => x.engine === r.engine && x.route === ROUTES[0]);
  const projects = results.find((x) => x.engine === r.engine && x.route === ROUTES[1]);
  console.log(
    `| ${r.engine} | ${r.route.label} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.cpuUs)} | ${fmt(health.rps / r.rps, 2)} | ${fmt(r.p99 / health.p99, 2)} | ${fmt(projects.rps / r.rps, 2)} | ${fmt(r.p99 / projects.p99, 2)} | ${fmt(r.requests)} | ${fmt(r.bytes)} |`,
  );
}
const worst = Math.max(...results.filter((r) => r.route.prompt).map((r) => results.find((x) => x.engine === r.engine && x.route === ROUTES[0]).rps / r.rps));
console.log(`\ntarget: a prompt fetch costs ≤ 1.5 × health (req/s); worst prompt route ${fmt(worst, 2)} × — ${worst <= 1.5 ? 'met' : 'missed'}`);
console.log(`load average at end ${load3()}`);
