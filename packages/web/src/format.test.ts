import { describe, expect, it } from 'vitest';
import { formatCost, formatPageOf } from './format.js';

describe('formatCost', () => {
  it('shows tiny costs as money, with two significant digits, never in exponent notation', () => {
    expect(formatCost(0.000045)).toBe('$0.000045');
    expect(formatCost(0.00000012)).toBe('$0.00000012');
    expect(formatCost(4.5e-5)).not.toMatch(/e/);
    expect(formatCost(1e-13)).toBe('$0');
  });

  it('keeps cents for a dollar and more, and six decimals below', () => {
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(1234.5)).toBe('$1234.50');
    expect(formatCost(0.1234567)).toBe('$0.123457');
    expect(formatCost(0.5)).toBe('$0.5');
    expect(formatCost(null)).toBe('–');
  });

  it('signs negative amounts (corrections) in front of the dollar sign', () => {
    expect(formatCost(-0.000045)).toBe('-$0.000045');
    expect(formatCost(-2)).toBe('-$2.00');
  });
});

describe('formatPageOf', () => {
  it('shows an exact total as it is and marks an estimated one', () => {
    expect(formatPageOf(2, 50, 120)).toBe('Page 2 of 3 (120)');
    expect(formatPageOf(1, 50, 0)).toBe('Page 1 of 1 (0)');
    expect(formatPageOf(3, 50, 201_000, true)).toBe('Page 3 of about 4,020 (about 201,000)');
  });
});
