/**
 * The backend's hostile-input table: its `/v2` routes, against the real process on one real model per modality —
 * bodies wrong as a whole, tensors of the wrong name, type, shape or encoding, and raw bytes each adapter's
 * preprocessing must refuse (truncated, bit-flipped, another modality's, over the byte cap) — each answered with a
 * 4xx and KServe's `{error}` body, never a 5xx, a hang or a crash. The edge's table is `test/edge/hostile.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKillableBackend, type KillableBackend } from '../../test/support/killable-backend.ts';
import { mediaCorpus } from '../../test/support/media-corpus.ts';
import { joinBody } from './binary.ts';

const models = {
  text: 'text-hash-256',
  html: 'html-hash-256',
  image: 'mobilenetv2-int8',
  audio: 'speech-embedding',
  video: 'video-frames-mobilenetv2-int8',
} as const;
type Modality = keyof typeof models;

/** One file of the media corpus each media adapter accepts, to be broken here. */
function sound(modality: 'image' | 'audio' | 'video'): Uint8Array {
  const file = mediaCorpus().find((entry) => entry.modality === modality && entry.expect.status === 200);
  if (file === undefined) throw new Error(`the media corpus has no ${modality} file that is accepted`);
  return file.bytes;
}
const media = { image: sound('image'), audio: sound('audio'), video: sound('video') } as const;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const flipped = (bytes: Uint8Array) => bytes.map((byte, index) => (index < 8 ? byte ^ 0xff : byte));
const raw = (data: unknown[], fields: Record<string, unknown> = {}) => ({
  inputs: [
    {
      name: 'raw',
      datatype: 'BYTES',
      shape: [data.length],
      parameters: { content_type: 'base64' },
      data,
      ...fields,
    },
  ],
});

/** Raw items each modality's preprocessing refuses (base64, as the edge sends them). */
function badItems(modality: Modality): Record<string, string> {
  const garbage = base64(new Uint8Array(64).fill(7));
  if (modality === 'text' || modality === 'html')
    return {
      'invalid UTF-8': base64(new Uint8Array([0x61, 0xff, 0xfe, 0x62])),
      'too many bytes': base64(new TextEncoder().encode('x'.repeat(1200 * 1024))),
    };
  const own = media[modality];
  const other = modality === 'image' ? media.audio : media.image;
  return {
    'truncated media': base64(own.subarray(0, 20)),
    'bit-flipped media': base64(flipped(own)),
    "another modality's media": base64(other),
    'garbage bytes': garbage,
    'an empty item': '',
  };
}

/** Requests wrong as a whole or in their tensors, sent to every model. */
const badRequests: Record<string, () => { body: string | Uint8Array; headers?: Record<string, string> }> = {
  'malformed JSON': () => ({ body: '{"inputs": [' }),
  'an empty body': () => ({ body: '' }),
  'a JSON array': () => ({ body: '[1, 2]' }),
  'JSON null': () => ({ body: 'null' }),
  'no inputs': () => ({ body: '{}' }),
  'an empty input list': () => ({ body: '{"inputs": []}' }),
  'inputs not a list': () => ({ body: '{"inputs": {"raw": 1}}' }),
  'a wrong input name': () => ({ body: JSON.stringify(raw(['eA=='], { name: 'pixels' })) }),
  'a wrong datatype': () => ({ body: JSON.stringify(raw([1], { datatype: 'FP32' })) }),
  'an unknown datatype': () => ({ body: JSON.stringify(raw(['eA=='], { datatype: 'COMPLEX' })) }),
  'a shape that does not match the data': () => ({ body: JSON.stringify(raw(['eA=='], { shape: [3] })) }),
  'a negative shape': () => ({ body: JSON.stringify(raw(['eA=='], { shape: [-1] })) }),
  'a huge shape': () => ({ body: JSON.stringify(raw(['eA=='], { shape: [1e12] })) }),
  'data not a list': () => ({ body: JSON.stringify(raw([], { data: 'eA==' })) }),
  'numbers as BYTES': () => ({ body: JSON.stringify(raw([1, 2])) }),
  'not base64': () => ({ body: JSON.stringify(raw(['@@@not base64@@@'])) }),
  'an unknown content type': () => ({
    body: JSON.stringify(raw(['eA=='], { parameters: { content_type: 'rot13' } })),
  }),
  'an unknown output': () => ({ body: JSON.stringify({ ...raw(['eA==']), outputs: [{ name: 'nope' }] }) }),
  'a header length past the body': () => ({
    body: '{"inputs": []}',
    headers: { 'inference-header-content-length': '99999' },
  }),
  'a negative header length': () => ({ body: '{}', headers: { 'inference-header-content-length': '-5' } }),
  'a binary tensor past the body': () => {
    const header = {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: 4096 } }],
    };
    const { body, headerLength } = joinBody(JSON.stringify(header), [new Uint8Array(8)]);
    return { body, headers: { 'inference-header-content-length': String(headerLength) } };
  },
  'deep nesting': () => ({ body: `{"inputs": ${'['.repeat(5000)}${']'.repeat(5000)}}` }),
  'a lone surrogate name': () => ({
    body: '{"inputs": [{"name": "\\ud800", "datatype": "BYTES", "shape": [1], "data": ["x"]}]}',
  }),
};

