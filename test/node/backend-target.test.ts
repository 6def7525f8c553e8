import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../bench/backend-load.ts';
import { targetTable } from '../../bench/backend-target.ts';

const cell = (throughput: number, note?: string): CellResult => ({
  throughput,
  p50: 1,
  p99: 2,
  errors: 0,
  ...(note ? { note } : {}),
});

describe("bench:backend's target table", () => {
  const cells: Record<string, CellResult> = {
    'use-lite|a|64': cell(100, 'batch 16'),
    'use-lite|a2|64': cell(120, '2 × batch 8'),
    'use-lite|b|64': cell(110),
    'use-lite|e|64': cell(60),
    'mobilenet|a|64': cell(200, 'batch 4'),
    'mobilenet|a2|64': cell(150, '2 × batch 1'),
    'mobilenet|b|64': cell(190),
    'bert|a|64': cell(10, 'batch 1'),
    'bert|b|64': cell(5),
  };
  const rows = targetTable(
    ['use-lite', 'mobilenet', 'bert'],
    [64],
    (model, row, clients) => cells[`${model}|${row}|${clients}`],
  ).slice(2);

  it('sets the server against the faster raw layout and says whether 0.9× is met', () => {
    expect(rows[0]).toBe(
      '| use-lite | 64 | 2 processes × 1 thread, 2 × batch 8 | 120.0 | 110.0 | 0.92× | ≥ 0.9×: met | 60.0 | 0.50× |',
    );
    expect(rows[1]).toBe(
      '| mobilenet | 64 | 1 session, batch 4 | 200.0 | 190.0 | 0.95× | ≥ 0.9×: met | – | – |',
    );
  });

  it('marks a miss, and shows a model outside the target without a verdict', () => {
    expect(rows[2]).toContain('| 0.50× | (not a target) |');
    const missed = targetTable(['use-lite'], [64], (model, row) =>
      row === 'b' ? cell(100) : cells[`${model}|${row}|64`],
    );
    expect(missed[2]).toContain('| 0.83× | ≥ 0.9×: not met |');
  });
});
