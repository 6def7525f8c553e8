/**
 * @module
 * One infer request: split the body (JSON header + binary tail), decode the inputs, run the model, encode each
 * output as JSON or, when asked (`binary_data` on the output, or `binary_data_output` on the request), as
 * binary data after the JSON header. `signal` (the HTTP request's, aborted when its client disconnects) reaches
 * the scheduler, which drops the request's queued items.
 */
import type { InferRequest, ResponseOutput } from '../protocol/types.ts';
import { DATATYPE_OF } from '../runtime/datatypes.ts';
import { badRequest } from '../runtime/errors.ts';
import type { Model } from '../runtime/model.ts';
import type { ScheduleOptions } from '../runtime/scheduler.ts';
import { encodeBinary, joinBody, splitBody } from './binary.ts';
import { encodeOutput } from './codec.ts';
import { decodeInputs, parseInferRequest, type WireInferRequest } from './request.ts';

/** A response: JSON alone, or a JSON header of `headerLength` bytes followed by binary outputs. */
export type InferReply =
  | { readonly kind: 'json'; readonly body: object }
  | { readonly kind: 'binary'; readonly body: Uint8Array<ArrayBuffer>; readonly headerLength: number };

/** Triton's `timeout` request parameter (µs), unless the model's queue policy forbids overriding it. */
function timeoutOption(model: Model, parameters: InferRequest['parameters']): ScheduleOptions {
  const timeout = parameters?.timeout;
  if (timeout === undefined) return {};
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0) {
    throw badRequest(
      `parameter "timeout" must be a whole number of microseconds, got ${JSON.stringify(timeout)}`,
    );
  }
  const policy = model.parts.config.dynamic_batching?.default_queue_policy;
  return policy?.allow_timeout_override === false || timeout === 0 ? {} : { timeoutUs: timeout };
}

function wantsBinary(request: WireInferRequest, name: string): boolean {
  const own = request.outputs?.find((output) => output.name === name)?.parameters?.binary_data;
  return own === undefined ? request.parameters?.binary_data_output === true : own === true;
}

export async function infer(
  model: Model,
  body: Uint8Array,
  headerLength?: string,
  signal?: AbortSignal,
): Promise<InferReply> {
  const { json, tail } = splitBody(body, headerLength);
  const request = parseInferRequest(json);
  const outputs = await model.infer(
    decodeInputs(request.inputs, tail),
    request.outputs?.map((output) => output.name),
    { ...timeoutOption(model, request.parameters), signal },
  );
  const chunks: Uint8Array[] = [];
  const encoded = Object.entries(outputs).map(([name, tensor]): Omit<ResponseOutput, 'data'> => {
    if (!wantsBinary(request, name)) return encodeOutput(name, tensor);
    const bytes = encodeBinary(tensor);
    chunks.push(bytes);
    return {
      name,
      datatype: DATATYPE_OF[tensor.type],
      shape: [...tensor.dims],
      parameters: { binary_data_size: bytes.byteLength },
    };
  });
  const response = {
    model_name: model.name,
    model_version: model.version,
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputs: encoded,
  };
  if (chunks.length === 0) return { kind: 'json', body: response };
  return { kind: 'binary', ...joinBody(JSON.stringify(response), chunks) };
}
