import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../http/app-env.js';
import { Counter, Gauge, Histogram, Registry } from './prometheus.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** How long readiness may take before the database counts as not ready. */
const PING_TIMEOUT_MS = 2000;

/** A fixed, small set of route groups: never a raw path (unbounded label values). */
export function routeGroup(path: string): string {
  if (path === '/metrics') return 'metrics';
  if (path === '/api/public/health' || path === '/api/public/ready') return 'health';
  if (path === '/api/public/ingestion') return 'ingestion';
  if (path.startsWith('/api/public/otel/')) return 'otel';
  if (path.startsWith('/api/public/')) return 'public_api';
  if (path.startsWith('/api/ui/')) return 'ui_api';
  if (path.startsWith('/api/')) return 'other_api';
  return 'ui';
}

const INGESTION_PATHS = new Set(['/api/public/ingestion', '/api/public/otel/v1/traces']);

export interface OpsMetrics {
  /** Counts and times every request; register before the routes. */
  middleware: MiddlewareHandler<AppEnv>;
  /** The current exposition text (reads the gauges first). */
  render(): Promise<string>;
}

/** The process's operational metrics for `GET /metrics`. */
export function createOpsMetrics(deps: Pick<AppDeps, 'storage' | 'ingestor' | 'version'>): OpsMetrics {
  const r = new Registry();
  const buildInfo = r.register(new Gauge('sightline_build_info', 'Always 1; the version is a label.'));
  const accepted = r.register(new Counter('sightline_ingestion_events_accepted_total', 'Events committed to storage (every ingestion path: batch, OTLP, legacy, UI).'));
  const rejected = r.register(
    new Counter('sightline_ingestion_events_rejected_total', 'Events refused by the batch and OTLP endpoints, by reason status (400 invalid, 401 scope, 503 overloaded or storage down, ...).'),
  );
  const ingestRequests = r.register(new Counter('sightline_ingestion_requests_total', 'Requests to the ingestion endpoints (batch and OTLP traces) by response status.'));
  const commits = r.register(new Histogram('sightline_ingestion_commit_duration_seconds', 'Duration of the ingestion commits (one transaction per group of requests).', COMMIT_BUCKETS));
  const queue = r.register(new Gauge('sightline_ingestion_queue_events', 'Events accepted and waiting for a commit.'));
  const requests = r.register(new Counter('sightline_http_requests_total', 'HTTP requests by route group and status class.'));
  const duration = r.register(new Histogram('sightline_http_request_duration_seconds', 'HTTP request latency by route group.', LATENCY_BUCKETS));
  const errors = r.register(new Counter('sightline_http_errors_total', 'HTTP responses with a 5xx status, by route group.'));
  const ready = r.register(new Gauge('sightline_database_ready', '1 when the database answers a ping, 0 otherwise.'));
  const rss = r.register(new Gauge('process_resident_memory_bytes', 'Resident set size of the process.'));
  const heapUsed = r.register(new Gauge('nodejs_heap_used_bytes', 'V8 heap in use.'));
  const heapTotal = r.register(new Gauge('nodejs_heap_total_bytes', 'V8 heap allocated.'));
  const uptime = r.register(new Gauge('process_uptime_seconds', 'Seconds since the process started.'));

  buildInfo.set(1, { version: deps.version });
  accepted.touch();
  commits.touch();
  errors.touch({ group: 'ingestion' });

  deps.ingestor.onCommit((items, info) => {
    accepted.inc({}, items.reduce((n, item) => n + item.events.length, 0));
    commits.observe(info.seconds);
  });

  const dbReady = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      });
      await Promise.race([deps.storage.ping(), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async middleware(c, next) {
      const started = performance.now();
      try {
        await next();
      } finally {
        // A thrown error reaching here was not rendered by onError: it becomes a 500.
        const status = c.finalized ? c.res.status : 500;
        const group = routeGroup(c.req.path);
        requests.inc({ group, code: `${Math.floor(status / 100)}xx` });
        duration.observe((performance.now() - started) / 1000, { group });
        if (status >= 500) errors.inc({ group });
        if (c.req.method === 'POST' && INGESTION_PATHS.has(c.req.path)) {
          ingestRequests.inc({ status: String(status) });
          const outcome = c.get('ingestion') as AppEnv['Variables']['ingestion'] | undefined;
          for (const s of outcome?.errorStatuses ?? []) rejected.inc({ status: String(s) });
          // The whole request refused after validation (overloaded, storage down): its valid events too.
          if (outcome && status >= 400 && outcome.events > 0) rejected.inc({ status: String(status) }, outcome.events);
        }
      }
    },
    async render() {
      queue.set(deps.ingestor.queuedEvents);
      ready.set((await dbReady()) ? 1 : 0);
      const mem = process.memoryUsage();
      rss.set(mem.rss);
      heapUsed.set(mem.heapUsed);
      heapTotal.set(mem.heapTotal);
      uptime.set(Math.round(process.uptime() * 1000) / 1000);
      return r.render();
    },
  };
}
