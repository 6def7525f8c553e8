/**
 * @module
 * The lexical hashed n-gram tokeniser of the `text-hash-256` model (fastText-style subwords, no vocabulary):
 *
 * 1. NFKC, then lower case (compatibility forms and case do not change meaning here);
 * 2. words are maximal runs of letters, digits and combining marks (`[\p{L}\p{M}\p{N}]+`; marks are included so
 *    that scripts whose vowel signs are marks, such as Devanagari or Thai, are not cut mid-word);
 * 3. each word yields, in text order, the token `w:<word>` (weight 1) then the character 3- to 5-grams of
 *    `<word>` counted in code points, `g:<gram>` (weight 1/k each for the word's k n-grams). The word's identity
 *    and its spelling therefore weigh the same, and every word weighs 2 in total whatever its length, so long
 *    words do not drown short ones while typos and inflections still share most of their n-grams;
 * 4. text with no word at all (only punctuation, symbols or emoji) yields `c:<character>` (weight 1) for each
 *    character that is not white space, so no non-empty text has an empty input;
 * 5. each token's UTF-8 is hashed with FNV-1a (32-bit) to the id `1 + h mod (buckets − 1)`: 0 stays the padding
 *    id, and the prefixes `w:`, `g:`, `c:` keep the three kinds apart (a word `cat` and its n-gram `<cat>` differ);
 * 6. the list is cut after `maxTokens` ids, so a long text keeps its beginning, as transformer tokenisers do.
 *
 * Pure and deterministic: the same text gives the same ids on every machine.
 */

export interface HashingOptions {
  /** Rows of the model's hashed embedding table; ids are in [1, buckets). */
  readonly buckets: number;
  /** Most ids kept. */
  readonly maxTokens: number;
}

export interface HashedTokens {
  readonly ids: number[];
  readonly weights: number[];
}

const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;
const whiteSpace = /\p{White_Space}/u;
const minGram = 3;
const maxGram = 5;
const encoder = new TextEncoder();

/** FNV-1a, 32-bit, over bytes; an unsigned integer. */
export function fnv1a32(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return hash >>> 0;
}

/** The character n-grams (`minGram`..`maxGram` code points) of `<word>`, fastText-style, made lazily. */
export function* characterNgrams(word: string): Generator<string> {
  const chars = Array.from(`<${word}>`);
  for (let n = minGram; n <= maxGram; n++) {
    for (let start = 0; start + n <= chars.length; start++) {
      yield chars.slice(start, start + n).join('');
    }
  }
}

/** How many n-grams {@link characterNgrams} yields for a word of `length` code points. */
function ngramCount(length: number): number {
  let count = 0;
  for (let n = minGram; n <= maxGram; n++) count += Math.max(0, length + 2 - n + 1);
  return count;
}

/** Tokens with their weights, in text order; lazy, so a long text costs only the tokens kept. */
export function* weightedTokens(text: string): Generator<[token: string, weight: number]> {
  const normalised = text.normalize('NFKC').toLowerCase();
  let hasWords = false;
  for (const [word] of normalised.matchAll(wordPattern)) {
    hasWords = true;
    yield [`w:${word}`, 1];
    const weight = 1 / ngramCount(Array.from(word).length);
    for (const gram of characterNgrams(word)) yield [`g:${gram}`, weight];
  }
  if (hasWords) return;
  for (const char of normalised) {
    if (!whiteSpace.test(char)) yield [`c:${char}`, 1];
  }
}

/** Hashes `text` to ids and weights (see the module's definition). Empty only for empty or white-space text. */
export function hashTokens(text: string, { buckets, maxTokens }: HashingOptions): HashedTokens {
  const ids: number[] = [];
  const weights: number[] = [];
  for (const [token, weight] of weightedTokens(text)) {
    if (ids.length === maxTokens) break;
    ids.push(1 + (fnv1a32(encoder.encode(token)) % (buckets - 1)));
    weights.push(weight);
  }
  return { ids, weights };
}
