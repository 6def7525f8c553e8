/**
 * @module
 * A labelled set scored by a task's heads as they are (calibration included), without storing it: every input
 * goes through the scoring stage, asked of its model for what its head consumes (an embedding, or a classification
 * endpoint's labels), and is scored where its head can score (a derived part not there is not scored: as missing
 * in classify). All or nothing, as teaching is: a backend that
 * fails fails the evaluation (503).
 */
import { isScorer } from '../heads/head.ts';
import type { TaskHeads } from '../heads/task-heads.ts';
import { askOf, scoreAnswer } from '../scoring/score.ts';
import { answeredAll, askModels, type StageServices } from '../scoring/stage.ts';
import { checkTaskInputs, readingsOf } from '../tasks/check.ts';
import type { Task } from '../tasks/schema.ts';
import { checkLabels, type Example } from '../tasks/teach.ts';
import type { EvalCase } from './evaluate.ts';

/** Per example, its label's index and the scores of each input whose head could score it. */
export async function casesOf(
  task: Task,
  heads: TaskHeads,
  examples: readonly Example[],
  services: StageServices,
): Promise<EvalCase[]> {
  checkLabels(task, examples);
  checkTaskInputs(task, services.modalities, examples);
  const slots = examples.flatMap((example, index) =>
    readingsOf(task, services.modalities, example).flatMap((reading) => {
      const stored = task.modalities[reading.modality];
      return stored ? [{ index, ...reading, ask: askOf(stored) }] : [];
    }),
  );
  const answers = answeredAll(await askModels(slots, services));
  const scores = examples.map(() => ({}) as Record<string, number[]>);
  answers.forEach((answer, i) => {
    const slot = slots[i];
    const scorer = slot && heads.get(slot.modality);
    const target = slot && scores[slot.index];
    if (target && isScorer(scorer) && answer.kind !== 'checked' && answer.kind !== 'absent')
      target[slot.modality] = scoreAnswer(scorer, answer);
  });
  return examples.map((example, i) => ({
    label: task.labels.indexOf(example.label),
    scores: scores[i] ?? {},
  }));
}
