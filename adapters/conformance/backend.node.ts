/**
 * @module
 * The backend half of the contract suite every adapter runs (`describeBackendConformance`, in a node test): its
 * preprocessor, found the way the backend finds it (the model's `adapter` parameter), turns the edge's canonical
 * bytes into exactly the inputs the model file declares (names, element types, ranks, fixed dimensions, batch 1);
 * it refuses broken bytes with an {@link AdapterInputError} (a 4xx); and a real backend process answers the same
 * inputs with the configured embedding, and the broken ones with a 400 `{"error"}`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InferenceSession } from 'onnxruntime-node';
import { isAdapterInputError } from '../errors.ts';
import type { EdgeAdapter, Feeds, PreprocessContext, Preprocessor, RawInput, TensorType } from '../types.ts';

export interface BackendConformance {
  readonly adapter: EdgeAdapter;
  /** The repository entry served with this adapter. */
  readonly model: string;
  /** Valid raw inputs (canonicalised by the edge face first, as in production). */
  readonly samples: readonly RawInput[];
  /** Bytes the edge would let through or a direct client could send, which the backend face must refuse. */
  readonly broken: readonly Uint8Array[];
  /** The derived part the model serves (`frames` of `video`: modality `video.frames`), if it serves one. */
  readonly part?: string;
}

/** Where the model repository and the real backend serving it are; read when the tests run. */
export interface RunningBackend {
  readonly repository: string;
  readonly url: string;
}

const WIRE_TYPES: Readonly<Record<TensorType, string>> = {
  float32: 'FP32',
  int64: 'INT64',
  int32: 'INT32',
  bool: 'BOOL',
  uint8: 'UINT8',
  int8: 'INT8',
};

interface InputSpec {
  readonly name: string;
  readonly type: TensorType | undefined;
  /** Fixed sizes as numbers, symbolic ones as undefined. */
  readonly dims: readonly (number | undefined)[];
}

/** The model file's inputs as onnxruntime reads them. */
async function onnxInputs(repository: string, model: string): Promise<InputSpec[]> {
  const session = await InferenceSession.create(join(repository, model, '1', 'model.onnx'));
  try {
    return session.inputMetadata.map((input) => ({
      name: input.name,
      type: input.isTensor ? (input.type as TensorType) : undefined,
      dims: input.isTensor ? input.shape.map((size) => (typeof size === 'number' ? size : undefined)) : [],
    }));
  } finally {
    await session.release();
  }
}

/** The string parameters of a repository model's `config.json`, as the backend hands them to its preprocessor. */
export function parametersOf(repository: string, model: string): Record<string, string> {
  const config = JSON.parse(readFileSync(join(repository, model, 'config.json'), 'utf8')) as {
    parameters?: Record<string, { string_value: string }>;
  };
  return Object.fromEntries(
    Object.entries(config.parameters ?? {}).map(([key, value]) => [key, value.string_value]),
  );
}

/** `context.run` as the backend does it, through the real process (direct ONNX inputs, e.g. the VAD model). */
function runOn(url: string): PreprocessContext['run'] {
  return async (model, feeds) => {
    const inputs = Object.entries(feeds).map(([name, tensor]) => ({
      name,
      datatype: WIRE_TYPES[tensor.type],
      shape: tensor.dims,
      data: Array.from(tensor.data as ArrayLike<number | bigint>, Number),
    }));
    const response = await fetch(`${url}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs }),
    });
    if (!response.ok) throw new Error(`${model}: ${response.status} ${await response.text()}`);
    const { outputs } = (await response.json()) as {
      outputs: { name: string; shape: number[]; data: number[] }[];
    };
    const result: Feeds = {};
    for (const output of outputs)
      result[output.name] = { type: 'float32', data: Float32Array.from(output.data), dims: output.shape };
    return result;
  };
}

async function inferRaw(url: string, model: string, items: readonly Uint8Array[]): Promise<Response> {
  return fetch(`${url}/v2/models/${model}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      inputs: [
        {
          name: 'raw',
          datatype: 'BYTES',
          shape: [items.length],
          parameters: { content_type: 'base64' },
          data: items.map((bytes) => Buffer.from(bytes).toString('base64')),
        },
      ],
      outputs: [{ name: 'embedding' }],
    }),
  });
}

