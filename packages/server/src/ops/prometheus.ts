/**
 * A minimal Prometheus registry and text exposition (format 0.0.4): counters, gauges and
 * histograms with labels. Label sets must stay small and fixed — callers pass bounded values
 * (route groups, status codes), never ids or paths.
 */

export type Labels = Record<string, string>;

interface Metric {
  readonly name: string;
  render(): string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** Formats a sample value the way Prometheus parses it (`+Inf`, `-Inf`, `NaN`). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}`;
}

/** Stable key of a label set (keys sorted), to find its series. */
function keyOf(labels: Labels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

function checkLabels(labels: Labels): void {
  for (const k of Object.keys(labels)) if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`invalid label name ${k}`);
}

abstract class Family<S> implements Metric {
  protected readonly series = new Map<string, { labels: Labels; state: S }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
  }
  protected abstract initial(): S;
  protected abstract samples(labels: Labels, state: S): string[];
  protected get(labels: Labels): S {
    const key = keyOf(labels);
    let entry = this.series.get(key);
    if (!entry) {
      checkLabels(labels);
      entry = { labels: { ...labels }, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, state } of this.series.values()) lines.push(...this.samples(labels, state));
    return lines;
  }
}

export class Counter extends Family<{ value: number }> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  protected initial() {
    return { value: 0 };
  }
  protected samples(labels: Labels, s: { value: number }) {
    return [`${this.name}${labelText(labels)} ${formatValue(s.value)}`];
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    this.get(labels).value += by;
  }
  /** Makes a series visible at 0 before anything happened. */
  touch(labels: Labels = {}): void {
    this.get(labels);
  }
}

/** A gauge whose value is read when the metrics are rendered. */
export class Gauge extends Family<{ value: number }> {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  protected initial() {
    return { value: 0 };
  }
  protected samples(labels: Labels, s: { value: number }) {
    return [`${this.name}${labelText(labels)} ${formatValue(s.value)}`];
  }
  set(value: number, labels: Labels = {}): void {
    this.get(labels).value = value;
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Family<HistogramState> {
  readonly buckets: number[];
  constructor(name: string, help: string, buckets: number[]) {
    super(name, help, 'histogram');
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }
  protected samples(labels: Labels, s: HistogramState) {
    const lines = this.buckets.map((le, i) => `${this.name}_bucket${labelText({ ...labels, le: formatValue(le) })} ${s.counts[i]}`);
    lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`);
    lines.push(`${this.name}_sum${labelText(labels)} ${formatValue(s.sum)}`);
    lines.push(`${this.name}_count${labelText(labels)} ${s.count}`);
    return lines;
  }
  /** Records one observation (cumulative buckets: every bucket whose bound is >= value). */
  observe(value: number, labels: Labels = {}): void {
    const s = this.get(labels);
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) s.counts[i]++;
    s.sum += value;
    s.count++;
  }
  touch(labels: Labels = {}): void {
    this.get(labels);
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  register<M extends Metric>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} registered twice`);
    this.metrics.push(metric);
    return metric;
  }
  /** The text exposition, ending with a newline. */
  render(): string {
    return this.metrics.flatMap((m) => m.render()).join('\n') + '\n';
  }
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
