/**
 * @module
 * `speech-embedding`: openWakeWord's log-mel front end and Google's speech_embedding merged into ONE graph, so a
 * clip goes in and one 96-d vector comes out. In-graph: mel [1,1,F,32] → x/10 + 2 → [F,32] → windows of 76 frames
 * every 8 frames (Range + Gather) → [W,76,32,1] → speech_embedding → [W,96] → mean over windows → [1,96].
 * Batch size is 1 because the mel model normalises by the maximum over its whole input tensor (a ReduceMax with no
 * axes), so clips batched together would change each other's features.
 * A clip shorter than `min_samples` has no window: onnxruntime's mean over zero windows is 0, so the output is an
 * all-zero vector; the audio adapter pads clips to `min_samples` to avoid that.
 */
import { readFile } from 'node:fs/promises';
import pkg from 'onnx-proto';
import onnx = pkg.onnx;
import { buildModel, node, tensor, valueInfo } from '../onnx/build.ts';
import { intsAttr, prefixGraph } from '../onnx/edit.ts';
import { readModel } from '../onnx/model.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import { sourceOf, type ModelRecipe } from './recipe.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

export const AUDIO_MODEL = {
  name: 'speech-embedding',
  sampleRate: 16000,
  windowFrames: 76,
  strideFrames: 8,
  melBins: 32,
  dimension: 96,
} as const;

/** The STFT of the mel model is a strided 1-D Conv without padding: frames(S) = ⌊(S + pads − kernel) / stride⌋ + 1. */
export interface MelGeometry {
  kernel: number;
  stride: number;
  padding: number;
}

export function melGeometry(mel: onnx.IGraphProto): MelGeometry {
  const conv = (mel.node ?? []).find((n) => n.opType === 'Conv');
  if (!conv) throw new Error('the mel model has no Conv (its STFT); cannot derive its frame count');
  const [kernel] = intsAttr(conv, 'kernel_shape', []);
  const [stride] = intsAttr(conv, 'strides', [1]);
  const dilation = intsAttr(conv, 'dilations', [1]);
  if (!kernel || !stride || dilation.some((d) => d !== 1)) {
    throw new Error(
      `unexpected STFT Conv "${conv.name}": kernel ${kernel}, stride ${stride}, dilations ${dilation}`,
    );
  }
  const padding = intsAttr(conv, 'pads', [0, 0]).reduce((a, b) => a + b, 0);
  return { kernel, stride, padding };
}

/** Mel frames for a clip of `samples` (0 when the clip is shorter than one STFT frame). */
export function melFrames(g: MelGeometry, samples: number): number {
  return samples + g.padding < g.kernel ? 0 : Math.floor((samples + g.padding - g.kernel) / g.stride) + 1;
}

/** The shortest clip with one full window of 76 frames. */
export function minSamples(g: MelGeometry): number {
  return g.kernel - g.padding + (AUDIO_MODEL.windowFrames - 1) * g.stride;
}

const i64 = (name: string, values: bigint[], dims: number[]) =>
  tensor(name, BigInt64Array.from(values), dims);

/** Nodes and constants between the mel output and the embedding model's input (scaling and windowing). */
function windowing(
  melOut: string,
  windowsOut: string,
): { nodes: onnx.INodeProto[]; inits: onnx.ITensorProto[] } {
  const { windowFrames, strideFrames, melBins } = AUDIO_MODEL;
  const offsets = Array.from({ length: windowFrames }, (_, i) => BigInt(i));
  const inits = [
    tensor('w/ten', new Float32Array([10]), []),
    tensor('w/two', new Float32Array([2]), []),
    i64('w/frames_by_bins', [-1n, BigInt(melBins)], [2]),
    i64('w/zero', [0n], []),
    i64('w/last_start_offset', [BigInt(windowFrames - 1)], []),
    i64('w/stride', [BigInt(strideFrames)], []),
    i64('w/offsets', offsets, [1, windowFrames]),
    i64('w/axis1', [1n], [1]),
    i64('w/axis3', [3n], [1]),
  ];
  const nodes = [
    node('Div', [melOut, 'w/ten'], ['w/mel_div']),
    node('Add', ['w/mel_div', 'w/two'], ['w/mel_scaled']),
    node('Reshape', ['w/mel_scaled', 'w/frames_by_bins'], ['w/mel']), // [F,32]; batch is 1
    node('Shape', ['w/mel'], ['w/mel_shape']),
    node('Gather', ['w/mel_shape', 'w/zero'], ['w/frames'], { axis: 0 }),
    node('Sub', ['w/frames', 'w/last_start_offset'], ['w/start_limit']), // starts < F − 75
    node('Range', ['w/zero', 'w/start_limit', 'w/stride'], ['w/starts']), // [W]; empty when F < 76
    node('Unsqueeze', ['w/starts', 'w/axis1'], ['w/starts_column']),
    node('Add', ['w/starts_column', 'w/offsets'], ['w/frame_index']), // [W,76]
    node('Gather', ['w/mel', 'w/frame_index'], ['w/windows3'], { axis: 0 }), // [W,76,32]
    node('Unsqueeze', ['w/windows3', 'w/axis3'], [windowsOut]), // [W,76,32,1]
  ];
  return { nodes, inits };
}

