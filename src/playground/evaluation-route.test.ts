/**
 * @module
 * `POST /playground/evaluation` inside workerd: an evaluate answer is drawn as the view's HTML; a body that is no
 * evaluation is a 400 problem+json, one over the cap a 413, before anything is drawn.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../../test/edge/helpers.ts';
import { maxEvaluationViewBytes } from './evaluation-route.ts';

const post = (body: string) =>
  call('/playground/evaluation', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const answer = {
  task: 'colours',
  items: 2,
  strategies: [{ name: 'weighted', n: 2, accuracy: 1, macroF1: 1, logLoss: 0.1 }],
  modalities: [{ name: 'text', n: 2, accuracy: 1, macroF1: 1, logLoss: 0.1 }],
  recommended: 'weighted',
};

describe('POST /playground/evaluation', () => {
  it('draws an evaluate answer as the evaluation view', async () => {
    const response = await post(JSON.stringify(answer));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const view = await response.text();
    expect(view).toMatch(/^<div class="ev" id="evaluation-view">/);
    expect(view).toContain('<h2>Evaluation of colours</h2>');
    expect(view).toContain('data-name="weighted"');
  });

  it('refuses a body that is no evaluation, and one over the cap', async () => {
    const bad = await post(JSON.stringify({ strategies: 'all' }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const big = await post(JSON.stringify({ ...answer, task: 'x'.repeat(maxEvaluationViewBytes) }));
    expect(big.status).toBe(413);
  });
});
