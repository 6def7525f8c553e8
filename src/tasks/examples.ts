/**
 * @module
 * Folding embedded, labelled examples into a task's prototype heads: a pure step, the I/O happens around it.
 */
import { addExamples, type LabelledEmbedding } from '../heads/prototype.ts';
import type { Task } from './schema.ts';

export interface EmbeddedExample extends LabelledEmbedding {
  readonly modality: string;
}

/** The task with the examples added and its version and `updatedAt` moved on. */
export function foldExamples(task: Task, examples: readonly EmbeddedExample[], now: Date): Task {
  const modalities = { ...task.modalities };
  for (const [name, head] of Object.entries(task.modalities)) {
    const mine = examples.filter((example) => example.modality === name);
    if (mine.length === 0) continue;
    modalities[name] = {
      ...head,
      examples: head.examples + mine.length,
      prototype: addExamples(head.prototype, mine),
    };
  }
  return { ...task, modalities, version: task.version + 1, updatedAt: now.toISOString() };
}
