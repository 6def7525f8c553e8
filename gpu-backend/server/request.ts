/**
 * @module
 * Reading an infer request body: JSON, then the Open Inference Protocol's shape (zod), then every input
 * tensor decoded. Each failure is a 400 that names the field at fault.
 */
import { z } from 'zod';
import type { InferRequest, RequestInput } from '../protocol/types.ts';
import { DATATYPES } from '../runtime/datatypes.ts';
import { badRequest } from '../runtime/errors.ts';
import type { TensorMap } from '../runtime/tensor.ts';
import { decodeBinary } from './binary.ts';
import { decodeInput } from './codec.ts';

const parameters = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const inferRequestSchema = z.object({
  id: z.string().optional(),
  parameters: parameters.optional(),
  inputs: z
    .array(
      z.object({
        name: z.string().min(1),
        shape: z.array(z.number().int().min(0)),
        datatype: z.enum(DATATYPES),
        parameters: parameters.optional(),
        /** Absent when the tensor travels as binary data (`binary_data_size`). */
        data: z.array(z.unknown()).optional(),
      }),
    )
    .min(1),
  outputs: z.array(z.object({ name: z.string().min(1), parameters: parameters.optional() })).optional(),
});

/** Parses a JSON body; a body that is not JSON is the client's fault. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${error instanceof Error ? error.message : error}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** An infer request as it arrives: like {@link InferRequest}, but an input's `data` may be in the binary tail. */
export type WireInferRequest = Omit<InferRequest, 'inputs'> & {
  inputs: (Omit<RequestInput, 'data'> & { data?: RequestInput['data'] })[];
};

export function parseInferRequest(text: string): WireInferRequest {
  const parsed = inferRequestSchema.safeParse(parseJson(text));
  if (!parsed.success) throw badRequest(`invalid infer request: ${describeIssues(parsed.error)}`);
  return parsed.data as WireInferRequest;
}

/** The `binary_data_size` of an input (undefined when its data is JSON). */
function binarySize(input: WireInferRequest['inputs'][number]): number | undefined {
  const size = input.parameters?.binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw badRequest(
      `input "${input.name}": binary_data_size must be a byte count, got ${JSON.stringify(size)}`,
    );
  }
  if (input.data !== undefined) throw badRequest(`input "${input.name}" has both data and binary_data_size`);
  return size;
}

/**
 * Decodes every input; names must be unique. Inputs with `binary_data_size` take their bytes from `tail` (the
 * body after the JSON header) in order, and together they must use all of it.
 */
export function decodeInputs(
  inputs: WireInferRequest['inputs'],
  tail: Uint8Array = new Uint8Array(0),
): TensorMap {
  // No prototype: an input named "constructor" or "__proto__" is just a name.
  const tensors: TensorMap = Object.create(null) as TensorMap;
  let offset = 0;
  for (const input of inputs) {
    if (Object.hasOwn(tensors, input.name)) throw badRequest(`input "${input.name}" is sent twice`);
    const size = binarySize(input);
    if (size === undefined) {
      if (input.data === undefined)
        throw badRequest(`input "${input.name}" has neither data nor binary_data_size`);
      tensors[input.name] = decodeInput(input as RequestInput);
      continue;
    }
    if (offset + size > tail.byteLength) {
      throw badRequest(`input "${input.name}": binary_data_size ${size} runs past the end of the body`);
    }
    tensors[input.name] = decodeBinary(
      input.name,
      input.datatype,
      input.shape,
      tail.subarray(offset, offset + size),
    );
    offset += size;
  }
  if (offset !== tail.byteLength) {
    throw badRequest(`the body has ${tail.byteLength - offset} bytes after the tensors it declares`);
  }
  return tensors;
}
