/**
 * The hostile-input table: every route that takes a body × every modality × every kind of bad input, each answered
 * with a 4xx in the route's error shape (RFC 9457 problem+json; OpenAI's `{error}` on the OpenAI-compatible
 * routes) — never a 5xx, a hang or a crash. The backend is unreachable, so a bad input that slipped through to it
 * would show as a 503 and fail its case — the embeddings route included, since the edge knows its default models'
 * modalities without the backend. Every file of the media corpus its adapter's edge face refuses is sent to each
 * route too. Batch files are hostile twice: lines of a bad shape fail the batch, naming the line; bad values inside
 * well-formed lines each end in the error file with their 4xx, never retried as the backend's fault. (The
 * backend's own `/v2` routes have their table in `gpu-backend/server/hostile.test.ts`.) At least 300 cases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, sine } from '../../adapters/audio/fixtures/wav.ts';
import { mediaCorpus, refusalOf } from '../support/media-corpus.ts';
import { createBatch, lines, settled, upload } from './batches.ts';
import { bindings, fetchWorker, pngBase64 } from './helpers.ts';

type Value = unknown;
interface Case {
  readonly name: string;
  readonly request: () => Request;
  /** Answers in OpenAI's error shape rather than problem+json. */
  readonly openai?: boolean;
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const png = Uint8Array.from(atob(pngBase64), (char) => char.charCodeAt(0));
const wav = encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 0.1) });
const flipped = (bytes: Uint8Array) => bytes.map((byte, index) => (index < 8 ? byte ^ 0xff : byte));
const corpus = mediaCorpus();
const mp4File = corpus.find((file) => file.file === 'video/mp4-ffmpeg-h264-aac.mp4');
if (mp4File === undefined) throw new Error('the media corpus lacks video/mp4-ffmpeg-h264-aac.mp4');
const mp4 = mp4File;
const media = {
  image: { bytes: png, type: 'image/png' },
  audio: { bytes: wav, type: 'audio/wav' },
  video: { bytes: mp4.bytes, type: 'video/mp4' },
} as const;
type Media = keyof typeof media;

/** Values no modality accepts. */
const everywhere: Record<string, Value> = {
  'a number': 12345,
  'a boolean': true,
  null: null,
  'an empty string': '',
  'an object': { nested: { deeper: 1 } },
  'an array of arrays': [[1], [2]],
  'a huge number': 1e308,
};

function mediaValues(modality: Media): Record<string, Value> {
  const own = media[modality];
  const other = modality === 'image' ? media.audio : media.image;
  return {
    'truncated media': `data:${own.type};base64,${base64(own.bytes.subarray(0, 20))}`,
    'bit-flipped media': `data:${own.type};base64,${base64(flipped(own.bytes))}`,
    'a wrong MIME type': `data:${own.type};base64,${base64(other.bytes)}`,
    'bad base64': `data:${own.type};base64,@@@not base64@@@`,
    'an empty data URL': `data:${own.type};base64,`,
    'bare base64 of garbage': base64(new Uint8Array(64).fill(7)),
    'a data URL with a unicode type': `data:image/p\u202eng;base64,${base64(own.bytes)}`,
  };
}

/** URL inputs refused before anything is fetched (and the edge tests have no network). */
const urls: Record<string, Value> = {
  'a plain http URL': 'http://example.com/a.bin',
  'a loopback URL': 'https://127.0.0.1/a.bin',
  'a private-network URL': 'https://10.0.0.1/a.bin',
  'an IPv6 loopback URL': 'https://[::1]/a.bin',
  'a file URL': 'file:///etc/passwd',
  'a URL with credentials': 'https://user:secret@localhost/a.bin',
  'a localhost URL': 'https://localhost/a.bin',
};

const badValues: Record<string, Record<string, Value>> = {
  text: {
    ...everywhere,
    'too many bytes': 'x'.repeat(300 * 1024),
    'too many code points': 'é'.repeat(20_001),
  },
  image: { ...everywhere, ...mediaValues('image') },
  audio: { ...everywhere, ...mediaValues('audio') },
  video: { ...everywhere, ...mediaValues('video') },
  html: { ...everywhere, 'too many bytes': `<p>${'x'.repeat(1100 * 1024)}</p>` },
  url: urls,
};

const modalityOf = (group: string) => (group === 'url' ? 'image' : group);
const models: Record<string, string> = {
  text: 'use-lite',
  image: 'mobilenetv2-int8',
  audio: 'speech-embedding',
  html: 'html-use-lite',
  video: 'video-frames-mobilenetv2-int8',
};

