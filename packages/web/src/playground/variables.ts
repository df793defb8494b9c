/** `{{name}}` as prompt management writes variables (spaces inside the braces allowed). */
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The variables of the texts, each once, in the order they first appear. */
export function findVariables(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(VARIABLE)) seen.add(m[1]);
  return [...seen];
}

/** The text with each variable replaced by its value; a variable without a value stays as written. */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string) => (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole));
}
