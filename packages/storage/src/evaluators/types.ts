// Evaluators (LLM-as-a-judge definitions) and evaluation rules (what to evaluate, how often, with
// which variables). This file is the contract between the definitions (store, API, UI) and the
// execution (matching, queuing, judging, scores): fields may be added, none renamed or removed.

/** Score types a judge can produce. */
export type EvaluatorDataType = 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL';
export const EVALUATOR_DATA_TYPES: readonly EvaluatorDataType[] = ['NUMERIC', 'BOOLEAN', 'CATEGORICAL'];

/** What the judge is asked to return: a score and its reasoning. */
export interface EvaluatorOutput {
  dataType: EvaluatorDataType;
  /** Instructions for the score field (e.g. "0 to 1, where 1 is fully supported by the context"). */
  scoreDescription: string;
  /** Instructions for the reasoning field. */
  reasoningDescription: string;
  /** CATEGORICAL only: the allowed labels (stored by the category's value when a config names it). */
  categories: string[] | null;
  /** NUMERIC only: inclusive bounds the score must respect, when set. */
  minValue?: number | null;
  maxValue?: number | null;
  /** CATEGORICAL only: whether the judge may return several labels (one score per label). */
  allowMultipleMatches?: boolean;
}

/**
 * One version of an evaluator. Versions of one evaluator share `name`; a change writes a new
 * version (rules point at a version id, so a running rule never changes under its evaluations).
 */
export interface EvaluatorRecord {
  projectId: string;
  id: string;
  name: string;
  version: number;
  /** Only `llm_as_judge` is executed by Sightline; `code` evaluators are not supported. */
  type: 'llm_as_judge';
  description: string | null;
  /** The judge prompt, with `{{variable}}` placeholders. */
  prompt: string;
  /** The placeholders of `prompt`, in order of first appearance. */
  variables: string[];
  /** LLM connection (by provider name, as in /api/public/llm-connections) and model; null uses the project default. */
  provider: string | null;
  model: string | null;
  /** Model parameters passed to the provider: temperature, max_tokens, top_p. */
  modelParams: Record<string, unknown>;
  output: EvaluatorOutput;
  /** Name of the scores it writes. */
  scoreName: string;
  /** Score config the scores are checked against (data type, range, categories); null for none. */
  scoreConfigId: string | null;
  /** The built-in template it was created from, if any. */
  templateId: string | null;
  /**
   * The mapping a rule inherits when it names none (Langfuse's evaluator `mapping`); null for none.
   * Absent on records written before it existed is read as null.
   */
  defaultMapping?: VariableMapping[] | null;
  createdAt: number;
  updatedAt: number;
}

/** What a rule evaluates: whole traces, single observations, or the items of experiment runs. */
export type EvaluationTarget = 'trace' | 'observation' | 'experiment';
export const EVALUATION_TARGETS: readonly EvaluationTarget[] = ['trace', 'observation', 'experiment'];

/** Where a variable's value comes from. */
export type MappingSource = 'input' | 'output' | 'metadata' | 'tool_calls' | 'expected_output' | 'experiment_item_metadata';
export const MAPPING_SOURCES: readonly MappingSource[] = ['input', 'output', 'metadata', 'tool_calls', 'expected_output', 'experiment_item_metadata'];

/** Fills one prompt variable: a field of the target, optionally narrowed by a JSONPath (`$.messages[-1].content`). */
export interface VariableMapping {
  variable: string;
  source: MappingSource;
  /**
   * For `trace` targets, which object the field is read from: the trace itself, or its observation
   * named `observationName` (the latest one of that name). Ignored for other targets.
   */
  object: 'trace' | 'observation';
  observationName: string | null;
  jsonPath: string | null;
}

/**
 * One condition on the target, in the traces list's filter vocabulary: `column` is a trace or
 * observation field (name, userId, sessionId, tags, environment, release, version, level, type,
 * model, metadata; datasetId for experiments), `key` the metadata key, `operator` one of
 * `=`, `!=`, `contains`, `does not contain`, `starts with`, `any of`, `none of`, `all of`, `>`, `<`,
 * `>=`, `<=`, `is null`, `is not null`.
 */
export interface RuleFilter {
  column: string;
  operator: string;
  key: string | null;
  value: unknown;
}

/** `active`: enabled and runnable; `inactive`: disabled; `paused`: enabled but blocked (e.g. its connection was deleted). */
export type EvaluationRuleStatus = 'active' | 'inactive' | 'paused';

export interface EvaluationRuleRecord {
  projectId: string;
  id: string;
  name: string;
  /**
   * The evaluator version it runs. Creating a new version of the evaluator moves its rules to
   * the new version (Langfuse rules run the latest version); evaluations already queued keep theirs.
   */
  evaluatorId: string;
  target: EvaluationTarget;
  filter: RuleFilter[];
  mapping: VariableMapping[];
  /** Share of matching targets evaluated, 0 < sampling ≤ 1. */
  sampling: number;
  /** Wait this long after a target first appears before evaluating it, so its updates can arrive. */
  delayMs: number;
  enabled: boolean;
  status: EvaluationRuleStatus;
  pausedReason: string | null;
  pausedMessage: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface EvaluatorPage<T> {
  rows: T[];
  totalItems: number;
}

export interface EvaluatorStore {
  /** Inserts a new evaluator version (409-worthy conflicts are the caller's to check by name). */
  createEvaluator(evaluator: EvaluatorRecord): Promise<void>;
  getEvaluator(projectId: string, id: string): Promise<EvaluatorRecord | null>;
  /** The latest version of each evaluator name, newest first. */
  listEvaluators(projectId: string, page: { page: number; limit: number }): Promise<EvaluatorPage<EvaluatorRecord>>;
  /** All versions of one evaluator name, newest version first. */
  evaluatorVersions(projectId: string, name: string): Promise<EvaluatorRecord[]>;
  /** Deletes every version of the evaluator; false when it has none. Rules using it are deleted too. */
  deleteEvaluator(projectId: string, name: string): Promise<boolean>;
  /** How many versions each evaluator name has (names without versions are absent). */
  versionCounts(projectId: string): Promise<Record<string, number>>;

  createRule(rule: EvaluationRuleRecord): Promise<void>;
  getRule(projectId: string, id: string): Promise<EvaluationRuleRecord | null>;
  getRuleByName(projectId: string, name: string): Promise<EvaluationRuleRecord | null>;
  listRules(projectId: string, page: { page: number; limit: number }): Promise<EvaluatorPage<EvaluationRuleRecord>>;
  /** Replaces the rule's mutable fields (everything but projectId, id, createdAt); false when it does not exist. */
  updateRule(rule: EvaluationRuleRecord): Promise<boolean>;
  deleteRule(projectId: string, id: string): Promise<boolean>;
  /** The project's rules running any of these evaluator versions, oldest first. */
  rulesOfEvaluators(projectId: string, evaluatorIds: string[]): Promise<EvaluationRuleRecord[]>;
  /** Enabled rules with status `active`, in every project (or one), for the execution side. */
  activeRules(projectId?: string): Promise<EvaluationRuleRecord[]>;
}
