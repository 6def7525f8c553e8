/**
 * @module
 * A stored task for pipeline tests (imported by tests only): labels red and blue, a prototype head per modality
 * (text, image, audio) taught one unit vector per label — red `[1, 0]`, blue `[0, 1]` — on its own model (`t`,
 * `i`, `a`), fused `weighted` with weight 1 each.
 */
import { addExamples } from '../../src/heads/prototype.ts';
import type { Task } from '../../src/tasks/schema.ts';

export const red = [1, 0];
export const blue = [0, 1];

/** A prototype head on `model` that counts `examples` taught but holds no prototype yet. */
export function prototypeHead(model: string, examples: number) {
  return {
    model,
    head: 'prototype',
    temperature: 0.1,
    examples,
    prototype: { sums: {}, counts: {} },
    calibration: 1,
    evicted: 0,
    stored: [],
  };
}

function headOf(model: string) {
  const examples = [
    { label: 'red', embedding: red },
    { label: 'blue', embedding: blue },
  ];
  return { ...prototypeHead(model, 2), prototype: addExamples({ sums: {}, counts: {} }, examples) };
}

export const colourTask: Task = {
  id: 'colours',
  labels: ['red', 'blue'],
  modalities: { text: headOf('t'), image: headOf('i'), audio: headOf('a') },
  fusion: { strategy: 'weighted', weights: { text: 1, image: 1, audio: 1 } },
  version: 1,
  nextExample: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
