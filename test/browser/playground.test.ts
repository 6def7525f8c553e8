/**
 * @module
 * The playground in a real browser against the real stack: create a task, teach it red and blue items (text,
 * image, WAV) through the page, classify a held-out item and read the charts, switch the strategy and weights,
 * record from the (fake) microphone, record a video from the (fake) camera and classify it by its parts, drop an image, see API errors in words (a refused key too), use it all from
 * the keyboard, and fit a 320 px phone. Screenshots go to `test/browser/.artifacts/`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type Browser } from './chromium.ts';

const artifacts = fileURLToPath(new URL('./.artifacts/', import.meta.url));
const media = inject('fixtureDir');
const videos = fileURLToPath(new URL('../fixtures/media/video/', import.meta.url));
const texts = {
  red: ['a red apple', 'red roses', 'the fire truck is red'],
  blue: ['a blue sky', 'deep blue sea', 'blue jeans'],
};

/** The stack answers in well under a second, but a loaded CI machine can take many. */
const patient = { timeout: 30_000 };

let browser: Browser;
let page: Page;

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(inject('edgeUrl'));
});

afterAll(async () => {
  await browser?.close();
});

async function fillItem(label: 'red' | 'blue', variant: number, text: string): Promise<void> {
  await page.getByLabel('Text', { exact: true }).fill(text);
  await page
    .getByLabel('Image (pick or drop)')
    .setInputFiles(join(media, `${label}-${variant}.${variant % 2 ? 'jpg' : 'png'}`));
  await page.getByLabel(/^Audio/).setInputFiles(join(media, `${label}-${variant}.wav`));
  await expect
    .poll(() => page.locator('#audio-name').textContent(), patient)
    .toContain(`${label}-${variant}.wav`);
}

async function rawScores(chart: string): Promise<(string | null)[]> {
  return page
    .locator(`#${chart} .bar`)
    .evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-score')));
}

async function barValues(chart: string): Promise<string[]> {
  return page.locator(`#${chart} .value`).allTextContents();
}

