/**
 * @module
 * The head extension point. A head turns what a modality's model answers — an embedding, or a classification
 * endpoint's own labels — into a distribution over the task's labels. Adding one is a file made with
 * {@link defineHead} plus one entry in `registry.ts`; `head.case.test.ts` then runs the shared contract against it.
 *
 * A head declares what it consumes (so the scoring stage asks its model for that, and a model that gives the other
 * is refused when the task is built), the create-request options it owns, how it starts (`init`, which may ask the
 * model catalog what its model declares), what it needs embedded before its task is stored (`prepare`), how it
 * learns from labelled embeddings (`fit`), and how it scores (`scorer`, built once per task version: a pure
 * function of the stored fields, so it can be cached by version).
 */
import type { ModelCatalog } from '../backend/model-catalog.ts';
import { softmax } from '../distribution.ts';
import type { AnswerKind, ProviderLabel } from '../backend/types.ts';
import type { LinearState } from './linear.ts';
import type { LabelledEmbedding, PrototypeState } from './prototype.ts';
import type { UnmappedPolicy } from './provider-label.ts';
import type { ZeroShotFields } from './zero-shot.ts';
import type { StoredVector } from '../vectors.ts';

/** The head fields of a task's modality as stored (see `tasks/schema.ts`), each kept by the head that uses it. */
export interface HeadFields<V extends StoredVector = string> {
  /** Softmax temperature of the heads that score by cosine. */
  readonly temperature: number;
  /** Every modality keeps the running sums of its examples (`tasks/examples.ts`); the prototype head scores them. */
  readonly prototype: PrototypeState<V>;
  readonly linear?: LinearState<V> | undefined;
  readonly zeroShot?: ZeroShotFields<V> | undefined;
  readonly label_map?: Readonly<Record<string, string>> | undefined;
  readonly unmapped?: UnmappedPolicy | undefined;
}

/** What a create request may say of a modality that belongs to one head or another. */
export interface GivenOptions {
  readonly linear?:
    | { readonly weights: readonly (readonly number[])[]; readonly bias?: readonly number[] | undefined }
    | undefined;
  /** Per label, the text (or texts, averaged) that represents it. */
  readonly prompts?: Readonly<Record<string, string | readonly string[]>> | undefined;
  /** Templates with `{label}`, each label put into each and the results averaged. */
  readonly templates?: readonly string[] | undefined;
  readonly label_map?: Readonly<Record<string, string>> | undefined;
  readonly unmapped?: UnmappedPolicy | undefined;
}

export type OptionName = keyof GivenOptions;

/** A new task's modality, as a head sees it when the task is built. */
export interface HeadSetup {
  /** Where the modality's options sit in the request (`modalities.image`), for refusals. */
  readonly at: string;
  readonly modality: string;
  readonly model: string;
  readonly labels: readonly string[];
  readonly given: GivenOptions;
  readonly models: ModelCatalog;
}

/** Create-request options a head owns: given to a head that does not keep them, they are refused. */
export interface OwnedOptions {
  readonly names: readonly OptionName[];
  /** How a refusal names them (`linear weights`). */
  readonly title: string;
  /** Also kept by every head that consumes embeddings (weights over an embedding); else by the owner alone. */
  readonly keptByEmbeddingHeads?: boolean;
  /** Given with no head named, they choose the owner. */
  readonly chooseOwner?: boolean;
  /** Their fields, whenever they are given to a head that keeps them. */
  read?(setup: HeadSetup): Partial<HeadFields>;
}

/** Inputs a head needs embedded before its task is stored, and where their vectors go. */
export interface Preparation {
  readonly inputs: readonly {
    readonly modality: string;
    readonly model: string;
    readonly value: string;
    readonly at: string;
  }[];
  /** The head's fields given the embeddings of `inputs`, in order. */
  complete(embeddings: readonly Float32Array[]): Partial<HeadFields>;
}

/** What a model answered for one input: an embedding, or a classification endpoint's labels. */
export type ModelAnswer = ArrayLike<number> | readonly ProviderLabel[];

/**
 * Scores one model answer of the kind it consumes: a distribution aligned with the task's labels. An answer of
 * the other kind is a bug of the caller (the scoring stage asks each model for what its head consumes).
 */
