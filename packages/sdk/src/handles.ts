import { isoNow } from './clock.js';
import { toSightlineError } from './errors.js';
import { observationBody, scoreBody, traceBody } from './bodies.js';
import { createId } from './ids.js';
import type { TracerCore } from './tracer-core.js';
import type { GenerationBody, IngestionEventType, ObservationBody, ScoreBody, SpanBody, TraceBody } from './types.js';

/** Score fields when scoring through a handle: the trace (and observation) are filled in. @example `span.score({ name: 'relevance', value: 0.8 })` */
export type HandleScoreBody = Omit<ScoreBody, 'traceId' | 'sessionId'>;

/**
 * Anything observations can hang off: a trace or an observation. Children get client-side ids
 * and are queued at once; nothing waits for the server, and nothing here throws.
 * @example
 * ```ts
 * function addRetrieval(parent: ObservationParent) {
 *   return parent.span({ name: 'retrieve' });
 * }
 * ```
 */
export abstract class ObservationParent {
  /** The id of this entity (for a trace, equal to `traceId`). */
  abstract readonly id: string;

  constructor(
    protected readonly core: TracerCore,
    /** The trace everything under this handle belongs to. */
    readonly traceId: string,
    /** Whether this trace is recorded (see `sampleRate`); unsampled handles work but send nothing. */
    readonly sampled: boolean,
  ) {}

  /** The observation children attach to, or null at the trace's root. */
  protected abstract get parentId(): string | null;

  /** Starts a child span. @example `const span = trace.span({ name: 'retrieve', input: { query } });` */
  span(body: SpanBody = {}): SpanClient {
    const id = this.child('span-create', body);
    return new SpanClient(this.core, this.traceId, this.sampled, id);
  }

  /** Starts a child generation (a model call). @example `trace.generation({ name: 'llm', model: 'gpt-4o', input: messages })` */
  generation(body: GenerationBody = {}): GenerationClient {
    const id = this.child('generation-create', body);
    return new GenerationClient(this.core, this.traceId, this.sampled, id);
  }

  /** Records a point-in-time child event. @example `span.event({ name: 'cache-miss', input: { key } })` */
  event(body: ObservationBody = {}): EventClient {
    const id = this.child('event-create', body);
    return new EventClient(this.core, this.traceId, this.sampled, id);
  }

  /** Scores this trace (or this observation). @example `trace.score({ name: 'quality', value: 0.9 })` */
  score(body: HandleScoreBody): this {
    try {
      if (!this.sampled) return this;
      const now = isoNow();
      const observationId = body.observationId === undefined ? this.parentId : body.observationId;
      this.core.emit('score-create', scoreBody(body, body.id ?? createId(), this.traceId, observationId, this.core.environment), now);
    } catch (e) {
      this.core.report(toSightlineError(e, 'score()'));
    }
    return this;
  }

  private child(type: IngestionEventType, body: ObservationBody): string {
    let id: string | undefined;
    try {
      id = body.id ?? createId();
      if (!this.sampled) return id;
      const now = isoNow();
      const parentObservationId = body.parentObservationId === undefined ? this.parentId : body.parentObservationId;
      this.core.emit(type, observationBody(body, id, this.traceId, parentObservationId, body.startTime ?? now, (body as SpanBody).endTime, this.core.environment), now);
    } catch (e) {
      this.core.report(toSightlineError(e, type));
    }
    return id ?? createId();
  }
}

/**
 * A trace: the record of one request or job. Returned by `sightline.trace()`.
 * @example
 * ```ts
 * const trace = sightline.trace({ name: 'chat', userId: 'u1', sessionId: 's1', tags: ['beta'] });
 * trace.update({ output: answer });
 * ```
 */
export class TraceClient extends ObservationParent {
  get id(): string {
    return this.traceId;
  }

  protected get parentId(): null {
    return null;
  }

  /** Sets or changes trace fields (name, input, output, metadata, tags, …). */
  update(body: Omit<TraceBody, 'id'>): this {
    try {
      if (this.sampled) this.core.emit('trace-create', traceBody(body, this.traceId, body.timestamp, body.release, this.core.environment), isoNow());
    } catch (e) {
      this.core.report(toSightlineError(e, 'trace.update()'));
    }
    return this;
  }

  /** Traces have no end time; `end()` records final fields like `update()`, for symmetry with spans. */
  end(body: Omit<TraceBody, 'id'> = {}): this {
    return this.update(body);
  }

  /** A link to the trace in the Sightline UI. */
  getTraceUrl(): string {
    return `${this.core.baseUrl}/trace/${encodeURIComponent(this.traceId)}`;
  }
}

/** Shared by span, generation and event handles. */
export abstract class ObservationClient extends ObservationParent {
  constructor(core: TracerCore, traceId: string, sampled: boolean, readonly id: string) {
    super(core, traceId, sampled);
  }

  protected get parentId(): string {
    return this.id;
  }

  protected emitUpdate(type: IngestionEventType, body: GenerationBody, end: boolean): this {
    try {
      if (!this.sampled) return this;
      const now = isoNow();
      const endTime = end ? (body.endTime ?? now) : body.endTime;
      this.core.emit(type, observationBody(body, this.id, this.traceId, body.parentObservationId, body.startTime, endTime, this.core.environment), now);
    } catch (e) {
      this.core.report(toSightlineError(e, type));
    }
    return this;
  }
}

/**
 * A span: a unit of work with a duration. End it with `end()`, optionally with its output.
 * @example
 * ```ts
 * const span = trace.span({ name: 'retrieve', input: { query } });
 * span.end({ output: docs });
 * ```
 */
export class SpanClient extends ObservationClient {
  /** Changes span fields without ending it. */
  update(body: Omit<SpanBody, 'id' | 'traceId'>): this {
    return this.emitUpdate('span-update', body, false);
  }

  /** Ends the span now (or at `body.endTime`), recording any other fields given. */
  end(body: Omit<SpanBody, 'id' | 'traceId'> = {}): this {
    return this.emitUpdate('span-update', body, true);
  }
}

/**
 * A generation: a model call, with model, parameters, usage and cost.
 * @example
 * ```ts
 * const gen = trace.generation({ name: 'llm', model: 'gpt-4o', input: messages });
 * gen.end({ output: reply, usage: { input: 10, output: 5 } });
 * ```
 */
export class GenerationClient extends ObservationClient {
  /** Changes generation fields without ending it (e.g. `completionStartTime` at the first token). */
  update(body: Omit<GenerationBody, 'id' | 'traceId'>): this {
    return this.emitUpdate('generation-update', body, false);
  }

  /** Ends the generation now (or at `body.endTime`), recording output, usage and the rest. */
  end(body: Omit<GenerationBody, 'id' | 'traceId'> = {}): this {
    return this.emitUpdate('generation-update', body, true);
  }
}

/**
 * An event: a point in time. It can still carry children and scores.
 * @example `trace.event({ name: 'cache-miss', input: { key } });`
 */
export class EventClient extends ObservationClient {}