describe('the playground', () => {
  it('creates a task from the form', async () => {
    await page.getByText('Create a task').click();
    await page.getByLabel('Id', { exact: true }).fill('browser-colours');
    await page.getByLabel('Labels (comma-separated)').fill('red, blue');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect
      .poll(() => page.locator('#status').textContent(), patient)
      .toBe('Created task browser-colours.');
    expect(await page.getByRole('combobox', { name: 'Task', exact: true }).inputValue()).toBe(
      'browser-colours',
    );
    expect(await page.locator('#task-info').textContent()).toContain('Labels: red, blue.');
  });

  it('teaches it items of text, image and WAV audio', async () => {
    for (const label of ['red', 'blue'] as const) {
      for (let variant = 0; variant < 3; variant++) {
        await fillItem(label, variant, texts[label][variant] ?? label);
        await page.getByLabel('Label for teaching').selectOption(label);
        await page.getByRole('button', { name: 'Add as example' }).click();
        await expect
          .poll(() => page.locator('#status').textContent(), patient)
          .toBe(`Added an example of ${label} to browser-colours.`);
      }
    }
    expect(await page.locator('#task-info').textContent()).toContain('text 6, image 6, audio 6');
  });

  it('classifies a held-out item: the fused label, a chart per modality, weights and stage latencies', async () => {
    await fillItem('red', 3, 'ripe red strawberries and cherries');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect
      .poll(() => page.locator('#fused-label').textContent(), patient)
      .toBe('Fused: red (weighted)');
    for (const chart of ['chart-fused', 'chart-text', 'chart-image', 'chart-audio', 'chart-weights']) {
      expect(await page.locator(`#${chart} .bar`).count(), chart).toBeGreaterThanOrEqual(2);
    }
    expect(await page.locator('#chart-text figcaption').textContent()).toMatch(
      /^text: red \(weight 0\.333\)$/,
    );
    const stages = await page.locator('#chart-timing .name').allTextContents();
    expect(stages).toEqual(expect.arrayContaining(['normalize', 'backend', 'heads', 'fusion', 'total']));
    // The edge cache's metrics carry no duration: they are words beside the chart, not bars of 0 ms.
    expect(stages).not.toContain('cache');
    expect(await page.locator('#timing-notes').textContent()).toMatch(
      /^cache: (hit|miss|partial), cache-hits: \d+\/\d+$/,
    );
    // The answer is below the forms: Classify brought it into view (to within the scroll's sub-pixel rounding).
    const inView = await page.evaluate<boolean>(
      "document.getElementById('result').getBoundingClientRect().bottom <= window.innerHeight + 1",
    );
    expect(inView).toBe(true);
    await page.screenshot({ path: join(artifacts, 'playground-classified.png'), fullPage: true });
  });

  it('re-classifies when the strategy or a weight changes', async () => {
    // Text that disagrees with the picture and the speech, so that the strategies must differ.
    await page.getByLabel('Text', { exact: true }).fill('deep blue sea');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect
      .poll(() => page.locator('#chart-text figcaption').textContent(), patient)
      .toMatch(/^text: blue/);
    const weighted = await rawScores('chart-fused');
    await page.getByLabel('Strategy').selectOption('product');
    await expect.poll(() => page.locator('#fused-label').textContent(), patient).toMatch(/\(product\)$/);
    expect(await rawScores('chart-fused')).not.toEqual(weighted);
    await page.getByLabel('Strategy').selectOption('weighted');
    await page.getByLabel('text', { exact: true }).fill('0');
    await expect
      .poll(() => page.locator('#chart-text figcaption').textContent(), patient)
      .toBe('text: blue (weight 0.000)');
    expect(await barValues('chart-weights')).toEqual(['0.000', '0.500', '0.500']);
    expect(await page.locator('#fused-label').textContent()).toBe('Fused: red (weighted)');
    await page.getByLabel('text', { exact: true }).fill('1');
    await expect
      .poll(() => page.locator('#chart-text figcaption').textContent(), patient)
      .toMatch(/weight 0\.333/);
  });

  it('shows an API error in words', async () => {
    await page.getByLabel('Id', { exact: true }).fill('browser-colours');
    await page.getByLabel('Labels (comma-separated)').fill('red, blue');
    await page.getByRole('button', { name: 'Create' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), patient).toMatch(/^Conflict: .*browser-colours/);
    await page.screenshot({ path: join(artifacts, 'playground-error.png') });
  });

  it('says a key is needed when the API asks for one, and loads the tasks once one is given', async () => {
    const keyed = await browser.context.newPage();
    // The stack's API is open: this page's requests meet a gate answering as the API does when keys are set.
    await keyed.route('**/v1/**', async (route) => {
      if (route.request().headers().authorization === 'Bearer playground-key') return route.continue();
      const problem = { title: 'Unauthorized', status: 401, detail: 'send Authorization: Bearer <API key>' };
      await route.fulfill({ status: 401, contentType: 'application/problem+json', json: problem });
    });
    try {
      await keyed.goto(inject('edgeUrl'));
      const alert = keyed.getByRole('alert');
      await expect
        .poll(() => alert.textContent(), patient)
        .toBe('Unauthorized: send Authorization: Bearer <API key>');
      await keyed.getByText('API key', { exact: true }).click();
      await keyed.getByLabel('Bearer key (only if the API requires one)').fill('playground-key');
      await keyed.keyboard.press('Tab');
      const picker = keyed.getByRole('combobox', { name: 'Task', exact: true });
      await expect
        .poll(() => picker.locator('option').allTextContents(), patient)
        .toContain('browser-colours');
      expect(await alert.isHidden()).toBe(true);
    } finally {
      await keyed.close();
    }
  });

  it('records audio from the microphone as WAV and shows the ready examples', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop recording' }).count(), patient).toBe(1);
    await page.waitForTimeout(600);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect
      .poll(() => page.locator('#audio-name').textContent(), patient)
      .toMatch(/^recording\.wav, \d+ bytes$/);
    await page.getByRole('button', { name: 'Blue item' }).click();
    await expect.poll(() => page.locator('#image-name').textContent(), patient).toMatch(/^blue\.png/);
    expect(await page.getByLabel('Text', { exact: true }).inputValue()).toBe('a clear blue sky');
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect
      .poll(() => page.locator('#fused-label').textContent(), patient)
      .toBe('Fused: blue (weighted)');
    await page.getByRole('button', { name: /^Mixed item/ }).click();
    await expect.poll(() => page.locator('#image-name').textContent(), patient).toMatch(/^mixed\.png/);
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect
      .poll(() => page.locator('#chart-text figcaption').textContent(), patient)
      .toMatch(/^text: red/);
    expect(await page.locator('#chart-image figcaption').textContent()).toMatch(/^image: blue/);
  });

  it('records a video from the camera and classifies it by its frames and its sound', async () => {
    const edge = inject('edgeUrl');
    const created = await fetch(`${edge}/v1/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'browser-clips',
        labels: ['test-pattern', 'canvas'],
        modalities: {
          text: false,
          image: false,
          audio: false,
          html: false,
          'video.frames': {},
          'video.audio': {},
        },
      }),
    });
    expect(created.status, await created.text()).toBe(201);
    for (const [label, file] of [
      ['test-pattern', 'webm-ffmpeg-vp9-opus.webm'],
      ['canvas', 'webm-chromium-mediarecorder-vp8-opus.webm'],
    ] as const) {
      const form = new FormData();
      form.set('label', label);
      form.set('video', new Blob([await readFile(join(videos, file))], { type: 'video/webm' }), file);
      const taught = await fetch(`${edge}/v1/tasks/browser-clips/examples`, { method: 'POST', body: form });
      expect(taught.status, await taught.text()).toBe(200);
    }
    const clips = await browser.context.newPage();
    try {
      await clips.goto(edge);
      await clips.getByRole('combobox', { name: 'Task', exact: true }).selectOption('browser-clips');
      await clips.getByRole('button', { name: 'Record video' }).click();
      await expect.poll(() => clips.getByRole('button', { name: 'Stop recording' }).count(), patient).toBe(1);
      await clips.waitForTimeout(1500);
      await clips.getByRole('button', { name: 'Stop recording' }).click();
      await expect
        .poll(() => clips.locator('#video-name').textContent(), patient)
        .toMatch(/^recording\.webm, \d+ bytes$/);
      await clips.getByRole('button', { name: 'Classify' }).click();
      await expect
        .poll(() => clips.locator('#fused-label').textContent(), patient)
        .toMatch(/^Fused: (test-pattern|canvas) \(weighted\)$/);
      expect(await clips.locator('[id="chart-video.frames"] figcaption').textContent()).toMatch(
        /^video\.frames: (test-pattern|canvas) /,
      );
      await clips.screenshot({ path: join(artifacts, 'playground-video.png'), fullPage: true });
    } finally {
      await clips.close();
    }
  });

  it('has every control in the tab order', async () => {
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const reached = new Set<string>();
    for (let step = 0; step < 40; step++) {
      await page.keyboard.press('Tab');
      reached.add(
        await page.evaluate<string>('document.activeElement.id || document.activeElement.textContent.trim()'),
      );
    }
    const controls = ['task', 'Create a task', 'API key', 'text', 'image', 'audio', 'record', 'video'];
    controls.push('record-video', 'Red item');
    controls.push(
      'Blue item',
      'classify',
      'example-label',
      'teach',
      'strategy',
      'weight-text',
      'weight-image',
    );
    expect([...reached]).toEqual(expect.arrayContaining(controls));
  });

  it('works from the keyboard alone, keeping focus where it was', async () => {
    const focused = () =>
      page.evaluate<string>('document.activeElement.id || document.activeElement.textContent.trim()');
    await page.getByRole('button', { name: 'Red item' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#image-name').textContent(), patient).toMatch(/^red\.png/);
    for (let step = 0; step < 4; step++) await page.keyboard.press('Tab'); // Blue, Mixed, Clear, Classify
    expect(await focused()).toBe('classify');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent(), patient).toBe('Classified.');
    expect(await page.locator('#fused-label').textContent()).toBe('Fused: red (weighted)');
    // The button was disabled while the request ran; focus must come back to it, not fall to the page's start.
    expect(await focused()).toBe('classify');

    await page.getByLabel('Strategy').focus();
    await page.keyboard.press('ArrowDown');
    const second = await page.getByLabel('Strategy').inputValue();
    expect(second).not.toBe('weighted');
    await expect
      .poll(() => page.locator('#fused-label').textContent(), patient)
      .toBe(`Fused: red (${second})`);
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() => page.locator('#fused-label').textContent(), patient)
      .toBe('Fused: red (weighted)');
    await page.getByLabel('image', { exact: true }).focus();
    await page.keyboard.press('Home');
    await expect
      .poll(() => page.locator('#chart-image figcaption').textContent(), patient)
      .toMatch(/\(weight 0\.000\)$/);
    for (let step = 0; step < 2; step++) await page.keyboard.press('ArrowRight'); // 0.5 a step
    await expect
      .poll(() => page.locator('#chart-image figcaption').textContent(), patient)
      .toMatch(/\(weight 0\.333\)$/);
    expect(await focused()).toBe('weight-image');
  });

  it('takes an image dropped on the drop zone', async () => {
    const bytes = (await readFile(join(media, 'blue-0.png'))).toString('base64');
    // In the page's own words (this file compiles without the DOM's types): a DataTransfer holding the file.
    const transfer = await page.evaluateHandle(`(() => {
      const dropped = new DataTransfer();
      const data = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0));
      dropped.items.add(new File([data], 'dropped.png', { type: 'image/png' }));
      return dropped;
    })()`);
    await page.dispatchEvent('#image-drop', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('#image-drop', 'drop', { dataTransfer: transfer });
    expect(await page.locator('#image-name').textContent()).toBe(
      `dropped.png, ${Buffer.from(bytes, 'base64').length} bytes`,
    );
    await page.getByRole('button', { name: 'Classify' }).click();
    await expect
      .poll(() => page.locator('#chart-image figcaption').textContent(), patient)
      .toMatch(/^image: blue/);
  });

  it('fits a phone screen, down to 320 px wide, with a result on it', async () => {
    for (const width of [390, 320]) {
      await page.setViewportSize({ width, height: 844 });
      // Nothing sticks out at the right edge (named, to say what does), and the page does not scroll sideways.
      const beyond = await page.evaluate<string[]>(
        `[...document.querySelectorAll('body *')]
          .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > window.innerWidth)
          .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + el.className)`,
      );
      expect(beyond, `${width} px`).toEqual([]);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `${width} px`).toBeLessThanOrEqual(0);
    }
    expect(await page.locator('#chart-fused .bar').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(artifacts, 'playground-phone.png'), fullPage: true });
  });
});