function onlyName(values: onnx.IValueInfoProto[] | null | undefined, what: string): string {
  const names = (values ?? []).map((v) => v.name ?? '');
  if (names.length !== 1 || !names[0])
    throw new Error(`${what}: expected one tensor, found [${names.join(', ')}]`);
  return names[0];
}

/** Merges the two source graphs (both opset 13) into the `speech-embedding` model. */
export function buildAudioModel(melGraph: onnx.IGraphProto, embeddingGraph: onnx.IGraphProto): Uint8Array {
  const mel = prefixGraph(melGraph, 'mel/', { [onlyName(melGraph.input, 'mel model inputs')]: 'audio' });
  const melOut = mel.name(onlyName(melGraph.output, 'mel model outputs'));
  const speech = prefixGraph(embeddingGraph, 'speech/', {
    [onlyName(embeddingGraph.input, 'embedding model inputs')]: 'windows',
  });
  const speechOut = speech.name(onlyName(embeddingGraph.output, 'embedding model outputs'));
  const windows = windowing(melOut, 'windows');
  const tail = [
    node('Reshape', [speechOut, 'pool/window_by_dim'], ['pool/per_window']), // [W,96]
    node('ReduceMean', ['pool/per_window'], ['embedding'], { axes: [0], keepdims: 1 }),
  ];
  return buildModel({
    name: AUDIO_MODEL.name,
    opset: 13,
    inputs: [valueInfo('audio', 'float32', [1, 'samples'])],
    outputs: [valueInfo('embedding', 'float32', [1, AUDIO_MODEL.dimension])],
    initializers: [
      ...mel.initializers,
      ...windows.inits,
      ...speech.initializers,
      i64('pool/window_by_dim', [-1n, BigInt(AUDIO_MODEL.dimension)], [2]),
    ],
    nodes: [...mel.nodes, ...windows.nodes, ...speech.nodes, ...tail],
  });
}

/** Merging graphs is only sound when both use the opset the merged model declares. */
function checkOpset(model: onnx.ModelProto, expected: number): void {
  const opsets = model.opsetImport.map((o) => `${o.domain || 'ai.onnx'}:${Number(o.version)}`);
  if (opsets.join(',') !== `ai.onnx:${expected}`) {
    throw new Error(
      `graph "${model.graph?.name}" uses opsets [${opsets.join(', ')}]; the merge expects ai.onnx:${expected} only`,
    );
  }
}

const fp32Zeros = (dims: number[]) => ({ data_type: 'TYPE_FP32' as const, dims, zero_data: true as const });

export const audioRecipe: ModelRecipe = {
  name: AUDIO_MODEL.name,
  version: 3,
  sources: ['melspectrogram.onnx', 'embedding_model.onnx'],
  settings: AUDIO_MODEL,
  async build(sources) {
    const mel = readModel(await readFile(sourceOf(sources, 'melspectrogram.onnx')));
    const embedding = readModel(await readFile(sourceOf(sources, 'embedding_model.onnx')));
    if (!mel.graph || !embedding.graph) throw new Error('a speech source model has no graph');
    for (const model of [mel, embedding]) checkOpset(model, 13);
    const shortest = minSamples(melGeometry(mel.graph));
    const warm = await rawWarmup('audio');
    return {
      onnx: buildAudioModel(mel.graph, embedding.graph),
      files: warm.files,
      config: modelConfig({
        name: AUDIO_MODEL.name,
        maxBatchSize: 1,
        input: [RAW_INPUT],
        output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [AUDIO_MODEL.dimension] }],
        parameters: modalityParameters('audio', {
          sample_rate: String(AUDIO_MODEL.sampleRate),
          min_samples: String(shortest),
          vad_model: 'silero-vad',
        }),
        // Zeros with the variable length set to 1 would be shorter than one STFT frame.
        warmup: [
          { name: 'min_samples_silence', batch_size: 1, inputs: { audio: fp32Zeros([shortest]) } },
          ...warm.warmup,
        ],
      }),
    };
  },
};
