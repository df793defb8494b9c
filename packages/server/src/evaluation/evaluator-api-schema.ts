import { EVALUATION_TARGETS, EVALUATOR_DATA_TYPES, MAPPING_SOURCES, type EvaluatorOutput, type RuleFilter, type VariableMapping } from '@sightline/storage';
import { z } from 'zod';
import { evalError } from './eval-errors.js';
import type { EvaluatorDraft } from './evaluator-versions.js';
import { RULE_LIMITS, type RuleDraft } from './rule-service.js';

const text = (what = 'a string') => z.string({ error: `required, ${what}` });
const described = z.object({ description: text() }, { error: 'required, an object with description' });

/** One mapping as clients send it; `object`/`observationName` (or the legacy `langfuseObject`/`objectName`) serve trace rules. */
export const mappingItem = z.object({
  variable: text('the prompt variable without braces'),
  source: z.enum(MAPPING_SOURCES, { error: `must be one of ${MAPPING_SOURCES.join(', ')}` }),
  jsonPath: z.string().nullish(),
  object: z.enum(['trace', 'observation'], { error: 'must be trace or observation' }).nullish(),
  observationName: z.string().max(500, 'must be at most 500 characters').nullish(),
  langfuseObject: z.string().nullish(),
  objectName: z.string().max(500, 'must be at most 500 characters').nullish(),
});
const mappingList = z.array(mappingItem, { error: 'must be an array of {variable, source, jsonPath?}' }).max(100, 'at most 100 entries');

export const filterItem = z.object({
  /** Langfuse's discriminator; Sightline derives it from the column and the operator, so it is not checked. */
  type: z.string().nullish(),
  column: text('the column to filter on'),
  operator: text('the comparison operator'),
  value: z.unknown().optional(),
  key: z.string().nullish(),
});
const filterList = z.array(filterItem, { error: 'must be an array of {column, operator, value, key?}' });

export const createEvaluatorBody = z.object({
  type: z.enum(['llm_as_judge', 'code'], { error: 'must be llm_as_judge or code' }).nullish(),
  name: text(),
  prompt: text('the judge prompt with {{variables}}'),
  outputDefinition: z.object(
    {
      dataType: z.enum(EVALUATOR_DATA_TYPES, { error: `must be one of ${EVALUATOR_DATA_TYPES.join(', ')}` }),
      reasoning: described,
      score: z.object({
        description: text(),
        minValue: z.number({ error: 'must be a number' }).nullish(),
        maxValue: z.number({ error: 'must be a number' }).nullish(),
        categories: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' }).nullish(),
        shouldAllowMultipleMatches: z.boolean({ error: 'must be true or false' }).nullish(),
      }, { error: 'required, an object with description' }),
    },
    { error: 'required, an object with dataType, reasoning and score' },
  ),
  modelConfig: z.object({ provider: text(), model: text() }, { error: 'must be an object with provider and model, or null' }).nullish(),
  mapping: mappingList.nullish(),
  // Sightline extensions.
  description: z.string().nullish(),
  scoreName: z.string().nullish(),
  scoreConfigId: z.string().nullish(),
  modelParams: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish(),
  templateId: z.string().nullish(),
});

const evaluatorRef = z.object({ name: text('the evaluator name'), type: z.enum(['llm_as_judge', 'code'], { error: 'must be llm_as_judge or code' }).nullish() }, { error: 'must be an object with name' });
const assignment = z.object({ evaluator: evaluatorRef, mapping: mappingList.nullish() }, { error: 'must be an object with evaluator' });
const target = z.enum(EVALUATION_TARGETS, { error: `must be one of ${EVALUATION_TARGETS.join(', ')}` });
const sampling = z.number({ error: 'must be a number' });
const delay = z.number({ error: 'must be a number of milliseconds' });

export const createRuleBody = z.object({
  name: text(),
  evaluator: evaluatorRef.nullish(),
  evaluators: z.array(assignment, { error: 'must be an array of evaluator assignments' }).nullish(),
  target,
  enabled: z.boolean({ error: 'required, true or false' }),
  sampling: sampling.nullish(),
  filter: filterList.nullish(),
  mapping: mappingList.nullish(),
  delay: delay.nullish(),
});

export const updateRuleBody = z.object({
  name: z.string().nullish(),
  evaluator: evaluatorRef.nullish(),
  evaluators: z.array(assignment, { error: 'must be an array of evaluator assignments' }).nullish(),
  target: target.nullish(),
  enabled: z.boolean({ error: 'must be true or false' }).nullish(),
  sampling: sampling.nullish(),
  filter: filterList.nullish(),
  mapping: mappingList.nullish(),
  delay: delay.nullish(),
});

const invalid = (field: string, rule: string) => evalError('invalid_body', `${field}: ${rule}`, { field });

