import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('.', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('portability', () => {
  it('only the Node entry imports Node built-ins; the rest runs wherever fetch runs', () => {
    const nodeImport = /^(?:import|export)[^'";]*from '(node:|fs'|path'|http'|crypto'|async_hooks')/m;
    const offenders = sources.filter((f) => f !== 'index.ts' && nodeImport.test(readFileSync(new URL(f, dir), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('has no runtime dependency: only relative imports (and node: in the Node entry)', () => {
    for (const f of sources) {
      const specs = [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^(?:import|export)[^'";]*from '([^']+)'/gm)].map((m) => m[1]);
      for (const spec of specs) expect(spec.startsWith('./') || (f === 'index.ts' && spec.startsWith('node:')), `${f}: ${spec}`).toBe(true);
    }
  });
});