function expectFeedsMatch(feeds: Feeds, specs: readonly InputSpec[]): void {
  expect(Object.keys(feeds).sort()).toEqual(specs.map((spec) => spec.name).sort());
  for (const spec of specs) {
    const tensor = feeds[spec.name];
    expect(tensor?.type, `type of ${spec.name}`).toBe(spec.type);
    expect(tensor?.dims.length, `rank of ${spec.name}`).toBe(spec.dims.length);
    expect(tensor?.dims[0], `batch of ${spec.name}`).toBe(1);
    spec.dims.forEach((size, axis) => {
      if (axis > 0 && size !== undefined) expect(tensor?.dims[axis], `${spec.name} axis ${axis}`).toBe(size);
    });
    const count = (tensor?.dims ?? []).reduce((a, b) => a * b, 1);
    expect(tensor?.data.length, `elements of ${spec.name}`).toBe(count);
  }
}

export function describeBackendConformance(spec: BackendConformance, backend: () => RunningBackend): void {
  const { adapter, model } = spec;
  const modality = spec.part === undefined ? adapter.modality : `${adapter.modality}.${spec.part}`;
  const canonical = async () =>
    Promise.all(spec.samples.map(async (sample) => (await adapter.normalize(sample)).bytes));

  describe(`adapter "${modality}" backend conformance (model ${model})`, () => {
    const setup = async () => {
      const { repository, url } = backend();
      const parameters = parametersOf(repository, model);
      expect(parameters.modality).toBe(modality);
      const loaded = (await import(`../${parameters.adapter ?? ''}/preprocess.ts`)) as {
        default: Preprocessor;
      };
      const context: PreprocessContext = {
        model,
        parameters,
        directory: join(repository, model),
        run: runOn(url),
      };
      return { preprocessor: loaded.default, context, specs: await onnxInputs(repository, model) };
    };

    it("preprocesses the edge's canonical bytes into the model file's inputs", async () => {
      const { preprocessor, context, specs } = await setup();
      // One preprocessor may serve all of an input's parts (video), or one part alone (image.text).
      expect([adapter.modality, modality]).toContain(preprocessor.modality);
      for (const bytes of await canonical())
        expectFeedsMatch(await preprocessor.preprocess(bytes, context), specs);
    });

    it('refuses broken bytes with an input error that maps to a 4xx', async () => {
      const { preprocessor, context } = await setup();
      expect(spec.broken.length).toBeGreaterThan(0);
      for (const bytes of spec.broken) {
        const error: unknown = await preprocessor.preprocess(bytes, context).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(
          isAdapterInputError(error),
          `broken input ${Buffer.from(bytes.subarray(0, 16)).toString('hex')}`,
        ).toBe(true);
        if (isAdapterInputError(error)) expect(error.status).toBeGreaterThanOrEqual(400);
      }
    });

    it('round-trips through a real backend process: embeddings for samples, 400 for broken bytes', async () => {
      const { url, repository } = backend();
      const items = await canonical();
      const response = await inferRaw(url, model, items);
      expect(response.status).toBe(200);
      const [output] = (
        (await response.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] }
      ).outputs;
      const config = JSON.parse(readFileSync(join(repository, model, 'config.json'), 'utf8')) as {
        output: { dims: number[] }[];
      };
      expect(output?.shape).toEqual([items.length, ...(config.output[0]?.dims ?? [])]);
      expect(output?.data.every(Number.isFinite)).toBe(true);
      for (const bytes of spec.broken) {
        const refused = await inferRaw(url, model, [bytes]);
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ error: expect.any(String) });
      }
    });
  });
}
