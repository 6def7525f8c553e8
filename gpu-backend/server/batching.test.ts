/**
 * The dynamic batcher in the real backend process: batches observed in `/metrics` under concurrent load, a full
 * queue answered 503 + Retry-After with every accepted request answered, deadlines, a bad item inside a batch,
 * Triton's metric names, a request whose client disconnects while it is queued (dropped unrun), and a SIGTERM
 * drain that finishes queued work.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferResponse } from '../protocol/types.ts';
import {
  calcConfig,
  calcModel,
  call,
  startBackend,
  testRepository,
  writeModel,
  type Backend,
} from '../../test/support/backend/server.ts';

let backend: Backend;
let root: string;

/** `merge`: batches up to 4, waiting 100 ms for company; two instances. */
const mergeConfig = {
  ...calcConfig,
  name: 'merge',
  dynamic_batching: { max_queue_delay_microseconds: 100_000 },
  instance_group: [{ count: 2, kind: 'KIND_CPU' }],
};
/** `held`: a batch of 8 never fills in these tests, so items wait the whole 300 ms in a queue of 3 at most. */
const heldConfig = {
  ...calcConfig,
  name: 'held',
  max_batch_size: 8,
  dynamic_batching: { max_queue_delay_microseconds: 300_000, default_queue_policy: { max_queue_size: 3 } },
};

/** `spec`: like `held` with a queue of 8, for requests that leave it. */
const specConfig = {
  ...heldConfig,
  name: 'spec',
  dynamic_batching: { max_queue_delay_microseconds: 300_000 },
};

beforeAll(async () => {
  root = testRepository();
  writeModel(root, 'merge', mergeConfig, calcModel());
  writeModel(root, 'held', heldConfig, calcModel());
  writeModel(root, 'spec', specConfig, calcModel());
  backend = await startBackend({ MODALFUSE_MODEL_REPOSITORY: root, MODALFUSE_EXECUTION_PROVIDER: 'cpu' });
});

afterAll(async () => {
  await backend?.stop();
  rmSync(root, { recursive: true, force: true });
});

const request = (x: number[], ids = x, parameters?: object) => ({
  ...(parameters ? { parameters } : {}),
  inputs: [
    { name: 'x', datatype: 'FP32', shape: [1, x.length], data: x },
    { name: 'ids', datatype: 'INT64', shape: [1, ids.length], data: ids },
  ],
  outputs: [{ name: 'total' }],
});
const infer = (model: string, body: unknown) => call(backend.url, 'POST', `/v2/models/${model}/infer`, body);
const total = (body: unknown) => (body as InferResponse).outputs[0]?.data[0];

async function metrics(): Promise<Map<string, number>> {
  const text = await (await fetch(`${backend.url}/metrics`)).text();
  return new Map(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ');
        return [line.slice(0, at), Number(line.slice(at + 1))];
      }),
  );
}
const series = (name: string, model: string) => `${name}{model="${model}",version="1"}`;
/** The growth of each named series of `model` from `before` to now. */
async function growth(before: Map<string, number>, model: string, names: readonly string[]) {
  const after = await metrics();
  return names.map((name) => (after.get(series(name, model)) ?? 0) - (before.get(series(name, model)) ?? 0));
}

