/**
 * @module
 * Trims leading and trailing silence with Silero VAD v6, run through the backend's repository (`context.run`), frame
 * by frame as the model expects at 16 kHz: `input` f32 [1, 64 + 512] (the previous frame's last 64 samples as
 * context, then 512 new ones, in [−1, 1]), `state` f32 [2, 1, 128] carried from each run's `stateN`, `sr` int64
 * scalar; `output` [1, 1] is the frame's speech probability. The clip is kept from the first speech frame
 * (p ≥ 0.5) minus 0.1 s to the last plus 0.1 s; a clip with no speech frame is kept whole.
 */
import type { Feeds, TensorValue } from '../types.ts';

/** Runs the VAD model once. */
export type RunVad = (feeds: Feeds) => Promise<Feeds>;

export const vadSampleRate = 16_000;
const frameSize = 512;
const contextSize = 64;
const stateSize = 2 * 1 * 128;
const threshold = 0.5;
const margin = 0.1 * vadSampleRate;
/** Samples arrive at int16 scale; the model wants [−1, 1]. */
const int16Scale = 32_768;

function float32Output(outputs: Feeds, name: string): Float32Array {
  const tensor: TensorValue | undefined = outputs[name];
  if (!(tensor?.data instanceof Float32Array)) {
    throw new Error(`the VAD model gave no float32 "${name}" (outputs: ${Object.keys(outputs).join(', ')})`);
  }
  return tensor.data;
}

/** The speech probability of each 512-sample frame of a 16 kHz clip; the last frame is padded with zeros. */
export async function speechProbabilities(samples: Float32Array, run: RunVad): Promise<Float32Array> {
  const probabilities = new Float32Array(Math.ceil(samples.length / frameSize));
  const sr: TensorValue = { type: 'int64', data: BigInt64Array.of(BigInt(vadSampleRate)), dims: [] };
  let state: Float32Array = new Float32Array(stateSize);
  let context = new Float32Array(contextSize);
  for (let frame = 0; frame < probabilities.length; frame++) {
    const input = new Float32Array(contextSize + frameSize);
    input.set(context);
    const chunk = samples.subarray(frame * frameSize, (frame + 1) * frameSize);
    chunk.forEach((sample, i) => (input[contextSize + i] = sample / int16Scale));
    const outputs = await run({
      input: { type: 'float32', data: input, dims: [1, contextSize + frameSize] },
      state: { type: 'float32', data: state, dims: [2, 1, 128] },
      sr,
    });
    probabilities[frame] = float32Output(outputs, 'output')[0] ?? 0;
    state = float32Output(outputs, 'stateN');
    context = input.subarray(frameSize);
  }
  return probabilities;
}

/** The [start, end) sample range to keep, given each frame's speech probability. */
export function speechSpan(probabilities: Float32Array, sampleCount: number): [start: number, end: number] {
  const first = probabilities.findIndex((p) => p >= threshold);
  if (first === -1) return [0, sampleCount];
  const last = probabilities.findLastIndex((p) => p >= threshold);
  return [Math.max(0, first * frameSize - margin), Math.min(sampleCount, (last + 1) * frameSize + margin)];
}

/** The clip without its leading and trailing silence (a view of `samples`). */
export async function trimSilence(samples: Float32Array, run: RunVad): Promise<Float32Array> {
  const [start, end] = speechSpan(await speechProbabilities(samples, run), samples.length);
  return samples.subarray(start, end);
}
