import { describe, expect, it } from 'vitest';
import { LONG_WORD, longKey, prefixEnd, projectSeed, rowKeys, searchWords, wordKey } from './search-words.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces texts are made of: words in several scripts and cases, digits, marks, emoji,
// punctuation, JSON escapes, underscores, and words longer than LONG_WORD.
const PIECES = [
  'the', 'The', 'THE', 'answer', 'Answers', 'zebra', 'ZEBRAFISH', 'İstanbul', 'istanbul', 'straße', 'STRASSE', 'Ωμέγα', 'ωμέγα', 'naïve', 'nai\u0308ve',
  '東京', 'données', 'ÉCOLE', 'x1', '42', '3.14', 'user_id', 'req-123', '🦊', '🦊fox', 'a', 'I', 'ǅungla', '\\n', '\\"q\\"', '{"k":"v"}', ' ', ' ', ' ', '  ', '\n',
  ',', '.', '-', '_', '/', 'K', '\u212a', 'x'.repeat(LONG_WORD), 'y'.repeat(LONG_WORD + 1), `z${'q'.repeat(LONG_WORD + 10)}z`,
];

function text(rnd: () => number, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) out += PIECES[Math.floor(rnd() * PIECES.length)];
  return out;
}

/** Flips the case of some ASCII letters (what both engines' case-insensitive matches ignore). */
function recase(rnd: () => number, s: string): string {
  return Array.from(s, (c) => (/[a-z]/i.test(c) && rnd() < 0.5 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
}

describe('search words', () => {
  it('splits a search into whole words, prefixes, suffixes and infixes by the separators around each', () => {
    expect(searchWords('zebra')).toEqual([{ word: 'zebra', mode: 'infix' }]);
    expect(searchWords('ello wor')).toEqual([{ word: 'ello', mode: 'suffix' }, { word: 'wor', mode: 'prefix' }]);
    expect(searchWords('a Big cat')).toEqual([{ word: 'a', mode: 'suffix' }, { word: 'big', mode: 'exact' }, { word: 'cat', mode: 'prefix' }]);
    expect(searchWords(' "question":"Tell')).toEqual([{ word: 'question', mode: 'exact' }, { word: 'tell', mode: 'prefix' }]);
    expect(searchWords('İSTANBUL.')).toEqual([{ word: 'istanbul', mode: 'suffix' }]);
    expect(searchWords('%%% ***')).toEqual([]);
  });

  it('keys a word by its project: the same word in two projects has two keys', () => {
    const a = rowKeys('project-a', ['Zebra']);
    const b = rowKeys('project-b', ['zebra']);
    expect(a.words).toEqual(['zebra']);
    expect(a.keys).toEqual([wordKey(projectSeed('project-a'), 'zebra')]);
    expect(b.keys).not.toEqual(a.keys);
    expect(rowKeys('project-a', ['ZEBRA zebra, Zebra!']).keys).toEqual(a.keys);
    // A word over LONG_WORD characters is not a vocabulary word: the row holds the LONG key instead.
    const long = rowKeys('project-a', [`ok ${'q'.repeat(LONG_WORD + 1)}`]);
    expect(long.words).toEqual(['ok']);
    expect(long.keys).toContain(longKey(projectSeed('project-a')));
  });

  it('bounds a prefix range from above in code point order', () => {
    expect(prefixEnd('abc')).toBe('abd');
    expect(prefixEnd('az')).toBe('a{');
    expect(prefixEnd('a\u{10ffff}')).toBe('b');
    expect(prefixEnd('\u{10ffff}')).toBeNull();
    expect(prefixEnd('a\ud7ff')).toBe('a\ue000');
  });

  // The property the index rests on: for any substring of any text (in any ASCII case), every
  // condition the search's words set holds for the text's words — else a match would be lost.
  it('every substring of a text, in any case, sets only conditions the text meets', () => {
    const rnd = random(18);
    let checked = 0;
    for (let doc = 0; doc < 400; doc++) {
      const t = text(rnd, 1 + Math.floor(rnd() * 14));
      const project = `p${doc % 3}`;
      const seed = projectSeed(project);
      const { keys, words } = rowKeys(project, [t]);
      const held = new Set(keys);
      const chars = Array.from(t);
      for (let k = 0; k < 20; k++) {
        const from = Math.floor(rnd() * chars.length);
        const to = from + 1 + Math.floor(rnd() * Math.min(30, chars.length - from));
        const q = recase(rnd, chars.slice(from, to).join(''));
        for (const w of searchWords(q)) {
          checked++;
          const tooLong = Array.from(w.word).length > LONG_WORD;
          const ok = tooLong
            ? held.has(longKey(seed))
            : w.mode === 'exact'
              ? held.has(wordKey(seed, w.word))
              : held.has(longKey(seed)) ||
                words.some((v) => (w.mode === 'prefix' ? v.startsWith(w.word) : w.mode === 'suffix' ? v.endsWith(w.word) : v.includes(w.word)));
          if (!ok) throw new Error(`${JSON.stringify(q)} in ${JSON.stringify(t)}: ${w.mode} ${JSON.stringify(w.word)} not met by ${JSON.stringify(words)}`);
          if (!tooLong && w.mode !== 'exact') expect(words.every((v) => held.has(wordKey(seed, v)))).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
