/**
 * @module
 * `POST /v1/classify` at the edge: every refusal (4xx, problem+json, listing what is known), the answer when the
 * task cannot use what was given (422), a down backend (503 with Retry-After), broken files of the media corpus
 * listed as `invalid-input` or refusing their item (strict, or nothing else usable), and a batch answering each
 * item in its place — never a 500. Classifying with embeddings: `classify/pipeline.test.ts` (an in-memory backend)
 * and `test/e2e/` (the real one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, pngBase64, postJson } from '../../test/edge/helpers.ts';
import { createTaughtTask } from '../../test/edge/tasks.ts';
import { corpusFile, dataUrlOf } from '../../test/support/media-corpus.ts';

const png = `data:image/png;base64,${pngBase64}`;

function classify(body: unknown): Promise<Response> {
  return postJson('/v1/classify', body);
}

function form(fields: Record<string, string | File>): RequestInit {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return { method: 'POST', body: data };
}

beforeAll(async () => {
  await postJson('/v1/tasks', {
    id: 'untaught',
    labels: ['red', 'blue'],
    modalities: { audio: false, html: false },
  });
  await createTaughtTask('taught', ['text', 'image']);
});

describe('refusals', () => {
  it('answers 404 for an unknown task', async () => {
    const problem = await expectProblem(await classify({ task: 'nope', inputs: { text: 'red' } }), 404);
    expect(problem.code).toBe('unknown-task');
  });

  it('answers 400 for an unknown modality, listing the registered ones', async () => {
    const problem = await expectProblem(await classify({ task: 'taught', inputs: { smell: 'roses' } }), 400);
    expect(problem).toMatchObject({
      code: 'unknown-modality',
      known: ['text', 'image', 'audio', 'html', 'video'],
    });
    expect(problem.detail).toMatch(/text, image, audio, html, video/);
  });

  it("answers 400 for a modality the task does not have, listing the task's", async () => {
    const problem = await expectProblem(await classify({ task: 'untaught', inputs: { audio: 'AAAA' } }), 400);
    expect(problem).toMatchObject({ code: 'modality-not-in-task', known: ['text', 'image'] });
  });

  it('answers 400 for an unknown fusion strategy, listing the known ones', async () => {
    const body = { task: 'taught', inputs: { text: 'red' }, fusion: { strategy: 'median' } };
    const problem = await expectProblem(await classify(body), 400);
    expect(problem).toMatchObject({
      code: 'unknown-fusion-strategy',
      known: expect.arrayContaining(['vote']),
    });
    const inItem = { task: 'taught', items: [{ inputs: { text: 'red' }, fusion: { strategy: 'mean' } }] };
    expect((await expectProblem(await classify(inItem), 400)).code).toBe('unknown-fusion-strategy');
  });

  it('answers 400 for weights of modalities outside the task, and for negative weights', async () => {
    const unknown = { task: 'untaught', inputs: { text: 'red' }, fusion: { weights: { audio: 1 } } };
    expect((await expectProblem(await classify(unknown), 400)).code).toBe('unknown-modality');
    const negative = { task: 'taught', inputs: { text: 'red' }, fusion: { weights: { text: -1 } } };
    expect((await expectProblem(await classify(negative), 400)).code).toBe('invalid-request');
  });

  it.each([0, -3, 2.5, '5', null])('answers 400 for top_k %j, in the body or an item', async (topK) => {
    const body = { task: 'taught', inputs: { text: 'red' }, top_k: topK };
    const problem = await expectProblem(await classify(body), 400);
    expect(problem).toMatchObject({
      code: 'invalid-request',
      detail: expect.stringMatching(/top_k/) as string,
    });
    const item = { task: 'taught', items: [{ inputs: { text: 'red' }, top_k: topK }] };
    expect((await expectProblem(await classify(item), 400)).code).toBe('invalid-request');
  });

  it.each(['0', '2.5', 'five', ''])('answers 400 for the form field top_k %j', async (topK) => {
    const formed = await call('/v1/classify', form({ task: 'taught', text: 'red', top_k: topK }));
    expect((await expectProblem(formed, 400)).code).toBe('invalid-request');
  });

  it.each([
    ['no body', undefined],
    ['malformed JSON', '{"task": '],
    ['neither inputs nor items', JSON.stringify({ task: 'taught' })],
    ['both inputs and items', JSON.stringify({ task: 'taught', inputs: {}, items: [{ inputs: {} }] })],
    ['inputs that are not strings', JSON.stringify({ task: 'taught', inputs: { text: 42 } })],
    ['an empty batch', JSON.stringify({ task: 'taught', items: [] })],
    [
      'too many items',
      JSON.stringify({ task: 'taught', items: Array(65).fill({ inputs: { text: 'red' } }) }),
    ],
  ])('answers 400 for %s', async (_, body) => {
    const init =
      body === undefined
        ? { method: 'POST' }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    await expectProblem(await call('/v1/classify', init), 400);
  });

  it('answers 415 for PNG bytes declared as JPEG, naming the input', async () => {
    const body = { task: 'taught', inputs: { image: `data:image/jpeg;base64,${pngBase64}` } };
    const problem = await expectProblem(await classify(body), 415);
    expect(problem).toMatchObject({ code: 'type-mismatch', input: 'inputs.image' });
  });

  it('answers 400 for invalid base64 and for URLs it will not fetch', async () => {
    const bad = await expectProblem(await classify({ task: 'taught', inputs: { image: 'iVBOR w0K' } }), 400);
    expect(bad.code).toBe('invalid-base64');
    for (const url of ['http://example.com/a.png', 'https://127.0.0.1/a.png', 'https://localhost/a.png']) {
      const problem = await expectProblem(await classify({ task: 'taught', inputs: { image: url } }), 400);
      expect(problem.code).toBe('url-not-allowed');
    }
  });

  it('answers 502 for an https URL whose name cannot be vetted (the resolver is out of reach: fail closed)', async () => {
    const body = { task: 'taught', inputs: { image: 'https://unreachable.example/a.png' } };
    const problem = await expectProblem(await classify(body), 502);
    expect(problem).toMatchObject({ code: 'dns-resolution-failed', input: 'inputs.image' });
    expect(problem.detail).toMatch(/could not resolve unreachable\.example safely/);
  });

  it('refuses the same through multipart', async () => {
    const unknownTask = await call('/v1/classify', form({ task: 'nope', text: 'red' }));
    await expectProblem(unknownTask, 404);
    const badFusion = await call(
      '/v1/classify',
      form({ task: 'taught', text: 'red', fusion: '{"strategy":' }),
    );
    await expectProblem(badFusion, 400);
    const badStrategy = await call(
      '/v1/classify',
      form({ task: 'taught', text: 'red', fusion: '{"strategy":"x"}' }),
    );
    expect((await expectProblem(badStrategy, 400)).code).toBe('unknown-fusion-strategy');
    const bytes = Uint8Array.from(atob(pngBase64), (char) => char.charCodeAt(0));
    const lying = new File([bytes], 'photo.jpg', { type: 'image/jpeg' });
    await expectProblem(await call('/v1/classify', form({ task: 'taught', image: lying })), 415);
    await expectProblem(await call('/v1/classify', form({ text: 'red' })), 400);
  });

  it('refuses a modality part sent twice in multipart', async () => {
    const data = new FormData();
    data.append('task', 'taught');
    data.append('text', 'red');
    data.append('text', 'blue');
    await expectProblem(await call('/v1/classify', { method: 'POST', body: data }), 400);
  });
});

describe('nothing usable', () => {
  it('answers 422 when the task has no examples for the modalities given, listing why', async () => {
    const problem = await expectProblem(
      await classify({ task: 'untaught', inputs: { text: 'red', image: png } }),
      422,
    );
    expect(problem).toMatchObject({
      code: 'no-usable-modality',
      missing: [
        { modality: 'text', reason: 'no-examples' },
        { modality: 'image', reason: 'no-examples' },
      ],
    });
  });

  it('answers 422 when no input is given at all', async () => {
    const problem = await expectProblem(await classify({ task: 'taught', inputs: {} }), 422);
    expect(problem.missing).toEqual(expect.arrayContaining([{ modality: 'text', reason: 'absent' }]));
  });

  it('answers 503 with Retry-After when the backend is down, single or batch', async () => {
    const single = await classify({ task: 'taught', inputs: { text: 'red', image: png } });
    const problem = await expectProblem(single, 503);
    expect(problem).toMatchObject({ code: 'backend-unavailable' });
    expect(problem.missing).toEqual(
      expect.arrayContaining([expect.objectContaining({ modality: 'text', reason: 'backend-unavailable' })]),
    );
    expect(Number(single.headers.get('retry-after'))).toBeGreaterThan(0);
    const batch = await classify({
      task: 'taught',
      items: [{ inputs: { text: 'red' } }, { inputs: { text: 'b' } }],
    });
    await expectProblem(batch, 503);
  });

  it('times the stages it ran', async () => {
    const response = await classify({ task: 'taught', inputs: { text: 'red' } });
    expect(response.headers.get('server-timing')).toMatch(/normalize;dur=.*backend;dur=.*heads;dur=/);
  });
});

describe('refused inputs', () => {
  // The edge refuses both: a WAV cut inside its fmt chunk (422) and a BMP (415).
  const brokenWav = corpusFile('audio/wav-cut-in-fmt.wav');
  const bmp = corpusFile('image/bmp-imagemagick.bmp');
  const audioRefusal = {
    modality: 'audio',
    reason: 'invalid-input',
    type: '/problems/malformed',
    title: 'Unprocessable Content',
    status: 422,
    code: 'malformed',
    detail: expect.stringMatching(/^inputs\.audio: WAV could not be read/) as string,
  };

  it('lists a broken input as invalid-input with its problem; the backend being down is why the item is a 503', async () => {
    const response = await classify({
      task: 'taught',
      inputs: { text: 'red', image: png, audio: dataUrlOf(brokenWav) },
    });
    const problem = await expectProblem(response, 503);
    expect(problem.missing).toEqual([
      expect.objectContaining({ modality: 'text', reason: 'backend-unavailable' }),
      expect.objectContaining({ modality: 'image', reason: 'backend-unavailable' }),
      audioRefusal,
      { modality: 'html', reason: 'absent' },
    ]);
  });

  it('refuses the item with the broken input when the request is strict', async () => {
    const body = { task: 'taught', inputs: { text: 'red', audio: dataUrlOf(brokenWav) }, strict: true };
    const problem = await expectProblem(await classify(body), 422);
    expect(problem).toMatchObject({
      code: 'malformed',
      input: 'inputs.audio',
      invalid: [{ input: 'inputs.audio', status: 422, code: 'malformed' }],
    });
    expect(problem.detail).toMatch(/^inputs\.audio: WAV could not be read/);
    await expectProblem(await classify({ ...body, strict: 'yes' }), 400);
  });

  it('refuses an item whose every input is broken with the first one, in task order, naming each', async () => {
    const body = { task: 'taught', inputs: { audio: dataUrlOf(brokenWav), image: dataUrlOf(bmp) } };
    const problem = await expectProblem(await classify(body), 415);
    expect(problem).toMatchObject({
      code: 'unsupported-type',
      invalid: [
        { input: 'inputs.image', status: 415, code: 'unsupported-type' },
        { input: 'inputs.audio', status: 422, code: 'malformed' },
      ],
    });
    expect(problem.detail).toMatch(
      /^2 inputs could not be used: inputs\.image: .*; inputs\.audio: WAV could not/,
    );
  });

  it('answers a batch with every item in its place, an unanswerable one as its problem', async () => {
    const response = await classify({
      task: 'taught',
      items: [
        { inputs: { text: 'red' } },
        { inputs: { image: 'data:image/png,raw' } },
        { inputs: { text: 'red', audio: dataUrlOf(brokenWav) } },
      ],
    });
    expect(response.status).toBe(200);
    const items = (await response.json()) as { error: Record<string, unknown> }[];
    expect(items.map((item) => item.error.status)).toEqual([503, 400, 503]);
    expect(items[0]?.error).toMatchObject({
      type: '/problems/backend-unavailable',
      title: 'Service Unavailable',
      code: 'backend-unavailable',
      retryAfter: expect.any(Number) as number,
    });
    expect(items[1]?.error).toMatchObject({ code: 'invalid-data-url', input: 'items[1].inputs.image' });
    expect(items[1]?.error).not.toHaveProperty('instance');
    expect(items[2]?.error.missing).toEqual(
      expect.arrayContaining([
        { ...audioRefusal, detail: expect.stringMatching(/^items\[2\]\.inputs\.audio: /) },
      ]),
    );
  });

  it('takes strict as a multipart field too', async () => {
    const wav = new File([brokenWav.bytes], 'cut.wav', { type: brokenWav.type });
    const strict = await call(
      '/v1/classify',
      form({ task: 'taught', text: 'red', audio: wav, strict: 'true' }),
    );
    expect((await expectProblem(strict, 422)).input).toBe('form.audio');
    const lenient = await call('/v1/classify', form({ task: 'taught', text: 'red', audio: wav }));
    expect((await expectProblem(lenient, 503)).missing).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ modality: 'audio', reason: 'invalid-input', status: 422 }),
      ]),
    );
    await expectProblem(
      await call('/v1/classify', form({ task: 'taught', text: 'red', strict: 'yes' })),
      400,
    );
  });
});
