/**
 * Reading a judge model's answer. Judges are asked for a JSON object (`{"score": …, "reasoning": …}`)
 * but models wrap it in prose or a ```json fence, so the first balanced object in the text is
 * taken. A malformed answer is a JudgeOutputError with the reason, which an evaluation records as
 * a failed evaluation rather than crashing.
 */
export class JudgeOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JudgeOutputError';
  }
}

/** The first JSON object in `text` (a fenced block, or the first balanced `{…}`), parsed. */
export function extractJsonObject(text: string): Record<string, unknown> {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const source = fenced ?? text;
  const start = source.indexOf('{');
  if (start < 0) throw new JudgeOutputError(`the judge's answer holds no JSON object: ${preview(text)}`);
  let depth = 0;
  let inString = false;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      try {
        return JSON.parse(source.slice(start, i + 1)) as Record<string, unknown>;
      } catch (err) {
        throw new JudgeOutputError(`the judge's JSON does not parse (${(err as Error).message}): ${preview(text)}`);
      }
    }
  }
  throw new JudgeOutputError(`the judge's JSON object is not closed: ${preview(text)}`);
}

export interface JudgeVerdict {
  score: number | string | boolean;
  reasoning: string;
}

/** `score` (a number, boolean or category string) and `reasoning` (a string) from the judge's answer. */
export function parseJudgeVerdict(text: string, fields = { score: 'score', reasoning: 'reasoning' }): JudgeVerdict {
  const obj = extractJsonObject(text);
  const score = Object.hasOwn(obj, fields.score) ? obj[fields.score] : undefined;
  const reasoning = Object.hasOwn(obj, fields.reasoning) ? obj[fields.reasoning] : undefined;
  const numeric = typeof score === 'string' && score.trim() !== '' && Number.isFinite(Number(score)) ? Number(score) : score;
  if (!(typeof numeric === 'number' && Number.isFinite(numeric)) && typeof numeric !== 'boolean' && typeof numeric !== 'string') {
    throw new JudgeOutputError(`the judge's "${fields.score}" must be a number, a boolean or a category, got ${JSON.stringify(score) ?? 'nothing'}`);
  }
  if (typeof reasoning !== 'string') throw new JudgeOutputError(`the judge's "${fields.reasoning}" must be a string, got ${JSON.stringify(reasoning) ?? 'nothing'}`);
  return { score: numeric, reasoning };
}

const preview = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