const post = (path: string, body: BodyInit, type?: string) =>
  new Request(`http://edge.test${path}`, {
    method: 'POST',
    body,
    ...(type ? { headers: { 'content-type': type } } : {}),
  });
const json = (path: string, body: unknown) => post(path, JSON.stringify(body), 'application/json');

const taskId = 'hostile-table';

/** Each file of the corpus its adapter's edge face refuses, as a data URL declared as a client would. */
const refusedFiles: Record<string, Record<string, Value>> = Object.fromEntries(
  (['image', 'audio', 'video'] as const).map((modality) => [
    modality,
    Object.fromEntries(
      corpus
        .filter((file) => file.modality === modality && refusalOf(file)?.at === 'edge')
        .map((file) => [`corpus ${file.file}`, `data:${file.type};base64,${base64(file.bytes)}`]),
    ),
  ]),
);

/** The JSON bodies of the routes that take one modality input: classify and teach (problem+json), embeddings. */
const inputBodies: Record<
  string,
  { openai?: boolean; path: string; body: (m: string, v: Value) => unknown }
> = {
  'classify (JSON, strict)': {
    path: '/v1/classify',
    body: (m, v) => ({ task: taskId, inputs: { [m]: v }, strict: true }),
  },
  'classify (JSON)': { path: '/v1/classify', body: (m, v) => ({ task: taskId, inputs: { [m]: v } }) },
  embeddings: { openai: true, path: '/v1/embeddings', body: (m, v) => ({ model: models[m], input: [v] }) },
  'task examples': {
    path: `/v1/tasks/${taskId}/examples`,
    body: (m, v) => ({ examples: [{ label: 'a', inputs: { [m]: v } }] }),
  },
};

/** Every bad value of every group (and every refused corpus file), with the modality it is sent as. */
function badInputs(): { group: string; kind: string; modality: string; value: Value }[] {
  const groups = Object.entries(badValues).map(([group, values]) => [group, values] as const);
  const files = Object.entries(refusedFiles).map(([group, values]) => [group, values] as const);
  return [...groups, ...files].flatMap(([group, values]) =>
    Object.entries(values).map(([kind, value]) => ({ group, kind, modality: modalityOf(group), value })),
  );
}

function inputCases(): Case[] {
  return Object.entries(inputBodies).flatMap(([route, { openai, path, body }]) =>
    badInputs().map(({ group, kind, modality, value }) => ({
      name: `${route} · ${group} · ${kind}`,
      openai,
      request: () => json(path, body(modality, value)),
    })),
  );
}

/** Multipart parts: files that are broken, mislabelled, empty or too big. */
function formCases(): Case[] {
  const parts: Record<string, [string, Blob]> = {
    'truncated image': ['image', new File([png.subarray(0, 20)], 'a.png', { type: 'image/png' })],
    'bit-flipped image': ['image', new File([flipped(png)], 'a.png', { type: 'image/png' })],
    'WAV labelled PNG': ['image', new File([wav], 'a.png', { type: 'image/png' })],
    'empty image': ['image', new File([], 'a.png', { type: 'image/png' })],
    'truncated audio': ['audio', new File([wav.subarray(0, 30)], 'a.wav', { type: 'audio/wav' })],
    'bit-flipped audio': ['audio', new File([flipped(wav)], 'a.wav', { type: 'audio/wav' })],
    'PNG labelled WAV': ['audio', new File([png], 'a.wav', { type: 'audio/wav' })],
    'empty audio': ['audio', new File([], 'a.wav', { type: 'audio/wav' })],
    'truncated video': ['video', new File([mp4.bytes.subarray(0, 40)], 'a.mp4', { type: 'video/mp4' })],
    'bit-flipped video': ['video', new File([flipped(mp4.bytes)], 'a.mp4', { type: 'video/mp4' })],
    'PNG labelled MP4': ['video', new File([png], 'a.mp4', { type: 'video/mp4' })],
    'empty video': ['video', new File([], 'a.mp4', { type: 'video/mp4' })],
    'too big text file': ['text', new File(['x'.repeat(300 * 1024)], 'a.txt', { type: 'text/plain' })],
    'too big html': [
      'html',
      new File([`<p>${'x'.repeat(1100 * 1024)}</p>`], 'a.html', { type: 'text/html' }),
    ],
    'empty html': ['html', new File([], 'a.html', { type: 'text/html' })],
    'unknown modality part': ['sm\u00e9ll', new File(['x'], 'a.bin')],
  };
  const routes: Record<string, (form: FormData) => Request> = {
    'classify (multipart)': (form) => {
      form.set('task', taskId);
      form.set('strict', 'true');
      return post('/v1/classify', form);
    },
    'task examples (multipart)': (form) => {
      form.set('label', 'a');
      return post(`/v1/tasks/${taskId}/examples`, form);
    },
  };
  return Object.entries(routes).flatMap(([route, make]) =>
    Object.entries(parts).map(([kind, [name, file]]) => ({
      name: `${route} · ${kind}`,
      request: () => {
        const form = new FormData();
        form.set(name, file);
        return make(form);
      },
    })),
  );
}

