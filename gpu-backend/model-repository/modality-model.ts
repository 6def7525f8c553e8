/**
 * @module
 * How every model of this repository is configured, written the one way the edge and the runtime read it: a
 * modality model takes one raw `BYTES` element per item (its adapter's `preprocess` makes the tensors) and carries
 * `modality`, `adapter` and `embedding_output` in its parameters; batched models get dynamic batching, every model
 * one instance placed automatically. Used by the model builder and the Hub pull.
 */
import { modelConfigSchema, type ModelConfig, type TensorConfig } from './config.ts';

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
