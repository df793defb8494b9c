import type { ScoreConfigRecord } from '@sightline/core';
import type { EvaluatorOutput, EvaluatorRecord } from '@sightline/storage';
import type { ChatMessage, ChatParams } from '../llm/chat-adapter.js';
import { extractJsonObject, JudgeOutputError, parseJudgeVerdict } from '../llm/judge-output.js';

/** What the score field must hold, in words the judge reads. */
function scoreShape(output: EvaluatorOutput, config: ScoreConfigRecord | null): string {
  switch (output.dataType) {
    case 'NUMERIC': {
      const { min, max } = bounds(output, config);
      const range = min !== null && max !== null ? ` from ${min} to ${max}` : min !== null ? ` of at least ${min}` : max !== null ? ` of at most ${max}` : '';
      return `a number${range}`;
    }
    case 'BOOLEAN':
      return 'true or false';
    case 'CATEGORICAL': {
      const labels = categoriesOf(output, config).map((c) => JSON.stringify(c)).join(', ');
      return output.allowMultipleMatches ? `an array of one or more of ${labels}` : `exactly one of ${labels}`;
    }
  }
}

/** The tighter of the evaluator's and the score config's bounds. */
function bounds(output: EvaluatorOutput, config: ScoreConfigRecord | null): { min: number | null; max: number | null } {
  const pick = (a: number | null | undefined, b: number | null | undefined, f: (x: number, y: number) => number) =>
    a != null && b != null ? f(a, b) : (a ?? b ?? null);
  return { min: pick(output.minValue, config?.minValue, Math.max), max: pick(output.maxValue, config?.maxValue, Math.min) };
}

const categoriesOf = (output: EvaluatorOutput, config: ScoreConfigRecord | null): string[] =>
  config?.dataType === 'CATEGORICAL' && config.categories ? config.categories.map((c) => c.label) : (output.categories ?? []);

/** The instructions appended to every judge prompt: answer with one JSON object of a score and its reasoning. */
export function outputInstructions(output: EvaluatorOutput, config: ScoreConfigRecord | null): string {
  return [
    'Answer with one JSON object and nothing else, with exactly these two fields:',
    `"score": ${scoreShape(output, config)}. ${output.scoreDescription}`.trim(),
    `"reasoning": a string. ${output.reasoningDescription}`.trim(),
  ].join('\n');
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The judge call: the filled prompt and the output instructions as one user message, JSON asked for. */
export function judgeRequest(evaluator: EvaluatorRecord, filledPrompt: string, config: ScoreConfigRecord | null, model: string): { messages: ChatMessage[]; params: ChatParams } {
  const p = evaluator.modelParams;
  const maxTokens = num(p.max_tokens ?? p.maxTokens);
  return {
    messages: [{ role: 'user', content: `${filledPrompt}\n\n${outputInstructions(evaluator.output, config)}` }],
    params: { model, temperature: num(p.temperature), maxTokens: maxTokens === undefined ? undefined : Math.max(1, Math.floor(maxTokens)), topP: num(p.top_p ?? p.topP), json: true },
  };
}

/** A judged score as the ingestion event carries it. */
export interface JudgedScore {
  dataType: 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL';
  value: number | string;
  reasoning: string;
}

const BOOLEAN_WORDS: Record<string, 0 | 1> = { true: 1, false: 0, yes: 1, no: 0, '1': 1, '0': 0 };

/**
 * The judge's answer read and checked against the evaluator's output definition (and its score
 * config when it names one). Anything off is a JudgeOutputError whose message is the reason the
 * evaluation failed.
 */
export function readVerdict(text: string, output: EvaluatorOutput, config: ScoreConfigRecord | null): JudgedScore[] {
  if (output.dataType === 'CATEGORICAL' && output.allowMultipleMatches) {
    // Several labels: one score per label, each with the same reasoning.
    const obj = extractJsonObject(text);
    const labels = Array.isArray(obj.score) ? obj.score : [obj.score];
    if (labels.length === 0) throw new JudgeOutputError('the judge\'s "score" must name at least one category, got []');
    const { reasoning } = parseJudgeVerdict(JSON.stringify({ score: 'x', reasoning: obj.reasoning }));
    const scores = labels.map((label) => readOne(JSON.stringify({ score: label, reasoning }), output, config));
    return scores.filter((s, i) => scores.findIndex((t) => t.value === s.value) === i);
  }
  return [readOne(text, output, config)];
}

function readOne(text: string, output: EvaluatorOutput, config: ScoreConfigRecord | null): JudgedScore {
  const { score, reasoning } = parseJudgeVerdict(text);
  const bad = (rule: string) => new JudgeOutputError(`the judge's "score" ${rule}, got ${JSON.stringify(score)}`);
  switch (output.dataType) {
    case 'NUMERIC': {
      if (typeof score !== 'number') throw bad('must be a number');
      const { min, max } = bounds(output, config);
      if (min !== null && score < min) throw bad(`is below the minimum ${min}`);
      if (max !== null && score > max) throw bad(`is above the maximum ${max}`);
      return { dataType: 'NUMERIC', value: score, reasoning };
    }
    case 'BOOLEAN': {
      const v = typeof score === 'boolean' ? (score ? 1 : 0) : BOOLEAN_WORDS[String(score).trim().toLowerCase()];
      if (v === undefined) throw bad('must be true or false');
      return { dataType: 'BOOLEAN', value: v, reasoning };
    }
    case 'CATEGORICAL': {
      const categories = categoriesOf(output, config);
      const wanted = String(score).trim().toLowerCase();
      const hit = categories.find((c) => c.toLowerCase() === wanted);
      if (hit === undefined) throw bad(`must be one of ${categories.map((c) => JSON.stringify(c)).join(', ')}`);
      return { dataType: 'CATEGORICAL', value: hit, reasoning };
    }
  }
}
