/**
 * @module
 * For the adapters' backend-face tests: `context.run` in process — a repository model on onnxruntime-node, as the
 * backend runs it, one session per model kept for the file's tests.
 */
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Feeds, TensorValue } from '../types.ts';

/** A `context.run` over the models in `repository`; `onRun` hears each model's name as it is run. */
export function inProcessRunner(
  repository: string,
  onRun: (model: string) => void = () => undefined,
): (model: string, feeds: Feeds) => Promise<Feeds> {
  const sessions = new Map<string, Promise<InferenceSession>>();
  return async function run(model, feeds) {
    onRun(model);
    if (!sessions.has(model))
      sessions.set(model, InferenceSession.create(join(repository, model, '1', 'model.onnx')));
    const session = await (sessions.get(model) as Promise<InferenceSession>);
    const inputs = Object.fromEntries(
      Object.entries(feeds).map(([name, { type, data, dims }]) => [name, new Tensor(type, data, dims)]),
    );
    const outputs = await session.run(inputs);
    return Object.fromEntries(
      Object.entries(outputs).map(([name, { type, data, dims }]) => [
        name,
        { type, data, dims } as TensorValue,
      ]),
    );
  };
}
