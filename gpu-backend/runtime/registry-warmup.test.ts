/**
 * The registry warms every model up before it is READY: the raw warm-up sample goes through the adapter, the
 * batcher and the session while `/v2/health/ready` and the model's own readiness still say no; an adapter may run
 * another model that is loaded but not yet warm; a failing warm-up leaves the model UNAVAILABLE, its sessions
 * released. Models are injected (fake sessions and adapters) so that each step can be held and watched.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Feeds, Preprocessor } from '../../adapters/types.ts';
import { AdapterInputError } from '../../adapters/errors.ts';
import { modelConfigSchema } from '../model-repository/config.ts';
import type { ModelSource } from '../model-repository/scan.ts';
import { isStatusError } from './errors.ts';
import type { LoadOptions } from './load.ts';
import { Model } from './model.ts';
import { ModelRegistry } from './registry.ts';
import type { SessionInstance } from './session.ts';
import type { HostTensor } from './tensor.ts';
import type { WarmupMode } from './warmup.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

const rawSample = {
  name: 'hello',
  batch_size: 2,
  inputs: { raw: { data_type: 'TYPE_STRING', dims: [1], input_data_file: 'hello.txt' } },
};

function config(name: string) {
  return {
    name,
    platform: 'onnxruntime_onnx',
    max_batch_size: 4,
    input: [{ name: 'raw', data_type: 'TYPE_STRING', dims: [1] }],
    output: [{ name: 'y', data_type: 'TYPE_FP32', dims: [-1] }],
    dynamic_batching: { max_queue_delay_microseconds: 100 },
    parameters: { adapter: { string_value: 'fake' } },
    model_warmup: [rawSample],
  };
}

/** A repository of models `names`, each with `warmup/hello.txt`. */
function repository(names: readonly string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'modalfuse-warm-'));
  roots.push(root);
  for (const name of names) {
    mkdirSync(join(root, name, '1'), { recursive: true });
    mkdirSync(join(root, name, 'warmup'));
    writeFileSync(join(root, name, 'config.json'), JSON.stringify(config(name)));
    writeFileSync(join(root, name, '1', 'model.onnx'), 'not read: the models are injected');
    writeFileSync(join(root, name, 'warmup', 'hello.txt'), 'hello');
  }
  return root;
}

/** What the fake models saw: items preprocessed and batches run, per model. */
interface Seen {
  preprocessed: string[];
  batches: number[];
  released: number;
}

/** A session that echoes `x` as `y`, recording each batch's size. */
function session(seen: Seen): SessionInstance {
  return {
    inputs: [{ name: 'x', type: 'float32', shape: ['batch', 'n'] }],
    outputs: [{ name: 'y', type: 'float32', shape: ['batch', 'n'] }],
    run: (feeds) => {
      seen.batches.push(feeds.x?.dims[0] ?? 0);
      return Promise.resolve({ y: feeds.x as HostTensor });
    },
    release: () => {
      seen.released++;
      return Promise.resolve();
    },
  };
}

type Preprocess = (text: string, run: (model: string) => Promise<unknown>) => Promise<void>;

function loader(seen: Map<string, Seen>, preprocessFor: (model: string) => Preprocess) {
  return (source: ModelSource, options: LoadOptions): Promise<Model> => {
    const record: Seen = { preprocessed: [], batches: [], released: 0 };
    seen.set(source.name, record);
    const preprocessor: Preprocessor = {
      modality: 'text',
      async preprocess(bytes, context): Promise<Feeds> {
        const text = new TextDecoder().decode(bytes);
        record.preprocessed.push(text);
        await preprocessFor(source.name)(text, (model) =>
          context.run(model, { x: { type: 'float32', data: new Float32Array(1), dims: [1, 1] } }),
        );
        return { x: { type: 'float32', data: new Float32Array(2), dims: [1, 2] } };
      },
    };
    const fake = session(record);
    return Promise.resolve(
      new Model({
        config: modelConfigSchema.parse(config(source.name)),
        version: source.version,
        provider: 'cpu',
        session: fake,
        preprocessor,
        runModel: options.runModel,
        dir: source.dir,
      }),
    );
  };
}