/** Polls `/metrics` until `model`'s queue holds `depth` items. */
async function queueReaches(model: string, depth: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if ((await metrics()).get(series('modalfuse_inference_queue_depth', model)) === depth) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the queue of ${model} never held ${depth} items`);
}

describe('dynamic batching under concurrent load', () => {
  it('merges requests: every answer is right and the average batch size is above 1', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => [i, i + 1].slice(0, 1 + (i % 2)));
    const replies = await Promise.all(rows.map((x) => infer('merge', request(x))));
    expect(replies.map((reply) => reply.status)).toEqual(rows.map(() => 200));
    expect(replies.map((reply) => total(reply.body))).toEqual(rows.map((x) => x.reduce((a, b) => a + b)));
    const m = await metrics();
    const items = m.get(series('nv_inference_count', 'merge')) ?? 0;
    const runs = m.get(series('nv_inference_exec_count', 'merge')) ?? 0;
    expect(items).toBe(12);
    expect(items / runs).toBeGreaterThan(1);
    expect(m.get(series('nv_inference_request_success', 'merge'))).toBe(12);
    expect(m.get(series('modalfuse_inference_batch_size_count', 'merge'))).toBe(runs);
  });

  it('a bad item inside a batch fails alone with 400; the rest of the batch answers', async () => {
    const before = await metrics();
    const [good, bad, other] = await Promise.all([
      infer('merge', request([1, 2])),
      infer('merge', request([1, 2, 3], [1, 2])),
      infer('merge', request([5])),
    ]);
    expect(bad?.status).toBe(400);
    expect(bad?.body).toMatchObject({ error: expect.stringMatching(/the model rejected the inputs/) });
    expect([good?.status, total(good?.body), other?.status, total(other?.body)]).toEqual([200, 3, 200, 5]);
    const after = await metrics();
    const failures = series('nv_inference_request_failure', 'merge');
    expect((after.get(failures) ?? 0) - (before.get(failures) ?? 0)).toBe(1);
    // One batch of three that failed, then each item alone.
    const runs = series('nv_inference_exec_count', 'merge');
    expect((after.get(runs) ?? 0) - (before.get(runs) ?? 0)).toBe(4);
  });

  it('Triton names, labelled by model and version, for every model', async () => {
    const text = await (await fetch(`${backend.url}/metrics`)).text();
    for (const name of [
      'nv_inference_request_success',
      'nv_inference_request_failure',
      'nv_inference_count',
      'nv_inference_exec_count',
      'nv_inference_queue_duration_us',
      'nv_inference_compute_infer_duration_us',
      'modalfuse_inference_queue_depth',
      'modalfuse_inference_cancelled_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
      for (const model of ['calc', 'held', 'merge', 'spec', 'types'])
        expect(text).toContain(series(name, model));
    }
    expect(text).toContain('modalfuse_inference_batch_size_bucket{model="merge",version="1",le="4"}');
  });
});

describe('overload and deadlines', () => {
  it('a full queue answers 503 with Retry-After; every accepted request is answered', async () => {
    const replies = await Promise.all([1, 2, 3, 4, 5, 6].map((v) => infer('held', request([v]))));
    const ok = replies.filter((reply) => reply.status === 200);
    const refused = replies.filter((reply) => reply.status === 503);
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(3);
    expect(ok.map((reply) => total(reply.body)).sort()).toEqual(
      replies.flatMap((reply, i) => (reply.status === 200 ? [i + 1] : [])),
    );
    for (const reply of refused) {
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body).toEqual({ error: expect.stringMatching(/queue is full/) });
    }
  });

  it('a request whose timeout passes in the queue is answered 503 and never run', async () => {
    const before = await metrics();
    const reply = await infer('held', request([1], [1], { timeout: 1000 }));
    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({ error: expect.stringMatching(/timed out after \d+ µs in the queue/) });
    const after = await metrics();
    const runs = series('nv_inference_exec_count', 'held');
    expect(after.get(runs)).toBe(before.get(runs));
  });

  it('a malformed timeout is a 400', async () => {
    for (const timeout of [-1, 1.5, 'soon']) {
      const reply = await infer('held', request([1], [1], { timeout }));
      expect(reply).toMatchObject({ status: 400, body: { error: expect.stringMatching(/"timeout"/) } });
    }
  });
});

describe('cancellation', () => {
  it('a client that disconnects while queued has its item dropped unrun; its batch mate is answered', async () => {
    const before = await metrics();
    const controller = new AbortController();
    const gone = fetch(`${backend.url}/v2/models/spec/infer`, {
      method: 'POST',
      body: JSON.stringify(request([7])),
      signal: controller.signal,
    });
    const stays = infer('spec', request([2, 3]));
    await queueReaches('spec', 2);
    controller.abort();
    await expect(gone).rejects.toMatchObject({ name: 'AbortError' });
    // The server saw the connection close and took the item out while its batch mate still waits.
    await queueReaches('spec', 1);
    const reply = await stays;
    expect([reply.status, total(reply.body)]).toEqual([200, 5]);
    const counters = ['modalfuse_inference_cancelled_total', 'nv_inference_count', 'nv_inference_exec_count'];
    expect(await growth(before, 'spec', counters)).toEqual([1, 1, 1]);
  });
});

describe('graceful drain', () => {
  it('SIGTERM runs what is queued at once, answers it, and exits 0', async () => {
    const pending = Promise.all([1, 2, 3].map((v) => infer('held', request([v]))));
    await queueReaches('held', 3);
    backend.child.kill('SIGTERM');
    const replies = await pending;
    expect(replies.map((reply) => [reply.status, total(reply.body)])).toEqual([
      [200, 1],
      [200, 2],
      [200, 3],
    ]);
    expect(await backend.exited).toBe(0);
  });
});