/** A request mapping as stored; legacy `langfuseObject` (trace or an observation type) selects the object. */
export function toMapping(m: z.output<typeof mappingItem>): VariableMapping {
  const object = m.object ?? (m.langfuseObject ? (m.langfuseObject === 'trace' ? 'trace' : 'observation') : 'trace');
  return {
    variable: m.variable,
    source: m.source,
    object,
    observationName: object === 'observation' ? (m.observationName ?? m.objectName ?? null) : null,
    jsonPath: m.jsonPath ? m.jsonPath : null,
  };
}

export const toFilter = (f: z.output<typeof filterItem>): RuleFilter => ({ column: f.column, operator: f.operator, key: f.key ?? null, value: f.value ?? null });

export function toEvaluatorDraft(body: z.output<typeof createEvaluatorBody>): EvaluatorDraft {
  if (body.type === 'code') throw invalid('type', 'Sightline runs llm_as_judge evaluators only; code evaluators are not supported');
  const o = body.outputDefinition;
  const output: EvaluatorOutput = {
    dataType: o.dataType,
    scoreDescription: o.score.description,
    reasoningDescription: o.reasoning.description,
    categories: o.dataType === 'CATEGORICAL' ? (o.score.categories ?? []) : null,
    ...(o.dataType === 'NUMERIC' && { minValue: o.score.minValue ?? null, maxValue: o.score.maxValue ?? null }),
    ...(o.dataType === 'CATEGORICAL' && { allowMultipleMatches: o.score.shouldAllowMultipleMatches ?? false }),
  };
  if (o.dataType === 'CATEGORICAL' && !o.score.categories) throw invalid('outputDefinition.score.categories', 'required for a CATEGORICAL evaluator');
  return {
    name: body.name,
    description: body.description ?? null,
    prompt: body.prompt,
    provider: body.modelConfig?.provider ?? null,
    model: body.modelConfig?.model ?? null,
    modelParams: body.modelParams ?? {},
    output,
    scoreName: body.scoreName ?? body.name,
    scoreConfigId: body.scoreConfigId ?? null,
    templateId: body.templateId ?? null,
    defaultMapping: body.mapping ? body.mapping.map(toMapping) : null,
  };
}

type Assigned = { evaluatorName: string; mapping: VariableMapping[] | null };

/** The one evaluator a rule body names, through `evaluator` (+ `mapping`) or `evaluators` (exactly one: Sightline's rules run one evaluator). */
function assigned(body: Pick<z.output<typeof updateRuleBody>, 'evaluator' | 'evaluators' | 'mapping'>): Assigned | null {
  if (body.evaluators && (body.evaluator || body.mapping)) throw invalid('evaluators', 'send either evaluators, or the deprecated evaluator and mapping, never both');
  if (body.evaluators) {
    if (body.evaluators.length !== 1) throw invalid('evaluators', 'Sightline rules run exactly one evaluator; send one assignment (create one rule per evaluator)');
    const [a] = body.evaluators;
    if (a.evaluator.type === 'code') throw invalid('evaluators[0].evaluator.type', 'code evaluators are not supported');
    return { evaluatorName: a.evaluator.name, mapping: a.mapping ? a.mapping.map(toMapping) : null };
  }
  if (body.evaluator?.type === 'code') throw invalid('evaluator.type', 'code evaluators are not supported');
  if (body.evaluator) return { evaluatorName: body.evaluator.name, mapping: body.mapping ? body.mapping.map(toMapping) : null };
  return null;
}

export function toRuleDraft(body: z.output<typeof createRuleBody>): RuleDraft {
  const a = assigned(body);
  if (!a) throw invalid('evaluator', 'required: name the evaluator (evaluator.name or evaluators[0].evaluator.name)');
  return {
    name: body.name,
    evaluatorName: a.evaluatorName,
    target: body.target,
    filter: (body.filter ?? []).map(toFilter),
    mapping: a.mapping,
    sampling: body.sampling ?? 1,
    delayMs: body.delay ?? RULE_LIMITS.defaultDelayMs,
    enabled: body.enabled,
  };
}

/** Applies a partial update to a rule's draft; an empty body is a 400. */
export function mergeRuleDraft(base: RuleDraft, body: z.output<typeof updateRuleBody>): RuleDraft {
  if (Object.values(body).every((v) => v === undefined || v === null)) throw invalid('body', 'send at least one field to change');
  const a = assigned(body);
  const mapping = body.mapping && !a ? body.mapping.map(toMapping) : undefined;
  return {
    name: body.name ?? base.name,
    evaluatorName: a?.evaluatorName ?? base.evaluatorName,
    target: body.target ?? base.target,
    filter: body.filter ? body.filter.map(toFilter) : base.filter,
    mapping: a ? (a.mapping ?? (a.evaluatorName === base.evaluatorName ? base.mapping : null)) : (mapping ?? base.mapping),
    sampling: body.sampling ?? base.sampling,
    delayMs: body.delay ?? base.delayMs,
    enabled: body.enabled ?? base.enabled,
  };
}