function registry(root: string, load: ReturnType<typeof loader>, warmup?: WarmupMode) {
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  const options = { provider: 'cpu', settings: { requested: 'cpu', deviceId: 0 } } as const;
  return {
    lines,
    registry: new ModelRegistry({
      root,
      ...options,
      info: log,
      warn: log,
      error: log,
      load,
      ...(warmup ? { warmup } : {}),
    }),
  };
}

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    return isStatusError(error) ? error.status : -1;
  }
  return undefined;
}

describe('warm-up before ready', () => {
  it('runs the raw sample through the adapter, the batcher and the session before the model is READY', async () => {
    const seen = new Map<string, Seen>();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { registry: models } = registry(
      repository(['m']),
      loader(seen, () => () => gate),
    );
    const loading = models.loadAll();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The adapter is busy with the warm-up items: nothing is ready, the model answers 503.
    expect(seen.get('m')?.preprocessed).toEqual(['hello', 'hello']);
    expect(models.allReady()).toBe(false);
    expect(statusOf(() => models.get('m'))).toBe(503);
    expect(models.index()).toEqual([{ name: 'm', version: '1', state: 'LOADING', reason: 'warming up' }]);
    open();
    await loading;
    expect(models.allReady()).toBe(true);
    expect(statusOf(() => models.get('m'))).toBeUndefined();
    // Two ONNX-level zeros batches of max_batch_size first, then the sample's two items as one batch.
    expect(seen.get('m')?.batches).toEqual([4, 2]);
    expect(models.get('m').stats.requestSuccess).toBe(0);
  });

  it('lets an adapter run a model that is loaded but not warm yet', async () => {
    const seen = new Map<string, Seen>();
    const calls: string[] = [];
    const preprocess =
      (model: string): Preprocess =>
      async (_text, run) => {
        if (model !== 'a-speech') return;
        await run('b-vad');
        calls.push('ran b-vad');
      };
    const { registry: models } = registry(repository(['a-speech', 'b-vad']), loader(seen, preprocess));
    await models.loadAll();
    expect(models.allReady()).toBe(true);
    expect(calls).toEqual(['ran b-vad', 'ran b-vad']);
  });

  it('leaves a model whose warm-up fails UNAVAILABLE with the reason, its sessions released', async () => {
    const seen = new Map<string, Seen>();
    const refuse: Preprocess = () =>
      Promise.reject(new AdapterInputError('type-mismatch', 'not a text the adapter takes'));
    const { registry: models, lines } = registry(
      repository(['m', 'n']),
      loader(seen, (model) => (model === 'm' ? refuse : () => Promise.resolve())),
    );
    await models.loadAll();
    expect(models.allReady()).toBe(false);
    expect(models.notReady()).toEqual([
      expect.stringMatching(/^m \(warm-up failed: .*not a text the adapter takes/),
    ]);
    expect(statusOf(() => models.get('m'))).toBe(503);
    expect(seen.get('m')?.released).toBe(1);
    expect(statusOf(() => models.get('n'))).toBeUndefined();
    expect(lines).toContainEqual(expect.stringMatching(/^model m UNAVAILABLE: warm-up failed/));
  });

  it.each([
    ['onnx', [4]],
    ['off', []],
  ] as const)('MODALFUSE_WARMUP=%s skips the raw samples', async (mode, batches) => {
    const seen = new Map<string, Seen>();
    const { registry: models, lines } = registry(
      repository(['m']),
      loader(seen, () => () => Promise.resolve()),
      mode,
    );
    await models.loadAll();
    expect(models.allReady()).toBe(true);
    expect(seen.get('m')?.preprocessed).toEqual([]);
    expect(seen.get('m')?.batches).toEqual(batches);
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^model m warmed up \\(${mode}\\) in \\d+ ms$`)),
    );
  });
});
