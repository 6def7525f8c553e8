/**
 * @module
 * One infer request, JSON in and out: parse and decode the body, run the model, encode the outputs. The
 * binary tensor extension will add another codec beside this one, not change the model's side.
 */
import type { InferResponse } from '../protocol/types.ts';
import type { Model } from '../runtime/model.ts';
import { encodeOutput } from './codec.ts';
import { decodeInputs, parseInferRequest } from './request.ts';

export async function infer(model: Model, body: string): Promise<InferResponse> {
  const request = parseInferRequest(body);
  const outputs = await model.infer(
    decodeInputs(request.inputs),
    request.outputs?.map((output) => output.name),
  );
  return {
    model_name: model.name,
    model_version: model.version,
    ...(request.id !== undefined ? { id: request.id } : {}),
    outputs: Object.entries(outputs).map(([name, tensor]) => encodeOutput(name, tensor)),
  };
}
