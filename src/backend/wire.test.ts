/**
 * @module
 * Reading the backend's answers: model metadata into model facts, and infer responses into vectors, refusing
 * anything off-protocol as a `bad-response` instead of crashing.
 */
import { describe, expect, it } from 'vitest';
import type { InferResponse, ModelMetadata } from '../../gpu-backend/protocol/types.ts';
import { BackendError } from './errors.ts';
import { modelInfoOf, readEmbeddings, readExtras } from './wire.ts';

const metadata: ModelMetadata = {
  name: 'text-hash-256',
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1] }],
  outputs: [{ name: 'embedding', datatype: 'FP32', shape: [-1, 256] }],
  parameters: { modality: 'text', embedding_output: 'embedding', execution_provider: 'cpu' },
};

function response(shape: number[], data: unknown[], name = 'embedding'): InferResponse {
  return { model_name: 'm', outputs: [{ name, datatype: 'FP32', shape, data: data as number[] }] };
}

describe('modelInfoOf', () => {
  it('reads modality, dimension (from the output shape) and execution provider', () => {
    expect(modelInfoOf(metadata)).toEqual({
      kind: 'embedding',
      id: 'text-hash-256',
      modality: 'text',
      dimension: 256,
      executionProvider: 'cpu',
      embeddingOutput: 'embedding',
      extraOutputs: [],
      maxBatchSize: 32,
    });
  });

  it('reads max_batch_size and created, ignoring values that are not positive whole numbers', () => {
    const given = { ...metadata.parameters, max_batch_size: 8, created: '1764547200' };
    expect(modelInfoOf({ ...metadata, parameters: given })).toMatchObject({
      maxBatchSize: 8,
      created: 1764547200,
    });
    const bad = { ...metadata.parameters, max_batch_size: 0, created: 'soon' };
    const info = modelInfoOf({ ...metadata, parameters: bad });
    expect(info).toMatchObject({ maxBatchSize: 32 });
    expect(info).not.toHaveProperty('created');
  });

  it('takes what BACKEND_MODELS says for what the metadata lacks; the metadata wins where it speaks', () => {
    const configured = {
      modality: 'image',
      embedding_space: 'use-lite',
      max_batch_size: 4,
      embedding_dimension: 9,
    };
    const bare = modelInfoOf({ ...metadata, parameters: undefined }, configured);
    expect(bare).toMatchObject({
      modality: 'image',
      embeddingSpace: 'use-lite',
      maxBatchSize: 4,
      dimension: 9,
    });
    const speaking = modelInfoOf(metadata, configured);
    expect(speaking).toMatchObject({
      modality: 'text',
      embeddingSpace: 'use-lite',
      executionProvider: 'cpu',
    });
  });

  it('prefers the declared embedding_dimension and output name', () => {
    const info = modelInfoOf({
      ...metadata,
      outputs: [{ name: 'pooled', datatype: 'FP32', shape: [-1, -1] }],
      parameters: { modality: 'image', embedding_output: 'pooled', embedding_dimension: '1280' },
    });
    expect(info).toMatchObject({ dimension: 1280, embeddingOutput: 'pooled', executionProvider: 'unknown' });
  });

  it('reads the embedding space a model declares, and none from an empty one', () => {
    const declared = { ...metadata.parameters, embedding_space: 'use-lite' };
    expect(modelInfoOf({ ...metadata, parameters: declared })?.embeddingSpace).toBe('use-lite');
    const empty = { ...metadata.parameters, embedding_space: '' };
    expect(modelInfoOf({ ...metadata, parameters: empty })).not.toHaveProperty('embeddingSpace');
  });

  it('leaves out a model without a modality (a helper such as a VAD)', () => {
    expect(modelInfoOf({ ...metadata, parameters: {} })).toBeUndefined();
    expect(modelInfoOf({ ...metadata, parameters: undefined })).toBeUndefined();
  });

  it('refuses metadata without a name', () => {
    expect(() => modelInfoOf({} as ModelMetadata)).toThrow(BackendError);
  });
});

describe('readEmbeddings', () => {
  it('splits an [N, D] output into N vectors in order', () => {
    const vectors = readEmbeddings(response([2, 3], [1, 2, 3, 4, 5, 6]), 'embedding', 2);
    expect(vectors.map((v) => [...v])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it.each([
    ['a missing output', response([1, 2], [1, 2], 'logits')],
    ['the wrong batch size', response([2, 2], [1, 2, 3, 4])],
    ['too little data', response([1, 3], [1, 2])],
    ['a third dimension', response([1, 1, 2], [1, 2])],
    ['strings for numbers', response([1, 2], ['1', '2'])],
    ['no outputs at all', { model_name: 'm' } as InferResponse],
  ])('refuses %s as a bad response', (_, body) => {
    expect(() => readEmbeddings(body, 'embedding', 1)).toThrow(
      expect.objectContaining({ name: 'BackendError', kind: 'bad-response' }),
    );
  });
});

describe('readExtras', () => {
  const utf8 = (text: string, width: number) => {
    const bytes = [...new TextEncoder().encode(text)];
    return [...bytes, ...Array<number>(width - bytes.length).fill(0)];
  };

  it('reads the extra outputs a model declares, text from zero-padded UTF-8 rows, one number or a row', () => {
    expect(
      modelInfoOf({ ...metadata, parameters: { modality: 'image.text', extra_outputs: 'text,confidence' } }),
    ).toMatchObject({ modality: 'image.text', extraOutputs: ['text', 'confidence'] });
    const answer = {
      model_name: 'm',
      outputs: [
        { name: 'text', datatype: 'UINT8', shape: [2, 8], data: [...utf8('café', 8), ...utf8('', 8)] },
        { name: 'confidence', datatype: 'FP32', shape: [2, 1], data: [0.5, 0] },
        { name: 'frames', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] },
      ],
    } as InferResponse;
    expect(readExtras(answer, ['text', 'confidence', 'frames'], 2)).toEqual([
      { text: 'café', confidence: 0.5, frames: [1, 2] },
      { text: '', confidence: 0, frames: [3, 4] },
    ]);
  });

  it('refuses an extra output that is missing, off-shape or not finite', () => {
    const bad = (output: object) => () =>
      readExtras({ model_name: 'm', outputs: [output] } as InferResponse, ['text'], 2);
    expect(bad({ name: 'other', datatype: 'UINT8', shape: [2, 1], data: [1, 2] })).toThrow(BackendError);
    expect(bad({ name: 'text', datatype: 'UINT8', shape: [3, 1], data: [1, 2, 3] })).toThrow(
      'is not one row per input',
    );
    expect(bad({ name: 'text', datatype: 'UINT8', shape: [2, 1], data: [1, 2, 3] })).toThrow(BackendError);
    expect(bad({ name: 'text', datatype: 'FP32', shape: [2], data: [1, 'x'] })).toThrow(BackendError);
  });
});
