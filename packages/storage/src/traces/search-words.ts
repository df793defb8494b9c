/**
 * The words of the search index (traces/search-index.ts). A row's text (name, input, output)
 * is indexed by the distinct words in it — maximal runs of letters, digits and combining marks,
 * case-folded — each as a 32-bit key hashed with the project's id, so one project's words never
 * share a key with another's (but for hash collisions, which only add candidates: every
 * candidate is checked by the search's own predicate). Real English has about four times fewer
 * distinct words than trigrams per row, and an integer key costs an index far less than a
 * trigram's (bench/RESULTS.md).
 *
 * A search is a substring, not a word: `ello wor` is in `hello world`. Its words say which
 * words a matching row must have: one with separators on both sides in the search is a whole
 * word of the row; the first may be the end of a longer word (a suffix), the last the start of
 * one (a prefix), and a search that is one run of word characters may sit anywhere inside one
 * (an infix). Prefixes, suffixes and infixes are expanded through the project's vocabulary
 * (`search_words`, every word indexed, kept by the same steps) into the words that have them.
 * Words longer than LONG_WORD characters (base64 and the like) are not in the vocabulary: a row
 * holding one carries the LONG key instead, which every partial word of a search also accepts.
 */

/** Words longer than this are indexed only as "some long word" (the LONG key). */
export const LONG_WORD = 64;

/** A search word expanding to more vocabulary words than this does not narrow the search. */
export const MAX_EXPANSION = 512;

const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c < 58; c++) ASCII_WORD[c] = 1;
for (let c = 65; c < 91; c++) ASCII_WORD[c] = 1;
for (let c = 97; c < 123; c++) ASCII_WORD[c] = 1;

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const MARK = /^\p{M}$/u;

/** fold()'s answer for a combining mark: part of the word it is in, but not spelled in the index. */
const IGNORED = -2;

/** A non-ASCII code point's folded form and whether it is a word character, remembered. */
const folded = new Map<number, number>();
const FOLDED_CAP = 65_536;

/**
 * The code point's case fold: the first code point of its lower case (`İ` → `i`), -1 when it is
 * not a word character once folded, IGNORED for a combining mark (so `İ` and the `i̇` that ICU's
 * `lower()` makes of it are one word). Folding at least as far as both engines'
 * case-insensitive match (SQLite's LIKE folds ASCII only, PostgreSQL's ILIKE compares `lower()`)
 * keeps every match a candidate: a coarser fold only adds candidates.
 */
