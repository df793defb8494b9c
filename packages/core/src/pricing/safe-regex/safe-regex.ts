import { isWordUnit } from './char-set.js';
import { compileProgram, MAX_PROGRAM_SIZE, OP_ASSERT, OP_CHAR, OP_JMP, OP_MATCH, OP_SPLIT, type Program } from './compile-program.js';
import { parsePattern, PatternError } from './parse-pattern.js';

export { PatternError } from './parse-pattern.js';

/** The longest pattern accepted. */
export const MAX_PATTERN_LENGTH = 500;

/**
 * The longest input a pattern is tried on, the ingestion limit on model names (2,000 bytes);
 * a longer one (only a usage key can be) matches nothing, so one match costs at most
 * MAX_PROGRAM_SIZE × MAX_INPUT_LENGTH steps.
 */
export const MAX_INPUT_LENGTH = 2000;

/**
 * A compiled pattern. `test` answers what `RegExp.prototype.test` would, in O(pattern × input)
 * time, for inputs up to MAX_INPUT_LENGTH code units.
 */
export interface SafeRegex {
  test(input: string): boolean;
  /**
   * `test` spending at most `budget.steps` automaton steps, which it deducts; null when the
   * budget ran out first. Lets a caller bound the total work of many matches.
   */
  testWithin(input: string, budget: StepBudget): boolean | null;
  /** Compiled steps (at most MAX_PROGRAM_SIZE): the most work per input character. */
  readonly size: number;
}

/** Automaton steps left to spend, shared by the matches of one lookup. */
export interface StepBudget {
  steps: number;
}

/**
 * Compiles a pattern in the supported regular-expression subset: literals and escapes, `.`,
 * `[...]` classes, `\d \w \s` (and negations), groups `(…)` `(?:…)`, `|`, `* + ?` and `{m,n}`
 * (bounds ≤ 100), `^ $ \b \B`, and a leading `(?i)` that makes it case-insensitive. No
 * backreferences or lookaround, which are what make backtracking engines exponential.
 * Throws a PatternError naming the rule a pattern breaks.
 *
 * @example compileSafeRegex('(?i)^(openai/)?gpt-4o$').test('OpenAI/GPT-4o') // true
 */
export function compileSafeRegex(pattern: string, options: { ignoreCase?: boolean } = {}): SafeRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`must be at most ${MAX_PATTERN_LENGTH} characters`);
  const flagged = pattern.startsWith('(?i)');
  return new PikeVm(compileProgram(parsePattern(flagged ? pattern.slice(4) : pattern), flagged || options.ignoreCase === true));
}

/** Null when the pattern is supported, else the rule it breaks. */
export function patternProblem(pattern: string): string | null {
  try {
    compileSafeRegex(pattern);
    return null;
  } catch (err) {
    if (err instanceof PatternError) return err.message;
    throw err;
  }
}

// Work lists shared by every compiled pattern: matching is synchronous and never re-entered,
// so one set sized for the largest program serves all of them and the cache holds programs only.
const current = new Int32Array(MAX_PROGRAM_SIZE);
const next = new Int32Array(MAX_PROGRAM_SIZE);
const stack = new Int32Array(2 * MAX_PROGRAM_SIZE + 2);
const mark = new Uint32Array(MAX_PROGRAM_SIZE);
let generation = 0;
/** States visited by the current match: what a StepBudget counts. */
let visits = 0;

function newGeneration(): void {
  if (++generation === 0xffffffff) {
    mark.fill(0);
    generation = 1;
  }
}

/**
 * Simulates the automaton on all its states at once (Thompson's construction, as in RE2's
 * Pike VM, without submatches): each input unit advances every live state once, and a state
 * is live at most once per position, so no input can make matching more than linear.
 */
class PikeVm implements SafeRegex {
  private readonly anchored: boolean;
  readonly size: number;

  constructor(private readonly p: Program) {
    this.anchored = p.ops[0] === OP_ASSERT && p.x[0] === 0;
    this.size = p.ops.length;
  }

  test(input: string): boolean {
    return this.run(input, Infinity) === true;
  }

  testWithin(input: string, budget: StepBudget): boolean | null {
    const answer = this.run(input, budget.steps);
    budget.steps = Math.max(0, budget.steps - visits);
    return answer;
  }

  /** The answer, or null once more than `limit` states were visited (checked per input unit). */
  private run(input: string, limit: number): boolean | null {
    visits = 0;
    if (input.length > MAX_INPUT_LENGTH) return false;
    const { sets, x } = this.p;
    let live = current;
    let following = next;
    newGeneration();
    let count = this.follow(0, input, 0, live, 0);
    if (count < 0) return true;
    for (let pos = 0; pos < input.length; pos++) {
      visits += count;
      if (visits > limit) return null;
      const unit = input.charCodeAt(pos);
      newGeneration();
      let nextCount = 0;
      for (let i = 0; i < count; i++) {
        const pc = live[i];
        if (mark[pc + 1] === generation || !sets[x[pc]].has(unit)) continue;
        nextCount = this.follow(pc + 1, input, pos + 1, following, nextCount);
        if (nextCount < 0) return true;
      }
      if (!this.anchored) {
        nextCount = this.follow(0, input, pos + 1, following, nextCount);
        if (nextCount < 0) return true;
      } else if (nextCount === 0) return false;
      const swap = live;
      live = following;
      following = swap;
      count = nextCount;
    }
    return false;
  }

  /**
   * Adds to `list` the CHAR states reachable from `pc` without consuming input at `pos`;
   * returns the new list length, or -1 when MATCH is reachable.
   */
  private follow(pc: number, input: string, pos: number, list: Int32Array, count: number): number {
    const { ops, x, y } = this.p;
    let top = 0;
    stack[top++] = pc;
    while (top > 0) {
      const at = stack[--top];
      if (mark[at] === generation) continue;
      mark[at] = generation;
      visits++;
      switch (ops[at]) {
        case OP_CHAR:
          list[count++] = at;
          break;
        case OP_MATCH:
          return -1;
        case OP_JMP:
          if (mark[x[at]] !== generation) stack[top++] = x[at];
          break;
        case OP_SPLIT:
          if (mark[y[at]] !== generation) stack[top++] = y[at];
          if (mark[x[at]] !== generation) stack[top++] = x[at];
          break;
        case OP_ASSERT:
          if (assertionHolds(x[at], input, pos)) stack[top++] = at + 1;
          break;
      }
    }
    return count;
  }
}

function assertionHolds(kind: number, input: string, pos: number): boolean {
  switch (kind) {
    case 0: return pos === 0;
    case 1: return pos === input.length;
    default: {
      const before = pos > 0 && isWordUnit(input.charCodeAt(pos - 1));
      const after = pos < input.length && isWordUnit(input.charCodeAt(pos));
      return (before !== after) === (kind === 2);
    }
  }
}
