/**
 * @module
 * A task's heads as scorers: each modality's head (looked up by name in the registry) followed by its calibration
 * temperature, or the reason it cannot score yet (no examples, no weights). A derived part that `borrows` another
 * modality's head (`image.text` → `text`, decided when the task is built: `tasks/borrow.ts`) is scored by that
 * head, calibrated as that modality is, while its own cannot score. A pure function of the stored task, so it is
 * built once per request — and could be kept per task version.
 */
import { applyTemperature } from './calibration.ts';
import { isScorer, type HeadFields, type ModelAnswer, type Scorer, type Unscorable } from './head.ts';
import { findHead } from './registry.ts';
import type { StoredVector } from '../vectors.ts';

export type ModalityScorer = Scorer | Unscorable;

/** Per modality of a task: its scorer, or why there is none. */
export type TaskHeads = ReadonlyMap<string, ModalityScorer>;

/** What of a stored task its heads are built from. */
export interface StoredHeads {
  readonly labels: readonly string[];
  readonly modalities: Readonly<
    Record<
      string,
      HeadFields<StoredVector> & {
        readonly head: string;
        readonly calibration: number;
        readonly borrows?: string | undefined;
      }
    >
  >;
}

function calibrated(scorer: Scorer, temperature: number): Scorer {
  if (scorer.calibrated) return scorer.calibrated(temperature);
  return Object.assign((answer: ModelAnswer) => applyTemperature(scorer(answer), temperature), {
    consumes: scorer.consumes,
  });
}

/** Per modality of the task: a calibrated scorer, or why there is none. */
export function scorersOf(task: StoredHeads): Map<string, ModalityScorer> {
  const own = new Map(
    Object.entries(task.modalities).map(([name, stored]) => {
      const scorer = findHead(stored.head).scorer(stored, task.labels, name);
      const ready = isScorer(scorer) && stored.calibration !== 1;
      return [name, ready ? calibrated(scorer, stored.calibration) : scorer];
    }),
  );
  return new Map(
    [...own].map(([name, scorer]) => {
      const lent = own.get(task.modalities[name]?.borrows ?? '');
      return [name, !isScorer(scorer) && isScorer(lent) ? lent : scorer];
    }),
  );
}
