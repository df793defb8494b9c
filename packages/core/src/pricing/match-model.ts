import type { ModelPrice } from './model-price.js';
import { compileSafeRegex, PatternError, type SafeRegex } from './safe-regex/safe-regex.js';

const MAX_CACHED = 2000;
const compiled = new Map<string, SafeRegex | null>();
const warned = new Set<string>();

/**
 * The compiled matcher of a pattern, compiled once per pattern and case mode (model patterns
 * are always case-insensitive). Null for a pattern the safe syntax refuses, which can only be
 * one stored before patterns were checked: it never matches, and a warning names it once.
 */
export function patternMatcher(pattern: string, caseSensitive = false): SafeRegex | null {
  const key = `${caseSensitive ? 's' : 'i'}${pattern}`;
  let matcher = compiled.get(key);
  if (matcher === undefined) {
    try {
      matcher = compileSafeRegex(pattern, { ignoreCase: !caseSensitive });
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      matcher = null;
      warnRefused(pattern, err.message);
    }
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, matcher);
  }
  return matcher;
}

/** Process warnings about stored patterns, each once: the pattern is the project's, the log is the operator's. */
function warnOnce(kind: string, pattern: string, what: string): void {
  const key = `${kind}${pattern}`;
  if (warned.has(key) || warned.size >= MAX_CACHED) return;
  warned.add(key);
  const shown = pattern.length > 100 ? `${pattern.slice(0, 100)}…` : pattern;
  process.emitWarning(`stored pattern ${JSON.stringify(shown)} ${what}`, { code: 'SIGHTLINE_UNSAFE_PATTERN' });
}

const warnRefused = (pattern: string, rule: string) => warnOnce('refused', pattern, `is not a supported safe pattern (${rule}); it never matches`);

/** Called when a lookup ran out of its step budget on this pattern. */
export const warnOverBudget = (pattern: string) =>
  warnOnce('budget', pattern, `used up the matching budget of ${MATCH_STEP_BUDGET} steps for one lookup; it and the patterns after it did not match`);

/**
 * Automaton steps one lookup (a generation's model name against its project's patterns, or a
 * tier's usage keys) may spend: about a quarter of a millisecond. Real patterns spend a few per
 * character, anchored ones far fewer; past the budget the remaining patterns count as not
 * matching, so no project's configuration can make pricing costly for the projects sharing the
 * writer (bench/model-match.mjs).
 */
export const MATCH_STEP_BUDGET = 50_000;

/**
 * Finds the model for a generation's model name: project models before built-ins, then the
 * newest start date (models without one last), as docs/compatibility.md §6 describes.
 */
export function matchModel(modelName: string, projectModels: ModelPrice[], builtins: ModelPrice[]): ModelPrice | null {
  let best: ModelPrice | null = null;
  const budget = { steps: MATCH_STEP_BUDGET };
  for (const m of projectModels) {
    const matched = patternMatcher(m.matchPattern)?.testWithin(modelName, budget);
    if (matched === null) {
      warnOverBudget(m.matchPattern);
      break;
    }
    if (!matched) continue;
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
    if (!patternMatcher(m.matchPattern)?.test(modelName)) continue;
    if (!best || (m.startDate ?? -Infinity) > (best.startDate ?? -Infinity)) best = m;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(modelName, best);
  return best;
}
