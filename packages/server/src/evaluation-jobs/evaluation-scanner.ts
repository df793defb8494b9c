import type { EvaluationRuleRecord, EvaluationWatermark, Storage } from '@sightline/storage';
import { enqueueJob } from '../jobs/enqueue.js';
import type { Logger } from '../logger.js';
import { EVALUATION, evaluationKey, type EvaluationPayload, type EvaluatorSource } from './evaluation-kind.js';
import { isInternalEnvironment, matchesOnArrival, sampled } from './rule-match.js';

export interface EvaluationScannerOptions {
  storage: Storage;
  logger: Logger;
  evaluators: EvaluatorSource;
  /** This process's name in scan leases. */
  owner: string;
  /** Called after jobs were queued (the runner's wake). */
  onQueued?: () => void;
  /** Pause between scans (default 2 s). */
  intervalMs?: number;
  /**
   * How far behind the clock a scan ends (default 2 s): a PostgreSQL sequence value is taken
   * before its transaction commits, so the newest moments of the log are left for the next scan.
   */
  settleMs?: number;
  /** How long a rule's scan lease lasts if its holder dies (default 60 s). */
  leaseMs?: number;
  /** Event-log rows (or run items) read per rule and scan at most; the watermark moves as far as they reach. */
  maxPerScan?: number;
  now?: () => number;
}

export interface EvaluationScanner {
  /** One pass over every active rule; resolves with the jobs it created. */
  scan(): Promise<number>;
  stop(): Promise<void>;
}

const PAGE = 1000;

/**
 * Queues each new target of each active rule once: reads what arrived since the rule's watermark
 * (traces and observations from the event log, run items by creation time), keeps the sampled
 * ones whose own fields match the rule's filter (see `matchesOnArrival`), and enqueues an
 * `evaluation` job per target with the idempotency key `eval:<rule>:<target>` to run after the
 * rule's delay (so updates can arrive; the whole filter is checked again then). The rule's
 * scan lease keeps instances from scanning the same rule at once, and the key makes a target
 * queued twice (a scan that died before moving its watermark) one job anyway.
 */
export function createEvaluationScanner(options: EvaluationScannerOptions): EvaluationScanner & { start(): void } {
  const { storage, logger } = options;
  const clock = options.now ?? Date.now;
  const maxPerScan = options.maxPerScan ?? 20_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = false;

  async function enqueue(rule: EvaluationRuleRecord, provider: string | null, targetId: string, firstSeen: number): Promise<boolean> {
    const payload: EvaluationPayload = { ruleId: rule.id, target: rule.target, targetId, provider, evaluatorId: rule.evaluatorId };
    const { created } = await enqueueJob(storage, {
      projectId: rule.projectId, kind: EVALUATION, payload, idempotencyKey: evaluationKey(rule.id, targetId), runAt: firstSeen + rule.delayMs,
    });
    return created;
  }

  /** New traces or observations from the event log; returns the jobs created and the watermark reached. */
  async function scanLog(rule: EvaluationRuleRecord, provider: string | null, mark: EvaluationWatermark, windowEnd: number): Promise<[number, EvaluationWatermark]> {
    const toSeq = Math.max(mark.seq, await storage.evaluationRuns.horizon(windowEnd));
    let from = mark.seq;
    let created = 0;
    let read = 0;
    while (from < toSeq && read < maxPerScan) {
      const page = await storage.evaluationRuns.changes(rule.projectId, rule.target === 'observation' ? 'observation' : 'trace', from, toSeq, PAGE);
      read += PAGE;
      const ids = page.ids.filter((id) => sampled(rule.id, id, rule.sampling));
      const targets = rule.target === 'observation'
        ? (await Promise.all(ids.map((id) => storage.observations.get(rule.projectId, id)))).filter((o) => o !== null).map((o) => ({ record: o, observation: o, trace: null }))
        : (await storage.traces.getMany(rule.projectId, ids)).map((t) => ({ record: t, trace: t, observation: null }));
      for (const { record, trace, observation } of targets) {
        // Targets that existed before the rule are for bulk runs, not for the rule's new-target queue.
        if (record.createdAt < rule.createdAt || isInternalEnvironment(record.environment)) continue;
        if (!matchesOnArrival(rule, { trace, observation })) continue;
        if (await enqueue(rule, provider, record.id, record.createdAt)) created++;
      }
      from = page.lastSeq;
      if (page.done) break;
    }
    return [created, { ...mark, seq: from }];
  }

  /** New run items of experiments. */
  async function scanRunItems(rule: EvaluationRuleRecord, provider: string | null, mark: EvaluationWatermark, windowEnd: number): Promise<[number, EvaluationWatermark]> {
    let at = { at: mark.at, id: mark.id };
    let created = 0;
    for (let read = 0; read < maxPerScan; read += PAGE) {
      const items = await storage.evaluationRuns.runItemsAfter(rule.projectId, at, windowEnd, PAGE);
      for (const item of items) {
        if (!sampled(rule.id, item.id, rule.sampling) || !matchesOnArrival(rule, { datasetId: item.datasetId })) continue;
        if (await enqueue(rule, provider, item.id, item.createdAt)) created++;
      }
      if (items.length > 0) at = { at: items[items.length - 1].createdAt, id: items[items.length - 1].id };
      if (items.length < PAGE) break;
    }
    return [created, { ...mark, at: at.at, id: at.id }];
  }

  async function scanRule(rule: EvaluationRuleRecord): Promise<number> {
    const evaluator = await options.evaluators.getEvaluator(rule.projectId, rule.evaluatorId);
    if (!evaluator) return 0;
    const now = clock();
    const start = { seq: await storage.evaluationRuns.horizon(rule.createdAt), at: rule.createdAt };
    const mark = await storage.evaluationRuns.claim(rule.projectId, rule.id, options.owner, now, options.leaseMs ?? 60_000, start);
    if (!mark) return 0;
    try {
      const windowEnd = now - (options.settleMs ?? 2_000);
      const [created, reached] = rule.target === 'experiment'
        ? await scanRunItems(rule, evaluator.provider, mark, windowEnd)
        : await scanLog(rule, evaluator.provider, mark, windowEnd);
      await storage.evaluationRuns.advance(reached, options.owner, clock());
      return created;
    } catch (err) {
      await storage.evaluationRuns.release(rule.projectId, rule.id, options.owner);
      throw err;
    }
  }

  async function scan(): Promise<number> {
    let created = 0;
    for (const rule of await options.evaluators.activeRules()) {
      if (stopped) break;
      try {
        created += await scanRule(rule);
      } catch (err) {
        logger.error('evaluation scan failed', { projectId: rule.projectId, ruleId: rule.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (created > 0) options.onQueued?.();
    return created;
  }

  return {
    scan,
    start() {
      if (timer || stopped) return;
      timer = setInterval(() => {
        if (running) return;
        running = scan()
          .catch((err: unknown) => logger.error('evaluation scan failed', { error: String(err) }))
          .finally(() => {
            running = null;
          });
      }, options.intervalMs ?? 2_000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
