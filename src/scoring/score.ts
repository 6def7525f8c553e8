/**
 * @module
 * The heads' end of the scoring stage: what a task's modality asks of its model (what its head consumes), and one
 * input's scores from its model's answer. A head that cannot score yet asks nothing (classify); evaluation asks
 * every input anyway, so that an outage fails it as it fails teaching.
 */
import type { ModalityScorer } from '../heads/task-heads.ts';
import { findHead } from '../heads/registry.ts';
import { isScorer, type Scorer } from '../heads/head.ts';
import { framesOf, poolFrameScores } from './frames.ts';
import type { InputAnswer, StageInput } from './stage.ts';

interface StoredModality {
  readonly model: string;
  readonly head: string;
}

/** What the modality's model is asked for its head. */
export function askOf(stored: StoredModality): NonNullable<StageInput['ask']> {
  return { model: stored.model, kind: findHead(stored.head).consumes };
}

/** The ask of a modality whose head can score now; none for one that cannot (its input is only checked). */
export function askIfScorable(stored: StoredModality, scorer: ModalityScorer | undefined): StageInput['ask'] {
  return isScorer(scorer) ? askOf(stored) : undefined;
}

/**
 * The scores of one answer, by the scorer of the head that asked for it; an answer that carries its frames (a
 * video's) is scored frame by frame and pooled (`frames.ts`).
 */
export function scoreAnswer(scorer: Scorer, answer: Extract<InputAnswer, { kind: 'embedding' | 'labels' }>) {
  if (answer.kind === 'labels') return scorer(answer.labels);
  const frames = framesOf(answer.extras, answer.embedding.length);
  return frames ? poolFrameScores(frames.map((frame) => scorer(frame))) : scorer(answer.embedding);
}
