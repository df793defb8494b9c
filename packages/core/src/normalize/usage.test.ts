import { describe, expect, it } from 'vitest';
import { buildProvidedUsage, normalizeCostDetails, normalizeUsageDetails } from './usage.js';

describe('usage normalisation', () => {
  it('adds input and output into total for the legacy usage shape', () => {
    expect(buildProvidedUsage({ input: 10, output: 5 }, undefined, undefined).usageDetails).toEqual({ input: 10, output: 5, total: 15 });
  });

  it('maps OpenAI-style promptTokens/completionTokens and drops their costs', () => {
    const r = buildProvidedUsage({ promptTokens: 512, completionTokens: 49, totalCost: 3 }, undefined, undefined);
    expect(r.usageDetails).toEqual({ input: 512, output: 49, total: 561 });
    expect(r.costDetails).toEqual({});
  });

  it('lets usageDetails override usage and does not invent a total then', () => {
    expect(buildProvidedUsage({ input: 1, output: 2 }, { input: 7 }, undefined).usageDetails).toEqual({ input: 7, output: 2 });
  });

  it('subtracts OpenAI token details from their parent counts', () => {
    const details = normalizeUsageDetails({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 30, audio_tokens: 80 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
    expect(details).toEqual({ input: 0, input_cached_tokens: 30, input_audio_tokens: 80, output: 30, output_reasoning_tokens: 20, total: 150 });
  });

  it('handles the Responses API shape', () => {
    expect(normalizeUsageDetails({ input_tokens: 10, output_tokens: 4, total_tokens: 14, input_tokens_details: { cached_tokens: 3 } })).toEqual({
      input: 7,
      input_cached_tokens: 3,
      output: 4,
      total: 14,
    });
  });

  it('keeps only non-negative integer counts in a free map', () => {
    expect(normalizeUsageDetails({ input: 4, output: -7, cached: 1.5, audio: '12', bad: 'x' })).toEqual({ input: 4, audio: 12 });
  });

  it('drops negative usage from the legacy shape', () => {
    // The negative count is removed; reads then add total as the sum of the remaining keys (4).
    expect(buildProvidedUsage({ input: 4, output: -7 }, undefined, undefined).usageDetails).toEqual({ input: 4 });
  });

  it('treats null and {} as absent', () => {
    expect(buildProvidedUsage(null, null, null)).toEqual({ usageDetails: {}, costDetails: {} });
    expect(buildProvidedUsage(undefined, {}, {})).toEqual({ usageDetails: {}, costDetails: {} });
  });

  it('keeps non-negative finite costs only', () => {
    expect(normalizeCostDetails({ input: 0.5, output: -1, total: 'x', other: 0 })).toEqual({ input: 0.5, other: 0 });
  });
});
