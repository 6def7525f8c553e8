/**
 * @module
 * A loaded model: its config, session and (for modality models) preprocessor, and the inference pipeline
 * raw items → preprocess → scheduler → outputs, or direct ONNX inputs → scheduler → outputs.
 */
import { isAdapterInputError } from '../../adapters/errors.ts';
import type { Feeds, PreprocessContext, Preprocessor, TensorValue } from '../../adapters/types.ts';
import { configParameters, type ModelConfig } from '../model-repository/config.ts';
import { Admission, admissionLimits } from './admission.ts';
import { concatBatch } from './collate.ts';
import { badRequest, isStatusError, RefusedItemsError, type RefusedItem } from './errors.ts';
import type { ExecutionProvider } from './execution-provider.ts';
import { checkInputs, directItems, rawItems, resolveOutputs } from './inputs.ts';
import { makeScheduler, queueBound } from './make-scheduler.ts';
import type { RunBatch, ScheduleOptions, Scheduler } from './scheduler.ts';
import type { SessionInstance } from './session.ts';
import { ModelStats } from './stats.ts';
import type { HostTensor, TensorMap } from './tensor.ts';
import { rawWarmupItems, warmupFeeds, type ReadWarmupFile, type WarmupMode } from './warmup.ts';
import { WorkerCrashError } from './worker-session.ts';

/** Runs another model of the repository by name (what a preprocessor's `context.run` reaches). */
export type RunModel = (model: string, feeds: TensorMap) => Promise<TensorMap>;

export interface ModelParts {
  readonly config: ModelConfig;
  readonly version: string;
  readonly provider: ExecutionProvider;
  /** The first session instance: its specs describe the model. */
  readonly session: SessionInstance;
  /** Every instance (`instance_group` count), the first included; just `session` when absent. */
  readonly instances?: readonly SessionInstance[];
  readonly preprocessor?: Preprocessor | undefined;
  readonly runModel: RunModel;
  /** The model's folder in the repository, handed to its preprocessor for files such as `tokenizer.json`. */
  readonly dir?: string | undefined;
  /** When its `model.onnx` was written, in Unix seconds (what OpenAI's model list calls `created`). */
  readonly created?: number | undefined;
}

const FEED_TYPES: readonly string[] = ['float32', 'int64', 'int32', 'bool', 'uint8', 'int8'];

