/**
 * @module
 * `modalfuse classify --coverage --max-set-size --min-confidence --max-missing` against the stack: each option
 * reaches the API and its answer is printed (the set and what it rests on, or the abstention with the scores
 * kept); a value out of range is a usage error (exit 2) before any request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Classification } from '#client';
import { cli, cliJson, labelledFolder } from './helpers.ts';

const task = 'cli-decision';
const text = ['--task', task, '--text', 'ripe red cherries'];

beforeAll(async () => {
  expect((await cli('tasks', 'create', task, '--labels', 'red,blue')).code).toBe(0);
  expect((await cli('examples', 'add', '--task', task, await labelledFolder([0, 1]))).code).toBe(0);
});

describe('classify with a coverage and abstention', () => {
  it('answers the set with what it rests on (every label: the task was never refitted)', async () => {
    const result = await cliJson<Classification>('classify', ...text, '--coverage', '0.9');
    expect(result.label).toBe('red');
    expect([...(result.set ?? [])].sort()).toEqual(['blue', 'red']);
    expect(result.conformal).toMatchObject({ coverage: 0.9, method: 'all-labels' });
    const printed = await cli('classify', ...text, '--coverage', '0.9');
    expect(printed.out).toMatch(/\nset at 0\.9: (red, blue|blue, red) {2}\(every label: .+\)$/m);
  });

  it('abstains on a set larger than --max-set-size, keeping the scores', async () => {
    const result = await cliJson<Classification>(
      'classify',
      ...text,
      '--coverage',
      '0.9',
      '--max-set-size',
      '1',
    );
    expect(result.label).toBeNull();
    expect(result.abstained).toMatchObject({ reason: 'set-too-large' });
    expect(result.scores.map((s) => s.label).sort()).toEqual(['blue', 'red']);
    const printed = await cli('classify', ...text, '--coverage', '0.9', '--max-set-size', '1');
    expect(printed.out).toMatch(/^abstained: the fused set has 2 labels, more than 1 {2}\(weighted\)\n/);
  });

  it('abstains below --min-confidence and past --max-missing', async () => {
    const unsure = await cliJson<Classification>('classify', ...text, '--min-confidence', '1');
    expect(unsure).toMatchObject({ label: null, abstained: { reason: 'low-confidence' } });
    // Text alone: the task's other modalities are missing.
    const { missing } = await cliJson<Classification>('classify', ...text);
    expect(missing.length).toBeGreaterThanOrEqual(2);
    const most = String(missing.length - 1);
    const past = await cliJson<Classification>('classify', ...text, '--max-missing', most);
    expect(past).toMatchObject({ label: null, abstained: { reason: 'too-many-missing' } });
    const all = ['--max-missing', String(missing.length), '--min-confidence', '0'];
    const enough = await cliJson<Classification>('classify', ...text, ...all);
    expect(enough.label).toBe('red');
    expect(enough.abstained).toBeUndefined();
  });

  it.each([
    ['--coverage', '1', 'not a number strictly between 0 and 1: 1'],
    ['--coverage', '0', 'not a number strictly between 0 and 1: 0'],
    ['--max-set-size', '0', 'not a whole number ≥ 1: 0'],
    ['--min-confidence', '1.5', 'not a number between 0 and 1: 1.5'],
    ['--max-missing', '-1', 'not a whole number ≥ 0: -1'],
    ['--max-missing', '1.5', 'not a whole number ≥ 0: 1.5'],
  ])('refuses %s %s as a usage error', async (option, value, message) => {
    const run = await cli('classify', ...text, option, value);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.out).toBe('');
  });
});
