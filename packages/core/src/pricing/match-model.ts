import type { ModelPrice } from './model-price.js';

const compiled = new Map<string, RegExp | null>();

/** Compiles a match pattern once; `(?i)` prefixes are dropped and matching is always case-insensitive. */
export function patternRegex(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern.replace(/^\(\?i\)/, ''), 'i');
    } catch {
      re = null;
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * Finds the model for a generation's model name: project models before built-ins, then the
 * newest start date (models without one last), as langfuse-compat.md §6 describes.
 */
export function matchModel(modelName: string, projectModels: ModelPrice[], builtins: ModelPrice[]): ModelPrice | null {
  let best: ModelPrice | null = null;
  for (const m of projectModels) {
    if (!patternRegex(m.matchPattern)?.test(modelName)) continue;
    if (!best || (m.startDate ?? -Infinity) > (best.startDate ?? -Infinity)) best = m;
  }
  if (best) return best;
  return matchBuiltin(modelName, builtins);
}

const builtinMatches = new WeakMap<ModelPrice[], Map<string, ModelPrice | null>>();

/** Built-ins never change at run time, so each model name is matched against them once. */
function matchBuiltin(modelName: string, builtins: ModelPrice[]): ModelPrice | null {
  let cache = builtinMatches.get(builtins);
  if (!cache) builtinMatches.set(builtins, (cache = new Map()));
  const hit = cache.get(modelName);
  if (hit !== undefined) return hit;
  let best: ModelPrice | null = null;
  for (const m of builtins) {
    if (!patternRegex(m.matchPattern)?.test(modelName)) continue;
    if (!best || (m.startDate ?? -Infinity) > (best.startDate ?? -Infinity)) best = m;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(modelName, best);
  return best;
}
