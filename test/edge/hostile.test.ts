/**
 * The hostile-input table: every route that takes a body × every modality × every kind of bad input, each answered
 * with a 4xx in the route's error shape (RFC 9457 problem+json; OpenAI's `{error}` on the OpenAI-compatible
 * routes) — never a 5xx, a hang or a crash. The backend is unreachable, so a bad input that slipped through to it
 * would show as a 503 and fail its case. At least 300 cases are generated.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWav, sine } from '../../adapters/audio/fixtures/wav.ts';
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
const media = { image: { bytes: png, type: 'image/png' }, audio: { bytes: wav, type: 'audio/wav' } } as const;

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

function mediaValues(modality: 'image' | 'audio'): Record<string, Value> {
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
  html: { ...everywhere, 'too many bytes': `<p>${'x'.repeat(1100 * 1024)}</p>` },
  url: urls,
};

const modalityOf = (group: string) => (group === 'url' ? 'image' : group);
const models: Record<string, string> = {
  text: 'use-lite',
  image: 'mobilenetv2-int8',
  audio: 'speech-embedding',
  html: 'html-use-lite',
};

const post = (path: string, body: BodyInit, type?: string) =>
  new Request(`http://edge.test${path}`, {
    method: 'POST',
    body,
    ...(type ? { headers: { 'content-type': type } } : {}),
  });
const json = (path: string, body: unknown) => post(path, JSON.stringify(body), 'application/json');

const taskId = 'hostile-table';

/**
 * Routes taking one modality input as JSON, and which bad values each can judge with the backend down: the
 * embeddings route looks its model up on the backend first, so only values its schema refuses reach a 4xx there.
 * (A batch of `items` answers 200 with each refusal in its place, by design: not in this table.)
 */
const inputRoutes: Record<
  string,
  { openai?: boolean; only?: Record<string, Value>; body: (modality: string, value: Value) => Request }
> = {
  'classify (JSON, strict)': {
    body: (m, v) => json('/v1/classify', { task: taskId, inputs: { [m]: v }, strict: true }),
  },
  'classify (JSON)': { body: (m, v) => json('/v1/classify', { task: taskId, inputs: { [m]: v } }) },
  embeddings: {
    openai: true,
    // An empty string is also judged after the model lookup (503 with the backend down).
    only: Object.fromEntries(Object.entries(everywhere).filter(([kind]) => kind !== 'an empty string')),
    body: (m, v) => json('/v1/embeddings', { model: models[m], input: [v] }),
  },
  'task examples': {
    body: (m, v) => json(`/v1/tasks/${taskId}/examples`, { examples: [{ label: 'a', inputs: { [m]: v } }] }),
  },
};

function inputCases(): Case[] {
  return Object.entries(inputRoutes).flatMap(([route, { openai, only, body }]) =>
    Object.entries(badValues).flatMap(([group, values]) =>
      Object.entries(values)
        .filter(([kind]) => only === undefined || kind in only)
        .map(([kind, value]) => ({
          name: `${route} · ${group} · ${kind}`,
          openai,
          request: () => body(modalityOf(group), value),
        })),
    ),
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
    const created = await fetchWorker(json('/v1/tasks', { id: taskId, labels: ['a', 'b'] }), env());
    expect([201, 409]).toContain(created.status);
  });

  it('generates at least 300 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s → a 4xx in the route’s error shape', async (_, c) => {
    await expectRefusal(await fetchWorker(c.request(), env()), c.openai);
  });
});
