interface ProcessorData {
  micromarkExtensions?: unknown[];
}

/**
 * A remark plugin that turns off markdown's raw-HTML syntax, so `<div>`, `<!--` or `<b>` is
 * ordinary text. With it on, a line starting with a block tag opens an HTML block that runs
 * to the next blank line, and dropping that block (we never render HTML) lost the text after
 * the tag; now the tag shows as typed and the rest of the line is markdown as usual.
 * Autolinks (`<https://…>`) are a separate construct and still work.
 */
export function remarkHtmlAsText(this: { data(): object }): void {
  const data = this.data() as ProcessorData;
  (data.micromarkExtensions ??= []).push({ disable: { null: ['htmlFlow', 'htmlText'] } });
}
