import type { BatchProcessor } from './batch-processor.js';
import { toSightlineError, type SightlineError } from './errors.js';
import { createId, safeStringify } from './ids.js';
import type { MaskFunction } from './options.js';
import type { IngestionEventType } from './types.js';

const MASK_FAILED = '<fully masked due to failed mask function>';

/**
 * What every handle shares: turns a call into one serialised ingestion event and queues it.
 * This is the whole hot path — an object literal, one JSON.stringify, one array push.
 */
export class TracerCore {
  private readonly idPrefix = createId();
  private sequence = 0;

  constructor(
    private readonly processor: BatchProcessor | undefined,
    readonly report: (error: SightlineError) => void,
    private readonly mask: MaskFunction | undefined,
    readonly environment: string | undefined,
    private readonly sampleRate: number | undefined,
    readonly baseUrl: string,
  ) {}

  /** Whether the trace with this id is recorded. Derived from the id, so every part of a trace agrees. */
  isSampled(traceId: string): boolean {
    if (this.processor === undefined) return false;
    return this.sampleRate === undefined || hashToUnit(traceId) < this.sampleRate;
  }

  /** Queues one event; `now` is the envelope timestamp (ISO). Never throws. */
  emit(type: IngestionEventType, body: object, now: string): void {
    try {
      if (this.mask !== undefined) this.applyMask(body as { input?: unknown; output?: unknown });
      // Envelope ids sort in call order, so same-millisecond events of one entity apply in order.
      const id = `${this.idPrefix}-${(this.sequence++).toString(36).padStart(10, '0')}`;
      const event = { id, type, timestamp: now, body };
      let text: string;
      try {
        text = JSON.stringify(event);
      } catch {
        text = safeStringify(event);
      }
      this.processor!.enqueue(text);
    } catch (e) {
      this.report(toSightlineError(e, `recording ${type}`));
    }
  }

  private applyMask(body: { input?: unknown; output?: unknown }): void {
    if (body.input !== undefined) body.input = this.maskValue(body.input);
    if (body.output !== undefined) body.output = this.maskValue(body.output);
  }

  private maskValue(data: unknown): unknown {
    try {
      return this.mask!({ data });
    } catch (e) {
      this.report(toSightlineError(e, 'mask function threw'));
      return MASK_FAILED;
    }
  }
}

/** FNV-1a of the string, mapped to [0, 1). Cheap and stable across processes and languages. */
export function hashToUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x100000000;
}
