import { describe, expect, it } from 'vitest';
import { modelConfigSchema } from './config.ts';
import { parsePbtxt } from './pbtxt.ts';

/** A config as Triton's docs write them: comments, both list forms, nested messages, the parameters map. */
const TRITON_STYLE = `
# MobileNet on onnxruntime
name: "mobilenet"
platform: "onnxruntime_onnx"
max_batch_size: 16
input [
  {
    name: "input"
    data_type: TYPE_FP32
    dims: [ 3, 224, 224 ]
  }
]
output {
  name: "embedding"
  data_type: TYPE_FP32
  dims: 1280
}
output { name: "logits", data_type: TYPE_FP32, dims: [ 1000 ], label_filename: "labels.json" }
dynamic_batching {
  max_queue_delay_microseconds: 2000
  preferred_batch_size: [ 4, 8 ]
  default_queue_policy { default_timeout_microseconds: 50000 max_queue_size: 64 allow_timeout_override: true }
}
instance_group [ { count: 2, kind: KIND_GPU, gpus: [ 0 ] } ]
parameters { key: "modality" value: { string_value: "image" } }
parameters: { key: "note" value: { string_value: "a \\"quoted\\" word # not a comment" } }
`;

describe('parsePbtxt', () => {
  it('reads the subset into the JSON form config.json holds, which the schema accepts', () => {
    const json = parsePbtxt(TRITON_STYLE);
    expect(json).toEqual({
      name: 'mobilenet',
      platform: 'onnxruntime_onnx',
      max_batch_size: 16,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [3, 224, 224] }],
      output: [
        { name: 'embedding', data_type: 'TYPE_FP32', dims: [1280] },
        { name: 'logits', data_type: 'TYPE_FP32', dims: [1000], label_filename: 'labels.json' },
      ],
      dynamic_batching: {
        max_queue_delay_microseconds: 2000,
        preferred_batch_size: [4, 8],
        default_queue_policy: {
          default_timeout_microseconds: 50000,
          max_queue_size: 64,
          allow_timeout_override: true,
        },
      },
      instance_group: [{ count: 2, kind: 'KIND_GPU', gpus: [0] }],
      parameters: {
        modality: { string_value: 'image' },
        note: { string_value: 'a "quoted" word # not a comment' },
      },
    });
    expect(modelConfigSchema.safeParse(json).success).toBe(true);
  });

  it('an empty list and a repeated field both give arrays', () => {
    expect(parsePbtxt('input [] output { name: "a" } output { name: "b" }')).toEqual({
      input: [],
      output: [{ name: 'a' }, { name: 'b' }],
    });
  });

  it.each([
    ['input [ { name: "x" ', /expected/],
    ['name: "x" }', /not a field name/],
    ['max_batch_size:', /expected a value/],
    ['name: "unterminated', /cannot read past/],
  ])('refuses %j', (text, message) => {
    expect(() => parsePbtxt(text)).toThrow(message);
  });
});
