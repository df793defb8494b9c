import { describe, expect, it } from 'vitest';
import { fillVariables, findVariables } from './variables.js';

describe('playground variables', () => {
  it('finds each variable once, in order, with or without spaces in the braces', () => {
    expect(findVariables(['Hi {{name}}, {{ city }}!', 'Again {{name}} and {{topic}}', 'not {{ a-b }} nor {name}'])).toEqual(['name', 'city', 'topic']);
  });

  it('fills the known variables and leaves the others as written', () => {
    expect(fillVariables('Hi {{ name }} from {{city}}', { name: 'Ada' })).toBe('Hi Ada from {{city}}');
    // A value holding braces or `$&` is inserted as it is.
    expect(fillVariables('{{x}}', { x: '$& {{y}}' })).toBe('$& {{y}}');
    expect(fillVariables('{{constructor}}', {})).toBe('{{constructor}}');
  });
});
