import { processOwner, runScheduledExport, type ScheduledExportDeps } from './scheduled-export.js';

export interface ExportScheduler {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs due scheduled exports inside the server: every `intervalMs` (default one minute) it asks
 * storage for due schedules and runs them one after another. Each run takes its schedule's lease
 * first, so with several instances on one PostgreSQL database a schedule runs on one of them.
 */
export function startExportScheduler(deps: ScheduledExportDeps, intervalMs = 60_000): ExportScheduler {
  const owner = deps.owner ?? processOwner();
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = async () => {
    const due = await deps.storage.exports.due((deps.now ?? Date.now)(), 20);
    for (const projectId of due) {
      if (stopped) return;
      try {
        await runScheduledExport({ ...deps, owner }, projectId);
      } catch (err) {
        deps.logger.error('scheduled export failed', { projectId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch((err: unknown) => deps.logger.error('scheduled export check failed', { error: String(err) }))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
