import { AppError } from '@sightline/core';
import type { PromptSelector, PromptVersion } from '@sightline/storage';

/** Deepest chain of references resolved when a prompt is served (the root is level 0). */
export const MAX_REFERENCE_DEPTH = 5;

/** `@@@langfusePrompt:name=X|version=N@@@` or `@@@langfusePrompt:name=X|label=L@@@`. */
const REFERENCE = /@@@langfusePrompt:name=(.+?)\|(version|label)=(.+?)@@@/g;

/** A resolved prompt version as the resolution graph names it. */
interface GraphNode {
  id: string;
  name: string;
  version: number;
}

/** Which versions the served prompt pulled in: each version's id maps to the versions it references. */
export interface ResolutionGraph {
  root: GraphNode;
  dependencies: Record<string, GraphNode[]>;
}

export type FetchPrompt = (name: string, which: PromptSelector) => Promise<PromptVersion | null>;

const referenceError = (message: string) => new AppError(400, 'invalid_prompt_reference', message);

const node = (p: PromptVersion): GraphNode => ({ id: p.id, name: p.name, version: p.version });

/** The texts of a prompt that may hold references: a text prompt's text, a chat prompt's message contents. */
function mapTexts(prompt: PromptVersion, f: (text: string) => Promise<string>): Promise<unknown> {
  if (prompt.type === 'text') return f(String(prompt.prompt));
  const items = prompt.prompt as Record<string, unknown>[];
  return Promise.all(items.map(async (m) => (typeof m.content === 'string' ? { ...m, content: await f(m.content) } : m)));
}

/**
 * Replaces every reference in `prompt` by the text of the prompt it names, recursively. Throws a
 * 400 naming the reference when it names no prompt, a chat prompt, a prompt on the chain that
 * led to it (a cycle), or lies more than MAX_REFERENCE_DEPTH levels down.
 */
export async function resolvePrompt(prompt: PromptVersion, fetch: FetchPrompt): Promise<{ prompt: unknown; resolutionGraph: ResolutionGraph | null }> {
  const dependencies: Record<string, GraphNode[]> = {};
  async function expand(current: PromptVersion, chain: string[]): Promise<(text: string) => Promise<string>> {
    return async (text) => {
      const refs = [...text.matchAll(REFERENCE)];
      if (refs.length === 0) return text;
      const replacements = new Map<string, string>();
      for (const [tag, name, kind, value] of refs) {
        if (replacements.has(tag)) continue;
        const which: PromptSelector = kind === 'version' ? { version: Number(value) } : { label: value };
        if (kind === 'version' && !/^\d+$/.test(value)) throw referenceError(`Prompt reference ${tag} in '${current.name}': version must be a positive integer`);
        const target = await fetch(name, which);
        const what = `'${name}' with ${kind} ${kind === 'label' ? `'${value}'` : value}`;
        if (!target) throw referenceError(`Prompt reference ${tag} in '${current.name}': prompt ${what} not found`);
        if (target.type !== 'text') throw referenceError(`Prompt reference ${tag} in '${current.name}': '${name}' is a chat prompt; only text prompts can be referenced`);
        if (chain.includes(target.id)) throw referenceError(`Prompt reference ${tag} in '${current.name}': cycle, ${what} references back to a prompt that references it`);
        if (chain.length > MAX_REFERENCE_DEPTH) throw referenceError(`Prompt reference ${tag} in '${current.name}': references nest deeper than ${MAX_REFERENCE_DEPTH} levels`);
        const deps = (dependencies[current.id] ??= []);
        if (!deps.some((d) => d.id === target.id)) deps.push(node(target));
        replacements.set(tag, await (await expand(target, [...chain, target.id]))(String(target.prompt)));
      }
      return text.replace(REFERENCE, (tag) => replacements.get(tag) ?? tag);
    };
  }
  const resolved = await mapTexts(prompt, await expand(prompt, [prompt.id]));
  return { prompt: resolved, resolutionGraph: Object.keys(dependencies).length === 0 ? null : { root: node(prompt), dependencies } };
}
