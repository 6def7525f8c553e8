/**
 * @module
 * The audio adapter's limits, shared by its edge face (checked from the headers before anything is sent) and its
 * backend face (checked again before decoding, and while decoding, for clients that call the backend directly).
 */
import { AdapterInputError } from '../errors.ts';

export const audioLimits = {
  /** 16 MiB: a minute of 16-bit stereo at up to 48 kHz (11 MB), less at higher rates. */
  maxBytes: 16 * 1024 * 1024,
  maxSeconds: 60,
  minSampleRate: 8000,
  maxSampleRate: 192_000,
  maxChannels: 32,
  /**
   * Decoded samples (frames × channels): what the largest 16-bit WAV under `maxBytes` holds. A compressed file
   * (silence in FLAC is a few bytes a second) must not decode to more PCM than an uncompressed one may carry.
   */
  maxDecodedSamples: (16 * 1024 * 1024) / 2,
};

/** `seconds`, or `over-limit` above `maxSeconds`. */
export function checkedSeconds(seconds: number): number {
  if (seconds > audioLimits.maxSeconds) {
    throw new AdapterInputError(
      'over-limit',
      `audio lasts ${seconds.toFixed(2)} s, the limit is ${audioLimits.maxSeconds} s`,
      { limit: audioLimits.maxSeconds, value: seconds },
    );
  }
  return seconds;
}

function overLimit(what: string, value: number, limit: string): AdapterInputError {
  return new AdapterInputError('over-limit', `audio has ${what}; the limit is ${limit}`, {
    limit,
    value,
  });
}

/**
 * Header facts held to every limit — rate, channels, duration and decoded size — so that nothing is decoded that
 * could not be accepted whole.
 */
export function checkedFacts<T extends { sampleRate: number; channels: number; durationSeconds: number }>(
  facts: T,
): T {
  const { sampleRate, channels, durationSeconds } = facts;
  const { minSampleRate, maxSampleRate, maxChannels, maxDecodedSamples } = audioLimits;
  if (sampleRate < minSampleRate || sampleRate > maxSampleRate) {
    throw overLimit(`a sample rate of ${sampleRate} Hz`, sampleRate, `${minSampleRate}–${maxSampleRate} Hz`);
  }
  if (channels < 1 || channels > maxChannels) {
    throw overLimit(`${channels} channels`, channels, `1–${maxChannels} channels`);
  }
  checkedSeconds(durationSeconds);
  const samples = Math.round(durationSeconds * sampleRate) * channels;
  if (samples > maxDecodedSamples) {
    throw overLimit(
      `${samples} decoded samples (${channels} channels × ${durationSeconds.toFixed(2)} s at ${sampleRate} Hz)`,
      samples,
      `${maxDecodedSamples} samples (frames × channels)`,
    );
  }
  return facts;
}
