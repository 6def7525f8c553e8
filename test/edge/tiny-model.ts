/**
 * @module
 * A one-model KServe backend's answers for `fetch`-stub tests: a text model of dimension 2 that takes raw text
 * (the backend contract's `raw` BYTES input), its metadata and its answer to one input.
 */
import type { InferResponse, ModelMetadata } from '../../gpu-backend/protocol/types.ts';

export function tinyTextModel(name: string): { metadata: ModelMetadata; inferred: InferResponse } {
  return {
    metadata: {
      name,
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [-1] }],
      outputs: [{ name: 'embedding', datatype: 'FP32', shape: [-1, 2] }],
      parameters: { modality: 'text', embedding_output: 'embedding', execution_provider: 'cpu' },
    },
    inferred: {
      model_name: name,
      outputs: [{ name: 'embedding', datatype: 'FP32', shape: [1, 2], data: [1, 0] }],
    },
  };
}
