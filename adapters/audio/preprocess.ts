/**
 * @module
 * The audio adapter's backend face for `speech-embedding`: the file decoded (decode.node.ts: WAV, FLAC, MP3,
 * Ogg Opus) and mixed down to mono by averaging the channels, resampled to `sample_rate` with a windowed-sinc low-pass
 * (`resample.ts`), trimmed of leading and trailing silence by the VAD model `vad_model` (`vad.ts`), then padded with
 * zeros (silence, a neutral pad) to `min_samples`, the shortest clip the embedding model accepts. Output: `audio` f32
 * [1, S] at int16 scale, as the model's mel front end expects.
 */
import { integerParameter, stringParameter } from '../shared/parameters.ts';
import { definePreprocessor, type PreprocessContext } from '../types.ts';
import { decodeAudio } from './decode.node.ts';
import { resample } from './resample.ts';
import { trimSilence, vadSampleRate } from './vad.ts';

function settingsOf(context: PreprocessContext): { minSamples: number; vadModel: string } {
  const sampleRate = integerParameter(context, 'sample_rate', 1);
  if (sampleRate !== vadSampleRate) {
    throw new Error(
      `model "${context.model}": sample_rate must be ${vadSampleRate}, the VAD's rate, not ${sampleRate}`,
    );
  }
  return {
    minSamples: integerParameter(context, 'min_samples', 1),
    vadModel: stringParameter(context, 'vad_model'),
  };
}

export default definePreprocessor({
  modality: 'audio',
  async preprocess(bytes, context) {
    const { minSamples, vadModel } = settingsOf(context);
    const decoded = await decodeAudio(bytes);
    const mono = resample(decoded.samples, decoded.sampleRate, vadSampleRate);
    const speech = await trimSilence(mono, (feeds) => context.run(vadModel, feeds));
    const audio = new Float32Array(Math.max(minSamples, speech.length));
    audio.set(speech);
    return { audio: { type: 'float32', data: audio, dims: [1, audio.length] } };
  },
});
