/**
 * @module
 * What a default model is made of: a recipe names its source files and builds the model's files from them, and
 * `modelConfig` writes its Triton-style `config.json` the way every model of this repository shares.
 */
import { modelConfigSchema, type ModelConfig, type TensorConfig } from '../model-repository/config.ts';
import type { SourceFile } from './sources.ts';

/** The files of one model folder: `1/model.onnx`, its config and any extra files beside the config. */
export interface BuiltModel {
  onnx: Uint8Array;
  config: ModelConfig;
  /** Extra files by path relative to the model folder (e.g. `labels.json`, `warmup/sr`). */
  files?: Record<string, Uint8Array>;
}

export interface ModelRecipe {
  readonly name: string;
  /** Bumped whenever the recipe's output changes, so that stamped models are rebuilt. */
  readonly version: number;
  readonly sources: readonly SourceFile[];
  /** The constants the build depends on besides its sources; part of the stamp, so changing one rebuilds. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Builds the model from the verified paths of its sources. */
  build(sources: Readonly<Partial<Record<SourceFile, string>>>): Promise<BuiltModel>;
}

/** The verified path of a source the recipe declared; a recipe asking for an undeclared one is a bug. */
export function sourceOf(sources: Readonly<Partial<Record<SourceFile, string>>>, file: SourceFile): string {
  const path = sources[file];
  if (!path)
    throw new Error(`source ${file} was not prepared (prepared: ${Object.keys(sources).join(', ')})`);
  return path;
}

export interface ConfigSpec {
  name: string;
  maxBatchSize: number;
  input: TensorConfig[];
  output: TensorConfig[];
  parameters: Record<string, string>;
  /** Triton's warm-up samples, for models whose inputs cannot be zeros with variable dims set to 1. */
  warmup?: ModelConfig['model_warmup'];
}

/** A validated config; batched models get dynamic batching, every model one instance placed automatically. */
export function modelConfig(spec: ConfigSpec): ModelConfig {
  return modelConfigSchema.parse({
    name: spec.name,
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    max_batch_size: spec.maxBatchSize,
    input: spec.input,
    output: spec.output,
    ...(spec.maxBatchSize > 1 ? { dynamic_batching: { max_queue_delay_microseconds: 2000 } } : {}),
    instance_group: [{ count: 1, kind: 'KIND_AUTO' }],
    parameters: Object.fromEntries(Object.entries(spec.parameters).map(([k, v]) => [k, { string_value: v }])),
    ...(spec.warmup ? { model_warmup: spec.warmup } : {}),
  });
}

/** What a modality model's clients send: one BYTES element per item. */
export const RAW_INPUT: TensorConfig = { name: 'raw', data_type: 'TYPE_STRING', dims: [1] };

/** The parameters every modality model carries; `adapter` is the folder under adapters/. */
export function modalityParameters(modality: string, extra: Record<string, string>): Record<string, string> {
  return { modality, adapter: modality, embedding_output: 'embedding', ...extra };
}
