// The reads the reads benchmark times (issue 18, point 1): public API routes with Basic auth
// and the UI JSON API with a session cookie, with the ids of the seeded project
// (reads-data.mjs). Reads the product cannot do yet are listed as unsupported.
import { COMMON_WORD, RARE_WORD } from './reads-data.mjs';
import { AUTH } from './server-process.mjs';

const DAY = 86_400_000;
const q = (params) => `?${new URLSearchParams(params)}`;
const filter = (conditions) => JSON.stringify(conditions);

/** name, the route as printed, and the request path from the context ({projectId, workload}); `ui` reads go to /api/ui with the cookie. */
export const READS = [
  { name: 'traces, newest', route: 'GET /api/public/traces', path: () => `/api/public/traces${q({ limit: 50 })}` },
  { name: 'traces by user', route: 'GET /api/public/traces?userId', path: () => `/api/public/traces${q({ limit: 50, userId: 'user-7' })}` },
  { name: 'traces by tag', route: 'GET /api/public/traces?tags', path: () => `/api/public/traces${q({ limit: 50, tags: 'beta' })}` },
  { name: 'traces by session', route: 'GET /api/public/traces?sessionId', path: (c) => `/api/public/traces${q({ limit: 50, sessionId: c.session })}` },
  { name: 'traces by environment', route: 'GET /api/public/traces?environment', path: () => `/api/public/traces${q({ limit: 50, environment: 'staging' })}` },
  {
    name: 'traces by metadata', route: 'GET /api/public/traces?filter=metadata',
    path: () => `/api/public/traces${q({ limit: 50, filter: filter([{ type: 'stringObject', column: 'metadata', key: 'region', operator: '=', value: 'ap-south-1' }]) })}`,
  },
  { name: 'traces by level (UI)', route: 'GET /api/ui/…/traces?level=ERROR', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, level: 'ERROR' })}` },
  { name: 'traces, newest (UI)', route: 'GET /api/ui/…/traces', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50 })}` },
  { name: 'traces by metadata (UI)', route: 'GET /api/ui/…/traces?metadata', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, metadata: 'plan=pro' })}` },
  { name: 'traces sorted by latency', route: 'GET /api/ui/…/traces?sort=latency.desc', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, sort: 'latency.desc' })}` },
  { name: 'traces sorted by cost', route: 'GET /api/ui/…/traces?sort=cost.desc', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, sort: 'cost.desc' })}` },
  { name: 'traces sorted by tokens', route: 'GET /api/ui/…/traces?sort=tokens.desc', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, sort: 'tokens.desc' })}` },
  {
    name: 'traces sorted by latency, 2nd page', route: 'GET /api/ui/…/traces?sort=latency.asc&cursor', ui: true,
    path: (c) => `${c.ui}/traces${q({ limit: 50, sort: 'latency.asc', cursor: Buffer.from(JSON.stringify([1000, ''])).toString('base64url') })}`,
  },
  { name: 'traces sorted by a score', route: 'GET /api/ui/…/traces?sort=score:<name>.desc', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, sort: `score:${c.scoreName}.desc` })}` },
  { name: 'trace count (UI, 7 days)', route: 'GET /api/ui/…/trace-count', ui: true, path: (c) => `${c.ui}/trace-count${q({ from: c.now - 7 * DAY })}` },
  { name: 'trace count by user (UI)', route: 'GET /api/ui/…/trace-count?userId', ui: true, path: (c) => `${c.ui}/trace-count${q({ userId: 'user-7' })}` },
  { name: 'search, a rare word (7 days)', route: 'GET /api/ui/…/traces?q', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, q: c.rare, from: c.now - 7 * DAY })}` },
  { name: 'search, a common word (7 days)', route: 'GET /api/ui/…/traces?q', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, q: c.common, from: c.now - 7 * DAY })}` },
  { name: 'sessions list', route: 'GET /api/public/sessions', path: () => `/api/public/sessions${q({ limit: 50 })}` },
  { name: 'sessions list (UI)', route: 'GET /api/ui/…/sessions', ui: true, path: (c) => `${c.ui}/sessions${q({ limit: 50 })}` },
  { name: 'one session', route: 'GET /api/public/sessions/{id}', path: (c) => `/api/public/sessions/${c.session}` },
  { name: 'one session (UI)', route: 'GET /api/ui/…/sessions/{id}', ui: true, path: (c) => `${c.ui}/sessions/${c.session}` },
  { name: 'sessions sorted by cost (UI)', route: 'GET /api/ui/…/sessions?sort=totalCost.desc', ui: true, path: (c) => `${c.ui}/sessions${q({ limit: 50, sort: 'totalCost.desc' })}` },
  { name: 'sessions sorted by duration (UI)', route: 'GET /api/ui/…/sessions?sort=duration.desc', ui: true, path: (c) => `${c.ui}/sessions${q({ limit: 50, sort: 'duration.desc' })}` },
  { name: 'users sorted by cost (UI)', route: 'GET /api/ui/…/users?sort=totalCost.desc', ui: true, path: (c) => `${c.ui}/users${q({ limit: 50, sort: 'totalCost.desc' })}` },
  { name: 'one user: page (UI)', route: 'GET /api/ui/…/users/{id}', ui: true, path: (c) => `${c.ui}/users/user-7` },
  { name: 'users list (UI)', route: 'GET /api/ui/…/users', ui: true, path: (c) => `${c.ui}/users${q({ limit: 50 })}` },
  { name: 'one user: search (UI)', route: 'GET /api/ui/…/users?q', ui: true, path: (c) => `${c.ui}/users${q({ limit: 50, q: 'user-7' })}` },
  { name: 'one user: their traces (UI)', route: 'GET /api/ui/…/traces?userId', ui: true, path: (c) => `${c.ui}/traces${q({ limit: 50, userId: 'user-7' })}` },
  { name: 'one trace (6–10 observations)', route: 'GET /api/public/traces/{id}', path: (c) => `/api/public/traces/${c.trace}` },
  { name: 'one trace, 50 observations', route: 'GET /api/public/traces/{id}', path: (c) => `/api/public/traces/${c.big50}` },
  { name: 'one trace, 5,000 observations', route: 'GET /api/public/traces/{id}', path: (c) => `/api/public/traces/${c.big5000}` },
  { name: 'trace page, 50 observations (UI)', route: 'GET /api/ui/…/traces/{id} + /tree', ui: true, path: (c) => [`${c.ui}/traces/${c.big50}`, `${c.ui}/traces/${c.big50}/tree`] },
  { name: 'trace page, 5,000 observations (UI)', route: 'GET /api/ui/…/traces/{id} + /tree', ui: true, path: (c) => [`${c.ui}/traces/${c.big5000}`, `${c.ui}/traces/${c.big5000}/tree`] },
  { name: 'observations by type', route: 'GET /api/public/v2/observations?type', path: () => `/api/public/v2/observations${q({ limit: 50, type: 'GENERATION' })}` },
  {
    name: 'observations by model', route: 'GET /api/public/v2/observations?filter=model',
    path: () => `/api/public/v2/observations${q({ limit: 50, filter: filter([{ type: 'stringOptions', column: 'model', operator: 'any of', value: ['gpt-4o'] }]) })}`,
  },
  { name: 'observations by type, page + total (v1)', route: 'GET /api/public/observations?type', path: () => `/api/public/observations${q({ limit: 50, type: 'GENERATION' })}` },
  { name: 'observations table: generations, newest (UI)', route: 'GET /api/ui/…/observations?type', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, type: 'GENERATION' })}` },
  { name: 'observations table: by model (UI)', route: 'GET /api/ui/…/observations?model', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, model: 'gpt-4o' })}` },
  { name: 'observations sorted by latency', route: 'GET /api/ui/…/observations?type&sort=latency.desc', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, type: 'GENERATION', sort: 'latency.desc' })}` },
  { name: 'observations sorted by cost', route: 'GET /api/ui/…/observations?type&sort=cost.desc', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, type: 'GENERATION', sort: 'cost.desc' })}` },
  { name: 'observations sorted by latency, ascending', route: 'GET /api/ui/…/observations?type&sort=latency.asc', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, type: 'GENERATION', sort: 'latency.asc' })}` },
  { name: 'observations sorted by tokens', route: 'GET /api/ui/…/observations?sort=tokens.desc', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, sort: 'tokens.desc' })}` },
  { name: 'observations sorted by tokens, page 20', route: 'GET /api/ui/…/observations?sort=tokens.asc&page=20', ui: true, path: (c) => `${c.ui}/observations${q({ limit: 50, sort: 'tokens.asc', page: 20 })}` },
  { name: 'sessions sorted by a score (UI)', route: 'GET /api/ui/…/sessions?sort=score:<name>.desc', ui: true, path: (c) => `${c.ui}/sessions${q({ limit: 50, sort: `score:${c.scoreName}.desc` })}` },
  { name: 'users sorted by a score (UI)', route: 'GET /api/ui/…/users?sort=score:<name>.desc', ui: true, path: (c) => `${c.ui}/users${q({ limit: 50, sort: `score:${c.scoreName}.desc` })}` },
  { name: 'scores list', route: 'GET /api/public/v2/scores', path: () => `/api/public/v2/scores${q({ limit: 50 })}` },
  { name: 'dashboard, 7 days (UI)', route: 'GET /api/ui/…/dashboard', ui: true, path: (c) => `${c.ui}/dashboard${q({ from: c.now - 7 * DAY, to: c.now })}` },
  { name: 'dashboard, 30 days (UI)', route: 'GET /api/ui/…/dashboard', ui: true, path: (c) => `${c.ui}/dashboard${q({ from: c.now - 30 * DAY, to: c.now })}` },
  {
    name: 'metrics API: cost and tokens by model, 7 days', route: 'GET /api/public/metrics',
    path: (c) => `/api/public/metrics${q({
      query: JSON.stringify({
        view: 'observations', dimensions: [{ field: 'providedModelName' }], metrics: [{ measure: 'totalCost', aggregation: 'sum' }, { measure: 'totalTokens', aggregation: 'sum' }],
        filters: [], fromTimestamp: new Date(c.now - 7 * DAY).toISOString(), toTimestamp: new Date(c.now).toISOString(),
      }),
    })}`,
  },
];

/** Signs the UI owner in; returns the session cookie (`name=value`). */
export async function signIn(url, { email, password }) {
  const res = await fetch(`${url}/api/ui/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sightline-csrf': '1' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sightline_session='));
  if (!cookie) throw new Error('sign-in: no session cookie');
  return cookie.split(';')[0];
}

