/** Limits of a {@link BoundedQueue}. Sizes are in UTF-16 code units of the serialised event. */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

/** A batch taken out of the queue. Its events still count against the bounds until settled. */
export interface TakenBatch {
  items: string[];
  bytes: number;
}

/**
 * A FIFO of serialised events bounded by count and by size. Events taken for sending stay
 * counted ("in flight") until the batch is settled, so putting a failed batch back can never
 * overflow the bounds and memory stays flat however long the server is away.
 */
export class BoundedQueue {
  private items: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  private inFlightEvents = 0;
  private inFlightBytes = 0;
  /** Events refused because the queue was full. */
  dropped = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Events waiting to be sent (not counting the batch in flight). */
  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  get inFlight(): number {
    return this.inFlightEvents;
  }

  /** Appends `item`; false (and `dropped` grows) when that would break a bound. */
  push(item: string): boolean {
    const size = item.length;
    if (
      this.length + this.inFlightEvents >= this.limits.maxEvents ||
      this.queuedBytes + this.inFlightBytes + size > this.limits.maxBytes
    ) {
      this.dropped++;
      return false;
    }
    this.items.push(item);
    this.queuedBytes += size;
    return true;
  }

  /**
   * Takes events from the head while the batch stays within `maxEvents` and `maxBytes`. A single
   * event larger than `maxBytes` is returned alone; the caller decides what to do with it.
   */
  take(maxEvents: number, maxBytes: number): TakenBatch {
    const out: string[] = [];
    let bytes = 0;
    while (this.head < this.items.length && out.length < maxEvents) {
      const item = this.items[this.head];
      if (out.length > 0 && bytes + item.length > maxBytes) break;
      out.push(item);
      bytes += item.length;
      this.head++;
    }
    this.compact();
    this.queuedBytes -= bytes;
    this.inFlightEvents += out.length;
    this.inFlightBytes += bytes;
    return { items: out, bytes };
  }

  /** Ends a taken batch: forgets it, or (`requeue`) puts it back at the head in its original order. */
  settle(batch: TakenBatch, requeue: boolean): void {
    this.inFlightEvents -= batch.items.length;
    this.inFlightBytes -= batch.bytes;
    if (!requeue || batch.items.length === 0) return;
    this.items = batch.items.concat(this.items.slice(this.head));
    this.head = 0;
    this.queuedBytes += batch.bytes;
  }

  /** Drops the consumed prefix once it is large, so `take` stays O(batch) without `shift()`. */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
