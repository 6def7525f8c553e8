/**
 * @module
 * The WebAssembly espeak-ng that speaks every clip: the same words come out the same every time (a fresh synthesiser
 * per utterance), speed and voice change them, an unknown voice is an error, and the WAV it writes is one the audio
 * adapter reads back sample for sample.
 */
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../../adapters/audio/decode.node.ts';
import { speak, toWav } from './speech.ts';

const plain = { voice: 'en', wordsPerMinute: 150, pitch: 50 };

describe('speak', () => {
  it('says the same words the same way every time, at 22.05 kHz', async () => {
    const first = await speak('red', plain);
    const again = await speak('red', plain);
    expect(first.sampleRate).toBe(22_050);
    expect(first.samples.length).toBeGreaterThan(0.2 * 22_050);
    expect(again.samples).toEqual(first.samples);
  });

  it('speaks slower, or in another voice, differently', async () => {
    const base = await speak('blue', plain);
    const slow = await speak('blue', { ...plain, wordsPerMinute: 110 });
    const other = await speak('blue', { ...plain, voice: 'en+f3' });
    expect(slow.samples.length).toBeGreaterThan(base.samples.length * 1.2);
    expect(other.samples).not.toEqual(base.samples);
  });

  it('refuses a voice it does not have', async () => {
    await expect(speak('red', { ...plain, voice: 'xx-nowhere' })).rejects.toThrow(
      /^espeak-ng could not speak "red" as xx-nowhere: /,
    );
  });
});

describe('toWav', () => {
  it('writes 16-bit mono PCM that the audio adapter decodes back sample for sample', async () => {
    const speech = await speak('hello', plain);
    const decoded = await decodeAudio(toWav(speech));
    expect(decoded.sampleRate).toBe(22_050);
    expect(decoded.samples).toHaveLength(speech.samples.length);
    expect(Array.from(decoded.samples.subarray(0, 2000), Math.round)).toEqual(
      Array.from(speech.samples.subarray(0, 2000)),
    );
  });
});