interface Case {
  readonly name: string;
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly body?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

function cases(): Case[] {
  const perModel = Object.entries(models).flatMap(([modality, model]): Case[] => {
    const path = `/v2/models/${model}/infer`;
    const items = Object.entries(badItems(modality as Modality)).map(([kind, item]) => ({
      name: `${model} · ${kind}`,
      path,
      method: 'POST' as const,
      body: JSON.stringify(raw([item])),
    }));
    const requests = Object.entries(badRequests).map(([kind, make]) => ({
      name: `${model} · ${kind}`,
      path,
      method: 'POST' as const,
      ...make(),
    }));
    const versioned = {
      name: `${model} · an unknown version`,
      path: `/v2/models/${model}/versions/99/infer`,
    };
    return [...items, ...requests, { ...versioned, method: 'POST', body: JSON.stringify(raw(['eA=='])) }];
  });
  const routes: Case[] = [
    { name: 'metadata of an unknown model', path: '/v2/models/nope', method: 'GET' },
    { name: 'config of an unknown model', path: '/v2/models/nope/config', method: 'GET' },
    { name: 'readiness of an unknown model', path: '/v2/models/nope/ready', method: 'GET' },
    { name: 'inference on an unknown model', path: '/v2/models/nope/infer', method: 'POST', body: '{}' },
    { name: 'a model name of dots', path: '/v2/models/../infer', method: 'POST', body: '{}' },
    { name: 'an encoded NUL in a model name', path: '/v2/models/a%00b', method: 'GET' },
    { name: 'a model name of 4 KiB', path: `/v2/models/${'m'.repeat(4096)}`, method: 'GET' },
    {
      name: 'a malformed repository index query',
      path: '/v2/repository/index',
      method: 'POST',
      body: '{"ready": ',
    },
    { name: 'GET on the infer route', path: `/v2/models/${models.text}/infer`, method: 'GET' },
  ];
  return [...perModel, ...routes];
}

let backend: KillableBackend;

beforeAll(async () => {
  // The speech model finds speech with the VAD model beside it.
  backend = await startKillableBackend([...Object.values(models), 'silero-vad']);
}, 180_000);

afterAll(async () => {
  await backend?.close();
});

const auth = () => ({ authorization: `Bearer ${backend.token}` });
const table = cases();

describe('the backend’s /v2 routes under hostile input', () => {
  it('generates at least 140 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(140);
  });

  it.each(table.map((c) => [c.name, c] as const))('%s → a 4xx with KServe’s {error}', async (_, c) => {
    const response = await fetch(`${backend.url}${c.path}`, {
      method: c.method,
      // The harness's backend requires its token: without it every case would be a 401, not the case's own 4xx.
      headers: { 'content-type': 'application/json', ...auth(), ...c.headers },
      ...(c.body === undefined ? {} : { body: c.body }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    expect({ status: response.status, text: text.slice(0, 300) }).toMatchObject({
      status: expect.toSatisfy((status: number) => status >= 400 && status < 500) as number,
    });
    if (text !== '') expect(JSON.parse(text)).toMatchObject({ error: expect.any(String) as string });
  });

  it('is still up and answers a sound request after the table', async () => {
    const body = JSON.stringify(raw([base64(new TextEncoder().encode('hello'))]));
    const response = await fetch(`${backend.url}/v2/models/${models.text}/infer`, {
      method: 'POST',
      headers: auth(),
      body,
    });
    expect(response.status).toBe(200);
  });
});
