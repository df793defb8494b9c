import { ApiError, writeHeaders } from '../api.js';
import type { PlaygroundRunDone, PlaygroundRunRequest } from '../types.js';

/** A run the server answered with an `error` event: the message, and the trace that recorded it. */
export class RunError extends Error {
  constructor(
    message: string,
    readonly traceId: string | null,
  ) {
    super(message);
  }
}

/**
 * Posts a playground run and reads its text/event-stream: `onDelta` gets each piece of text as
 * it arrives; resolves with the `done` event, rejects with a RunError (provider failed mid-way),
 * an ApiError (refused before streaming) or an AbortError when `signal` aborts.
 */
export async function streamRun(projectId: string, body: PlaygroundRunRequest, signal: AbortSignal, onDelta: (text: string) => void): Promise<PlaygroundRunDone> {
  const res = await fetch(`/api/ui/projects/${encodeURIComponent(projectId)}/playground/run`, {
    method: 'POST', headers: writeHeaders(), credentials: 'same-origin', body: JSON.stringify(body), signal,
  });
  if (!res.ok || !res.body) {
    const text = await res.text();
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the status line
    }
    throw new ApiError(res.status, message);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || data === undefined) continue;
      const parsed = JSON.parse(data) as Record<string, unknown>;
      if (event === 'delta') onDelta(String(parsed.text ?? ''));
      else if (event === 'done') return parsed as unknown as PlaygroundRunDone;
      else if (event === 'error') throw new RunError(String(parsed.message), typeof parsed.traceId === 'string' ? parsed.traceId : null);
    }
  }
  throw new RunError('The answer ended before the run finished', null);
}