function fold(cp: number): number {
  if (cp < 128) return ASCII_WORD[cp] === 0 ? -1 : cp >= 65 && cp <= 90 ? cp + 32 : cp;
  const known = folded.get(cp);
  if (known !== undefined) return known;
  const ch = String.fromCodePoint(cp);
  const lower = ch.toLowerCase().codePointAt(0)!;
  const out = MARK.test(ch) ? IGNORED : WORD_CHAR.test(String.fromCodePoint(lower)) ? lower : -1;
  if (folded.size < FOLDED_CAP) folded.set(cp, out);
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's UTF-16 code units, continued from `h`. */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a of one code point's UTF-16 code units, continued from `h`. */
function fnvCodePoint(h: number, cp: number): number {
  if (cp < 0x10000) return Math.imul(h ^ cp, FNV_PRIME);
  const v = cp - 0x10000;
  h = Math.imul(h ^ (0xd800 + (v >> 10)), FNV_PRIME);
  return Math.imul(h ^ (0xdc00 + (v & 0x3ff)), FNV_PRIME);
}

/** The hash state a project's keys start from. */
export const projectSeed = (projectId: string): number => fnv(FNV_OFFSET, `${projectId}\u0000`);

/** A folded word's key in a project. */
export const wordKey = (seed: number, word: string): number => fnv(seed, word) | 0;

/** The key of rows holding a word longer than LONG_WORD (no word hashes to it but by collision). */
export const longKey = (seed: number): number => fnv(seed, '\u0000long') | 0;

/** The folded form of a run of word characters (as the index spells it). */
export function foldWord(word: string): string {
  let out = '';
  for (const ch of word) {
    const f = fold(ch.codePointAt(0)!);
    if (f !== IGNORED) out += String.fromCodePoint(f < 0 ? ch.codePointAt(0)! : f);
  }
  return out;
}

/** ASCII's folds (fold() for code points under 128), for the hot loop. */
const ASCII_FOLD = Int16Array.from({ length: 128 }, (_, c) => fold(c));

/**
 * Adds the keys of the words in `text` to `keys`, and each word not yet in `words` (by key) to
 * it, folded — the vocabulary the step writes. Words over LONG_WORD characters add the LONG key.
 */
export function addWords(seed: number, text: string, keys: Set<number>, words?: Map<number, string>): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Skip separators.
    let c = text.charCodeAt(i);
    let width = 1;
    let f: number;
    if (c < 128) f = ASCII_FOLD[c];
    else {
      if (c >= 0xd800 && c < 0xdc00) c = text.codePointAt(i)!;
      width = c > 0xffff ? 2 : 1;
      f = fold(c);
    }
    if (f === -1) {
      i += width;
      continue;
    }
    // A word: hash its folded code points until the next separator (marks are in it, not hashed).
    const start = i;
    let h = seed;
    let length = 0;
    for (;;) {
      if (f === IGNORED) {
        // Not spelled: nothing to hash.
      } else if (f < 0x10000) {
        h = Math.imul(h ^ f, FNV_PRIME);
        length++;
      } else {
        h = fnvCodePoint(h, f);
        length++;
      }
      i += width;
      if (i >= n) break;
      c = text.charCodeAt(i);
      width = 1;
      if (c < 128) f = ASCII_FOLD[c];
      else {
        if (c >= 0xd800 && c < 0xdc00) c = text.codePointAt(i)!;
        width = c > 0xffff ? 2 : 1;
        f = fold(c);
      }
      if (f === -1) break;
    }
    if (length === 0) continue;
    if (length > LONG_WORD) {
      keys.add(longKey(seed));
      continue;
    }
    h |= 0;
    const before = keys.size;
    keys.add(h);
    if (words && keys.size > before && !words.has(h)) words.set(h, foldWord(text.slice(start, i)));
  }
}

/** How a search word must appear in a matching row. */
export type WordMode = 'exact' | 'prefix' | 'suffix' | 'infix';

export interface SearchWord {
  /** Folded. */
  word: string;
  mode: WordMode;
}

/**
 * The words of a search, each with how a row holding the search holds it: a word with a
 * separator before it in the search starts a word of the row, one with a separator after it
 * ends one. Empty when the search has no word characters.
 */
export function searchWords(search: string): SearchWord[] {
  const out: { word: string; before: boolean; after: boolean }[] = [];
  let word = '';
  let sawSeparator = false;
  for (const ch of search) {
    const f = fold(ch.codePointAt(0)!);
    if (f === IGNORED) continue;
    if (f >= 0) {
      if (word === '') out.push({ word: '', before: sawSeparator, after: false });
      word += String.fromCodePoint(f);
      out[out.length - 1].word = word;
    } else {
      if (word !== '') out[out.length - 1].after = true;
      word = '';
      sawSeparator = true;
    }
  }
  return out.map(({ word: w, before, after }) => ({ word: w, mode: before && after ? 'exact' : before ? 'prefix' : after ? 'suffix' : 'infix' }));
}

/** The number of code points of a word (its length as the index counts it). */
export const wordLength = (word: string): number => {
  let n = 0;
  for (const _ of word) n++;
  return n;
};

/**
 * The smallest string above every string starting with `prefix` in code point (and UTF-8
 * byte) order, for a range scan of the vocabulary; null when there is none (all U+10FFFF).
 */
export function prefixEnd(prefix: string): string | null {
  const cps = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (cps.length > 0) {
    const last = cps.pop()!;
    let next = last + 1;
    if (next >= 0xd800 && next < 0xe000) next = 0xe000;
    if (next <= 0x10ffff) return String.fromCodePoint(...cps, next);
  }
  return null;
}

/** The sorted index keys of a row's texts and its words (as `addWords` finds them). */
export function rowKeys(projectId: string, texts: readonly unknown[]): { keys: number[]; words: string[] } {
  const keys = new Set<number>();
  const words = new Map<number, string>();
  const seed = projectSeed(projectId);
  for (const t of texts) if (typeof t === 'string') addWords(seed, t, keys, words);
  return { keys: [...keys].sort((a, b) => a - b), words: [...words.values()] };
}