const nearestRank = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/**
 * Times every supported read: one warm-up round, then `runs` rounds, the reads taking turns.
 * Returns per read {median, p95, path} in READS order ({unsupported} for the others).
 */
export async function timeReads({ url, projectId, cookie, workload, runs }) {
  const { prefix } = workload;
  const c = {
    ui: `/api/ui/projects/${projectId}`,
    now: Date.now(),
    session: `${prefix}-session-${Math.floor(workload.traces / 10)}`,
    trace: `${prefix}-t${Math.floor(workload.traces * 0.3) + 1}`,
    big50: `${prefix}-big50-0`,
    big5000: `${prefix}-big5000`,
    rare: RARE_WORD,
    scoreName: 'quality',
    common: COMMON_WORD,
  };
  const call = async (read, path) => {
    const res = await fetch(`${url}${path}`, { headers: read.ui ? { cookie } : { authorization: AUTH } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${read.name}: GET ${path} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
  };
  const times = READS.map(() => []);
  for (let round = 0; round <= runs; round++) {
    for (const [i, read] of READS.entries()) {
      if (read.unsupported) continue;
      const paths = [read.path(c)].flat();
      const t0 = performance.now();
      for (const path of paths) await call(read, path);
      if (round > 0) times[i].push(performance.now() - t0);
    }
  }
  return READS.map((read, i) => {
    if (read.unsupported) return { unsupported: true };
    const sorted = times[i].sort((a, b) => a - b);
    return { median: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), path: [read.path(c)].flat()[0] };
  });
}
