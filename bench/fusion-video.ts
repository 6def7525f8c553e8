/**
 * @module
 * `bench:fusion`'s video case: the seeded colour videos (`dataset/video.ts`: four pictures of the colour, the
 * colour word spoken) as the derived parts `video.frames` and `video.audio`, each alone and fused
 * (`fusion-parts.ts`). The decode column times the adapter's own ffmpeg calls (`adapters/video/decode.node.ts`:
 * 8 frames sampled, the audio track to 16 kHz mono) on the same bytes, beside the stack.
 */
import { performance } from 'node:perf_hooks';
import { extractAudio, sampleFrames } from '../adapters/video/decode.node.ts';
import { videoLimits } from '../adapters/video/limits.ts';
import { buildVideoSet, videoSeconds, type VideoItem } from './dataset/video.ts';
import { labels } from './dataset/build.ts';
import type { PartsCase } from './fusion-parts.ts';

const prototype = { head: 'prototype' };
const bytesOf = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const example = (item: VideoItem) => ({
  label: item.label,
  inputs: { video: `data:video/mp4;base64,${item.video.toString('base64')}` },
});

export async function videoCase(perLabel: number): Promise<PartsCase> {
  const items = await buildVideoSet(perLabel);
  const size = items.reduce((sum, item) => sum + item.video.length, 0) / items.length / 1024;
  return {
    title: `Videos: frames + audio (${items.length} H.264/AAC MP4s, ${videoSeconds} s, 224², mean ${size.toFixed(0)} KB)`,
    task: 'bench-video',
    labels,
    input: 'video',
    modalities: {
      text: false,
      image: false,
      audio: false,
      html: false,
      'video.frames': prototype,
      'video.audio': prototype,
    },
    parts: [
      {
        name: 'video.frames',
        model: 'video-frames-mobilenetv2-int8',
        decodeMs: (input) =>
          timeMs(() => sampleFrames(bytesOf(input), videoLimits.maxSampledFrames, videoSeconds)),
      },
      {
        name: 'video.audio',
        model: 'video-audio-speech-embedding',
        decodeMs: (input) => timeMs(() => extractAudio(bytesOf(input))),
      },
    ],
    train: items.filter((item) => item.split === 'train').map(example),
    test: items.filter((item) => item.split === 'test').map(example),
  };
}
