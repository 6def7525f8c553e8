/**
 * @module
 * The backend pool against two real backend processes (started and killed through the global setup's control
 * server): one is killed abruptly under load and no request is lost; with both gone the API answers 503 with
 * `Retry-After` at once, `/readyz` says so, and `/v1/classify` reports every modality as missing.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { bytesOf, dataUrl, expectOpenAIError, expectProblem, fetchWorker } from './helpers.ts';

const controlUrl = inject('backendControlUrl');
const fixtures = inject('fixtures');

interface Started {
  readonly id: number;
  readonly url: string;
}

async function control<T>(path: string): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

let backends: Started[] = [];

function send(path: string, body?: unknown): Promise<Response> {
  const urls = backends.map((backend) => backend.url).join(',');
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const request = new Request(`http://edge.test${path}`, init);
  return fetchWorker(request, { ...env, BACKEND_URLS: urls });
}

const texts = (i: number) => Array.from({ length: 8 }, (_, j) => `request ${i} sentence ${j} about colours`);

beforeAll(async () => {
  backends = await Promise.all([control<Started>('/backends'), control<Started>('/backends')]);
});

/** Successful text-hash-256 inference requests a backend has served, from its Prometheus `/metrics`. */
async function served(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('nv_inference_request_success{') && line.includes('"text-hash-256"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('a pool of two real backends', () => {
  it('spreads requests over both backends', async () => {
    const before = await Promise.all(backends.map((backend) => served(backend.url)));
    for (let i = 0; i < 6; i++) {
      const response = await send('/v1/embeddings', {
        model: 'text-hash-256',
        input: `spread ${i} ${crypto.randomUUID()}`,
      });
      expect(response.status).toBe(200);
    }
    const after = await Promise.all(backends.map((backend) => served(backend.url)));
    expect(after.map((count, i) => count - (before[i] ?? 0))).toEqual([3, 3]);
  });

  it('loses no request when one backend is killed under load', async () => {
    const total = 48;
    const statuses: number[] = [];
    let next = 0;
    let killed: Promise<unknown> | undefined;
    const victim = backends[0] as Started;
    async function worker(): Promise<void> {
      while (next < total) {
        const i = next++;
        const response = await send('/v1/embeddings', { model: 'text-hash-256', input: texts(i) });
        const body = (await response.json()) as { data?: unknown[] };
        statuses.push(response.status === 200 && body.data?.length === 8 ? 200 : response.status);
        if (statuses.length === 12) killed = control(`/backends/${victim.id}/kill`);
      }
    }
    await Promise.all(Array.from({ length: 6 }, worker));
    await killed;
    expect(statuses).toEqual(Array<number>(total).fill(200));
    const after = await send('/v1/embeddings', { model: 'text-hash-256', input: 'still served' });
    expect(after.status).toBe(200);
  });

  it('answers 503 at once with every backend down, and classify reports every modality missing', async () => {
    const task = `pool-${crypto.randomUUID().slice(0, 8)}`;
    const created = await send('/v1/tasks', {
      id: task,
      labels: ['red', 'blue'],
      modalities: { html: false },
    });
    expect(created.status).toBe(201);
    const examples = fixtures.slice(0, 4).map((item) => ({
      label: item.label,
      inputs: { text: item.text, image: dataUrl(item.imageType, item.image) },
    }));
    expect((await send(`/v1/tasks/${task}/examples`, { examples })).status).toBe(200);
    await Promise.all(backends.slice(1).map((backend) => control(`/backends/${backend.id}/kill`)));

    // Inputs no other test embedded: the embedding cache, shared by the project's files, must not answer them.
    const item = fixtures[4] ?? fixtures[0];
    const nonce = crypto.randomUUID();
    const bytes = [...bytesOf(item?.image ?? ''), ...new TextEncoder().encode(nonce)]; // after the image's end
    const image = btoa(String.fromCharCode(...bytes));
    const inputs = { text: `${item?.text} ${nonce}`, image: dataUrl(item?.imageType ?? 'image/png', image) };
    const classified = await send('/v1/classify', { task, inputs });
    const problem = await expectProblem(classified, 503);
    expect(problem.missing).toEqual([
      expect.objectContaining({ modality: 'text', reason: 'backend-unavailable' }),
      expect.objectContaining({ modality: 'image', reason: 'backend-unavailable' }),
      expect.objectContaining({ modality: 'audio', reason: 'absent' }),
    ]);
    expect(Number(classified.headers.get('retry-after'))).toBeGreaterThan(0);

    // Both circuits are open now: the next call is refused without waiting on any backend.
    const refused = await send('/v1/embeddings', { model: 'text-hash-256', input: 'anyone?' });
    const error = await expectOpenAIError(refused, 503);
    expect(error.message).toMatch(/every circuit is open/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectProblem(await send('/readyz'), 503);
  });
});
