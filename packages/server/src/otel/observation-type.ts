import type { ObservationType } from '@sightline/core';
import { hasValue, LF } from './attributes.js';
import type { Attributes } from './otlp-values.js';

export interface ScopeInfo {
  name: string;
  version?: string;
  attributes: Attributes;
}

const LANGFUSE_TYPES: Record<string, ObservationType> = {
  span: 'SPAN',
  generation: 'GENERATION',
  event: 'EVENT',
  agent: 'AGENT',
  tool: 'TOOL',
  chain: 'CHAIN',
  retriever: 'RETRIEVER',
  evaluator: 'EVALUATOR',
  embedding: 'EMBEDDING',
  guardrail: 'GUARDRAIL',
};

const OPENINFERENCE_KINDS: Record<string, ObservationType> = {
  LLM: 'GENERATION',
  CHAIN: 'CHAIN',
  RETRIEVER: 'RETRIEVER',
  EMBEDDING: 'EMBEDDING',
  AGENT: 'AGENT',
  TOOL: 'TOOL',
  GUARDRAIL: 'GUARDRAIL',
  EVALUATOR: 'EVALUATOR',
};

const GEN_AI_OPERATIONS: Record<string, ObservationType> = {
  chat: 'GENERATION',
  completion: 'GENERATION',
  text_completion: 'GENERATION',
  generate_content: 'GENERATION',
  generate: 'GENERATION',
  embeddings: 'EMBEDDING',
  invoke_agent: 'AGENT',
  create_agent: 'AGENT',
  execute_tool: 'TOOL',
};

const GENKIT_SUBTYPES: Record<string, ObservationType> = {
  model: 'GENERATION',
  tool: 'TOOL',
  embedder: 'EMBEDDING',
  retriever: 'RETRIEVER',
  evaluator: 'EVALUATOR',
};

const AI_SDK_GENERATION_OPS = ['ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.generateObject.doGenerate', 'ai.streamObject.doStream'];
const AI_SDK_EMBEDDING_OPS = ['ai.embedMany.doEmbed', 'ai.embed.doEmbed'];

/** Attributes that mark a Langfuse span as a generation (Python SDK ≤ 3.3 sent them on "span"s). */
const GENERATION_KEYS = [
  LF.OBS_MODEL,
  LF.OBS_COST_DETAILS,
  LF.OBS_USAGE_DETAILS,
  LF.OBS_COMPLETION_START_TIME,
  LF.OBS_MODEL_PARAMETERS,
  LF.OBS_PROMPT_NAME,
  LF.OBS_PROMPT_VERSION,
];

/** AI SDK operation match: `operation.name` starts with one of `ops`, or `ai.operationId` equals one. */
function matchesAiSdkOperation(attrs: Attributes, ops: string[]): boolean {
  const name = attrs['operation.name'];
  const id = attrs['ai.operationId'];
  return (typeof name === 'string' && ops.some((op) => name.startsWith(op))) || (typeof id === 'string' && ops.includes(id));
}

function pythonSdkOverride(attrs: Attributes, resource: Attributes, scope: ScopeInfo): ObservationType | null {
  if (attrs[LF.OBS_TYPE] !== 'span' || scope.name !== 'langfuse-sdk' || resource['telemetry.sdk.language'] !== 'python') return null;
  const [major, minor] = (scope.version ?? '').split('.').map(Number);
  if (major > 3 || (major === 3 && minor > 3)) return null;
  return Object.keys(attrs).some((k) => (GENERATION_KEYS as string[]).includes(k)) ? 'GENERATION' : null;
}

const lookup = (table: Record<string, ObservationType>, v: unknown): ObservationType | null =>
  typeof v === 'string' && Object.hasOwn(table, v) ? table[v] : null;

const hasModel = (attrs: Attributes, keys: string[]) => keys.some((k) => hasValue(attrs[k]));

/**
 * The observation type of a span: the first mapper in Langfuse's priority order that gives an
 * answer; SPAN when none does.
 */
export function mapObservationType(attrs: Attributes, resource: Attributes, scope: ScopeInfo): ObservationType {
  const mappers: (() => ObservationType | null)[] = [
    () => pythonSdkOverride(attrs, resource, scope),
    () => lookup(LANGFUSE_TYPES, attrs[LF.OBS_TYPE]),
    () => lookup(OPENINFERENCE_KINDS, attrs['openinference.span.kind']),
    () => lookup(GEN_AI_OPERATIONS, attrs['gen_ai.operation.name']),
    () => lookup(GENKIT_SUBTYPES, attrs['genkit:metadata:subtype']),
    () => {
      if (!hasModel(attrs, [LF.OBS_MODEL, 'ai.model.id', 'gen_ai.request.model', 'gen_ai.response.model'])) return null;
      if (matchesAiSdkOperation(attrs, AI_SDK_GENERATION_OPS)) return 'GENERATION';
      return matchesAiSdkOperation(attrs, AI_SDK_EMBEDDING_OPS) ? 'EMBEDDING' : null;
    },
    () => (matchesAiSdkOperation(attrs, ['ai.toolCall']) ? 'TOOL' : null),
    () => (hasValue(attrs['gen_ai.tool.name']) || hasValue(attrs['gen_ai.tool.call.id']) ? 'TOOL' : null),
    () => (hasModel(attrs, [LF.OBS_MODEL, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name', 'model']) ? 'GENERATION' : null),
  ];
  for (const mapper of mappers) {
    const type = mapper();
    if (type) return type;
  }
  return 'SPAN';
}
