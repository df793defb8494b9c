/** `{{ name }}`: a variable name is a letter or underscore, then letters, digits, underscores. */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The `{{variable}}` placeholders of a judge prompt, each once, in order of first appearance.
 *
 * @example
 * promptVariables('Is {{output}} supported by {{ context }}? {{output}}') // ['output', 'context']
 */
export function promptVariables(prompt: string): string[] {
  const seen = new Set<string>();
  for (const m of prompt.matchAll(VARIABLE)) seen.add(m[1]);
  return [...seen];
}

/** Replaces each `{{variable}}` with its value; variables without a value are left as written. */
export function fillPrompt(prompt: string, values: Record<string, string>): string {
  return prompt.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}
