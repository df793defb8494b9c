import { randomUUID } from 'node:crypto';
import type { Storage } from '@sightline/storage';
import type { Ingestor } from '../ingest/ingestor.js';
import { processBatch } from '../ingest/process-batch.js';
import { NO_SCORE_REFS } from '../ingest/score-refs.js';
import type { ChatMessage, ChatUsage } from '../llm/chat-adapter.js';
import type { Logger } from '../logger.js';

/** The environment of playground traces, so dashboards of the application's own traffic can leave them out. */
export const PLAYGROUND_ENVIRONMENT = 'sightline-playground';
export const PLAYGROUND_TRACE_NAME = 'playground';

export interface PlaygroundRun {
  projectId: string;
  traceId: string;
  userEmail: string;
  connection: { provider: string; adapter: string };
  model: string;
  /** The model the provider says answered, when it differs. */
  answeredModel: string | null;
  modelParameters: Record<string, number>;
  messages: ChatMessage[];
  output: string;
  usage: ChatUsage | null;
  startTime: number;
  firstTokenAt: number | null;
  endTime: number;
  prompt: { name: string; version: number } | null;
  /** Set when the run failed or was cancelled. */
  problem: { level: 'ERROR' | 'WARNING'; message: string } | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Records one playground call as a trace (`playground`) with one generation: model, parameters,
 * input, output, usage and the prompt version it came from, through the same validation and group
 * commit as ingested events. The cost is priced on commit (project models, then built-ins); returns
 * it, or null when the model has no price.
 */
export async function recordPlaygroundRun(storage: Storage, ingestor: Ingestor, logger: Logger, run: PlaygroundRun): Promise<number | null> {
  const generationId = randomUUID();
  const at = iso(run.endTime);
  const metadata = { connection: run.connection.provider, adapter: run.connection.adapter, startedBy: run.userEmail, ...(run.answeredModel && { answeredModel: run.answeredModel }) };
  const batch = [
    {
      id: randomUUID(), type: 'trace-create', timestamp: at,
      body: {
        id: run.traceId, name: PLAYGROUND_TRACE_NAME, timestamp: iso(run.startTime), environment: PLAYGROUND_ENVIRONMENT,
        input: run.messages, output: run.output, metadata, tags: ['playground'],
      },
    },
    {
      id: randomUUID(), type: 'generation-create', timestamp: at,
      body: {
        id: generationId, traceId: run.traceId, name: PLAYGROUND_TRACE_NAME, environment: PLAYGROUND_ENVIRONMENT,
        startTime: iso(run.startTime), endTime: at, ...(run.firstTokenAt !== null && { completionStartTime: iso(run.firstTokenAt) }),
        model: run.model, modelParameters: run.modelParameters, input: run.messages, output: run.output, metadata,
        ...(run.usage && { usageDetails: { input: run.usage.input, output: run.usage.output, total: run.usage.total } }),
        ...(run.prompt && { promptName: run.prompt.name, promptVersion: run.prompt.version }),
        ...(run.problem && { level: run.problem.level, statusMessage: run.problem.message }),
      },
    },
  ];
  const result = processBatch(batch, 'all', NO_SCORE_REFS);
  if (result.errors.length > 0) {
    // Our own events: a refusal is a bug here, logged rather than failing the user's run.
    logger.error('playground run could not be recorded', { errors: JSON.stringify(result.errors) });
    return null;
  }
  await ingestor.submit({ projectId: run.projectId, events: result.events, raw: result.raw });
  return (await storage.observations.get(run.projectId, generationId))?.totalCost ?? null;
}
