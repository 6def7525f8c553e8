/**
 * @module
 * The KServe v2 (Open Inference Protocol) client, as Triton and this repo's backend speak it over HTTP/JSON.
 * Raw inputs travel as one `BYTES` tensor named `raw` with `content_type: "base64"`; the embedding comes back in
 * the output the model's metadata names (`parameters.embedding_output`, default `embedding`), asked for as binary
 * data (`binary-output.ts`); the extra outputs it declares (`extra_outputs`: a derived part's `text`) come as JSON
 * beside it, attached to each vector (`extras.ts`). More inputs than the model's `max_batch_size` go in several calls, a
 * few at a time, since Triton refuses a request whose batch is over it.
 */
import type { CanonicalInput } from '../../adapters/types.ts';
import type { InferRequest, ModelMetadata, RepositoryIndexEntry } from '../../gpu-backend/protocol/types.ts';
import { Slots } from '../../adapters/shared/slots.ts';
import { encodeBase64 } from '../base64.ts';
import { binaryOutput, readInferResponse, type ReadResponse } from './binary-output.ts';
import type { BackendModels } from './backend-models.ts';
import { TtlCache } from './ttl-cache.ts';
import { BackendError, BackendInputError } from './errors.ts';
import { probe, requestJson, type BackendCredentials } from './http.ts';
import { attachExtras } from './extras.ts';
import { modelInfoOf, readEmbeddings, readExtras, type KServeModelInfo } from './wire.ts';
import type { BackendClient } from './types.ts';

/** Model metadata read from backends, kept per isolate (see `isolate-state.ts`): by backend URL and model. */
export interface MetadataCache {
  readonly models: TtlCache<KServeModelInfo>;
  readonly lists: TtlCache<KServeModelInfo[]>;
}

/** A model's facts for a minute, a backend's model list for half a minute. */
export function createMetadataCache(): MetadataCache {
  return { models: new TtlCache(60_000), lists: new TtlCache(30_000, 16) };
}

export interface KServeOptions {
  readonly metadata: MetadataCache;
  readonly inferTimeoutMs?: number | undefined;
  readonly metadataTimeoutMs?: number;
  /** Sent on every call: the bearer (the backend's `MODALFUSE_BACKEND_TOKEN`), Access's service token. */
  readonly credentials?: BackendCredentials | undefined;
  /** What `BACKEND_MODELS` says of the models, for a server whose metadata lacks it (`backend-models.ts`). */
  readonly configured?: BackendModels | undefined;
}

/** The name of the BYTES input every modality model takes (the backend contract). */
const rawInputName = 'raw';

const defaults = { inferTimeoutMs: 60_000, metadataTimeoutMs: 5_000 } as const;

/** Calls of one embed at once: enough to keep a backend's batcher fed, few enough not to fill its queue. */
const callsAtOnce = 4;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

export function createKServeClient(baseUrl: string, options: KServeOptions): BackendClient {
  const url = baseUrl.replace(/\/+$/, '');
  const inferTimeoutMs = options.inferTimeoutMs ?? defaults.inferTimeoutMs;
  const metadataTimeoutMs = options.metadataTimeoutMs ?? defaults.metadataTimeoutMs;
  const { credentials } = options;
  const configured = options.configured ?? new Map();
  // The metadata cache outlives an environment: what the edge is told of models is part of the key.
  const cacheKey = configured.size === 0 ? url : `${url} ${JSON.stringify([...configured])}`;
  const modelUrl = (name: string) => `${url}/v2/models/${encodeURIComponent(name)}`;

  async function loadModel(name: string): Promise<KServeModelInfo> {
    const metadata = await requestJson({
      method: 'GET',
      url: modelUrl(name),
      timeoutMs: metadataTimeoutMs,
      credentials,
      model: name,
    });
    const info = modelInfoOf(metadata as ModelMetadata, configured.get(name));
    if (info === undefined) throw new BackendError('unknown-model', `the backend's ${name} has no modality`);
    return info;
  }

  async function loadModels(): Promise<KServeModelInfo[]> {
    const index = (await requestJson({
      method: 'POST',
      url: `${url}/v2/repository/index`,
      body: {},
      timeoutMs: metadataTimeoutMs,
      credentials,
    })) as RepositoryIndexEntry[];
    if (!Array.isArray(index)) throw new BackendError('bad-response', 'the repository index is not a list');
    const names = [...new Set(index.map((entry) => entry.name))];
    const infos = await Promise.all(
      names.map((name) => model(name).catch((error: unknown) => skipNonModality(error))),
    );
    return infos.filter((info) => info !== undefined);
  }

  function model(name: string): Promise<KServeModelInfo> {
    return options.metadata.models.get(`${cacheKey} ${name}`, () => loadModel(name));
  }

  async function embedCall(
    name: string,
    info: KServeModelInfo,
    inputs: readonly CanonicalInput[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    const request: InferRequest = {
      inputs: [
        {
          name: rawInputName,
          datatype: 'BYTES',
          shape: [inputs.length],
          parameters: { content_type: 'base64' },
          data: inputs.map((input) => encodeBase64(input.bytes)),
        },
      ],
      outputs: [
        { name: info.embeddingOutput, parameters: binaryOutput },
        ...info.extraOutputs.map((name) => ({ name })),
      ],
    };
    const infer = {
      method: 'POST',
      url: `${modelUrl(name)}/infer`,
      body: request,
      timeoutMs: inferTimeoutMs,
      signal,
      credentials,
    } as const;
    const body = (await requestJson({ ...infer, model: name }, readInferResponse)) as ReadResponse;
    const vectors = readEmbeddings(body, info.embeddingOutput, inputs.length);
    if (info.extraOutputs.length === 0) return vectors;
    const extras = readExtras(body, info.extraOutputs, inputs.length);
    return vectors.map((vector, i) => attachExtras(vector, extras[i] ?? {}));
  }

  async function embed(
    name: string,
    inputs: readonly CanonicalInput[],
    signal?: AbortSignal,
  ): Promise<Float32Array[]> {
    if (inputs.length === 0) return [];
    const info = await model(name);
    if (inputs.length <= info.maxBatchSize) return embedCall(name, info, inputs, signal);
    const slots = new Slots(callsAtOnce);
    const parts = chunks(inputs, info.maxBatchSize);
    const answers = parts.map((part, i) =>
      slots
        .run(() => embedCall(name, info, part, signal))
        .catch((error: unknown) => {
          throw inCall(error, i * info.maxBatchSize);
        }),
    );
    return (await Promise.all(answers)).flat();
  }

  return {
    url,
    embed,
    model,
    models: () => options.metadata.lists.get(cacheKey, loadModels),
    ready: () => probe(`${url}/v2/health/ready`, metadataTimeoutMs, credentials),
  };
}

/** A part's refusal, its items renumbered from `offset` so that they name inputs of the whole embed call. */
function inCall(error: unknown, offset: number): unknown {
  if (!(error instanceof BackendInputError) || error.items === undefined || offset === 0) return error;
  const items = error.items.map((item) => ({ ...item, index: item.index + offset }));
  return new BackendInputError(error.model, error.backendMessage, error.code, items);
}

/** Helper models (a VAD) have no modality: leave them out of the list; any other failure fails the list. */
function skipNonModality(error: unknown): undefined {
  if (error instanceof BackendError && error.kind === 'unknown-model') return undefined;
  throw error;
}
