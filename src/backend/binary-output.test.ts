/**
 * @module
 * Reading infer answers with binary outputs (Triton's extension): float32 tails after the JSON header, several
 * outputs in order, a plain JSON answer from a backend that ignores the ask, and truncated or mistyped tails
 * refused as bad responses. The real backend's binary answers: every e2e test that embeds.
 */
import { describe, expect, it } from 'vitest';
import { readInferResponse } from './binary-output.ts';
import { readEmbeddings } from './wire.ts';

function binaryAnswer(header: object, tails: Uint8Array[], declared?: number): Response {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const body = new Uint8Array(head.length + tails.reduce((sum, tail) => sum + tail.length, 0));
  body.set(head);
  let offset = head.length;
  for (const tail of tails) {
    body.set(tail, offset);
    offset += tail.length;
  }
  const headers = { 'inference-header-content-length': String(declared ?? head.length) };
  return new Response(body, { headers });
}

const floats = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

const output = (name: string, shape: number[], size: number, datatype = 'FP32') => ({
  name,
  shape,
  datatype,
  parameters: { binary_data_size: size },
});

describe('binary infer answers', () => {
  it('reads float32 tails in order, each into its output', async () => {
    const header = {
      model_name: 'm',
      outputs: [
        output('first', [1, 2], 8),
        { name: 'json', shape: [1], datatype: 'INT32', data: [7] },
        output('embedding', [2, 3], 24),
      ],
    };
    const read = await readInferResponse(binaryAnswer(header, [floats([9, 8]), floats([1, 2, 3, 4, 5, 6])]));
    expect(read.outputs[1]?.data).toEqual([7]);
    const vectors = readEmbeddings(read, 'embedding', 2);
    expect(vectors.map((vector) => [...vector])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('reads a plain JSON answer as before', async () => {
    const body = {
      model_name: 'm',
      outputs: [{ name: 'embedding', shape: [1, 2], datatype: 'FP32', data: [0.5, 1] }],
    };
    const read = await readInferResponse(Response.json(body));
    expect([...(readEmbeddings(read, 'embedding', 1)[0] ?? [])]).toEqual([0.5, 1]);
  });

  it.each([
    [
      'a tail shorter than declared',
      { model_name: 'm', outputs: [output('embedding', [1, 3], 12)] },
      [floats([1, 2])],
    ],
    [
      'a binary output that is not FP32',
      { model_name: 'm', outputs: [output('embedding', [1, 2], 8, 'INT32')] },
      [floats([1, 2])],
    ],
    [
      'a size that is not whole floats',
      { model_name: 'm', outputs: [output('embedding', [1, 1], 3)] },
      [floats([1])],
    ],
    ['no outputs', { model_name: 'm' }, []],
  ])('refuses %s as a bad response', async (_, header, tails) => {
    await expect(readInferResponse(binaryAnswer(header, tails))).rejects.toMatchObject({
      name: 'BackendError',
      kind: 'bad-response',
    });
  });

  it('refuses a header longer than the body', async () => {
    const answer = binaryAnswer({ model_name: 'm', outputs: [] }, [], 10_000);
    await expect(readInferResponse(answer)).rejects.toMatchObject({ kind: 'bad-response' });
  });
});
