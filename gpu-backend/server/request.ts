/**
 * @module
 * Reading an infer request body: JSON, then the Open Inference Protocol's shape (zod), then every input
 * tensor decoded. Each failure is a 400 that names the field at fault.
 */
import { z } from 'zod';
import type { InferRequest } from '../protocol/types.ts';
import { DATATYPES } from '../runtime/datatypes.ts';
import { badRequest } from '../runtime/errors.ts';
import type { TensorMap } from '../runtime/tensor.ts';
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
        data: z.array(z.unknown()),
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

export function parseInferRequest(text: string): InferRequest {
  const parsed = inferRequestSchema.safeParse(parseJson(text));
  if (!parsed.success) throw badRequest(`invalid infer request: ${describeIssues(parsed.error)}`);
  return parsed.data as InferRequest;
}

/** Decodes every input; names must be unique. */
export function decodeInputs(inputs: InferRequest['inputs']): TensorMap {
  // No prototype: an input named "constructor" or "__proto__" is just a name.
  const tensors: TensorMap = Object.create(null) as TensorMap;
  for (const input of inputs) {
    if (Object.hasOwn(tensors, input.name)) throw badRequest(`input "${input.name}" is sent twice`);
    tensors[input.name] = decodeInput(input);
  }
  return tensors;
}
