/**
 * `bench/gpu/parity.ts`, the GPU parity check, run here on its CPU half: a repository model loaded twice through
 * the backend's own loading and compared output by output, and the cosine it judges by. On this machine WebGPU
 * cannot start (Dawn refuses lavapipe), so asking for it must say the comparison ran on CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECIPES, ensureDefaultRepository } from '../../gpu-backend/model-builder/prepare.ts';
import { cosine, MIN_COSINE, parity, parityTable } from '../../bench/gpu/parity.ts';

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'modalfuse-parity-'));
  await ensureDefaultRepository({
    repository: root,
    recipes: DEFAULT_RECIPES.filter((recipe) => recipe.name === 'text-hash-256'),
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cosine', () => {
  it('is 1 for equal directions, 0 against a zero vector, 1 for two zero vectors', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2], [0, 0])).toBe(0);
    expect(cosine([0, 0], [0, 0])).toBe(1);
    expect(cosine([1, 0], [1, 0.05])).toBeLessThan(MIN_COSINE);
  });
});

describe('parity, CPU against CPU', () => {
  it('compares the ONNX-level and the raw warm-up inputs of every output, all within the bound', async () => {
    const { started, rows } = await parity(root, 'cpu');
    expect(started).toBe('cpu');
    expect(rows.map((row) => [row.model, row.input, row.output, row.provider, row.ok])).toEqual([
      ['text-hash-256', 'onnx #1', 'embedding', 'cpu', true],
      ['text-hash-256', 'raw #1', 'embedding', 'cpu', true],
    ]);
    expect(rows.every((row) => row.cosine > 0.999999 && row.maxAbs === 0)).toBe(true);
    expect(parityTable(rows)).toMatch(
      /^\| text-hash-256 \| raw #1 \| embedding \| cpu \| 1\.000000 \| 0\.00e\+0 \| yes \|$/m,
    );
  });

  it('asked for WebGPU, says what it really ran on', async () => {
    const { started, rows } = await parity(root, 'webgpu', ['text-hash-256']);
    expect(rows.length).toBe(2);
    expect(rows.every((row) => row.provider === started)).toBe(true);
    if (started === 'webgpu') expect(rows.every((row) => row.ok)).toBe(true);
    else expect(started).toBe('cpu');
  });
});
