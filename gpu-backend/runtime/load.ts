/**
 * @module
 * Turning one repository entry into a {@link Model}: session instances, each in its own worker thread (a GPU
 * provider falling back to CPU for this model, loudly), config checked against the ONNX graph, preprocessor loaded. The
 * registry warms it up afterwards, once every model is loaded (a preprocessor may run another model).
 */
import { statSync } from 'node:fs';
import type { ModelConfig } from '../model-repository/config.ts';
import { sessionOptionsFor, type ExecutionProvider, type ExecutionSettings } from './execution-provider.ts';
import { Model, type RunModel } from './model.ts';
import { loadPreprocessor } from './preprocessor.ts';
import type { ModelSource } from '../model-repository/scan.ts';
import type { SessionInstance } from './session.ts';
import { WorkerSession } from './worker-session.ts';

export interface LoadOptions {
  readonly provider: ExecutionProvider;
  readonly settings: ExecutionSettings;
  readonly runModel: RunModel;
  /** Where warnings go (one line each). */
  readonly warn: (line: string) => void;
}

/**
 * The model's own `intra_op_thread_count` parameter (as Triton's onnxruntime backend names it), else the
 * server's setting. One thread per instance with two instances, say, keeps a CPU's cores busy on two batches
 * instead of splitting every operator between them.
 */
export function modelSettings(config: ModelConfig, settings: ExecutionSettings): ExecutionSettings {
  const raw = config.parameters.intra_op_thread_count?.string_value;
  if (raw === undefined) return settings;
  const threads = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || threads < 1) {
    throw new Error(`parameter intra_op_thread_count must be a whole number ≥ 1, got "${raw}"`);
  }
  return { ...settings, intraOpThreads: threads };
}

async function openSession(
  source: ModelSource,
  options: LoadOptions,
): Promise<{ session: SessionInstance; provider: ExecutionProvider }> {
  const { provider } = options;
  const settings = modelSettings(source.config, options.settings);
  try {
    return {
      session: await WorkerSession.create(source.modelPath, sessionOptionsFor(provider, settings)),
      provider,
    };
  } catch (error) {
    if (provider === 'cpu') throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    options.warn(
      `model "${source.name}": ${provider === 'cuda' ? 'CUDA' : 'WebGPU'} session failed (${reason}); falling back to CPU for this model`,
    );
    return {
      session: await WorkerSession.create(source.modelPath, sessionOptionsFor('cpu', settings)),
      provider: 'cpu',
    };
  }
}

/** The config must describe the graph: its outputs exist, and its inputs are the ONNX inputs or one raw input. */
function checkConfig(config: ModelConfig, session: SessionInstance): void {
  const onnxOutputs = session.outputs.map((output) => output.name);
  const onnxInputs = session.inputs.map((input) => input.name);
  for (const output of config.output) {
    if (!onnxOutputs.includes(output.name)) {
      throw new Error(
        `config output "${output.name}" is not an output of model.onnx (it has: ${onnxOutputs.join(', ')})`,
      );
    }
  }
  const embedding = config.parameters.embedding_output?.string_value;
  if (embedding !== undefined && !onnxOutputs.includes(embedding)) {
    throw new Error(
      `embedding_output "${embedding}" is not an output of model.onnx (it has: ${onnxOutputs.join(', ')})`,
    );
  }
  const adapter = config.parameters.adapter?.string_value;
  if (adapter !== undefined) {
    const [raw, ...others] = config.input;
    if (!raw || others.length > 0 || raw.data_type !== 'TYPE_STRING') {
      throw new Error('a model with an adapter takes exactly one TYPE_STRING input (the raw items)');
    }
    return;
  }
  for (const input of config.input) {
    if (!onnxInputs.includes(input.name)) {
      throw new Error(
        `config input "${input.name}" is not an input of model.onnx (it has: ${onnxInputs.join(', ')})`,
      );
    }
  }
}

/** Sessions per model: the sum of `instance_group` counts (Triton's default is one per group). */
export function instanceCount(config: ModelConfig): number {
  const groups = config.instance_group ?? [];
  return groups.length === 0 ? 1 : groups.reduce((sum, group) => sum + (group.count ?? 1), 0);
}

export async function loadModel(source: ModelSource, options: LoadOptions): Promise<Model> {
  const { session, provider } = await openSession(source, options);
  const instances = [session];
  try {
    for (let index = 1; index < instanceCount(source.config); index++) {
      instances.push(
        await WorkerSession.create(
          source.modelPath,
          sessionOptionsFor(provider, modelSettings(source.config, options.settings)),
        ),
      );
    }
    checkConfig(source.config, session);
    const adapter = source.config.parameters.adapter?.string_value;
    const preprocessor = adapter === undefined ? undefined : await loadPreprocessor(adapter);
    return new Model({
      config: source.config,
      version: source.version,
      provider,
      session,
      instances,
      preprocessor,
      runModel: options.runModel,
      dir: source.dir,
      created: Math.floor(statSync(source.modelPath).mtimeMs / 1000),
    });
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.release()));
    throw error;
  }
}
