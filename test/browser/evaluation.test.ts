/**
 * @module
 * The evaluation view drawn in a real browser, both ways it is offered: the playground's Evaluation section and
 * the file `modalfuse evaluate --report` writes. A task of text, image and audio is taught and refitted (so that
 * its conformal sets are calibrated); what is drawn — the confusion matrix's counts, the reliability diagram's
 * bins, the coverage and abstention curves' points, the shares — must be the evaluate answer's numbers. The report
 * must be one file that names no URL. Screenshots go to `test/browser/.artifacts/`.
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Evaluation } from '../../cli/evaluate.ts';
import { cli, cliJson, labelledFolder } from '../cli/helpers.ts';
import { launchChromium, type Browser } from './chromium.ts';

const artifacts = fileURLToPath(new URL('./.artifacts/', import.meta.url));
const task = 'browser-evaluation';
const patient = { timeout: 60_000 };
const set = [
  'red: a red apple',
  'red: ripe red cherries',
  'blue: a blue whale',
  'blue: deep blue sea',
  'blue: red',
];

let browser: Browser;

beforeAll(async () => {
  await mkdir(artifacts, { recursive: true });
  browser = await launchChromium();
  expect((await cli('tasks', 'create', task, '--labels', 'red,blue')).code).toBe(0);
  expect((await cli('examples', 'add', '--task', task, await labelledFolder([0, 1, 2], 3))).code).toBe(0);
  const refit = await fetch(`${inject('edgeUrl')}/v1/tasks/${task}/refit?folds=3`, { method: 'POST' });
  expect(refit.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
});

const attrs = (page: Page, selector: string, names: readonly string[]) =>
  page
    .locator(selector)
    .evaluateAll((nodes, keys) => nodes.map((n) => keys.map((k) => n.getAttribute(k) ?? '')), names);

const num = (value: number | null) => (value === null ? '' : String(value));

/** What the page drew, read back from the marks' data, against the evaluate answer. */
async function expectDrawn(page: Page, evaluation: Evaluation): Promise<void> {
  const detail = evaluation.detail;
  if (!detail) throw new Error('the answer has no detail');
  const cells = await attrs(page, '#ev-confusion rect.ev-cell', [
    'data-truth',
    'data-predicted',
    'data-count',
  ]);
  const labels = detail.perLabel.length;
  expect(cells).toHaveLength(labels * labels);
  const drawn = cells
    .filter(([, , n]) => n !== '0')
    .map(([t, p, n]) => ({ truth: t, predicted: p, count: Number(n) }));
  expect(drawn).toEqual(expect.arrayContaining([...detail.confusion]));
  expect(drawn).toHaveLength(detail.confusion.length);
  // The counts are written in the cells too.
  const written = await page.locator('#ev-confusion svg text').allTextContents();
  for (const cell of detail.confusion) expect(written).toContain(String(cell.count));

  const rows = await attrs(page, '#ev-per-label tbody tr', ['data-label']);
  expect(rows.map(([label]) => label)).toEqual(detail.perLabel.map((l) => l.label));

  for (const series of ['calibrated', 'uncalibrated'] as const) {
    const bins = await attrs(page, `#ev-reliability rect.ev-bin[data-series=${series}]`, [
      'data-n',
      'data-accuracy',
    ]);
    expect(bins).toEqual(detail.reliability[series].map((b) => [String(b.n), num(b.accuracy)]));
    expect(bins).toHaveLength(10);
  }

  const coverage = [...(evaluation.coverage?.strategies ?? []), ...(evaluation.coverage?.modalities ?? [])];
  const points = await attrs(page, '#ev-coverage circle.ev-point', [
    'data-name',
    'data-level',
    'data-coverage',
    'data-size',
  ]);
  const expected = coverage
    .filter((r) => r.coverage !== null)
    .map((r) => [r.name, String(r.level), num(r.coverage), num(r.meanSetSize)]);
  expect(points).toEqual(expected);
  expect(points.length).toBeGreaterThanOrEqual(3);

  const curve = await attrs(page, '#ev-abstention circle.ev-point', [
    'data-name',
    'data-abstain',
    'data-accuracy',
  ]);
  const abstention = (evaluation.abstention ?? []).flatMap((c) =>
    c.points.filter((p) => p.accuracy !== null).map((p) => [c.name, String(p.abstain), num(p.accuracy)]),
  );
  expect(curve).toEqual(abstention);

  const shares = await attrs(page, '#ev-shares rect.ev-share', ['data-modality', 'data-share']);
  expect(shares).toEqual(detail.shares.map((s) => [s.modality, String(s.share)]));
}

describe('the evaluation view', () => {
  it('is drawn in the playground from the evaluate answer', async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(inject('edgeUrl'));
      const picker = page.getByRole('combobox', { name: 'Task', exact: true });
      await expect.poll(() => picker.locator('option').allTextContents(), patient).toContain(task);
      await picker.selectOption(task);
      await page.getByLabel(/^Labelled set/).fill(set.join('\n'));
      await page.getByRole('button', { name: 'Evaluate' }).click();
      await expect
        .poll(() => page.locator('#status').textContent(), patient)
        .toBe(`Evaluated ${set.length} item(s).`);
      // The same request as the page's, straight to the API.
      const examples = set.map((line) => ({
        label: line.split(':')[0],
        inputs: { text: line.split(': ')[1] },
      }));
      const weights = { text: 1, image: 1, audio: 1 };
      const response = await fetch(`${inject('edgeUrl')}/v1/tasks/${task}/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ examples, weights }),
      });
      const evaluation = (await response.json()) as Evaluation;
      expect(evaluation.detail?.n).toBe(set.length);
      await expectDrawn(page, evaluation);
      expect(await page.locator('#evaluation-view h2').textContent()).toBe(`Evaluation of ${task}`);
      await page.locator('#evaluation').screenshot({ path: join(artifacts, 'evaluation-playground.png') });
      // On a 320 px phone the view shrinks to the column: the page does not scroll sideways.
      await page.setViewportSize({ width: 320, height: 800 });
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('is the page modalfuse evaluate --report writes: one file, no URL, the same pictures', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'modalfuse-report-')), 'report.html');
    const folder = await labelledFolder([0, 1, 2, 3]);
    const evaluation = await cliJson<Evaluation>('evaluate', '--task', task, folder, '--report', file);
    expect(evaluation.detail?.shares.map((s) => s.modality)).toEqual(['audio', 'image', 'text']);
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    const page = await browser.context.newPage();
    try {
      // Offline: a page that needed anything from elsewhere would show it missing.
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.abort(),
      );
      await page.goto(pathToFileURL(file).href);
      expect(await page.title()).toBe(`ModalFuse evaluation: ${task}`);
      await expectDrawn(page, evaluation);
      await page.screenshot({ path: join(artifacts, 'evaluation-report.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
