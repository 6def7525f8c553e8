/**
 * @module
 * The labelled video set of `bench:fusion`, rebuilt from a seed at bench time: per item, four pictures of the
 * label's colour (each drawn as `media.ts` draws the evaluation set's, with its own jitter, distractor and noise),
 * half a second each, and the colour word spoken in a random voice with noise — so that the frames and the sound
 * each carry the label, each with its own mistakes. Encoded as what phones and ffmpeg write (H.264 + AAC in MP4,
 * 8 fps, 2 s, 224²) by the static ffmpeg the video adapter decodes with (`adapters/video/ffmpeg.node.ts`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from '../../adapters/video/ffmpeg.node.ts';
import { colourNames, makePicture, makeSpeech, type Colour } from './media.ts';
import { seeded } from './random.ts';

const pictures = 4;
export const videoSeconds = 2;

export interface VideoItem {
  readonly label: Colour;
  readonly split: 'train' | 'test';
  /** MP4 bytes. */
  readonly video: Buffer;
}

async function encode(dir: string, frames: readonly Buffer[], wav: Buffer): Promise<Buffer> {
  await Promise.all(frames.map((png, i) => writeFile(join(dir, `f${i}.png`), png)));
  await writeFile(join(dir, 'a.wav'), wav);
  const output = join(dir, 'out.mp4');
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-framerate', String(pictures / videoSeconds), '-i', join(dir, 'f%d.png'), '-i', join(dir, 'a.wav')],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-r', '8'],
    ...['-c:a', 'aac', '-b:a', '48k', '-movflags', '+faststart', output],
  ];
  await promisify(execFile)(ffmpegPath(), args);
  return readFile(output);
}

/** `perLabel` videos of each colour, the first half taught, the rest held out. */
export async function buildVideoSet(perLabel = 8, seed = 2027): Promise<VideoItem[]> {
  const random = seeded(seed);
  const dir = await mkdtemp(join(tmpdir(), 'modalfuse-bench-video-'));
  try {
    const items: VideoItem[] = [];
    for (let i = 0; i < perLabel; i++) {
      for (const label of colourNames) {
        const frames: Buffer[] = [];
        for (let f = 0; f < pictures; f++) frames.push(await makePicture(label, random));
        const video = await encode(dir, frames, await makeSpeech(label, random));
        items.push({ label, split: i < perLabel / 2 ? 'train' : 'test', video });
      }
    }
    return items;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
