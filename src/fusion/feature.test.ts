/**
 * @module
 * Feature-level fusion: concatenation gives exactly the weighted mean of per-modality cosines, the sketched mean
 * approximates it, both are unit vectors and deterministic, and bad weights or sizes are refused; in one shared
 * space the mean is the mean direction itself.
 */
import { describe, expect, it } from 'vitest';
import { cosine, norm } from '../vectors.ts';
import { fuseFeatures, sketch } from './feature.ts';

/** A deterministic pseudo-random vector. */
function vector(seed: number, length: number): number[] {
  return Array.from({ length }, (_, i) => (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1);
}

function item(seed: number, textWeight = 1) {
  return [
    { modality: 'text', model: 'text-hash-256', embedding: vector(seed, 256), weight: textWeight },
    { modality: 'image', model: 'mobilenetv2-int8', embedding: vector(seed + 100, 1280) },
  ];
}

describe('fuseFeatures', () => {
  it('concat: the cosine of fused vectors is the weighted mean of the modality cosines', () => {
    const a = item(1, 3);
    const b = [
      { ...a[0], embedding: vector(7, 256), weight: 3 },
      { ...a[1], embedding: vector(8, 1280) },
    ] as typeof a;
    const fused = cosine(fuseFeatures(a, 'concat'), fuseFeatures(b, 'concat'));
    const expected =
      0.75 * cosine(a[0]?.embedding ?? [], b[0]?.embedding ?? []) +
      0.25 * cosine(a[1]?.embedding ?? [], b[1]?.embedding ?? []);
    expect(fused).toBeCloseTo(expected, 9);
    expect(fuseFeatures(a, 'concat')).toHaveLength(256 + 1280);
  });

  it('mean: a unit vector of the asked size, deterministic, near the weighted mean of cosines', () => {
    const a = item(1);
    const near = [
      { ...a[0], embedding: (a[0]?.embedding as number[]).map((x, i) => x + 0.3 * (vector(9, 256)[i] ?? 0)) },
      { ...a[1], embedding: vector(50, 1280) },
    ] as typeof a;
    const fusedA = fuseFeatures(a, 'mean', 512);
    expect(fusedA).toHaveLength(512);
    expect(norm(fusedA)).toBeCloseTo(1, 12);
    expect(fuseFeatures(a, 'mean', 512)).toEqual(fusedA);
    const expected =
      0.5 * cosine(a[0]?.embedding ?? [], near[0]?.embedding ?? []) +
      0.5 * cosine(a[1]?.embedding ?? [], near[1]?.embedding ?? []);
    expect(Math.abs(cosine(fusedA, fuseFeatures(near, 'mean', 512)) - expected)).toBeLessThan(0.15);
  });

  it('mean in one space: the weighted mean direction of the embeddings themselves, in their dimension', () => {
    const text = { modality: 'text', model: 'use-lite', embedding: vector(1, 512), weight: 3 };
    const image = { modality: 'image', model: 'mobilenetv2-conse', embedding: vector(2, 512) };
    const fused = fuseFeatures([text, image], 'mean', 256, true);
    expect(fused).toHaveLength(512);
    expect(norm(fused)).toBeCloseTo(1, 12);
    const unit = (v: number[]) => v.map((x) => x / norm(v));
    const direction = unit(unit(text.embedding).map((x, i) => 3 * x + (unit(image.embedding)[i] ?? 0)));
    expect(cosine(fused, direction)).toBeCloseTo(1, 12);
    expect(cosine(fused, text.embedding)).toBeGreaterThan(cosine(fused, image.embedding));
    expect(fuseFeatures([text, image], 'concat', 256, true)).toHaveLength(1024);
    expect(() => fuseFeatures([text, { ...image, embedding: [1, 2] }], 'mean', 256, true)).toThrow(
      RangeError,
    );
  });

  it('sketches preserve a vector norm roughly and differ between models', () => {
    const v = vector(3, 1280);
    const s = sketch('m1', v, 256);
    expect(norm(s) / norm(v)).toBeGreaterThan(0.7);
    expect(norm(s) / norm(v)).toBeLessThan(1.3);
    expect(Math.abs(cosine(s, sketch('m2', v, 256)))).toBeLessThan(0.3);
  });

  it('ignores a weight-0 modality and refuses no weight, negative weights and bad sizes', () => {
    const [text, image] = item(1);
    if (!text || !image) throw new Error('fixture');
    expect(fuseFeatures([text, { ...image, weight: 0 }], 'mean')).toEqual(fuseFeatures([text], 'mean'));
    expect(() => fuseFeatures([{ ...text, weight: 0 }], 'concat')).toThrow(RangeError);
    expect(() => fuseFeatures([{ ...text, weight: -1 }], 'mean')).toThrow(RangeError);
    expect(() => fuseFeatures([], 'mean')).toThrow(RangeError);
    expect(() => fuseFeatures([text], 'mean', 0)).toThrow(RangeError);
  });
});
