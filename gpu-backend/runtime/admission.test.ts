/**
 * Admission before decoding: a model fed raw items decodes at most `max_concurrent_preprocess` of them at once
 * whatever the request holds, refuses a request past the queue bound before its preprocessor sees one item, and
 * stops a request whose decoded feeds pass `max_request_feed_bytes` with a 413, its remaining items unread.
 */
import { describe, expect, it } from 'vitest';
import type { Feeds, Preprocessor } from '../../adapters/types.ts';
import type { ModelConfig } from '../model-repository/config.ts';
import { isStatusError } from './errors.ts';
import { Model } from './model.ts';
import type { SessionInstance } from './session.ts';
import type { HostTensor, TensorMap } from './tensor.ts';

/** A session that echoes its input `x` as output `y`. */
const session: SessionInstance = {
  inputs: [{ name: 'x', type: 'float32', shape: ['batch', 'n'] }],
  outputs: [{ name: 'y', type: 'float32', shape: ['batch', 'n'] }],
  run: (feeds) => Promise.resolve({ y: feeds.x as HostTensor }),
  release: () => Promise.resolve(),
};

function config(parameters: Record<string, string>, maxQueueSize?: number): ModelConfig {
  return {
    name: 'fake-audio',
    platform: 'onnxruntime_onnx',
    max_batch_size: 1,
    input: [{ name: 'raw', data_type: 'TYPE_STRING', dims: [1] }],
    output: [{ name: 'y', data_type: 'TYPE_FP32', dims: [-1] }],
    ...(maxQueueSize ? { dynamic_batching: { max_queue_size: maxQueueSize } } : {}),
    parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, { string_value: v }])),
  };
}

/** A preprocessor whose decodes each wait for `gate`, counting how many run at once; `n` floats per item. */
function slowPreprocessor(n: number, gate: () => Promise<void>) {
  const seen = { calls: 0, running: 0, most: 0 };
  const preprocessor: Preprocessor = {
    modality: 'audio',
    async preprocess(): Promise<Feeds> {
      seen.calls++;
      seen.most = Math.max(seen.most, ++seen.running);
      await gate();
      seen.running--;
      return { x: { type: 'float32', data: new Float32Array(n), dims: [1, n] } };
    },
  };
  return { seen, preprocessor };
}

function modelWith(cfg: ModelConfig, preprocessor: Preprocessor): Model {
  return new Model({
    config: cfg,
    version: '1',
    provider: 'cpu',
    session,
    preprocessor,
    runModel: () => Promise.reject(new Error('not used')),
  });
}

const raw = (count: number): TensorMap => ({
  raw: { type: 'bytes', data: Array.from({ length: count }, () => new Uint8Array(8)), dims: [count] },
});
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

async function statusOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return isStatusError(error) ? error.status : -1;
}

describe('admission before preprocessing', () => {
  it('decodes at most max_concurrent_preprocess items of a 256-item request at once', async () => {
    const { seen, preprocessor } = slowPreprocessor(4, tick);
    const model = modelWith(config({ max_concurrent_preprocess: '3' }), preprocessor);
    const out = await model.infer(raw(256));
    expect(out.y?.dims).toEqual([256, 4]);
    expect(seen).toEqual({ calls: 256, running: 0, most: 3 });
  });

  it('defaults to 4 decodes at once', async () => {
    const { seen, preprocessor } = slowPreprocessor(4, tick);
    await modelWith(config({}), preprocessor).infer(raw(64));
    expect(seen.most).toBe(4);
  });

  it('refuses a request past the queue bound with 503 before its preprocessor sees an item', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { seen, preprocessor } = slowPreprocessor(4, () => gate);
    const model = modelWith(config({}, 8), preprocessor);
    const first = model.infer(raw(6));
    await tick();
    const calls = seen.calls;
    expect(await statusOf(model.infer(raw(4)))).toBe(503);
    expect(seen.calls).toBe(calls);
    open();
    await first;
    // Once the first is answered its items leave the bound.
    expect((await model.infer(raw(4))).y?.dims).toEqual([4, 4]);
  });

  it('stops a request whose feeds pass max_request_feed_bytes with 413, leaving the rest undecoded', async () => {
    const { seen, preprocessor } = slowPreprocessor(1000, tick);
    const cfg = config({ max_concurrent_preprocess: '1', max_request_feed_bytes: '10000' });
    expect(await statusOf(modelWith(cfg, preprocessor).infer(raw(256)))).toBe(413);
    expect(seen.calls).toBe(3);
  });

  it('refuses a malformed parameter when the model loads', () => {
    const { preprocessor } = slowPreprocessor(1, tick);
    expect(() => modelWith(config({ max_concurrent_preprocess: '0' }), preprocessor)).toThrow(
      /max_concurrent_preprocess must be a whole number of at least 1/,
    );
  });
});
