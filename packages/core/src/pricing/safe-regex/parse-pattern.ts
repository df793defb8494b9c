import { complementRanges, DIGIT, LINE_TERMINATORS, normalizeRanges, SPACE, WORD, type Ranges } from './char-set.js';

export type Assertion = 'start' | 'end' | 'boundary' | 'non-boundary';

/**
 * A set node holds its members in `ranges`; `folds` are those written as characters or
 * ranges, which case-insensitivity widens. Class escapes (`\d \w \s`, their negations, `.`)
 * are already closed under JavaScript's case folding and need no widening.
 */
export type PatternNode =
  | { kind: 'set'; ranges: Ranges; folds: Ranges; negate: boolean }
  | { kind: 'seq'; items: PatternNode[] }
  | { kind: 'alt'; options: PatternNode[] }
  | { kind: 'repeat'; node: PatternNode; min: number; max: number }
  | { kind: 'assert'; assertion: Assertion };

/** A pattern outside the supported syntax; the message names the rule and the position. */
export class PatternError extends Error {}

/** The largest bound of a `{m,n}` repetition. */
export const MAX_REPEAT = 100;

const CLASS_ESCAPES = new Map<string, Ranges>([
  ['d', DIGIT], ['D', complementRanges(DIGIT)], ['w', WORD], ['W', complementRanges(WORD)], ['s', SPACE], ['S', complementRanges(SPACE)],
]);
const CONTROL_ESCAPES = new Map([['n', 0x0a], ['r', 0x0d], ['t', 0x09], ['f', 0x0c], ['v', 0x0b]]);
const HEX = /^[0-9a-fA-F]+$/;
const BOUNDS = /^\{(\d+)(,(\d*))?\}/;

const literal = (unit: number): PatternNode => ({ kind: 'set', ranges: [unit, unit], folds: [unit, unit], negate: false });

/**
 * Parses the supported subset of JavaScript regular-expression syntax (without flags): the
 * constructs a linear-time automaton can run. Everything else is refused with a PatternError
 * rather than guessed at, so a pattern either means what JavaScript means or is not accepted.
 */
