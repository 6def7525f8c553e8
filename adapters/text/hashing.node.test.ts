import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterNgrams, fnv1a32, hashTokens, weightedTokens } from './hashing.ts';

const options = { buckets: 32_768, maxTokens: 512 };
const utf8 = new TextEncoder();

describe('fnv1a32', () => {
  it('matches the reference values of FNV-1a 32-bit', () => {
    expect(fnv1a32(new Uint8Array(0))).toBe(0x811c9dc5);
    expect(fnv1a32(utf8.encode('a'))).toBe(0xe40c292c);
    expect(fnv1a32(utf8.encode('foobar'))).toBe(0xbf9cf968);
  });
});

describe('characterNgrams', () => {
  it('yields the 3- to 5-grams of <word> in code points', () => {
    expect([...characterNgrams('cat')]).toEqual(['<ca', 'cat', 'at>', '<cat', 'cat>', '<cat>']);
    expect([...characterNgrams('a')]).toEqual(['<a>']);
    // An astral character is one code point, not two UTF-16 units.
    expect([...characterNgrams('𝒳y')]).toEqual(['<𝒳y', '𝒳y>', '<𝒳y>']);
  });
});

describe('weightedTokens', () => {
  it('gives each word weight 1 and shares weight 1 among its n-grams', () => {
    const tokens = [...weightedTokens('Cat')];
    expect(tokens[0]).toEqual(['w:cat', 1]);
    expect(tokens.slice(1).map(([token]) => token)).toEqual([
      'g:<ca',
      'g:cat',
      'g:at>',
      'g:<cat',
      'g:cat>',
      'g:<cat>',
    ]);
    const ngramWeight = tokens.slice(1).reduce((sum, [, weight]) => sum + weight, 0);
    expect(ngramWeight).toBeCloseTo(1, 12);
  });

  it('folds case and compatibility forms (NFKC) and keeps accents', () => {
    const words = (text: string) =>
      [...weightedTokens(text)].filter(([t]) => t.startsWith('w:')).map(([t]) => t);
    expect(words('ＣＡＦÉ ﬁne')).toEqual(['w:café', 'w:fine']);
    expect(words('Café')).not.toEqual(words('Cafe'));
  });

  it('keeps combining marks inside words and splits on punctuation', () => {
    const words = [...weightedTokens('नमस्ते, world-42!')].filter(([t]) => t.startsWith('w:')).map(([t]) => t);
    expect(words).toEqual(['w:नमस्ते', 'w:world', 'w:42']);
  });

  it('treats a CJK run as one word and hashes its character n-grams', () => {
    const tokens = [...weightedTokens('東京タワー')];
    expect(tokens[0]).toEqual(['w:東京タワー', 1]);
    expect(tokens).toContainEqual(['g:東京タ', expect.any(Number)]);
  });

  it('falls back to characters when the text has no word', () => {
    expect([...weightedTokens('😀 !?')]).toEqual([
      ['c:😀', 1],
      ['c:!', 1],
      ['c:?', 1],
    ]);
    expect([...weightedTokens(' \n\t')]).toEqual([]);
  });
});

describe('hashTokens', () => {
  it('is deterministic and keeps ids in [1, buckets)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.integer({ min: 2, max: 1000 }),
        (text, buckets) => {
          const first = hashTokens(text, { buckets, maxTokens: 64 });
          expect(hashTokens(text, { buckets, maxTokens: 64 })).toEqual(first);
          expect(first.ids.every((id) => Number.isInteger(id) && id >= 1 && id < buckets)).toBe(true);
          expect(first.weights.every((w) => w > 0 && w <= 1)).toBe(true);
        },
      ),
    );
  });

  it('pins the ids of a known text, so that a change of the hash is noticed', () => {
    expect(hashTokens('Hello', options).ids.slice(0, 3)).toEqual([
      1 + (fnv1a32(utf8.encode('w:hello')) % 32_767),
      1 + (fnv1a32(utf8.encode('g:<he')) % 32_767),
      1 + (fnv1a32(utf8.encode('g:hel')) % 32_767),
    ]);
  });

  it('gives no empty input for any text that is not white space', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (text) => {
        fc.pre(text.normalize('NFKC').trim() !== '');
        expect(hashTokens(text, options).ids.length).toBeGreaterThan(0);
      }),
    );
  });

  it('respects the cap, keeping the beginning of the text', () => {
    const long = 'lorem ipsum dolor '.repeat(1000);
    const { ids, weights } = hashTokens(long, { buckets: 1024, maxTokens: 10 });
    expect(ids).toHaveLength(10);
    expect(weights).toHaveLength(10);
    expect(ids).toEqual(hashTokens('lorem ipsum', { buckets: 1024, maxTokens: 10 }).ids);
    expect(hashTokens('a', { buckets: 2, maxTokens: 1 }).ids).toEqual([1]);
  });

  it('shares most n-grams between a word and its misspelling', () => {
    const grams = (text: string) => new Set(hashTokens(text, options).ids.slice(1));
    const right = grams('embedding');
    const typo = grams('embeding');
    const shared = [...typo].filter((id) => right.has(id)).length;
    expect(shared / typo.size).toBeGreaterThan(0.6);
  });
});