/** Outputs of a model handed to a preprocessor, in the adapter contract's tensor types. */
function toFeeds(tensors: TensorMap): Feeds {
  return Object.fromEntries(
    Object.entries(tensors).map(([name, tensor]) => {
      if (!FEED_TYPES.includes(tensor.type))
        throw new Error(`output "${name}" is ${tensor.type}, not a feed type`);
      return [name, tensor as TensorValue];
    }),
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every item's feeds, else every item its adapter refused ({@link RefusedItemsError}); any other failure (not the
 * input's fault) is thrown as it is.
 */
function refuseItems(settled: readonly PromiseSettledResult<Feeds>[]): Feeds[] {
  const failures = settled.flatMap((result, index) =>
    result.status === 'rejected' ? [{ index, error: result.reason as unknown }] : [],
  );
  const other = failures.find((failure) => !isAdapterInputError(failure.error));
  if (other !== undefined) throw other.error;
  const [first, ...rest] = failures as RefusedItem[];
  if (first !== undefined) throw new RefusedItemsError([first, ...rest]);
  return settled.map((result) => (result as PromiseFulfilledResult<Feeds>).value);
}

export class Model {
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly stats = new ModelStats();
  private readonly scheduler: Scheduler;
  /** Bounds raw items before they are decoded (the scheduler's queue only sees them after). */
  private readonly admission: Admission;
  /** The BYTES input clients send raw items on, for a model fed by a preprocessor. */
  private readonly rawInput: string | undefined;

  constructor(readonly parts: ModelParts) {
    this.name = parts.config.name;
    this.parameters = configParameters(parts.config);
    const runners = this.sessions().map(
      (session): RunBatch =>
        (feeds, outputs, owned, timing) =>
          session.run(feeds, outputs, { transfer: owned === true, ...(timing ? { timing } : {}) }),
    );
    this.scheduler = makeScheduler(parts.config, runners, this.stats);
    this.admission = new Admission(admissionLimits(parts.config, queueBound(parts.config)));
    const first = parts.config.input[0];
    this.rawInput = parts.preprocessor && first?.data_type === 'TYPE_STRING' ? first.name : undefined;
  }

  get version(): string {
    return this.parts.version;
  }

  /** Items waiting in the batcher's queue (0 without dynamic batching). */
  queueDepth(): number {
    return this.scheduler.depth();
  }

  /** Graceful shutdown: run what is queued now rather than wait for fuller batches. */
  flush(): void {
    this.scheduler.flush();
  }

  /** Runs a request's decoded inputs; `requested` selects outputs (all when absent). Counted in `stats`. */
  async infer(
    inputs: TensorMap,
    requested?: readonly string[],
    options: ScheduleOptions = {},
  ): Promise<TensorMap> {
    try {
      const result = await this.inferRequest(inputs, requested, options);
      this.stats.request(true);
      return result;
    } catch (error) {
      this.stats.request(false);
      throw error;
    }
  }

  private async inferRequest(
    inputs: TensorMap,
    requested: readonly string[] | undefined,
    options: ScheduleOptions,
  ): Promise<TensorMap> {
    const { session, config } = this.parts;
    const outputs = resolveOutputs(
      session.outputs.map((output) => output.name),
      config.output.map((output) => output.name),
      requested,
    );
    const raw = this.rawInput;
    if (raw !== undefined && raw in inputs) {
      if (Object.keys(inputs).length > 1) {
        throw badRequest(`send "${raw}" alone, or the model's ONNX inputs (${this.onnxInputs()}) without it`);
      }
      const raws = rawItems(raw, inputs[raw] as HostTensor, config.max_batch_size);
      const release = this.admission.admit(raws.length);
      try {
        const items = await this.preprocess(raws);
        return this.assemble(await this.scheduler.schedule(items, outputs, options), outputs);
      } finally {
        release();
      }
    }
    const unknown = Object.keys(inputs).find((name) => !session.inputs.some((spec) => spec.name === name));
    if (unknown !== undefined && raw !== undefined) {
      throw badRequest(
        `unknown input "${unknown}" (send "${raw}" as BYTES, or the ONNX inputs ${this.onnxInputs()})`,
      );
    }
    const items = directItems(session.inputs, inputs, config.max_batch_size);
    try {
      return this.assemble(await this.scheduler.schedule(items, outputs, options), outputs);
    } catch (error) {
      if (isStatusError(error) || error instanceof WorkerCrashError) throw error;
      // The inputs passed every check above, so what onnxruntime still refuses is theirs (e.g. mismatched lengths).
      throw badRequest(`the model rejected the inputs: ${message(error)}`, error);
    }
  }

  /** One item through the scheduler, as given: what `context.run` of a preprocessor calls. */
  async run(feeds: TensorMap): Promise<TensorMap> {
    const outputs = this.parts.session.outputs.map((output) => output.name);
    const [result] = await this.scheduler.schedule([feeds], outputs);
    if (!result) throw new Error(`model "${this.name}" returned no result`);
    return result;
  }

  /**
   * Runs the config's warm-up samples (`warmup.ts`): the ONNX-level ones (or a maximum-size batch of zeros) on
   * every instance, then (mode `full`) each raw sample once per instance, as requests, so the adapter's first-call
   * costs are paid here. Not counted in `stats`.
   */
  async warmUp(read: ReadWarmupFile, mode: WarmupMode = 'full'): Promise<void> {
    if (mode === 'off') return;
    try {
      const { session, config } = this.parts;
      for (const feeds of warmupFeeds(session.inputs, config, read, this.rawInput)) {
        for (const instance of this.sessions()) await instance.run(feeds);
      }
      const raw = this.rawInput;
      if (mode === 'onnx' || raw === undefined) return;
      for (const items of rawWarmupItems(config, raw, read)) {
        const tensor: HostTensor = { type: 'bytes', data: items, dims: [items.length] };
        // Concurrently, so that each instance gets one while the others are busy.
        await Promise.all(this.sessions().map(() => this.inferRequest({ [raw]: tensor }, undefined, {})));
      }
    } catch (error) {
      throw new Error(`warm-up failed: ${message(error)}`, { cause: error });
    }
  }

  async release(): Promise<void> {
    await Promise.all(this.sessions().map((session) => session.release()));
  }

  private sessions(): readonly SessionInstance[] {
    return this.parts.instances ?? [this.parts.session];
  }

  private onnxInputs(): string {
    return this.parts.session.inputs.map((spec) => spec.name).join(', ');
  }

  private async preprocess(items: readonly Uint8Array[]): Promise<TensorMap[]> {
    const { preprocessor, runModel, session, config } = this.parts;
    if (!preprocessor) throw new Error(`model "${this.name}" has no preprocessor`);
    const context: PreprocessContext = {
      model: this.name,
      parameters: this.parameters,
      directory: this.parts.dir,
      run: async (model, feeds) => toFeeds(await runModel(model, feeds)),
    };
    const feeds = refuseItems(
      await this.admission.preprocessAll(items, (bytes) => preprocessor.preprocess(bytes, context)),
    );
    for (const item of feeds) {
      try {
        checkInputs(session.inputs, item, config.max_batch_size > 0);
      } catch (error) {
        throw new Error(
          `adapter "${this.parameters.adapter}" produced feeds the model does not take: ${message(error)}`,
          { cause: error },
        );
      }
    }
    return feeds;
  }

  /** Joins per-item outputs into the response tensors (padded along non-batch dims when items differ). */
  private assemble(results: readonly TensorMap[], outputs: readonly string[]): TensorMap {
    if (results.length === 1 && results[0]) return results[0];
    return Object.fromEntries(
      outputs.map((name) => [
        name,
        concatBatch(
          name,
          results.map((result) => result[name] as HostTensor),
        ),
      ]),
    );
  }
}
