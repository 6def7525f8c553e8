/**
 * @module
 * The video's `text` part (`video.text`): the text burnt into it (captions, titles, signs), read by the image-text
 * adapter's OCR (`adapters/image-text/ocr.node.ts`, its detection and recognition models through `context.run`) on
 * at most `max_frames` frames ({@link videoLimits}.maxTextFrames: 4) sampled by the frames' policy — evenly in time,
 * rotation applied — but kept at up to {@link ocrSide} px on their shorter side, where captions stay legible. A row
 * read on several frames is kept once (rows compared ignoring case and spacing), rows in the order first read; the
 * confidence is the mean character probability over the frames' readings. The result is the image-text adapter's
 * own feeds, for its model's graph (`preprocess.ts` runs it through `context.run`): USE-lite's space, as
 * `image.text`. No text on any sampled frame → `absent` (`no-text`).
 */
import { readText, type Reading } from '../image-text/ocr.node.ts';
import { textFeeds } from '../image-text/preprocess.ts';
import { imageLimits } from '../image/limits.ts';
import { integerParameter } from '../shared/parameters.ts';
import type { PreprocessContext } from '../types.ts';
import type { ContainerFacts } from './container.ts';
import { sampleFrames } from './decode.node.ts';
import { videoLimits } from './limits.ts';

/** The shorter side frames are read at: 720p kept whole, captions of a 4K video at a sixth of their height. */
export const ocrSide = 720;

const rowKey = (row: string) => row.toLowerCase().replace(/\s+/g, ' ').trim();
const characters = (text: string) => text.replace(/\s/g, '').length;

/** The frames' readings as one: each row once, in the order first read; their characters' mean probability. */
export function mergeReadings(readings: readonly Reading[]): Reading {
  const rows = new Map<string, string>();
  for (const row of readings.flatMap((reading) => reading.text.split('\n')))
    if (rowKey(row) !== '' && !rows.has(rowKey(row))) rows.set(rowKey(row), row.trim());
  const weight = readings.reduce((sum, reading) => sum + characters(reading.text), 0);
  const confidence = readings.reduce((sum, r) => sum + r.confidence * characters(r.text), 0);
  return {
    text: [...rows.values()].join('\n'),
    confidence: weight > 0 ? confidence / weight : 0,
    lines: rows.size,
  };
}

/** The image-text graph's feeds for the text read on the video's sampled frames (see the module's notes). */
export async function frameTextFeeds(
  bytes: Uint8Array,
  facts: ContainerFacts,
  context: PreprocessContext,
): ReturnType<typeof textFeeds> {
  const count = Math.min(integerParameter(context, 'max_frames', 1), videoLimits.maxTextFrames, facts.frames);
  const frames = await sampleFrames(bytes, count, facts.durationSeconds, ocrSide);
  const readings = await Promise.all(frames.map((png) => readText(png, context, imageLimits.maxPixels)));
  return textFeeds(mergeReadings(readings), "the video's frames", context);
}
