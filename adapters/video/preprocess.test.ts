/**
 * The video adapter's backend face on the corpus' videos, with the repository's real models on onnxruntime-node in
 * process (as `context.run` reaches them on the backend): frames sampled, each embedded by MobileNetV2 and pooled
 * by the composite model's graph; the audio track embedded by the speech model, or `absent` without one; the
 * captions burnt into a video read by OCR on 4 frames, each row once, and embedded by the image-text model, or
 * `absent` when no frame has text; and the decoder contained — killed at its deadline, or when its output passes
 * its bound.
 */
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prepareModels, repoRoot } from '../../scripts/lib/backend-process.ts';
import { corpusFile } from '../../test/support/media-corpus.ts';
import { parametersOf } from '../conformance/backend.node.ts';
import { inProcessRunner } from '../shared/in-process-models.node.ts';
import { float32Of, inputErrorOf, tensorOf } from '../shared/testing.ts';
import type { PreprocessContext } from '../types.ts';
import { sampleFrames, splitPngs } from './decode.node.ts';
import { runFfmpeg } from './ffmpeg.node.ts';
import preprocessor from './preprocess.ts';
import { mergeReadings } from './text.node.ts';

const repository = join(repoRoot, 'models');
const framesModel = 'video-frames-mobilenetv2-int8';
const audioModel = 'video-audio-speech-embedding';
const textModel = 'video-text-use-lite';
const calls: string[] = [];
const runInProcess = inProcessRunner(repository, (model) => calls.push(model));

const contextOf = (model: string): PreprocessContext => ({
  model,
  parameters: parametersOf(repository, model),
  directory: join(repository, model),
  run: runInProcess,
});
const video = (name: string) => corpusFile(`video/${name}`).bytes;

