/**
 * @module
 * Helpers for the runtime's and the server's tests: a model config with no inputs or outputs, for tests about the
 * config's other fields (parameters, instance groups, batch sizes); a registry that serves no model.
 */
import { modelConfigSchema, type ModelConfig } from '../../../gpu-backend/model-repository/config.ts';
import { ModelRegistry } from '../../../gpu-backend/runtime/registry.ts';

/** Model `m` (onnxruntime, no tensors) with `extra` fields spread over it. */
export function bareModelConfig(extra: object = {}, maxBatchSize = 4): ModelConfig {
  return modelConfigSchema.parse({
    name: 'm',
    platform: 'onnxruntime_onnx',
    max_batch_size: maxBatchSize,
    input: [],
    output: [],
    ...extra,
  });
}

/** A CPU registry over a repository that does not exist, logging nothing: it loads and serves no model. */
export function emptyRegistry(): ModelRegistry {
  return new ModelRegistry({
    root: '/nonexistent',
    provider: 'cpu',
    settings: { requested: 'cpu', deviceId: 0 },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  });
}
