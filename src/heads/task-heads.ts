/**
 * @module
 * A task's heads as scorers, once per request: each modality's head (prototype, linear, zero-shot) followed by its
 * calibration temperature. A modality whose head cannot score yet gets the reason instead: no examples (prototype)
 * or no weights (a linear head before its first refit). A provider-label head scores the provider's answer (its
 * own labels and scores) instead of an embedding: it is a {@link LabelScorer}, always ready.
 */
import { applyTemperature } from './calibration.ts';
import type { Scorer } from './fit.ts';
import { linearScorer } from './linear.ts';
import { exampleCount, prototypeScorer } from './prototype.ts';
import { mapProviderLabels } from './provider-label.ts';
import { zeroShotScorer } from './zero-shot.ts';
import type { ProviderLabel } from '../backend/types.ts';
import type { Task, TaskModality } from '../tasks/schema.ts';
import type { MissingReason } from '../classify/schema.ts';

export interface Unscorable {
  readonly reason: MissingReason;
  readonly detail: string;
}

/** The provider-label head: the task's distribution from a classification endpoint's answer. */
export interface LabelScorer {
  readonly fromLabels: (answer: readonly ProviderLabel[]) => number[];
}

export type ModalityScorer = Scorer | LabelScorer | Unscorable;

export function isLabelScorer(scorer: ModalityScorer | undefined): scorer is LabelScorer {
  return typeof scorer === 'object' && 'fromLabels' in scorer;
}

function headScorer(task: Task, name: string, head: TaskModality): Scorer | LabelScorer | Unscorable {
  if (head.head === 'provider-label') {
    const options = { labelMap: head.label_map, unmapped: head.unmapped };
    return { fromLabels: (answer) => mapProviderLabels(answer, task.labels, options) };
  }
  if (head.head === 'zero-shot') {
    if (head.zeroShot) return zeroShotScorer(head.zeroShot, task.labels, head.temperature);
    return {
      reason: 'not-fitted',
      detail: `the zero-shot ${name} head has no label prompts: replace the task`,
    };
  }
  if (head.head === 'linear') {
    if (head.linear) return linearScorer(head.linear, task.labels);
    return { reason: 'not-fitted', detail: `the linear ${name} head has no weights yet: refit the task` };
  }
  if (exampleCount(head.prototype) > 0) return prototypeScorer(head.prototype, task.labels, head.temperature);
  return { reason: 'no-examples', detail: `no ${name} examples yet` };
}

/** Per modality of the task: a calibrated scorer, or why there is none. */
export function scorersOf(task: Task): Map<string, ModalityScorer> {
  return new Map(
    Object.entries(task.modalities).map(([name, head]) => {
      const scorer = headScorer(task, name, head);
      if (typeof scorer !== 'function' || head.calibration === 1) return [name, scorer];
      const calibrated: Scorer = (embedding) => applyTemperature(scorer(embedding), head.calibration);
      return [name, calibrated];
    }),
  );
}
