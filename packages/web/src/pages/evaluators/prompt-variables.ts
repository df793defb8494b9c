/** The `{{variable}}` placeholders of a prompt, as the server finds them (server/src/evaluation/prompt-variables.ts). */
export function promptVariables(prompt: string): string[] {
  const seen = new Set<string>();
  for (const m of prompt.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) seen.add(m[1]);
  return [...seen];
}
