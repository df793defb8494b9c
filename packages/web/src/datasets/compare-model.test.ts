import { describe, expect, it } from 'vitest';
import type { ComparisonCell, ComparisonRow, RunComparisonResponse } from '../types.js';
import { delta, histogram, outputDiffers, parseSort, sortParam, sortRows } from './compare-model.js';

const cell = (output: string, scores: Record<string, number>, latencyMs = 100): ComparisonCell => ({
  traceId: 't', observationId: null, output: { text: output, length: output.length }, latencyMs, totalCost: 0,
  scores: Object.entries(scores).map(([name, value]) => ({ name, value, label: null })),
});
const row = (itemId: string, ...cells: (ComparisonCell | null)[]): ComparisonRow => ({
  itemId, status: 'ACTIVE', input: { text: null, length: 0 }, expectedOutput: { text: null, length: 0 }, cells,
});

describe('run comparison model', () => {
  const rows = [
    row('a', cell('x', { acc: 0.5 }), cell('x', { acc: 0.6 })),
    row('b', cell('x', { acc: 0.9 }), cell('y', { acc: 0.1 }, 300)),
    row('c', cell('x', {}), cell('x', { acc: 1 })),
    row('d', cell('x', { acc: 0 }), cell('z', { acc: 1 })),
  ];

  it('takes deltas against the first run and sorts by them, rows without one last', () => {
    expect(delta(rows[1], 'score:acc', 1)).toBeCloseTo(-0.8);
    expect(delta(rows[2], 'score:acc', 1)).toBeNull();
    expect(delta(rows[1], 'latency', 1)).toBe(200);
    expect(sortRows(rows, { metric: 'score:acc', run: 1 }, false).map((r) => r.itemId)).toEqual(['d', 'a', 'b', 'c']);
    expect(sortRows(rows, { metric: 'score:acc', run: 1 }, true).map((r) => r.itemId)).toEqual(['b', 'a', 'd', 'c']);
    expect(sortRows(rows, null, true)).toBe(rows);
  });

  it('round-trips the sort through the URL and refuses a run that is not compared', () => {
    expect(parseSort(sortParam({ metric: 'score:a@b', run: 1 }), 2)).toEqual({ metric: 'score:a@b', run: 1 });
    expect(parseSort('score:acc@0', 2)).toBeNull();
    expect(parseSort('score:acc@5', 2)).toBeNull();
    expect(parseSort(null, 2)).toBeNull();
  });

  it('marks outputs that differ from the baseline', () => {
    expect(rows.map((r) => outputDiffers(r, 1))).toEqual([false, true, false, true]);
    expect(outputDiffers(row('e', cell('x', {}), null), 1)).toBe(false);
  });

  it('counts score values per run by value, by label, or in ten bins', () => {
    const data = { runs: [{ name: 'base' }, { name: 'next' }], rows } as unknown as RunComparisonResponse;
    const h = histogram(data, 'acc');
    expect(h.runNames).toEqual(['1. base', '2. next']);
    expect(h.bins.find((b) => b.bin === '1')).toEqual({ bin: '1', '1. base': 0, '2. next': 2 });
    const many = { runs: [{ name: 'r' }, { name: 's' }], rows: Array.from({ length: 20 }, (_, i) => row(String(i), cell('', { v: i }), null)) } as unknown as RunComparisonResponse;
    const bins = histogram(many, 'v').bins;
    expect(bins).toHaveLength(10);
    expect(bins.reduce((n, b) => n + Number(b['1. r']), 0)).toBe(20);
    const labels = { runs: [{ name: 'r' }], rows: [row('1', { ...cell('', {}), scores: [{ name: 'tone', value: 0, label: 'rude' }] })] } as unknown as RunComparisonResponse;
    expect(histogram(labels, 'tone').bins).toEqual([{ bin: 'rude', '1. r': 1 }]);
  });
});
