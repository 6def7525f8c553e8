/**
 * Video end to end: the Worker inside workerd and a real backend process (ffmpeg, MobileNetV2, the speech model).
 * A video is one input with two derived parts, `video.frames` and `video.audio`, each embedded by its composite
 * model, scored by its own head and fused; a video without sound has `video.audio` missing with its reason, never
 * a refusal; `/v1/embeddings` gives each part's embedding (the frames' is their mean).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusFile, dataUrlOf } from '../support/media-corpus.ts';
import { expectProblem, postJson } from './helpers.ts';

const taskId = 'e2e-video';
const video = (name: string) => dataUrlOf(corpusFile(`video/${name}`));

interface Classification {
  label: string;
  modalities: Record<string, { label: string; scores: { label: string; score: number }[] }>;
  missing: { modality: string; reason: string }[];
}

async function classify(name: string): Promise<Classification> {
  const response = await postJson('/v1/classify', { task: taskId, inputs: { video: video(name) } });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Classification;
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['test-pattern', 'canvas'],
    modalities: {
      text: false,
      image: false,
      audio: false,
      html: false,
      'video.frames': {},
      'video.audio': {},
    },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const taught = await postJson(`/v1/tasks/${taskId}/examples`, {
    examples: [
      { label: 'test-pattern', inputs: { video: video('mp4-ffmpeg-h264-aac.mp4') } },
      { label: 'test-pattern', inputs: { video: video('webm-ffmpeg-vp9-opus.webm') } },
      { label: 'canvas', inputs: { video: video('webm-chromium-mediarecorder-vp8-opus.webm') } },
    ],
  });
  expect(taught.status, await taught.clone().text()).toBe(200);
});

describe('video through the stack', () => {
  it('classifies an ffmpeg Matroska file by its frames and its sound, both in the breakdown', async () => {
    const result = await classify('mkv-ffmpeg-h264-opus.mkv');
    expect(result.label).toBe('test-pattern');
    expect(Object.keys(result.modalities).sort()).toEqual(['video.audio', 'video.frames']);
    expect(result.modalities['video.frames']?.label).toBe('test-pattern');
    expect(result.missing).toEqual([]);
  });

  it('classifies a rotated phone MOV, and a browser recording as its own class', async () => {
    expect((await classify('mov-ffmpeg-h264-aac-rotate90.mov')).modalities['video.frames']?.label).toBe(
      'test-pattern',
    );
    expect((await classify('webm-chromium-mediarecorder-vp8-opus.webm')).label).toBe('canvas');
  });

  it('reports a video without sound as video.audio missing (no-audio-track), fusing the frames', async () => {
    const result = await classify('webm-ffmpeg-av1-no-audio.webm');
    expect(Object.keys(result.modalities)).toEqual(['video.frames']);
    expect(result.missing).toMatchObject([{ modality: 'video.audio', reason: 'no-audio-track' }]);
  });

  it('refuses a hostile video with a clear 4xx problem, never a 500', async () => {
    for (const [name, status] of [
      ['mp4-patched-truncated-moov.mp4', 422],
      ['mp4-patched-huge-dimensions.mp4', 422],
      ['webm-ffmpeg-live-90s.webm', 422],
      ['mp4-ffmpeg-zero-length-track.mp4', 422],
    ] as const) {
      const response = await postJson('/v1/classify', { task: taskId, inputs: { video: video(name) } });
      expect(response.status, name).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses `video` as a modality of its own, listing the parts', async () => {
    const problem = await expectProblem(
      await postJson('/v1/tasks', { id: 'e2e-video-whole', labels: ['a', 'b'], modalities: { video: {} } }),
      400,
    );
    expect(problem).toMatchObject({ code: 'unknown-modality' });
    expect(problem.known).toEqual(expect.arrayContaining(['video.frames', 'video.audio']));
  });
});

describe('POST /v1/embeddings with a video', () => {
  it.each([
    ['video-frames-mobilenetv2-int8', 1280],
    ['video-audio-speech-embedding', 96],
  ])('embeds it with %s (%i dimensions)', async (model, dimension) => {
    const response = await postJson('/v1/embeddings', { model, input: [video('mp4-ffmpeg-h265-mp3.mp4')] });
    expect(response.status, await response.clone().text()).toBe(200);
    const { data } = (await response.json()) as { data: { embedding: number[] }[] };
    expect(data[0]?.embedding).toHaveLength(dimension);
    expect(data[0]?.embedding.every(Number.isFinite)).toBe(true);
  });
});
