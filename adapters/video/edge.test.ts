/**
 * The video adapter's edge face inside workerd (mediabunny runs there): the facts it reads from the container, the
 * declared types it holds the bytes to, and its refusals before anything is decoded. The corpus tests
 * (test/edge/media-corpus.test.ts) run every video file of the corpus through it as well.
 */
import { describe, expect, it } from 'vitest';
import { corpusFile } from '../../test/support/media-corpus.ts';
import { inputErrorOf } from '../shared/testing.ts';
import type { RawInput } from '../types.ts';
import { video } from './edge.ts';

const bytesOf = (path: string) => corpusFile(path).bytes;

function input(bytes: Uint8Array, declaredType?: string): RawInput {
  return { kind: 'bytes', bytes, declaredType };
}

describe('video edge adapter', () => {
  it('reads size, duration, frames and codecs from an ffmpeg MP4, keeping its bytes', async () => {
    const bytes = bytesOf('video/mp4-ffmpeg-h264-aac.mp4');
    expect(await video.normalize(input(bytes, 'video/mp4'))).toEqual({
      modality: 'video',
      bytes,
      mimeType: 'video/mp4',
      meta: {
        videoCodec: 'avc',
        width: 160,
        height: 120,
        rotation: 0,
        durationSeconds: 2,
        frames: 30,
        frameRate: 15,
        audioCodec: 'aac',
      },
    });
  });

  it('reports the displayed size of a rotated phone MOV, and a browser WebM without a Duration', async () => {
    const mov = await video.normalize(input(bytesOf('video/mov-ffmpeg-h264-aac-rotate90.mov')));
    expect(mov).toMatchObject({ mimeType: 'video/quicktime', meta: { width: 120, height: 160 } });
    const webm = await video.normalize(input(bytesOf('video/webm-chromium-mediarecorder-vp8-opus.webm')));
    expect(webm).toMatchObject({ mimeType: 'video/webm', meta: { videoCodec: 'vp8', audioCodec: 'opus' } });
    expect(webm.meta.durationSeconds).toBeGreaterThan(1);
  });

  it.each([
    ['video/mp4-ffmpeg-h264-aac.mp4', 'video/webm'],
    ['video/webm-ffmpeg-vp9-opus.webm', 'video/mp4'],
    ['video/mp4-ffmpeg-h264-aac.mp4', 'image/png'],
  ])('refuses %s declared as %s as a type mismatch', async (path, declared) => {
    const error = await inputErrorOf(() => video.normalize(input(bytesOf(path), declared)));
    expect({ status: error.status, code: error.code }).toEqual({ status: 415, code: 'type-mismatch' });
  });

  it('refuses an image, naming what the bytes are', async () => {
    const error = await inputErrorOf(() => video.normalize(input(bytesOf('image/png-chromium-canvas.png'))));
    expect({ status: error.status, code: error.code, found: error.details.found }).toEqual({
      status: 415,
      code: 'unsupported-type',
      found: 'image/png',
    });
  });

  it('refuses an audio-only MP4 as having no video track', async () => {
    const error = await inputErrorOf(() =>
      video.normalize(input(bytesOf('audio/mp4-chromium-mediarecorder-opus.m4a'))),
    );
    expect(error.code).toBe('unsupported-type');
    expect(error.message).toContain('no video track');
  });

  it('refuses more than 32 MiB as too-large, naming the limit, before reading a byte', async () => {
    const error = await inputErrorOf(() => video.normalize(input(new Uint8Array(32 * 1024 * 1024 + 1))));
    expect({ status: error.status, code: error.code, limit: error.details.limit }).toEqual({
      status: 413,
      code: 'too-large',
      limit: 32 * 1024 * 1024,
    });
  });

  it('refuses empty bytes and a JSON string', async () => {
    expect((await inputErrorOf(() => video.normalize(input(new Uint8Array(0))))).code).toBe('empty');
    const text = await inputErrorOf(() => video.normalize({ kind: 'text', value: 'a video' }));
    expect(text.code).toBe('unsupported-type');
  });
});
