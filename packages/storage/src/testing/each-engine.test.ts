import { expect, it } from 'vitest';
import { describeEachEngine } from './each-engine.js';

describeEachEngine('test storage', (ctx) => {
  it('runs on the requested engine', () => {
    expect(ctx.storage.dialect).toBe(ctx.engine);
  });
});
