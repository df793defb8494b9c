#!/usr/bin/env node
// Model-pattern matching benchmark: worst-case time of one match for catastrophic-backtracking
// patterns on the safe matcher (against JavaScript's RegExp, which is exponential on them), the
// largest program the limits allow, and the built-in table lookup a generation with a new model
// name pays. Runs against the built core package.
// Usage: npx tsc -b && node bench/model-match.mjs [--repeat N]
import { loadavg } from 'node:os';
import { benchArgs } from './lib/cli.mjs';
import { builtinModels, compileSafeRegex, matchModel } from '../packages/core/dist/index.js';

const { values } = benchArgs({ options: { repeat: { type: 'string', default: '20' } } });
const repeat = Number(values.repeat);

/** Median and max wall time of `fn` in ms over `repeat` runs, after one warm-up run. */
function time(fn, runs = repeat) {
  fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] };
}
const fmt = (ms) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

console.log(`Model pattern matching, Node ${process.version}, ${repeat} runs each, load average ${loadavg().map((n) => n.toFixed(2)).join(' / ')}`);
console.log('');
console.log('| pattern | input | engine | median | max |');
console.log('|---|---|---|---:|---:|');
const row = (pattern, input, engine, t) => console.log(`| \`${pattern}\` | ${input} | ${engine} | ${fmt(t.median)} | ${fmt(t.max)} |`);

const redos = compileSafeRegex('^(a+)+$', { ignoreCase: true });
for (const n of [31, 1999]) {
  const input = 'a'.repeat(n) + '!';
  row('^(a+)+$', `"a"×${n} + "!"`, 'safe matcher', time(() => redos.test(input)));
}
for (const n of [16, 20, 22]) {
  const input = 'a'.repeat(n) + '!';
  const re = /^(a+)+$/i;
  row('^(a+)+$', `"a"×${n} + "!"`, 'JS RegExp (before)', time(() => re.test(input), 3));
}
// The most work a pattern can cost: about 800 instructions, almost all live at every input unit.
const widest = '(?i)(\\w{0,100}){4}!';
const widestRe = compileSafeRegex(widest);
const long = 'a'.repeat(2000); // MAX_INPUT_LENGTH: longer inputs match nothing
row(widest, '"a"×2000 (no match)', 'safe matcher', time(() => widestRe.test(long)));

// A project filled with the widest patterns: one generation with a new name. The lookup stops
// at its step budget (MATCH_STEP_BUDGET), however many such models the project has.
const model = (i) => ({
  id: `wide-${i}`, projectId: 'p', modelName: `wide-${i}`, matchPattern: `(?i)(\\w{0,100}){4}x${i}`, startDate: null, tokenizerId: null, tokenizerConfig: null,
  pricingTiers: [{ id: 't', name: 'Standard', isDefault: true, priority: 0, conditions: [], prices: { input: 1 } }],
});
const project = Array.from({ length: 100 }, (_, i) => model(i));
process.removeAllListeners('warning'); // the budget warning, once
row('(?i)(\\w{0,100}){4}x… × 100 models of one project', '"a"×2000, one generation', 'safe matcher, step budget', time(() => matchModel(long, project, []), 10));

console.log('');
const builtins = builtinModels();
const names = builtins.map((m) => m.modelName);
let k = 0;
// A new model name each call: the per-name cache misses, all 167 patterns run.
const miss = time(() => matchModel(`${names[k++ % names.length]}-v${k}`, [], builtins), 2000);
const hit = time(() => matchModel(names[k++ % names.length], [], builtins), 2000);
const compile = time(() => builtins.forEach((m) => compileSafeRegex(m.matchPattern)), 20);
const legacy = builtins.map((m) => new RegExp(m.matchPattern.replace(/^\(\?i\)/, ''), 'i'));
const legacyMiss = time(() => legacy.some((re) => re.test(`${names[k++ % names.length]}-v${k}`)), 2000);
console.log('| built-in table (167 patterns) | median | max |');
console.log('|---|---:|---:|');
console.log(`| lookup of a new model name (all 167 patterns run), safe matcher | ${fmt(miss.median)} | ${fmt(miss.max)} |`);
console.log(`| same with JS RegExp (before) | ${fmt(legacyMiss.median)} | ${fmt(legacyMiss.max)} |`);
console.log(`| lookup of a name seen before (cached) | ${fmt(hit.median)} | ${fmt(hit.max)} |`);
console.log(`| compiling all 167 patterns (once per process) | ${fmt(compile.median)} | ${fmt(compile.max)} |`);
