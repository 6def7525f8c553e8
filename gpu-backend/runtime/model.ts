/**
 * @module
 * A loaded model: its config, session and (for modality models) preprocessor, and the inference pipeline
 * raw items → preprocess → scheduler → outputs, or direct ONNX inputs → scheduler → outputs.
 */
import type { Feeds, PreprocessContext, Preprocessor, TensorValue } from '../../adapters/types.ts';
import { configParameters, type ModelConfig } from '../repository/config.ts';
import { concatBatch } from './collate.ts';
import { badRequest } from './errors.ts';
import type { ExecutionProvider } from './execution-provider.ts';
import { checkInputs, directItems, rawItems, resolveOutputs } from './inputs.ts';
import { directScheduler, type Scheduler } from './scheduler.ts';
import type { OnnxSession } from './session.ts';
import type { HostTensor, TensorMap } from './tensor.ts';
import { warmupFeeds, type ReadWarmupFile } from './warmup.ts';

/** Runs another model of the repository by name (what a preprocessor's `context.run` reaches). */
export type RunModel = (model: string, feeds: TensorMap) => Promise<TensorMap>;

export interface ModelParts {
  readonly config: ModelConfig;
  readonly version: string;
  readonly provider: ExecutionProvider;
  readonly session: OnnxSession;
  readonly preprocessor?: Preprocessor | undefined;
  readonly runModel: RunModel;
  /** The model's folder in the repository, handed to its preprocessor for files such as `tokenizer.json`. */
  readonly dir?: string | undefined;
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

export class Model {
  readonly name: string;
  readonly parameters: Readonly<Record<string, string>>;
  private readonly scheduler: Scheduler;
  /** The BYTES input clients send raw items on, for a model fed by a preprocessor. */
  private readonly rawInput: string | undefined;

  constructor(readonly parts: ModelParts) {
    this.name = parts.config.name;
    this.parameters = configParameters(parts.config);
    const run = (feeds: TensorMap, outputs: readonly string[]) => parts.session.run(feeds, outputs);
    this.scheduler = directScheduler(parts.config.max_batch_size, run);
    const first = parts.config.input[0];
    this.rawInput = parts.preprocessor && first?.data_type === 'TYPE_STRING' ? first.name : undefined;
  }

  get version(): string {
    return this.parts.version;
  }

  /** Runs a request's decoded inputs; `requested` selects outputs (all when absent). */
  async infer(inputs: TensorMap, requested?: readonly string[]): Promise<TensorMap> {
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
      const items = await this.preprocess(rawItems(raw, inputs[raw] as HostTensor, config.max_batch_size));
      return this.assemble(await this.scheduler.schedule(items, outputs), outputs);
    }
    const unknown = Object.keys(inputs).find((name) => !session.inputs.some((spec) => spec.name === name));
    if (unknown !== undefined && raw !== undefined) {
      throw badRequest(
        `unknown input "${unknown}" (send "${raw}" as BYTES, or the ONNX inputs ${this.onnxInputs()})`,
      );
    }
    const items = directItems(session.inputs, inputs, config.max_batch_size);
    try {
      return this.assemble(await this.scheduler.schedule(items, outputs), outputs);
    } catch (error) {
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

  /** One run on the config's `model_warmup` sample (or zeros), straight on the session. */
  async warmUp(read: ReadWarmupFile): Promise<void> {
    try {
      await this.parts.session.run(warmupFeeds(this.parts.session.inputs, this.parts.config, read));
    } catch (error) {
      throw new Error(`warm-up failed: ${message(error)}`, { cause: error });
    }
  }

  async release(): Promise<void> {
    await this.parts.session.release();
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
    const feeds = await Promise.all(items.map((bytes) => preprocessor.preprocess(bytes, context)));
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
