/**
 * @module
 * The three names of one element type: KServe's datatype (the wire), onnxruntime's type (the runtime) and
 * Triton's config `TYPE_*` (the repository).
 */
import type { Datatype } from '../protocol/types.ts';
import type { TensorConfig } from '../model-repository/config.ts';
import type { ElementType } from './tensor.ts';

export const DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const satisfies readonly Datatype[];

/** KServe datatype → host element type; `BYTES` inputs arrive as raw bytes. */
export const ELEMENT_OF: Readonly<Record<Datatype, ElementType>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'bytes',
};

export const DATATYPE_OF: Readonly<Record<ElementType, Datatype>> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  float16: 'FP16',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
  bytes: 'BYTES',
};

type ConfigType = TensorConfig['data_type'];

/** Triton config `TYPE_*` → KServe datatype (`TYPE_STRING` is `BYTES`). */
export function datatypeOfConfig(type: ConfigType): Datatype {
  return type === 'TYPE_STRING' ? 'BYTES' : (type.slice('TYPE_'.length) as Datatype);
}

/** Triton config `TYPE_*` → host element type. */
export function elementOfConfig(type: ConfigType): ElementType {
  return ELEMENT_OF[datatypeOfConfig(type)];
}
