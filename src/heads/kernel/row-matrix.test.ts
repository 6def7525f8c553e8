/**
 * @module
 * The WebAssembly matrix product against plain float64 sums, in workerd as the Worker runs it: every dimension
 * modulo the kernel's eight lanes, no rows and thousands, rows of any scale, a query reused, and what it refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowMatrix } from './row-matrix.ts';

interface Expected {
  readonly exact: number;
  /** Half an int16 step per value (of the row's largest) times the query, and float32 rounding in the sums. */
  readonly tolerance: number;
}

/** Σ query[i] · row[i] · scale in float64, and how far the kernel may be from it. */
function reference(rows: readonly number[][], query: readonly number[], scale = 1): Expected[] {
  const queryMass = query.reduce((sum, value) => sum + Math.abs(value), 0);
  return rows.map((row) => {
    const largest = row.reduce((max, value) => Math.max(max, Math.abs(value * scale)), 0);
    const terms = row.map((value, i) => (query[i] ?? 0) * value * scale);
    const exact = terms.reduce((sum, term) => sum + term, 0);
    const size = terms.reduce((sum, term) => sum + Math.abs(term), 0);
    return { exact, tolerance: (largest / 65_534) * queryMass + 4e-6 * size + 1e-300 };
  });
}

function filled(rows: readonly number[][], dim: number, scale = 1): RowMatrix {
  const matrix = new RowMatrix(rows.length, dim);
  rows.forEach((row, y) => matrix.setRow(y, row, scale));
  return matrix;
}

function expectWithin(product: Float64Array, expected: readonly Expected[]): void {
  expect(product).toHaveLength(expected.length);
  expected.forEach(({ exact, tolerance }, y) =>
    expect(Math.abs((product[y] ?? NaN) - exact)).toBeLessThanOrEqual(tolerance),
  );
}

const unit = (vector: readonly number[]) => {
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
};

const finite = fc.double({ min: -10, max: 10, noNaN: true });

describe('RowMatrix', () => {
  it('multiplies within half an int16 step per value of float64 sums, for every dimension and row count', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 19 })
          .chain((dim) =>
            fc.tuple(
              fc.array(fc.array(finite, { minLength: dim, maxLength: dim }), { maxLength: 12 }),
              fc.array(finite, { minLength: dim, maxLength: dim }),
              fc.constant(dim),
              fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
            ),
          ),
        ([rows, query, dim, scale]) =>
          expectWithin(filled(rows, dim, scale).times(query), reference(rows, query, scale)),
      ),
    );
  });

  it('gives cosines of 5,000 unit rows of 257 dimensions (a padded tail) within 10⁻⁵', () => {
    const dim = 257;
    const wave = (y: number, i: number) => Math.sin(y * 0.37 + i * 1.3) + 0.3 * Math.cos(y * i);
    const rows = Array.from({ length: 5_000 }, (_, y) =>
      unit(Array.from({ length: dim }, (_, i) => wave(y, i))),
    );
    const query = unit(Array.from({ length: dim }, (_, i) => Math.cos(i)));
    const product = filled(rows, dim).times(query);
    const expected = reference(rows, query);
    let worst = 0;
    product.forEach((value, y) => (worst = Math.max(worst, Math.abs(value - (expected[y]?.exact ?? NaN)))));
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(product[4_999] ?? 0)).toBeGreaterThan(1e-3);
  });

  it('answers each query afresh in its own array, leaving the rows as they were', () => {
    const rows = [
      [1, 2, 3],
      [0, -1, 4],
    ];
    const matrix = filled(rows, 3);
    for (const query of [
      [1, 0, 0],
      [0, 0, 2],
      [1, 1, 1],
    ])
      expectWithin(matrix.times(query), reference(rows, query));
    // The largest value of a row is kept, up to float rounding of its scale.
    expect(matrix.times([0, 0, 1])[1]).toBeCloseTo(4, 12);
  });

  it('has nothing to multiply without rows, and leaves a row never set at zero', () => {
    expect([...new RowMatrix(0, 8).times(Array.from({ length: 8 }, () => 1))]).toEqual([]);
    const matrix = new RowMatrix(3, 2);
    matrix.setRow(1, [2, 2]);
    const [none, set = 0, other] = matrix.times([1, 1]);
    expect([none, other]).toEqual([0, 0]);
    expect(set).toBeCloseTo(4, 12);
  });

  it('keeps rows of very large and very small values at their scale', () => {
    const matrix = filled(
      [
        [3e30, -1e30],
        [2e-30, 5e-31],
      ],
      2,
    );
    const [big = 0, small = 0] = matrix.times([1, 1]);
    expect(big / 2e30).toBeCloseTo(1, 4);
    expect(small / 2.5e-30).toBeCloseTo(1, 4);
  });

  it('carries NaN in a query through, as the plain sums would', () => {
    expect(Number.isNaN(filled([[1, 2]], 2).times([NaN, 1])[0])).toBe(true);
  });

  it('refuses a row that holds a value that is not a finite number', () => {
    const matrix = new RowMatrix(2, 2);
    expect(() => matrix.setRow(0, [1, Number.NaN])).toThrow(/finite/);
    expect(() => matrix.setRow(1, [Number.POSITIVE_INFINITY, 1])).toThrow(RangeError);
  });

  it('refuses a query of another length', () => {
    const matrix = new RowMatrix(2, 4);
    expect(() => matrix.times([1, 2, 3])).toThrow(RangeError);
    expect(() => matrix.times([1, 2, 3, 4, 5])).toThrow(/4-vector/);
  });

  it('holds its rows as int16: half the bytes of float32', () => {
    expect(new RowMatrix(1, 1).bytes).toBe(65_536);
    const bytes = new RowMatrix(5_000, 256).bytes;
    expect(bytes).toBeGreaterThanOrEqual(5_000 * 256 * 2);
    expect(bytes).toBeLessThan(5_000 * 256 * 4);
  });
});
