/**
 * @module
 * Server and model metadata as the Open Inference Protocol shapes them, plus ModalFuse's `execution_provider`
 * and the model parameters the edge needs (modality, adapter, embedding output and dimension, `max_batch_size`,
 * `created`). `plain` leaves the parameters out, as a plain Triton or KServe server answers (the edge then reads
 * them from its own `BACKEND_MODELS`).
 */
import type { ModelMetadata, Parameters, ServerMetadata, TensorMetadata } from '../protocol/types.ts';
import type { TensorConfig } from '../model-repository/config.ts';
import { datatypeOfConfig } from '../runtime/datatypes.ts';
import type { ExecutionProvider } from '../runtime/execution-provider.ts';
import type { Model } from '../runtime/model.ts';

export const SERVER_NAME = 'modalfuse-backend';

/** Protocol extensions this server implements (Triton's names). */
export const EXTENSIONS = ['model_repository', 'model_configuration', 'binary_tensor_data'] as const;

export function serverMetadata(version: string, provider: ExecutionProvider): ServerMetadata {
  return { name: SERVER_NAME, version, extensions: [...EXTENSIONS], execution_provider: provider };
}

function tensorMetadata(tensor: TensorConfig, batching: boolean): TensorMetadata {
  return {
    name: tensor.name,
    datatype: datatypeOfConfig(tensor.data_type),
    shape: batching ? [-1, ...tensor.dims] : [...tensor.dims],
  };
}

/** The last dim of the embedding output: from the config, else from the ONNX graph when fixed there. */
function embeddingDimension(model: Model, output: string): number | undefined {
  const configured = model.parts.config.output.find((tensor) => tensor.name === output)?.dims.at(-1);
  if (configured !== undefined && configured > 0) return configured;
  const onnx = model.parts.session.outputs.find((spec) => spec.name === output)?.shape.at(-1);
  return typeof onnx === 'number' ? onnx : undefined;
}

function modelParameters(model: Model): Parameters {
  const parameters: Parameters = { ...model.parameters, execution_provider: model.parts.provider };
  const embedding = model.parameters.embedding_output;
  const dimension = embedding === undefined ? undefined : embeddingDimension(model, embedding);
  if (dimension !== undefined) parameters.embedding_dimension = dimension;
  if (model.parts.config.max_batch_size > 0) parameters.max_batch_size = model.parts.config.max_batch_size;
  if (model.parts.created !== undefined) parameters.created = model.parts.created;
  return parameters;
}

export function modelMetadata(model: Model, plain = false): ModelMetadata {
  const { config } = model.parts;
  const batching = config.max_batch_size > 0;
  return {
    name: model.name,
    versions: [model.version],
    platform: 'onnxruntime_onnx',
    inputs: config.input.map((tensor) => tensorMetadata(tensor, batching)),
    outputs: config.output.map((tensor) => tensorMetadata(tensor, batching)),
    ...(plain ? {} : { parameters: modelParameters(model) }),
  };
}