let depth = '1';
for (let i = 0; i < 5000; i++) depth = `[${depth}]`;

/** Bodies wrong as a whole, sent to every route that takes one. */
const wholeBodies: Record<string, [BodyInit, string | undefined]> = {
  'malformed JSON': ['{"task": ', 'application/json'],
  'an empty body': ['', 'application/json'],
  'no content type': ['{}', undefined],
  'a JSON array': ['[1,2,3]', 'application/json'],
  'JSON null': ['null', 'application/json'],
  'a JSON string': ['"hello"', 'application/json'],
  'deep nesting': [`{"inputs": ${depth}}`, 'application/json'],
  'duplicate keys': ['{"task": 1, "task": [], "inputs": 5, "inputs": null}', 'application/json'],
  'unknown fields only': ['{"zzz": 1, "\u0000": 2, "\ud83d\ude00": 3}', 'application/json'],
  'huge numbers': ['{"task": 1e999, "limit": 1e400, "inputs": {"text": 1e999}}', 'application/json'],
  'negative limits': ['{"limit": -1, "dimensions": -5, "examples": -1, "items": -1}', 'application/json'],
  'a lone surrogate': ['{"task": "\\ud800", "inputs": {"\\udfff": "\\ud800"}}', 'application/json'],
  'invalid UTF-8': [new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'],
  'a BOM and garbage': ['\ufeff{,}', 'application/json'],
  'an unknown modality': ['{"task": "x", "inputs": {"smell": "roses"}}', 'application/json'],
  'a wrong content type': ['<xml/>', 'application/xml'],
  'a broken multipart body': [
    '--x\r\nContent-Disposition: form-data\r\n\r\nno end',
    'multipart/form-data; boundary=x',
  ],
  'multipart without a boundary': ['whatever', 'multipart/form-data'],
};

const bodyRoutes: Record<string, { path: string; openai?: boolean }> = {
  classify: { path: '/v1/classify' },
  embeddings: { path: '/v1/embeddings', openai: true },
  'create task': { path: '/v1/tasks' },
  'task examples': { path: `/v1/tasks/${taskId}/examples` },
  files: { path: '/v1/files', openai: true },
  batches: { path: '/v1/batches', openai: true },
};

function bodyCases(): Case[] {
  return Object.entries(bodyRoutes).flatMap(([route, { path, openai }]) =>
    Object.entries(wholeBodies).map(([kind, [body, type]]) => ({
      name: `${route} · ${kind}`,
      openai,
      request: () => post(path, body, type),
    })),
  );
}

const cases = [...inputCases(), ...formCases(), ...bodyCases()];
// No rate limit here: the table is hundreds of requests from one client.
const env = () => bindings({ RATE_LIMITER: undefined });
const call = (path: string, init?: RequestInit) =>
  fetchWorker(new Request(`http://edge.test${path}`, init), env());

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    custom_id: 'bad',
    method: 'POST',
    url: '/v1/embeddings',
    body: { model: 'use-lite', input: 'x' },
    ...fields,
  });

/** Lines of a bad shape, each after one good line: the batch fails at creation, naming line 2. */
const badLines: Record<string, string | Uint8Array> = {
  'not JSON': '{"custom_id": ',
  'a JSON array': '[1, 2]',
  'JSON null': 'null',
  'a JSON string': '"a line"',
  'a BOM and garbage': '\ufeff{,}',
  'no custom_id': line({ custom_id: undefined }),
  'an empty custom_id': line({ custom_id: '' }),
  'a custom_id of 513 characters': line({ custom_id: 'c'.repeat(513) }),
  'a numeric custom_id': line({ custom_id: 7 }),
  'a duplicate custom_id': line({ custom_id: 'good' }),
  'method GET': line({ method: 'GET' }),
  'no method': line({ method: undefined }),
  'another endpoint': line({ url: '/v1/classify' }),
  'an unknown url': line({ url: '/v1/chat/completions' }),
  'a body that is an array': line({ body: [1] }),
  'a body that is null': line({ body: null }),
  'a body that is a string': line({ body: 'x' }),
  'no body': line({ body: undefined }),
  'deep nesting': `{"custom_id": "d", "method": "POST", "url": "/v1/embeddings", "body": ${depth}}`,
  'invalid UTF-8': new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  'a line over 2 MiB': line({ body: { model: 'use-lite', input: 'x'.repeat(2 * 1024 * 1024) } }),
};

