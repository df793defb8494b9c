// The run comparison's data route, measured (issue 14 point 6, second half): a dataset of
// `items` items, `runs` runs over all of them (each run item a trace with one generation —
// timing, cost, an output of ~300 characters — and two scores), then
// GET /api/ui/projects/:pid/datasets/:id/compare?runs=…, as the comparison page opens it
// (signed in, gzip accepted). Every answer must hold `items` rows of `runs` cells with their
// scores, or the run fails.
import { AUTH } from './server-process.mjs';

export const UI_USER = { email: 'bench@example.com', password: 'bench password 1234' };
export const UI_ENV = { SIGHTLINE_INIT_USER_EMAIL: UI_USER.email, SIGHTLINE_INIT_USER_PASSWORD: UI_USER.password };

const DATASET = 'bench/compare';

async function send(url, method, path, body, headers = { authorization: AUTH }) {
  const res = await fetch(`${url}${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

async function parallel(count, clients, task) {
  let next = 0;
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next < count) await task(next++);
  }));
}

/** Seeds the dataset, traces and runs; resolves to a function that times one opening of the comparison. */
export async function seedComparison(url, { items, runs }) {
  await send(url, 'POST', '/api/public/v2/datasets', { name: DATASET });
  await parallel(items, 8, (i) => send(url, 'POST', '/api/public/dataset-items', { datasetName: DATASET, id: `cmp-${i}`, input: { question: `question ${i}`, context: 'c'.repeat(200) }, expectedOutput: `answer ${i}` }));
  const start = Date.UTC(2026, 0, 1);
  for (let r = 0; r < runs; r++) {
    let batch = [];
    const flush = async () => {
      const res = await send(url, 'POST', '/api/public/ingestion', { batch });
      if (res.errors?.length) throw new Error(`ingestion: ${JSON.stringify(res.errors[0])}`);
      batch = [];
    };
    for (let i = 0; i < items; i++) {
      const traceId = `cmp-run${r}-trace${i}`;
      const at = new Date(start + i * 1000).toISOString();
      const ev = (type, body) => ({ id: `${traceId}-${type}-${batch.length}`, type, timestamp: at, body });
      batch.push(ev('trace-create', { id: traceId, name: 'qa-app', input: `question ${i}`, output: `run ${r} says ${'x'.repeat(280)} ${i % (r + 2)}` }));
      batch.push(ev('generation-create', { id: `${traceId}-gen`, traceId, model: 'gpt-4o-mini', startTime: at, endTime: new Date(start + i * 1000 + 200 + ((i * 37 + r * 11) % 900)).toISOString(), costDetails: { total: 0.0001 * (1 + (i % 7)) } }));
      batch.push(ev('score-create', { id: `${traceId}-s1`, traceId, name: 'correct', value: (i + r) % 3 === 0 ? 0 : 1 }));
      batch.push(ev('score-create', { id: `${traceId}-s2`, traceId, name: 'relevance', value: ((i * 7 + r * 3) % 10) / 10 }));
      if (batch.length >= 800) await flush();
    }
    if (batch.length > 0) await flush();
    await parallel(items, 8, (i) => send(url, 'POST', '/api/public/dataset-run-items', { runName: `compare run ${r}`, datasetItemId: `cmp-${i}`, traceId: `cmp-run${r}-trace${i}` }));
  }

  const signIn = await fetch(`${url}/api/ui/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' }, body: JSON.stringify(UI_USER) });
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { projects } = await signIn.json();
  const dataset = await send(url, 'GET', `/api/public/v2/datasets/${encodeURIComponent(DATASET)}`);
  const listed = await send(url, 'GET', `/api/public/datasets/${encodeURIComponent(DATASET)}/runs?limit=${runs}`);
  const runIds = listed.data.map((r) => r.id);
  const path = `/api/ui/projects/${projects[0].id}/datasets/${dataset.id}/compare?${runIds.map((id) => `runs=${id}`).join('&')}`;

  return async function openComparison() {
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { cookie, 'accept-encoding': 'gzip' } });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`compare: ${res.status} ${body.slice(0, 300)}`);
    const data = JSON.parse(body);
    const complete = data.rows.length === items && data.rows.every((row) => row.cells.length === runs && row.cells.every((c) => c && c.scores.length === 2));
    if (!complete) throw new Error(`compare: expected ${items} rows of ${runs} cells with 2 scores each`);
    return { ms, bytes: body.length };
  };
}
