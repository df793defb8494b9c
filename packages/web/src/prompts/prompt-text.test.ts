import { describe, expect, it } from 'vitest';
import { promptLines, splitVariables, versionVariables } from './prompt-text.js';

describe('prompt text', () => {
  it('splits variables and references out of plain text', () => {
    expect(splitVariables('Hi {{ name }}, see @@@langfusePrompt:name=base|label=production@@@ {{x}}!')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'variable', text: '{{ name }}' },
      { kind: 'text', text: ', see ' },
      { kind: 'reference', text: '@@@langfusePrompt:name=base|label=production@@@' },
      { kind: 'text', text: ' ' },
      { kind: 'variable', text: '{{x}}' },
      { kind: 'text', text: '!' },
    ]);
    expect(splitVariables('no {{}} vars {single}')).toEqual([{ kind: 'text', text: 'no {{}} vars {single}' }]);
  });

  it('lists the variables of text and chat versions, and renders chat versions as lines', () => {
    expect(versionVariables({ prompt: '{{a}} {{b}} {{a}}' })).toEqual(['a', 'b']);
    const chat = { type: 'chat' as const, prompt: [{ role: 'system', content: 'Be {{tone}}\nalways' }, { type: 'placeholder' as const, name: 'history' }] };
    expect(versionVariables(chat)).toEqual(['tone']);
    expect(promptLines(chat)).toEqual(['[system]', 'Be {{tone}}', 'always', '[placeholder: history]']);
  });
});
