/**
 * @module
 * One infer request, JSON in and out: parse and decode the body, run the model, encode the outputs. The
 * binary tensor extension will add another codec beside this one, not change the model's side.
 */
import type { InferRequest, InferResponse } from '../protocol/types.ts';
import { badRequest } from '../runtime/errors.ts';
import type { Model } from '../runtime/model.ts';
import type { ScheduleOptions } from '../runtime/scheduler.ts';
import { encodeOutput } from './codec.ts';
import { decodeInputs, parseInferRequest } from './request.ts';

/** Triton's `timeout` request parameter (µs), unless the model's queue policy forbids overriding it. */
function scheduleOptions(model: Model, parameters: InferRequest['parameters']): ScheduleOptions {
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

export async function infer(model: Model, body: string): Promise<InferResponse> {
  const request = parseInferRequest(body);
  const outputs = await model.infer(
    decodeInputs(request.inputs),
    request.outputs?.map((output) => output.name),
    scheduleOptions(model, request.parameters),
  );
  return {
    model_name: model.name,
    model_version: model.version,
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputs: Object.entries(outputs).map(([name, tensor]) => encodeOutput(name, tensor)),
  };
}
