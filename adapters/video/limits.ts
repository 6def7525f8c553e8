/**
 * @module
 * The video adapter's limits, shared by its edge face (checked from the container's metadata before anything is
 * decoded) and its backend face (checked again before the decoder starts, and enforced on the decoder itself by a
 * deadline and a bound on its output, for clients that call the backend directly).
 */
import { AdapterInputError } from '../errors.ts';

export const videoLimits = {
  /** 32 MiB: a minute of 1080p from a phone at about 4 Mbit/s. */
  maxBytes: 32 * 1024 * 1024,
  maxSeconds: 60,
  /** Longest side and area of one frame (4K UHD): the per-frame decompression-bomb guard. */
  maxSide: 4096,
  maxPixels: 3840 * 2160,
  /** Frames in the video track (packets, read from the container's index or its clusters). */
  maxFrames: 60 * 120,
  /** Frames sampled and embedded per video (see the sampling policy in adapters/README.md). */
  maxSampledFrames: 8,
  /** Frames read by OCR per video (`video.text`): a caption shown for a quarter of the video is met. */
  maxTextFrames: 4,
  /** Wall-clock budget of one decoder run on the backend; a decoder still running then is killed. */
  decodeDeadlineMs: 20_000,
};

export interface VideoFacts {
  readonly width: number;
  readonly height: number;
  readonly durationSeconds: number;
  readonly frames: number;
}

function overLimit(what: string, value: number, limit: string): AdapterInputError {
  return new AdapterInputError('over-limit', `video has ${what}; the limit is ${limit}`, { limit, value });
}

/** Facts from the container held to every limit, so that nothing is decoded that could not be accepted whole. */
export function checkedVideoFacts<T extends VideoFacts>(facts: T): T {
  const { width, height, durationSeconds, frames } = facts;
  const { maxSide, maxPixels, maxSeconds, maxFrames } = videoLimits;
  if (!(width >= 1 && height >= 1)) {
    throw new AdapterInputError('malformed', `video track declares a size of ${width}×${height}`);
  }
  if (width > maxSide || height > maxSide) {
    throw overLimit(`frames of ${width}×${height}`, Math.max(width, height), `${maxSide} pixels a side`);
  }
  if (width * height > maxPixels) {
    throw overLimit(`frames of ${width}×${height}`, width * height, `${maxPixels} pixels a frame`);
  }
  if (durationSeconds > maxSeconds) {
    throw overLimit(`a duration of ${durationSeconds.toFixed(2)} s`, durationSeconds, `${maxSeconds} s`);
  }
  if (frames > maxFrames) throw overLimit(`${frames} frames`, frames, `${maxFrames} frames`);
  return facts;
}
