import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '@sightline/core';
import type { Storage } from '@sightline/storage';
import type { Hono } from 'hono';
import { readBody } from '../evaluation/read-body.js';
import type { Ingestor } from '../ingest/ingestor.js';
import type { ChatParams, ChatResult, ChatStreamEvent } from '../llm/chat-adapter.js';
import { adapterFor, type LlmDeps } from '../llm/llm-deps.js';
import type { Logger } from '../logger.js';
import { recordPlaygroundRun, type PlaygroundRun } from '../playground/record-run.js';
import { createRunLimiter, type RunLimiter } from '../playground/run-limiter.js';
import { runBody } from '../playground/run-schema.js';
import type { PlaygroundRunDone } from './api-types.js';
import { requireRole, requireUser } from './guard.js';
import type { UiEnv } from './ui-env.js';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const sseEvent = (event: string, data: unknown) => new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * The playground's run: members send a chat prompt to one of the project's connections and get
 * the answer as a text/event-stream (`delta` per token, then `done` or `error`). Closing the
 * response aborts the provider call. Every run, failed and cancelled ones too, is recorded as a
 * `playground` trace. A provider that refuses before answering is a 502 naming its message.
 */
export function registerPlaygroundRoutes(ui: Hono<UiEnv>, deps: { storage: Storage; ingestor: Ingestor; logger: Logger; llm: LlmDeps | undefined; limiter?: RunLimiter }): void {
  const { storage, ingestor, logger, llm } = deps;
  const limiter = deps.limiter ?? createRunLimiter();

  ui.post('/projects/:projectId/playground/run', async (c) => {
    const user = requireUser(c);
    const { projectId } = requireRole(c, 'member');
    if (!llm) throw new AppError(404, 'not_found', 'LLM connections are not enabled on this server');
    const body = await readBody(c, runBody);
    const connection = await storage.llmConnections.get(projectId, body.connectionId);
    if (!connection) throw notFound(`connectionId: LLM connection ${body.connectionId} not found`);
    const release = limiter.acquire(user.id);

    const params: ChatParams = {
      model: body.model,
      ...(body.temperature != null && { temperature: body.temperature }),
      ...(body.maxTokens != null && { maxTokens: body.maxTokens }),
      ...(body.topP != null && { topP: body.topP }),
    };
    const modelParameters: Record<string, number> = {
      ...(params.temperature !== undefined && { temperature: params.temperature }),
      ...(params.maxTokens !== undefined && { max_tokens: params.maxTokens }),
      ...(params.topP !== undefined && { top_p: params.topP }),
    };
    const ctrl = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => ctrl.abort(), { once: true });
    const run: PlaygroundRun = {
      projectId, traceId: randomUUID(), userEmail: user.email, connection: { provider: connection.provider, adapter: connection.adapter },
      model: body.model, answeredModel: null, modelParameters, messages: body.messages, output: '', usage: null,
      startTime: Date.now(), firstTokenAt: null, endTime: 0, prompt: body.prompt ?? null, problem: null,
    };
    const record = () => recordPlaygroundRun(storage, ingestor, logger, { ...run, endTime: run.endTime || Date.now() }).catch((err: unknown) => {
      logger.error('playground run could not be recorded', { error: messageOf(err) });
      return null;
    });

    // The first event is awaited before answering, so a refusal (bad key, unknown model, SSRF) is a plain error response.
    let events: AsyncIterator<ChatStreamEvent>;
    let step: IteratorResult<ChatStreamEvent>;
    try {
      events = adapterFor(llm, connection).stream(body.messages, params, ctrl.signal)[Symbol.asyncIterator]();
      step = await events.next();
    } catch (err) {
      release();
      if (err instanceof AppError) throw err;
      run.problem = { level: ctrl.signal.aborted ? 'WARNING' : 'ERROR', message: ctrl.signal.aborted ? 'cancelled by the user' : messageOf(err) };
      await record();
      throw new AppError(502, 'provider_error', `The provider call failed: ${run.problem.message}`);
    }

    let result: ChatResult | null = null;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (event: string, data: unknown) => {
          try {
            controller.enqueue(sseEvent(event, data));
          } catch {
            // the browser has gone (cancelled): the run is still recorded below
          }
        };
        const pump = async () => {
          try {
            for (; !step.done; step = await events.next()) {
              const e = step.value;
              if (e.type === 'done') {
                result = e.result;
                continue;
              }
              run.firstTokenAt ??= Date.now();
              run.output += e.text;
              send('delta', { text: e.text });
            }
          } catch (err) {
            run.problem = ctrl.signal.aborted ? { level: 'WARNING', message: 'cancelled by the user' } : { level: 'ERROR', message: messageOf(err) };
          } finally {
            release();
          }
          const done = result;
          if (done) {
            run.output = done.text;
            run.usage = done.usage;
            if (done.model !== body.model) run.answeredModel = done.model;
          }
          const end = (run.endTime = Date.now());
          const cost = await record();
          if (run.problem) send('error', { message: run.problem.message, traceId: run.traceId });
          else {
            send('done', {
              traceId: run.traceId, model: body.model, text: run.output, usage: run.usage, cost,
              latency: { firstTokenMs: run.firstTokenAt === null ? null : run.firstTokenAt - run.startTime, totalMs: end - run.startTime },
            } satisfies PlaygroundRunDone);
          }
          try {
            controller.close();
          } catch {
            // already cancelled
          }
        };
        void pump();
      },
      cancel() {
        ctrl.abort();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
  });
}
