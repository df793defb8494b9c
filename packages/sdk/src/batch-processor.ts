import { SightlineError } from './errors.js';
import type { Exporter } from './exporter.js';
import { BoundedQueue } from './queue.js';
import { sleep } from './retry.js';

/** Tuning of a {@link BatchProcessor}. */
export interface BatchProcessorOptions {
  exporter: Exporter;
  onError: (error: SightlineError) => void;
  /** Send as soon as this many events are queued. */
  flushAt: number;
  /** Otherwise send this long after the first queued event (an unref'd timer). */
  flushIntervalMs: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  /** Pause after a batch failed in a way a retry could fix; doubles up to 60 s (default 2 000 ms). */
  retryLaterMs?: number;
}

/**
 * Counters of a processor, for health checks and tests.
 * @example `if (sightline.stats.dropped > 0) alert('tracing queue overflowed');`
 */
export interface ProcessorStats {
  queued: number;
  inFlight: number;
  /** Events refused: queue full, too large, or sent after shutdown. */
  dropped: number;
  /** Events delivered in a 2xx answer (per-event rejections included). */
  sent: number;
}

const MAX_RETRY_LATER_MS = 60_000;

/**
 * Queue → batch → exporter, with exactly one request in flight. Events are sent when `flushAt`
 * are queued or `flushIntervalMs` after the first one; a batch that failed retryably goes back
 * to the head of the queue and is tried again after a growing pause, so a server outage costs
 * bounded memory and loses nothing that fits in the bounds.
 */
export class BatchProcessor {
  private readonly queue: BoundedQueue;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<void> | undefined;
  private abortInflight: AbortController | undefined;
  private pumpScheduled = false;
  private coolingUntil = 0;
  private retryLater: number;
  private warnedFull = false;
  private closed = false;
  private shutdownPromise: Promise<boolean> | undefined;
  private sent = 0;
  private refused = 0;

  constructor(private readonly o: BatchProcessorOptions) {
    this.queue = new BoundedQueue({ maxEvents: o.maxQueueEvents, maxBytes: o.maxQueueBytes });
    this.retryLater = o.retryLaterMs ?? 2_000;
  }

  get stats(): ProcessorStats {
    return { queued: this.queue.length, inFlight: this.queue.inFlight, dropped: this.queue.dropped + this.refused, sent: this.sent };
  }

  /** Queues one serialised event. Never throws; a refused event is counted and reported once. */
  enqueue(item: string): void {
    if (this.closed) {
      this.refused++;
      return;
    }
    if (item.length > this.o.maxBatchBytes) {
      this.refused++;
      this.o.onError(new SightlineError('event_too_large', `an event of ${item.length} bytes exceeds maxBatchBytes (${this.o.maxBatchBytes}); dropped`));
      return;
    }
    if (!this.queue.push(item)) {
      if (!this.warnedFull) {
        this.warnedFull = true;
        const { maxQueueEvents, maxQueueBytes } = this.o;
        this.o.onError(new SightlineError('queue_full', `queue full (${maxQueueEvents} events / ${maxQueueBytes} bytes); dropping new events — see stats.dropped`));
      }
      return;
    }
    if (this.queue.length >= this.o.flushAt) this.schedulePump();
    else if (this.timer === undefined) this.setTimer(this.o.flushIntervalMs);
  }

  /**
   * Sends everything queued, waiting out retries, until the queue is empty or `timeoutMs`
   * passes. Resolves true when drained; never rejects.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length + this.queue.inFlight > 0) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      if (this.inflight) await raceTimeout(this.inflight, left);
      else if (Date.now() < this.coolingUntil) await sleep(Math.min(left, this.coolingUntil - Date.now()));
      else this.pump();
    }
    const pending = this.queue.length + this.queue.inFlight;
    if (pending > 0) this.o.onError(new SightlineError('flush_timeout', `flush gave up after ${timeoutMs} ms with ${pending} events not delivered`, { events: pending }));
    return pending === 0;
  }

  /** Stops accepting events and flushes. Idempotent: later calls return the first call's promise. */
  shutdown(timeoutMs: number): Promise<boolean> {
    this.shutdownPromise ??= (async () => {
      this.closed = true;
      const drained = await this.flush(timeoutMs);
      this.clearTimer();
      this.abortInflight?.abort(new Error('shutdown timed out'));
      return drained;
    })();
    return this.shutdownPromise;
  }

  /** Defers the send to a microtask so the tracing call that crossed `flushAt` returns at once. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.inflight || this.queue.length === 0) return;
    const wait = this.coolingUntil - Date.now();
    if (wait > 0) return this.setTimer(wait);
    this.clearTimer();
    const batch = this.queue.take(this.o.maxBatchEvents, this.o.maxBatchBytes);
    const abort = new AbortController();
    this.abortInflight = abort;
    this.inflight = this.o.exporter
      .export(batch.items, abort.signal)
      .then((result) => {
        const requeue = result === 'retry-later';
        this.queue.settle(batch, requeue && !abort.signal.aborted);
        if (result === 'delivered') this.sent += batch.items.length;
        if (requeue) {
          this.coolingUntil = Date.now() + this.retryLater;
          this.retryLater = Math.min(MAX_RETRY_LATER_MS, this.retryLater * 2);
        } else {
          this.coolingUntil = 0;
          this.retryLater = this.o.retryLaterMs ?? 2_000;
        }
      })
      .catch((e: unknown) => {
        this.queue.settle(batch, false);
        this.o.onError(new SightlineError('internal', `exporter failed: ${String(e)}`, { cause: e }));
      })
      .finally(() => {
        this.inflight = undefined;
        this.abortInflight = undefined;
        if (this.queue.length >= this.o.flushAt) this.pump();
        else if (this.queue.length > 0 && this.timer === undefined) this.setTimer(this.o.flushIntervalMs);
      });
  }

  private setTimer(ms: number): void {
    this.clearTimer();
    const timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
    // A pending batch must not keep the host process alive; flush() is how to wait for it.
    if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
    this.timer = timer;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

async function raceTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
