import { describe, expect, it } from 'vitest';
import { mapObservationType, type ScopeInfo } from './observation-type.js';

const scope: ScopeInfo = { name: 'any', attributes: {} };
const type = (attrs: Record<string, unknown>, s: ScopeInfo = scope, resource: Record<string, unknown> = {}) => mapObservationType(attrs, resource, s);

describe('observation type mappers', () => {
  it('follows the priority chain: langfuse type → OpenInference → gen_ai.operation.name → AI SDK → tool → model → SPAN', () => {
    const all = {
      'langfuse.observation.type': 'retriever',
      'openinference.span.kind': 'EMBEDDING',
      'gen_ai.operation.name': 'execute_tool',
      'ai.operationId': 'ai.embed.doEmbed',
      'ai.model.id': 'm',
      'gen_ai.tool.name': 't',
      'gen_ai.request.model': 'm',
    };
    expect(type(all)).toBe('RETRIEVER');
    const { 'langfuse.observation.type': _a, ...noLangfuse } = all;
    expect(type(noLangfuse)).toBe('EMBEDDING');
    const { 'openinference.span.kind': _b, ...noOpenInference } = noLangfuse;
    expect(type(noOpenInference)).toBe('TOOL');
    const { 'gen_ai.operation.name': _c, ...noOperation } = noOpenInference;
    expect(type(noOperation)).toBe('EMBEDDING');
    const { 'ai.operationId': _d, ...noAiSdk } = noOperation;
    expect(type(noAiSdk)).toBe('TOOL');
    const { 'gen_ai.tool.name': _e, ...onlyModel } = noAiSdk;
    expect(type(onlyModel)).toBe('GENERATION');
    expect(type({})).toBe('SPAN');
  });

  it('maps each vocabulary', () => {
    for (const [v, t] of [['generation', 'GENERATION'], ['event', 'EVENT'], ['agent', 'AGENT'], ['chain', 'CHAIN'], ['evaluator', 'EVALUATOR'], ['guardrail', 'GUARDRAIL']]) {
      expect(type({ 'langfuse.observation.type': v })).toBe(t);
    }
    expect(type({ 'openinference.span.kind': 'LLM' })).toBe('GENERATION');
    for (const [v, t] of [['chat', 'GENERATION'], ['text_completion', 'GENERATION'], ['embeddings', 'EMBEDDING'], ['invoke_agent', 'AGENT'], ['create_agent', 'AGENT']]) {
      expect(type({ 'gen_ai.operation.name': v })).toBe(t);
    }
    expect(type({ 'genkit:metadata:subtype': 'model' })).toBe('GENERATION');
    expect(type({ 'operation.name': 'ai.streamText.doStream my-fn', 'gen_ai.request.model': 'm' })).toBe('GENERATION');
    expect(type({ 'ai.operationId': 'ai.toolCall' })).toBe('TOOL');
    expect(type({ 'gen_ai.tool.call.id': 'call_1' })).toBe('TOOL');
    expect(type({ 'llm.model_name': 'm' })).toBe('GENERATION');
  });

  it('AI SDK generation operations need a model attribute', () => {
    expect(type({ 'ai.operationId': 'ai.generateText.doGenerate' })).toBe('SPAN');
  });

  it('unknown values fall through to the next mapper', () => {
    expect(type({ 'langfuse.observation.type': 'bogus', 'openinference.span.kind': 'TOOL' })).toBe('TOOL');
  });

  it('turns a Python SDK ≤ 3.3 "span" with generation attributes into a GENERATION', () => {
    const py = { 'telemetry.sdk.language': 'python' };
    const attrs = { 'langfuse.observation.type': 'span', 'langfuse.observation.model.name': 'gpt-4o' };
    expect(type(attrs, { name: 'langfuse-sdk', version: '3.3.0', attributes: {} }, py)).toBe('GENERATION');
    expect(type(attrs, { name: 'langfuse-sdk', version: '3.4.0', attributes: {} }, py)).toBe('SPAN');
  });
});