/** Width and height from a PNG's IHDR. */
function pngSize(png: Uint8Array): [number, number] {
  const view = new DataView(png.buffer, png.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

beforeAll(async () => {
  await prepareModels(() => undefined);
});

afterEach(() => {
  calls.length = 0;
  delete process.env.MODALFUSE_FFMPEG;
});

describe('video.frames', () => {
  it('embeds 8 sampled frames with the image model and pools them into their mean', async () => {
    const feeds = await preprocessor.preprocess(video('mp4-ffmpeg-h264-aac.mp4'), contextOf(framesModel));
    expect(tensorOf(feeds, 'frames').dims).toEqual([1, 8, 1280]);
    expect(Array.from(float32Of(feeds, 'frame_mask'))).toEqual(new Array(8).fill(1));
    expect(calls).toEqual(new Array(8).fill('mobilenetv2-int8'));
    const rows = float32Of(feeds, 'frames');
    // The moving pattern changes between samples: the frames are not one frame repeated.
    expect(rows.subarray(0, 1280)).not.toEqual(rows.subarray(7 * 1280));
    const pooled = float32Of(await runInProcess(framesModel, feeds), 'embedding');
    for (const d of [0, 100, 1279]) {
      let sum = 0;
      for (let f = 0; f < 8; f++) sum += rows[f * 1280 + d] ?? 0;
      expect(pooled[d]).toBeCloseTo(sum / 8, 4);
    }
  });

  it('leaves padded frame slots out of the pooled mean', async () => {
    const feeds = await preprocessor.preprocess(video('webm-ffmpeg-vp9-opus.webm'), contextOf(framesModel));
    const frames = float32Of(feeds, 'frames').slice();
    frames.fill(0, 2 * 1280);
    const mask = new Float32Array([1, 1, 0, 0, 0, 0, 0, 0]);
    const pooled = float32Of(
      await runInProcess(framesModel, {
        frames: { type: 'float32', data: frames, dims: [1, 8, 1280] },
        frame_mask: { type: 'float32', data: mask, dims: [1, 8] },
      }),
      'embedding',
    );
    expect(pooled[5]).toBeCloseTo(((frames[5] ?? 0) + (frames[1280 + 5] ?? 0)) / 2, 4);
  });

  it('applies the rotation of a phone-style MOV: frames come out portrait', async () => {
    const frames = await sampleFrames(video('mov-ffmpeg-h264-aac-rotate90.mov'), 2, 2);
    expect(frames.map(pngSize)).toEqual([
      [120, 160],
      [120, 160],
    ]);
  });

  it('samples a variable-frame-rate video evenly in time, to its end', async () => {
    // 4.53 s: 8 samples 0.57 s apart reach into the sparse half, whose frames differ from one another.
    const frames = await sampleFrames(video('mp4-ffmpeg-h264-vfr.mp4'), 8, 4.533);
    expect(frames).toHaveLength(8);
    expect(new Set(frames.map((png) => Buffer.from(png).toString('base64'))).size).toBe(8);
  });

  it('refuses what the edge refuses, for direct clients of the backend', async () => {
    const error = await inputErrorOf(() =>
      preprocessor.preprocess(video('mp4-patched-huge-dimensions.mp4'), contextOf(framesModel)),
    );
    expect(error.code).toBe('over-limit');
    expect(calls).toEqual([]);
  });
});

describe('video.audio', () => {
  it('embeds the audio track with the speech model', async () => {
    const feeds = await preprocessor.preprocess(video('webm-ffmpeg-vp9-opus.webm'), contextOf(audioModel));
    const embedding = float32Of(feeds, 'audio_embedding');
    expect(tensorOf(feeds, 'audio_embedding').dims).toEqual([1, 96]);
    expect(embedding.some((value) => value !== 0)).toBe(true);
    // The audio model's own preprocessing ran (its VAD trim), then its graph.
    expect(calls).toContain('silero-vad');
    expect(calls.at(-1)).toBe('speech-embedding');
  });

  it('is absent, with the reason no-audio-track, for a video without one', async () => {
    const error = await inputErrorOf(() =>
      preprocessor.preprocess(video('mp4-ffmpeg-h264-no-audio.mp4'), contextOf(audioModel)),
    );
    expect({ code: error.code, status: error.status, details: error.details }).toEqual({
      code: 'absent',
      status: 422,
      details: { reason: 'no-audio-track' },
    });
  });
});

describe('video.text', () => {
  it('reads the captions on 4 frames, each once in the order shown, embedded by the image-text model', async () => {
    const feeds = await preprocessor.preprocess(
      video('mp4-ffmpeg-h264-aac-captions.mp4'),
      contextOf(textModel),
    );
    expect(new TextDecoder().decode(tensorOf(feeds, 'ocr_text').data)).toBe(
      'STORM WARNING\nHEAVY RAIN TODAY',
    );
    expect(float32Of(feeds, 'ocr_confidence')[0]).toBeGreaterThan(0.9);
    expect(tensorOf(feeds, 'text_embedding').dims).toEqual([1, 512]);
    expect(calls.filter((model) => model === 'ocr-det')).toHaveLength(4);
    expect(calls.at(-1)).toBe('image-text-use-lite');
    const out = await runInProcess(textModel, feeds);
    expect(float32Of(out, 'embedding')).toEqual(float32Of(feeds, 'text_embedding'));
    expect(tensorOf(out, 'text').data).toEqual(tensorOf(feeds, 'ocr_text').data);
  });

  it('is absent, with the reason no-text, when no sampled frame has text', async () => {
    const error = await inputErrorOf(() =>
      preprocessor.preprocess(video('webm-chromium-mediarecorder-vp8-opus.webm'), contextOf(textModel)),
    );
    expect({ code: error.code, details: error.details }).toEqual({
      code: 'absent',
      details: { reason: 'no-text' },
    });
    expect(calls).not.toContain('image-text-use-lite');
  });

  it('keeps a row read on several frames once, ignoring case and spacing, confidence weighted by length', () => {
    const merged = mergeReadings([
      { text: 'STORM WARNING', confidence: 0.9, lines: 1 },
      { text: '', confidence: 0, lines: 0 },
      { text: 'storm  warning\nHEAVY RAIN', confidence: 0.6, lines: 2 },
    ]);
    expect(merged.text).toBe('STORM WARNING\nHEAVY RAIN');
    expect(merged.lines).toBe(2);
    expect(merged.confidence).toBeCloseTo((0.9 * 12 + 0.6 * 21) / 33, 6);
    expect(mergeReadings([{ text: '', confidence: 0, lines: 0 }])).toEqual({
      text: '',
      confidence: 0,
      lines: 0,
    });
  });
});

describe('the decoder process', () => {
  async function fakeFfmpeg(script: string): Promise<void> {
    const path = join(await mkdtemp(join(tmpdir(), 'fake-ffmpeg-')), 'ffmpeg');
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    process.env.MODALFUSE_FFMPEG = path;
  }

  it('is killed at its deadline and answered as the client’s 422', async () => {
    await fakeFfmpeg('sleep 30');
    const started = Date.now();
    const error = await inputErrorOf(() =>
      runFfmpeg(new Uint8Array(8), { output: [], deadlineMs: 300, maxOutputBytes: 1000 }),
    );
    expect(error.code).toBe('over-limit');
    expect(error.message).toContain('deadline of 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is killed when its output passes the bound', async () => {
    await fakeFfmpeg('exec cat /dev/zero');
    const error = await inputErrorOf(() =>
      runFfmpeg(new Uint8Array(8), { output: [], deadlineMs: 10_000, maxOutputBytes: 100_000 }),
    );
    expect(error.message).toContain('more than 100000 bytes');
  });

  it('names a failed decode by ffmpeg’s last line', async () => {
    await fakeFfmpeg('echo "first" >&2; echo "Invalid data found when processing input" >&2; exit 1');
    const error = await inputErrorOf(() =>
      runFfmpeg(new Uint8Array(8), { output: [], deadlineMs: 10_000, maxOutputBytes: 1000 }),
    );
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'malformed',
      message: 'video could not be decoded: Invalid data found when processing input',
    });
  });

  it('is a server error, not the client’s, when the binary is missing', async () => {
    process.env.MODALFUSE_FFMPEG = '/nonexistent/ffmpeg';
    await expect(
      runFfmpeg(new Uint8Array(8), { output: [], deadlineMs: 100, maxOutputBytes: 1 }),
    ).rejects.toThrow(/no ffmpeg/);
  });

  it('splits a PNG stream only at chunk boundaries', () => {
    expect(() => splitPngs(new Uint8Array([1, 2, 3]))).toThrow(/no PNG signature/);
  });
});
