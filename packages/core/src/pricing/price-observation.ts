import type { ObservationRecord } from '../domain/records.js';
import { builtinModels } from './builtin-models.js';
import { calculateCost } from './calculate-cost.js';
import { matchModel } from './match-model.js';
import type { ModelPrice } from './model-price.js';

/**
 * Sets the effective usage and cost of a merged observation from its model (project models
 * before built-ins). Runs after every merge, so a later update that changes the model or the
 * usage recomputes the cost.
 */
export function priceObservation(o: ObservationRecord, projectModels: ModelPrice[]): ObservationRecord {
  const model = o.model ? matchModel(o.model, projectModels, builtinModels()) : null;
  const result = calculateCost(model, {
    providedUsage: o.providedUsageDetails,
    providedCost: o.providedCostDetails,
    level: o.level,
    input: o.input,
    output: o.output,
    ended: o.endTime !== null,
    modelParameters: o.modelParameters,
    metadata: o.metadata,
  });
  const defaultPrices = model?.pricingTiers.find((t) => t.isDefault)?.prices;
  return {
    ...o,
    usageDetails: result.usageDetails,
    costDetails: result.costDetails,
    totalCost: result.totalCost,
    modelId: model?.id ?? null,
    pricingTierId: result.tierId,
    pricingTierName: result.tierName,
    inputPrice: model ? (defaultPrices?.input ?? 0) : null,
    outputPrice: model ? (defaultPrices?.output ?? 0) : null,
    totalPrice: model ? (defaultPrices?.total ?? 0) : null,
  };
}