const goodLine = line({ custom_id: 'good' });

/** Bad values inside well-formed lines, for each batch endpoint (teaching is no batch endpoint). */
const lineContents = (['classify (JSON, strict)', 'classify (JSON)', 'embeddings'] as const).flatMap(
  (route) => {
    const { path, body } = inputBodies[route] as (typeof inputBodies)[string];
    return badInputs().map(({ group, kind, modality, value }, i) => ({
      name: `batch ${route} · ${group} · ${kind}`,
      endpoint: path,
      text: JSON.stringify({
        custom_id: `${route} ${i}`,
        method: 'POST',
        url: path,
        body: body(modality, value),
      }),
      customId: `${route} ${i}`,
    }));
  },
);

async function expectRefusal(response: Response, openai: boolean | undefined): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, text: text.slice(0, 300) }).toMatchObject({
    status: expect.toSatisfy((status: number) => status >= 400 && status < 500) as number,
  });
  const body = JSON.parse(text) as Record<string, unknown>;
  if (openai && 'error' in body) {
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.error).toMatchObject({
      message: expect.any(String) as string,
      type: expect.any(String) as string,
    });
    return;
  }
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(body).toMatchObject({
    type: expect.stringMatching(/^\/problems\//) as string,
    title: expect.any(String) as string,
    status: response.status,
  });
}

describe('hostile inputs', () => {
  beforeAll(async () => {
    // Its inputs, and `video.frames`: a video input is read by the parts a task fuses.
    const task = { id: taskId, labels: ['a', 'b'], modalities: { 'video.frames': {} } };
    const created = await fetchWorker(json('/v1/tasks', task), env());
    expect([201, 409]).toContain(created.status);
  });

  it('generates at least 300 cases', () => {
    expect(cases.length + Object.keys(badLines).length + lineContents.length).toBeGreaterThanOrEqual(300);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s → a 4xx in the route’s error shape', async (_, c) => {
    await expectRefusal(await fetchWorker(c.request(), env()), c.openai);
  });
});

describe('hostile batch files', () => {
  it.each(Object.entries(badLines))(
    'a line with %s fails its batch at creation, naming it',
    async (_, bad) => {
      const file = await upload(call, new Blob([goodLine, '\n', bad]));
      const batch = await createBatch(call, file.id, '/v1/embeddings');
      expect(batch.status).toBe('failed');
      expect(batch.errors?.data).toEqual([expect.objectContaining({ line: 2 })]);
    },
  );

  /** The error file's answer to each line, by custom_id, once both batches have settled. */
  const answers = new Map<string, { status_code: number; body: unknown }>();

  beforeAll(async () => {
    for (const endpoint of ['/v1/classify', '/v1/embeddings']) {
      const text = lineContents
        .filter((c) => c.endpoint === endpoint)
        .map((c) => c.text)
        .join('\n');
      const created = await createBatch(call, (await upload(call, text)).id, endpoint);
      const batch = await settled(call, created.id, 120_000);
      expect(batch).toMatchObject({ status: 'completed', output_file_id: null });
      type Answer = { custom_id: string; response: { status_code: number; body: unknown } };
      for (const answer of await lines<Answer>(call, batch.error_file_id))
        answers.set(answer.custom_id, answer.response);
    }
  }, 180_000);

  it.each(lineContents.map((c) => [c.name, c] as const))(
    '%s → the error file, with its 4xx, not retried',
    (_, c) => {
      const answer = answers.get(c.customId);
      expect(answer?.status_code).toBeGreaterThanOrEqual(400);
      expect(answer?.status_code).toBeLessThan(500);
      const shape =
        c.endpoint === '/v1/embeddings'
          ? { error: { message: expect.any(String) as string } }
          : { type: expect.stringMatching(/^\/problems\//) as string, status: answer?.status_code };
      expect(answer?.body).toMatchObject(shape);
    },
  );
});
