import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/testing.ts';
import { decodeAudio } from './decode.node.ts';
import { zeroCrossings } from './fixtures/measure.ts';

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

  it('stops decoding at the duration limit even when the header says less', async () => {
    // 70 copies of a 1.08 s MP3: its Xing header says 1.08 s, but every copy's frames decode, past the 60 s limit.
    const mp3 = fixture('tone-16k-mono.mp3');
    const copies = Buffer.concat(Array.from({ length: 70 }, () => mp3));
    const error = await inputErrorOf(() => decodeAudio(copies));
    expect(error.code).toBe('over-limit');
    expect(error.message).toMatch(/the limit is 60 s/);
  });
});
