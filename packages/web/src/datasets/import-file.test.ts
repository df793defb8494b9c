import { describe, expect, it } from 'vitest';
import { chunkItems, guessMapping, parseCsv, parseFile, parseJsonl, toItems } from './import-file.js';

describe('import files', () => {
  it('reads CSV with quotes, doubled quotes, commas and line breaks inside fields', () => {
    const file = parseCsv('\uFEFFquestion,answer,notes\r\n"What is 2+2?",4,"say ""four"", please"\n"multi\nline",{"a":1},\n');
    expect(file.columns).toEqual(['question', 'answer', 'notes']);
    expect(file.rows).toEqual([
      { question: 'What is 2+2?', answer: '4', notes: 'say "four", please' },
      { question: 'multi\nline', answer: '{"a":1}', notes: '' },
    ]);
  });

  it('reads JSON Lines and names a bad line', () => {
    expect(parseJsonl('{"input":"a","x":1}\n\n{"input":"b","y":true}\n').columns).toEqual(['input', 'x', 'y']);
    expect(() => parseJsonl('{"input":"a"}\n[1]')).toThrow('line 2: must be a JSON object');
    expect(() => parseJsonl('nope')).toThrow('line 1: is not valid JSON');
    expect(parseFile('items.jsonl', '{"a":1}').rows).toEqual([{ a: 1 }]);
  });

  it('maps columns to item fields: one column gives its value, several an object, JSON cells parsed', () => {
    const file = parseCsv('question,context,answer,source,id\nWhy?,{"doc":1},Because,web,item-1\nHow?,,So,,\n');
    const mapping = guessMapping(file.columns);
    expect(mapping).toEqual({ question: 'input', context: 'ignore', answer: 'expectedOutput', source: 'ignore', id: 'id' });
    expect(toItems(file, { ...mapping, context: 'input', source: 'metadata' })).toEqual([
      { id: 'item-1', input: { question: 'Why?', context: { doc: 1 } }, expectedOutput: 'Because', metadata: 'web' },
      { input: { question: 'How?' }, expectedOutput: 'So' },
    ]);
  });

  it('keeps a column named __proto__ as data', () => {
    const file = parseCsv('__proto__,input\nx,y\n');
    expect(toItems(file, { ...guessMapping(file.columns) }).map((i) => i.input)).toEqual(['y']);
    expect(Object.hasOwn(file.rows[0], '__proto__')).toBe(true);
  });

  it('chunks by count and by size', () => {
    const items = Array.from({ length: 5 }, (_, i) => ({ input: 'x'.repeat(i === 2 ? 100 : 1) }));
    expect(chunkItems(items, 2, 1000).map((c) => c.length)).toEqual([2, 2, 1]);
    expect(chunkItems(items, 10, 50).map((c) => c.length)).toEqual([2, 1, 2]);
  });
});
