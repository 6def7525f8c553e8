/**
 * @module
 * A model's `config.json` in the repository: the JSON form of Triton's model configuration, reduced to the
 * fields this backend reads. ModalFuse's own settings live in `parameters` as Triton's `{string_value}` map.
 */
import { z } from 'zod';

const dataType = z.enum([
  'TYPE_BOOL',
  'TYPE_UINT8',
  'TYPE_UINT16',
  'TYPE_UINT32',
  'TYPE_UINT64',
  'TYPE_INT8',
  'TYPE_INT16',
  'TYPE_INT32',
  'TYPE_INT64',
  'TYPE_FP16',
  'TYPE_FP32',
  'TYPE_FP64',
  'TYPE_STRING',
]);

const tensorConfig = z.object({
  name: z.string().min(1),
  data_type: dataType,
  /** Dimensions without the batch dimension when `max_batch_size > 0`; -1 is variable. */
  dims: z.array(z.number().int()),
  label_filename: z.string().optional(),
});

export const modelConfigSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  platform: z.literal('onnxruntime_onnx'),
  backend: z.literal('onnxruntime').optional(),
  /** 0: the model has no batch dimension; n > 0: requests are merged up to n items. */
  max_batch_size: z.number().int().min(0),
  /** What clients send (for modality models, one `raw` BYTES element per item). */
  input: z.array(tensorConfig),
  output: z.array(tensorConfig),
  dynamic_batching: z
    .object({
      max_queue_delay_microseconds: z.number().int().min(0).optional(),
      preferred_batch_size: z.array(z.number().int().positive()).optional(),
      max_queue_size: z.number().int().positive().optional(),
      /** Triton's queue policy: the deadline of a request that sets no `timeout`, and the queue bound. */
      default_queue_policy: z
        .object({
          default_timeout_microseconds: z.number().int().min(0).optional(),
          max_queue_size: z.number().int().positive().optional(),
          allow_timeout_override: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  instance_group: z
    .array(
      z.object({
        count: z.number().int().positive().optional(),
        kind: z.enum(['KIND_AUTO', 'KIND_GPU', 'KIND_CPU']).optional(),
        gpus: z.array(z.number().int().min(0)).optional(),
      }),
    )
    .optional(),
  /**
   * Known keys: `modality` (e.g. "image"), `adapter` (folder under adapters/ whose preprocess feeds the model),
   * `embedding_output` (the output that is the embedding), plus adapter-specific preprocessing settings.
   */
  parameters: z.record(z.string(), z.object({ string_value: z.string() })).default({}),
  /**
   * Triton's warm-up samples, run before the model is ready. The backend runs the first one (zero data, ONNX input
   * names, dims without the batch dimension); without it, it warms up with zeros, variable dims set to 1.
   */
  model_warmup: z
    .array(
      z.object({
        name: z.string(),
        batch_size: z.number().int().min(1).optional(),
        inputs: z.record(
          z.string(),
          z.object({
            data_type: dataType,
            dims: z.array(z.number().int().min(0)),
            zero_data: z.literal(true).optional(),
            /** Triton's form: a file in `<model>/warmup/` holding the input's raw little-endian bytes. */
            input_data_file: z.string().min(1).optional(),
          }),
        ),
      }),
    )
    .optional(),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type TensorConfig = z.infer<typeof tensorConfig>;

/** Flattens Triton's `{key: {string_value}}` parameters into plain strings. */
export function configParameters(config: ModelConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.parameters).map(([key, value]) => [key, value.string_value]),
  );
}
