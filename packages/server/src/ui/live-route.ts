import type { Storage } from '@sightline/storage';
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveHub } from './live.js';
import type { UiEnv } from './ui-env.js';

const TICK_MS = 1000;
const KEEPALIVE_MS = 15_000;
const MAX_IDS = 200;

/** False once the Node server has stopped listening (shutdown): open streams end so it can close. */
function serverListening(c: Context): boolean {
  const env = c.env as { incoming?: { socket?: { server?: { listening?: boolean } } } } | undefined;
  return env?.incoming?.socket?.server?.listening !== false;
}

/**
 * Live mode: a server-sent event `traces` ({traceIds}) whenever commits touch the project's
 * traces. Commits of this process arrive at once through the hub; with a database shared by
 * several instances the stream also polls the newest trace update time every second, so
 * other instances' commits show up too.
 */
export function registerLiveRoute(ui: Hono<UiEnv>, storage: Storage, hub: LiveHub): void {
  ui.get('/projects/:projectId/live', (c) => {
    const { projectId } = c.get('member');
    const shared = storage.capabilities.sharedByInstances;
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const pending = new Set<string>();
      let wake: (() => void) | null = null;
      let closed = false;
      const unsubscribe = hub.subscribe(projectId, (ids) => {
        for (const id of ids) if (pending.size < MAX_IDS) pending.add(id);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        let marker = shared ? await storage.traces.updatedAt(projectId) : 0;
        let lastWrite = Date.now();
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 1000 });
        while (!closed && serverListening(c)) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, TICK_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          let changed = pending.size > 0;
          const traceIds = [...pending];
          pending.clear();
          if (shared && !closed) {
            const now = await storage.traces.updatedAt(projectId);
            if (now > marker) changed = true;
            marker = Math.max(marker, now);
          }
          if (closed) break;
          if (changed) {
            await stream.writeSSE({ event: 'traces', data: JSON.stringify({ traceIds }) });
            lastWrite = Date.now();
          } else if (Date.now() - lastWrite > KEEPALIVE_MS) {
            await stream.write(': keepalive\n\n');
            lastWrite = Date.now();
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