export interface Scorer<C extends AnswerKind = AnswerKind> {
  (answer: ModelAnswer): number[];
  readonly consumes: C;
  /**
   * The same scorer calibrated by a temperature τ (`p^{1/τ}` renormalised), when the head can do it in its own
   * pass ({@link softmaxScorer}); else calibration is applied to its scores (`task-heads.ts`).
   */
  readonly calibrated?: (temperature: number) => Scorer<C>;
}

/** Why a head cannot score yet (the modality is reported missing with it). */
export interface Unscorable {
  readonly reason: 'no-examples' | 'not-fitted';
  readonly detail: string;
}

export interface HeadDefinition<Name extends string = string, C extends AnswerKind = AnswerKind> {
  readonly name: Name;
  /** One line for the docs. */
  readonly description: string;
  readonly consumes: C;
  readonly options?: OwnedOptions;
  /** Its fields in a new task, from the checked request (it may ask the model catalog about its model). */
  init?(setup: HeadSetup): Partial<HeadFields> | Promise<Partial<HeadFields>>;
  prepare?(fields: HeadFields, labels: readonly string[], at: string): Preparation | undefined;
  /**
   * Its fields learned from labelled example embeddings: cross-validation fits it on each training fold, and refit
   * on the stored examples when {@link fitOnRefit} (else the head learns as examples are taught).
   */
  fit?(examples: readonly LabelledEmbedding[], labels: readonly string[]): Partial<HeadFields>;
  readonly fitOnRefit?: boolean;
  /** Why teaching refuses examples for a modality with this head; absent: they are embedded and kept. */
  refusesExamples?(context: {
    readonly at: string;
    readonly modality: string;
    readonly model: string;
    readonly task: string;
  }): string;
  /**
   * A scorer of the stored fields (or of the typed arrays the edge gets), or why there is none yet; `modality`
   * names it in that reason.
   */
  scorer(
    fields: HeadFields<StoredVector>,
    labels: readonly string[],
    modality: string,
  ): Scorer<C> | Unscorable;
}

export function defineHead<Name extends string, C extends AnswerKind>(
  head: HeadDefinition<Name, C>,
): HeadDefinition<Name, C> {
  return Object.freeze({ ...head });
}

/** Any head, whatever it consumes. */
export type Head = HeadDefinition<string, 'embedding'> | HeadDefinition<string, 'labels'>;

function isEmbedding(answer: ModelAnswer): answer is ArrayLike<number> {
  return answer.length === 0 || typeof answer[0] === 'number';
}

function mismatch(consumes: AnswerKind): never {
  throw new TypeError(`a head that consumes ${consumes} was given the other kind of answer`);
}

export function embeddingScorer(score: (embedding: ArrayLike<number>) => number[]): Scorer<'embedding'> {
  const scorer = (answer: ModelAnswer) => (isEmbedding(answer) ? score(answer) : mismatch('embedding'));
  return Object.assign(scorer, { consumes: 'embedding' as const });
}

/** A head's logits of one embedding, in an array read at once (a head's matrix overwrites it on its next call). */
export type Logits = (embedding: ArrayLike<number>) => ArrayLike<number>;

/**
 * The scorer of a head whose scores are `softmax(logits · scale)`. Calibrated by τ it is `softmax(logits · scale /
 * τ)`, which is `p^{1/τ}` renormalised (bar the 1e-12 floor the scores' logarithm has in `calibration.ts`) in one
 * pass over the labels instead of three: at thousands of labels, that pass is what a classify pays after the
 * matrix product.
 */
export function softmaxScorer(logits: Logits, scale: number): Scorer<'embedding'> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('temperature must be > 0');
  return Object.assign(
    embeddingScorer((embedding) => softmax(logits(embedding), scale)),
    { calibrated: (temperature: number) => softmaxScorer(logits, scale / temperature) },
  );
}

export function labelScorer(score: (answer: readonly ProviderLabel[]) => number[]): Scorer<'labels'> {
  const scorer = (answer: ModelAnswer) =>
    isEmbedding(answer) && answer.length > 0 ? mismatch('labels') : score(answer as readonly ProviderLabel[]);
  return Object.assign(scorer, { consumes: 'labels' as const });
}

export function isScorer(scorer: Scorer | Unscorable | undefined): scorer is Scorer {
  return typeof scorer === 'function';
}
