/**
 * @module
 * Bad input through the whole stack answers 4xx problem+json, never a 5xx: the edge refuses what it can see
 * (types, truncation, shape of the request) and maps what only the backend can see (undecodable pixels) to 422.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, call, dataUrl, defined, expectProblem, postJson, toBase64 } from './helpers.ts';

const fixtures = inject('fixtures');
const png = defined(
  fixtures.find((item) => item.imageType === 'image/png'),
  'a PNG fixture',
);
const taskId = `bad-input-${crypto.randomUUID().slice(0, 8)}`;

/** A PNG whose chunk structure is intact but whose compressed pixel data is garbage: only a decoder notices. */
function corruptPixels(base64: string): string {
  const bytes = bytesOf(base64);
  const view = new DataView(bytes.buffer);
  for (let offset = 8; offset < bytes.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (type === 'IDAT') bytes.fill(0x55, offset + 8, offset + 8 + length);
    offset += 12 + length;
  }
  return toBase64(bytes);
}

beforeAll(async () => {
  expect((await postJson('/v1/tasks', { id: taskId, labels: ['red', 'blue'] })).status).toBe(201);
});

describe('bad input, end to end', () => {
  it('refuses PNG bytes labelled as JPEG (415)', async () => {
    const response = await postJson('/v1/classify', {
      task: taskId,
      inputs: { image: dataUrl('image/jpeg', png.image) },
    });
    await expectProblem(response, 415);
  });

  it('refuses a truncated PNG (422)', async () => {
    const truncated = toBase64(bytesOf(png.image).subarray(0, 200));
    const response = await postJson('/v1/classify', { task: taskId, inputs: { image: truncated } });
    await expectProblem(response, 422);
  });

  it('maps an image only the backend can see is broken to 422, not 5xx', async () => {
    const response = await postJson(`/v1/tasks/${taskId}/examples`, {
      examples: [{ label: 'red', inputs: { image: dataUrl('image/png', corruptPixels(png.image)) } }],
    });
    await expectProblem(response, 422);
  });

  it('refuses an empty body, malformed JSON and a wrong shape (400)', async () => {
    await expectProblem(await call('/v1/classify', { method: 'POST' }), 400);
    await expectProblem(
      await call('/v1/classify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"task": ',
      }),
      400,
    );
    await expectProblem(await postJson('/v1/classify', { task: 42, inputs: 'text' }), 400);
  });

  it('answers 404 for an unknown task', async () => {
    const response = await postJson('/v1/classify', { task: 'no-such-task', inputs: { text: 'red' } });
    await expectProblem(response, 404);
  });

  it('answers 400 for an unknown modality and lists the known ones', async () => {
    const response = await postJson('/v1/classify', { task: taskId, inputs: { smell: 'roses' } });
    const problem = await expectProblem(response, 400);
    expect(problem.detail).toMatch(/text/);
    expect(problem.detail).toMatch(/image/);
    expect(problem.detail).toMatch(/audio/);
  });
});
