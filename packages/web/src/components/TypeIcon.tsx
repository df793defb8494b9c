const ICONS: Record<string, [string, string]> = {
  SPAN: ['S', 'span'],
  GENERATION: ['G', 'generation'],
  EVENT: ['E', 'event'],
  AGENT: ['A', 'agent'],
  TOOL: ['T', 'tool'],
  CHAIN: ['C', 'chain'],
  RETRIEVER: ['R', 'retriever'],
  EVALUATOR: ['V', 'evaluator'],
  EMBEDDING: ['M', 'embedding'],
  GUARDRAIL: ['U', 'guardrail'],
  TRACE: ['⌁', 'trace'],
};

/** A small coloured badge per observation type. */
export function TypeIcon({ type }: { type: string }) {
  const [letter, cls] = ICONS[type] ?? ['?', 'unknown'];
  return (
    <span className={`type-icon type-${cls}`} title={type} aria-label={type}>
      {letter}
    </span>
  );
}
