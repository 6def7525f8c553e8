/**
 * @module
 * Helpers for the runtime's tests (gpu-backend/runtime/): a model config with no inputs or outputs, for tests about the config's other
 * fields (parameters, instance groups, batch sizes).
 */
import { modelConfigSchema, type ModelConfig } from '../../../gpu-backend/model-repository/config.ts';

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
