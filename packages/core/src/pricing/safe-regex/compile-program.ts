import { closeUnderCase } from './case-fold.js';
import { complementRanges, normalizeRanges, UnitSet } from './char-set.js';
import { PatternError, type Assertion, type PatternNode } from './parse-pattern.js';

export const OP_CHAR = 0;
export const OP_SPLIT = 1;
export const OP_JMP = 2;
export const OP_ASSERT = 3;
export const OP_MATCH = 4;

export const ASSERTIONS: readonly Assertion[] = ['start', 'end', 'boundary', 'non-boundary'];

/** The most instructions a pattern may compile to; a match costs at most this much per input character. */
export const MAX_PROGRAM_SIZE = 1000;

/**
 * A Thompson automaton as an instruction list. CHAR consumes one code unit in `sets[x]`;
 * SPLIT continues at both `x` and `y`; JMP at `x`; ASSERT checks `ASSERTIONS[x]` without consuming.
 */
export interface Program {
  ops: Uint8Array;
  x: Int32Array;
  y: Int32Array;
  sets: UnitSet[];
}

const MAX_SHARED_SETS = 4096;
const sharedSets = new Map<string, UnitSet>();

/** The compiled set of a set node, shared by every program that uses the same one (most are single letters). */
function unitSet(n: Extract<PatternNode, { kind: 'set' }>, ignoreCase: boolean): UnitSet {
  const fold = ignoreCase && n.folds.length > 0;
  const single = n.ranges.length === 2 && n.ranges[0] === n.ranges[1] && !n.negate;
  const key = single ? `${fold ? 'i' : ''}${n.ranges[0]}` : `${fold ? 'i' : ''}${n.negate ? '^' : ''}${n.ranges.join()}/${n.folds.join()}`;
  let set = sharedSets.get(key);
  if (!set) {
    const members = fold ? normalizeRanges([...n.ranges, ...closeUnderCase(n.folds)]) : n.ranges;
    set = new UnitSet(n.negate ? complementRanges(members) : members);
    if (sharedSets.size >= MAX_SHARED_SETS) sharedSets.clear();
    sharedSets.set(key, set);
  }
  return set;
}

const isEmpty = (n: PatternNode): boolean =>
  (n.kind === 'seq' && n.items.every(isEmpty)) || (n.kind === 'repeat' && isEmpty(n.node));

/** Compiles a parsed pattern; case-insensitivity is folded into the sets here, so matching never folds. */
export function compileProgram(root: PatternNode, ignoreCase: boolean): Program {
  const ops: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const sets: UnitSet[] = [];
  const setIndex = new Map<UnitSet, number>();
  const push = (op: number, a = 0): number => {
    if (ops.length >= MAX_PROGRAM_SIZE) {
      throw new PatternError(`the pattern is too complex: it must compile to at most ${MAX_PROGRAM_SIZE} steps (shorten it or lower its repetition counts)`);
    }
    ops.push(op);
    x.push(a);
    y.push(0);
    return ops.length - 1;
  };
  const emit = (n: PatternNode): void => {
    switch (n.kind) {
      case 'set': {
        const set = unitSet(n, ignoreCase);
        let index = setIndex.get(set);
        if (index === undefined) setIndex.set(set, (index = sets.push(set) - 1));
        push(OP_CHAR, index);
        return;
      }
      case 'assert':
        push(OP_ASSERT, ASSERTIONS.indexOf(n.assertion));
        return;
      case 'seq':
        n.items.forEach(emit);
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.options.forEach((option, i) => {
          if (i === n.options.length - 1) return emit(option);
          const split = push(OP_SPLIT, ops.length + 1);
          emit(option);
          jumps.push(push(OP_JMP));
          y[split] = ops.length;
        });
        for (const j of jumps) x[j] = ops.length;
        return;
      }
      case 'repeat': {
        if (isEmpty(n.node)) return;
        for (let i = 0; i < n.min; i++) emit(n.node);
        if (n.max === Infinity) {
          const split = push(OP_SPLIT, ops.length + 1);
          emit(n.node);
          push(OP_JMP, split);
          y[split] = ops.length;
          return;
        }
        const splits: number[] = [];
        for (let i = n.min; i < n.max; i++) {
          splits.push(push(OP_SPLIT, ops.length + 1));
          emit(n.node);
        }
        for (const s of splits) y[s] = ops.length;
      }
    }
  };
  emit(root);
  push(OP_MATCH);
  return { ops: Uint8Array.from(ops), x: Int32Array.from(x), y: Int32Array.from(y), sets };
}
