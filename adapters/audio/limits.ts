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
