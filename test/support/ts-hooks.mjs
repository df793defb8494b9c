// Module hooks that let a worker thread run the TypeScript sources, as the test runner does for
// the main thread: workspace packages resolve through their `source` export condition, a `.js`
// import from a `.ts` file finds the `.ts` file, and `.ts` files are transpiled by the test
// runner's own transformer (Vite's Oxc: types removed, nothing checked). Registered by
// ts-register.mjs.
import { readFile } from 'node:fs/promises';
import { transformWithOxc } from 'vite';

export async function resolve(specifier, context, next) {
  const withSource = { ...context, conditions: ['source', ...context.conditions] };
  try {
    return await next(specifier, withSource);
  } catch (err) {
    const fromTs = context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js');
    if (!fromTs || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    return next(`${specifier.slice(0, -3)}.ts`, withSource);
  }
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { code } = await transformWithOxc(source, url, { lang: 'ts', sourcemap: false });
  return { format: 'module', source: code, shortCircuit: true };
}