export function parsePattern(source: string): PatternNode {
  return new Parser(source).parse();
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): PatternNode {
    const node = this.disjunction();
    if (this.pos < this.src.length) throw this.fail('unmatched ")"');
    return node;
  }

  private fail(rule: string, at = this.pos): PatternError {
    return new PatternError(`${rule} (at character ${at + 1})`);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private disjunction(): PatternNode {
    const options = [this.alternative()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.alternative());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private alternative(): PatternNode {
    const items: PatternNode[] = [];
    while (this.pos < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.term());
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  }

  private term(): PatternNode {
    const assertion = this.assertion();
    if (assertion) {
      if ('*+?'.includes(this.peek() ?? '.') || BOUNDS.test(this.src.slice(this.pos))) throw this.fail('^, $, \\b and \\B cannot be repeated');
      return { kind: 'assert', assertion };
    }
    const atom = this.atom();
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') return this.bounded(atom);
    else return atom;
    this.pos++;
    if (this.peek() === '?') this.pos++; // lazy and greedy accept the same strings
    return { kind: 'repeat', node: atom, min, max };
  }

  private bounded(node: PatternNode): PatternNode {
    const m = BOUNDS.exec(this.src.slice(this.pos));
    if (!m) throw this.fail('"{" must start a {m}, {m,} or {m,n} repetition, or be escaped as "\\{"');
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (max < min) throw this.fail('a {m,n} repetition needs m <= n');
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw this.fail(`{m,n} repetition bounds must be at most ${MAX_REPEAT}`);
    this.pos += m[0].length;
    if (this.peek() === '?') this.pos++;
    return { kind: 'repeat', node, min, max };
  }

  private assertion(): Assertion | null {
    const c = this.peek();
    if (c === '^' || c === '$') {
      this.pos++;
      return c === '^' ? 'start' : 'end';
    }
    if (c === '\\' && (this.peek(1) === 'b' || this.peek(1) === 'B')) {
      this.pos += 2;
      return this.src[this.pos - 1] === 'b' ? 'boundary' : 'non-boundary';
    }
    return null;
  }

  private atom(): PatternNode {
    const c = this.src[this.pos];
    switch (c) {
      case '.':
        this.pos++;
        return { kind: 'set', ranges: LINE_TERMINATORS, folds: [], negate: true };
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\': {
        const at = this.pos;
        const e = this.escapeLetter();
        const set = CLASS_ESCAPES.get(e);
        return set ? { kind: 'set', ranges: set, folds: [], negate: false } : literal(this.escapedUnit(e, at, false));
      }
      case '*':
      case '+':
      case '?':
      case '{':
        throw this.fail(`nothing to repeat before "${c}"; escape it as "\\${c}" to match it`);
      default:
        this.pos++;
        return literal(c.charCodeAt(0));
    }
  }

  private group(): PatternNode {
    const open = this.pos++;
    if (this.peek() === '?') {
      const head = this.src.slice(this.pos, this.pos + 3);
      if (head.startsWith('?:')) this.pos += 2;
      else if (/^\?(=|!|<=|<!)/.test(head)) throw this.fail('lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported', open);
      else if (head === '?i)') throw this.fail('(?i) is supported only at the start of the pattern', open);
      else throw this.fail('only plain (…) and non-capturing (?:…) groups are supported', open);
    }
    const inner = this.disjunction();
    if (this.peek() !== ')') throw this.fail('unclosed "("', open);
    this.pos++;
    return inner;
  }

  private characterClass(): PatternNode {
    const open = this.pos++;
    const negate = this.peek() === '^';
    if (negate) this.pos++;
    const pairs: number[] = [];
    const folds: number[] = [];
    for (;;) {
      if (this.pos >= this.src.length) throw this.fail('unclosed "["', open);
      if (this.peek() === ']') break;
      const first = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== undefined && this.peek(1) !== ']') {
        const dash = this.pos++;
        const last = this.classAtom();
        if (typeof first !== 'number' || typeof last !== 'number') throw this.fail('a range in [...] must be between two single characters', dash);
        if (first > last) throw this.fail('a range in [...] must not be out of order', dash);
        pairs.push(first, last);
        folds.push(first, last);
      } else if (typeof first === 'number') {
        pairs.push(first, first);
        folds.push(first, first);
      } else pairs.push(...first);
    }
    this.pos++;
    return { kind: 'set', ranges: normalizeRanges(pairs), folds: normalizeRanges(folds), negate };
  }

  private classAtom(): number | Ranges {
    if (this.peek() !== '\\') return this.src.charCodeAt(this.pos++);
    const at = this.pos;
    const e = this.escapeLetter();
    return CLASS_ESCAPES.get(e) ?? this.escapedUnit(e, at, true);
  }

  /** Consumes a backslash and the character after it, which it returns. */
  private escapeLetter(): string {
    const e = this.peek(1);
    if (e === undefined) throw this.fail('a pattern must not end with "\\"');
    this.pos += 2;
    return e;
  }

  /** The code unit a character escape stands for; `at` is the backslash's position. */
  private escapedUnit(e: string, at: number, inClass: boolean): number {
    const control = CONTROL_ESCAPES.get(e);
    if (control !== undefined) return control;
    if (e === 'b' && inClass) return 0x08;
    if (e === '0' && !/[0-9]/.test(this.peek() ?? '')) return 0;
    if (e === 'x' || e === 'u') {
      const digits = this.src.slice(this.pos, this.pos + (e === 'x' ? 2 : 4));
      if (digits.length !== (e === 'x' ? 2 : 4) || !HEX.test(digits)) throw this.fail(`"\\${e}" must be followed by ${e === 'x' ? 2 : 4} hex digits`, at);
      this.pos += digits.length;
      return parseInt(digits, 16);
    }
    if (/[0-9]/.test(e)) throw this.fail(`backreferences and octal escapes ("\\${e}") are not supported`, at);
    if (/[A-Za-z]/.test(e)) throw this.fail(`unsupported escape "\\${e}"`, at);
    return e.charCodeAt(0);
  }
}
