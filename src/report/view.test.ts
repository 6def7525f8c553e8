/**
 * @module
 * The evaluation view's markup on a known answer: one confusion cell per pair of labels with the counts, one
 * reliability bar per bin and series, a point per coverage level and abstention step, a bar per modality, text
 * escaped, nothing fetched; an answer without the detail names what it lacks.
 */
import { describe, expect, it } from 'vitest';
import type { ReportInput } from './input.ts';
import { maxDrawnLabels } from './matrix.ts';
import { reportPage } from './page.ts';
import { evaluationView } from './view.ts';

const bins = (accuracy: number | null) =>
  Array.from({ length: 10 }, (_, i) => ({
    lower: i / 10,
    upper: (i + 1) / 10,
    n: i === 7 ? 3 : 0,
    confidence: i === 7 ? 0.75 : null,
    accuracy: i === 7 ? accuracy : null,
  }));

const answer: ReportInput = {
  task: 'colours',
  items: 3,
  strategies: [{ name: 'weighted', n: 3, accuracy: 2 / 3, macroF1: 0.5, logLoss: 0.4 }],
  modalities: [{ name: 'text', n: 3, accuracy: 2 / 3, macroF1: 0.5, logLoss: 0.4 }],
  recommended: 'weighted',
  coverage: {
    strategies: [0.8, 0.9, 0.95].map((level) => ({
      name: 'weighted',
      level,
      n: 3,
      coverage: level === 0.95 ? null : 1,
      meanSetSize: 1.5,
      calibrated: 3,
    })),
    modalities: [],
  },
  abstention: [
    { name: 'weighted', points: [0, 0.1].map((abstain) => ({ abstain, kept: 3, accuracy: 2 / 3 })) },
  ],
  detail: {
    strategy: 'weighted',
    n: 3,
    confusion: [
      { truth: 'red', predicted: 'red', count: 2 },
      { truth: '<b>blue</b>', predicted: 'red', count: 1 },
    ],
    perLabel: [
      { label: 'red', support: 2, precision: 2 / 3, recall: 1, f1: 0.8 },
      { label: '<b>blue</b>', support: 1, precision: null, recall: 0, f1: 0 },
    ],
    reliability: {
      calibrated: bins(0.67),
      uncalibrated: bins(0.33),
      ece: { calibrated: 0.08, uncalibrated: 0.4 },
    },
    shares: [{ modality: 'text', n: 3, agreed: 1, share: 1 }],
  },
};

const count = (markup: string, pattern: RegExp) => [...markup.matchAll(pattern)].length;

describe('evaluationView', () => {
  const view = evaluationView(answer);

  it('draws the confusion matrix: a cell per pair of labels, counts written in', () => {
    expect(count(view, /class="ev-cell"/g)).toBe(4);
    expect(view).toContain('data-truth="red" data-predicted="red" data-count="2"');
    expect(view).toContain('data-truth="&lt;b&gt;blue&lt;/b&gt;" data-predicted="red" data-count="1"');
    expect(view).not.toContain('<b>blue</b>');
  });

  it('draws a bar per reliability bin and series, and a point per curve step', () => {
    expect(count(view, /class="ev-bin" data-series="calibrated"/g)).toBe(10);
    expect(count(view, /class="ev-bin" data-series="uncalibrated"/g)).toBe(10);
    expect(view).toContain('ECE 0.080');
    // The level without a coverage is left out of the line, not drawn at 0.
    expect(count(view, /<circle[^>]*data-level=/g)).toBe(2);
    expect(count(view, /<circle[^>]*data-abstain=/g)).toBe(2);
    expect(view).toContain('data-modality="text" data-share="1"');
  });

  it('caps the matrix at the labels with the most items', () => {
    const labels = Array.from({ length: maxDrawnLabels + 5 }, (_, i) => `l${i}`);
    const many = evaluationView({
      ...answer,
      detail: {
        ...(answer.detail as NonNullable<ReportInput['detail']>),
        confusion: labels.map((l) => ({ truth: l, predicted: l, count: 1 })),
        perLabel: labels.map((label) => ({ label, support: 1, precision: 1, recall: 1, f1: 1 })),
      },
    });
    expect(count(many, /class="ev-cell"/g)).toBe(maxDrawnLabels ** 2);
    expect(many).toContain(`The ${maxDrawnLabels} labels with the most items of ${labels.length}.`);
  });

  it('says what an answer without detail lacks', () => {
    const bare = evaluationView({ strategies: answer.strategies, modalities: answer.modalities });
    expect(count(bare, /class="ev-note ev-missing"/g)).toBe(6);
    expect(bare).not.toContain('<svg');
  });
});

describe('reportPage', () => {
  it('is one page with the view inline and no URL, script or external resource', () => {
    const page = reportPage(answer);
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<title>ModalFuse evaluation: colours</title>');
    expect(page).toContain(evaluationView(answer));
    expect(page).not.toMatch(/https?:|<script|<link|<img/i);
  });
});
