import type { EvaluationTarget, MappingSource, VariableMapping } from '@sightline/storage';
import { evalError } from './eval-errors.js';
import { parseJsonPath } from './json-path.js';

const LIVE_SOURCES: MappingSource[] = ['input', 'output', 'metadata', 'tool_calls'];

/** The sources a mapping may read for a target (and, for trace rules, the object read). */
export function sourcesFor(target: EvaluationTarget, object: VariableMapping['object'] = 'observation'): MappingSource[] {
  if (target === 'experiment') return [...LIVE_SOURCES, 'expected_output', 'experiment_item_metadata'];
  if (target === 'trace' && object === 'trace') return ['input', 'output', 'metadata'];
  return LIVE_SOURCES;
}

export const MAX_JSON_PATH = 500;

/**
 * Throws the Langfuse error for the first rule a mapping breaks: every prompt variable mapped
 * exactly once (`missing_variable_mapping`, `duplicate_variable_mapping`), known variables and
 * sources valid for the target (`invalid_variable_mapping`), JSONPaths that parse (`invalid_json_path`).
 * An evaluator's default mapping (`complete` false) may leave variables out.
 */
export function checkMapping(target: EvaluationTarget, variables: string[], mapping: VariableMapping[], field = 'mapping', complete = true): void {
  const seen = new Set<string>();
  mapping.forEach((m, i) => {
    const at = `${field}[${i}]`;
    if (!variables.includes(m.variable)) {
      throw evalError('invalid_variable_mapping', `${at}.variable: the evaluator has no variable '${m.variable}'; its variables are ${variables.join(', ') || '(none)'}`, { field: `${at}.variable`, variable: m.variable, variables });
    }
    if (seen.has(m.variable)) throw evalError('duplicate_variable_mapping', `${at}.variable: '${m.variable}' is mapped more than once; map each variable exactly once`, { field: `${at}.variable`, variable: m.variable });
    seen.add(m.variable);
    const allowed = sourcesFor(target, m.object);
    if (!allowed.includes(m.source)) {
      const what = target === 'trace' ? `a trace rule reading the ${m.object}` : `target ${target}`;
      throw evalError('invalid_variable_mapping', `${at}.source: '${m.source}' is not a source of ${what}; use one of ${allowed.join(', ')}`, { field: `${at}.source`, variable: m.variable });
    }
    if (target === 'trace' && m.object === 'observation' && !m.observationName) {
      throw evalError('invalid_variable_mapping', `${at}.observationName: a trace rule reading an observation must name it`, { field: `${at}.observationName`, variable: m.variable });
    }
    if (m.jsonPath !== null) {
      const parsed = m.jsonPath.length > MAX_JSON_PATH ? { error: `must be at most ${MAX_JSON_PATH} characters` } : parseJsonPath(m.jsonPath);
      if ('error' in parsed) throw evalError('invalid_json_path', `${at}.jsonPath: ${parsed.error}`, { field: `${at}.jsonPath`, variable: m.variable, value: m.jsonPath });
    }
  });
  const missing = variables.filter((v) => !seen.has(v));
  if (complete && missing.length > 0) {
    throw evalError('missing_variable_mapping', `${field}: every evaluator variable must be mapped; missing ${missing.join(', ')}`, { field, variables: missing });
  }
}
