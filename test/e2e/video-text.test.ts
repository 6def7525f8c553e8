/**
 * @module
 * Text in videos (`video.text`) end to end: the Worker in workerd and a real backend process — ffmpeg samples 4
 * frames, PP-OCRv4 reads them as repository models, `image-text-use-lite` embeds what they read. The fixture is an
 * ffmpeg MP4 with two captions burnt in over a photo (`mp4-ffmpeg-h264-aac-captions.mp4`, 4 s: "STORM WARNING",
 * then "HEAVY RAIN TODAY"). A task taught only with plain texts classifies it by its captions (the part borrows the
 * text head), and so does a zero-shot head; the answer shows each caption once; a video with no text leaves the
 * part missing (`no-text`), never refused; `/v1/embeddings` gives the captions' embedding, in USE-lite's space: the
 * text's own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusFile, dataUrlOf } from '../support/media-corpus.ts';
import { postJson } from './helpers.ts';

const taskId = `video-captions-${crypto.randomUUID().slice(0, 8)}`;
const video = (name: string) => dataUrlOf(corpusFile(`video/${name}`));
const captions = 'STORM WARNING\nHEAVY RAIN TODAY';

interface Classification {
  readonly label: string;
  readonly modalities: Record<string, { label: string; text?: string; confidence?: number }>;
  readonly missing: readonly { modality: string; reason: string; detail?: string }[];
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['weather', 'food', 'phone settings'],
    modalities: { image: false, audio: false, html: false, 'video.text': {} },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const task = (await created.json()) as { modalities: Record<string, { borrows?: string }> };
  expect(task.modalities['video.text']?.borrows).toBe('text');
  const texts = [
    ['weather', 'strong wind and rain all week'],
    ['weather', 'sunny and warm, a clear sky this afternoon'],
    ['food', 'a bowl of pasta with tomato sauce'],
    ['food', 'fresh bread and soup for lunch'],
    ['phone settings', 'turn on bluetooth and airplane mode'],
    ['phone settings', 'screen brightness, ringtone and notifications'],
  ];
  const taught = await postJson(`/v1/tasks/${taskId}/examples`, {
    examples: texts.map(([label, text]) => ({ label, inputs: { text } })),
  });
  expect(taught.status, await taught.clone().text()).toBe(200);
});

describe('video.text', () => {
  it('classifies a video by its burnt-in captions with a task taught only with texts', async () => {
    const response = await postJson('/v1/classify', {
      task: taskId,
      inputs: { video: video('mp4-ffmpeg-h264-aac-captions.mp4') },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = (await response.json()) as Classification;
    expect(answer.label).toBe('weather');
    expect(answer.modalities['video.text']).toMatchObject({ label: 'weather', text: captions });
    expect(answer.modalities['video.text']?.confidence).toBeGreaterThan(0.9);
  });

  it('classifies it zero-shot too, from label prompts in USE-lite’s space', async () => {
    const id = `${taskId}-zero`;
    const created = await postJson('/v1/tasks', {
      id,
      labels: ['weather', 'food', 'phone settings'],
      modalities: {
        text: false,
        image: false,
        audio: false,
        html: false,
        'video.text': { head: 'zero-shot' },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const response = await postJson('/v1/classify', {
      task: id,
      inputs: { video: video('mp4-ffmpeg-h264-aac-captions.mp4') },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({
      label: 'weather',
      modalities: { 'video.text': { label: 'weather', text: captions } },
      missing: [],
    });
  });

  it('reports a video without text as missing no-text, never refused, also when strict', async () => {
    for (const strict of [false, true]) {
      const response = await postJson('/v1/classify', {
        task: taskId,
        inputs: { video: video('webm-chromium-mediarecorder-vp8-opus.webm') },
        strict,
      });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { code: string; missing: Classification['missing'] };
      expect(problem.code).toBe('no-usable-modality');
      expect(problem.missing).toEqual([
        { modality: 'text', reason: 'absent' },
        { modality: 'video.text', reason: 'no-text', detail: expect.stringContaining('no text was found') },
      ]);
    }
  });

  it('embeds the captions in USE-lite’s space: the embedding of the same text typed', async () => {
    const embed = async (model: string, input: string) => {
      const response = await postJson('/v1/embeddings', { model, input: [input] });
      expect(response.status, await response.clone().text()).toBe(200);
      const { data } = (await response.json()) as { data: { embedding: number[] }[] };
      return data[0]?.embedding ?? [];
    };
    const read = await embed('video-text-use-lite', video('mp4-ffmpeg-h264-aac-captions.mp4'));
    const typed = await embed('use-lite', captions);
    expect(read).toHaveLength(512);
    const dot = read.reduce((sum, value, i) => sum + value * (typed[i] ?? 0), 0);
    const norms = Math.hypot(...read) * Math.hypot(...typed);
    expect(dot / norms).toBeGreaterThan(0.999);
  });
});
