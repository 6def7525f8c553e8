/**
 * @module
 * What the edge needs from an inference backend (this repo's gpu-backend, Triton, a TEI server, an HF endpoint),
 * behind small interfaces so that handlers never build URLs themselves. A client embeds
 * ({@link BackendClient}) or answers a classification endpoint's own labels ({@link ClassifierClient}); the
 * edge calls one {@link Backend} that routes each model to the client serving it (`routed.ts`).
 */
import type { CanonicalInput } from '../../adapters/types.ts';

/** What a model answers: an embedding per input, or a classification endpoint's own labels and scores. */
export type AnswerKind = 'embedding' | 'labels';

interface ModelFacts {
  readonly id: string;
  readonly modality: string;
  /** Where it runs: the backend's execution provider (`cuda`, `cpu`, `unknown`), or `hf-endpoint`. */
  readonly executionProvider: string;
  /** When its version was made, in Unix seconds, where the backend says (its `created` parameter). */
  readonly created?: number;
}

/** A model that embeds, as `GET /v1/models` lists it. */
export interface EmbeddingModelInfo extends ModelFacts {
  readonly kind: 'embedding';
  /** Length of the embedding vector. */
  readonly dimension: number;
  /** The output tensor that carries the embedding, for a KServe model (`embedding` unless its metadata says). */
  readonly embeddingOutput?: string;
  /**
   * The embedding space the model declares (its `embedding_space` parameter): models declaring the same one
   * embed into one space, so their vectors compare (see `model-catalog.ts`).
   */
  readonly embeddingSpace?: string;
}

/** A provider's classification endpoint: it answers its own labels, not embeddings. */
export interface ClassificationModelInfo extends ModelFacts {
  readonly kind: 'classification';
  /** The provider's task (`image-classification`, `audio-classification`). */
  readonly task: string;
}

/** A model the edge can use: one with a modality. */
export type ModelInfo = EmbeddingModelInfo | ClassificationModelInfo;

/** One label of a provider's own label set, with its score, as a classification endpoint answers it. */
export interface ProviderLabel {
  readonly label: string;
  readonly score: number;
}

interface ModelSource {
  /** Base URL, without a trailing slash. */
  readonly url: string;
  /** Every model it serves that has a modality. */
  models(): Promise<ModelInfo[]>;
  /** One model's facts; throws {@link BackendError} with kind `unknown-model` if it lacks it. */
  model(name: string): Promise<ModelInfo>;
  /** Whether it answers its readiness probe. */
  ready(): Promise<boolean>;
}

/** A backend that embeds: the KServe v2 client, a pool of them, a provider's feature-extraction endpoint. */
export interface BackendClient extends ModelSource {
  /**
   * One embedding per input, in order; one backend request for the whole batch. Aborting `signal` abandons the
   * call (it rejects with the signal's reason, and the backend drops what it has not run yet).
   */
  embed(model: string, inputs: readonly CanonicalInput[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** A provider's classification endpoint. */
export interface ClassifierClient extends ModelSource {
  /** The provider's labels and scores per input, in order. Throws {@link BackendError} like `embed`. */
  classify(model: string, inputs: readonly CanonicalInput[]): Promise<ProviderLabel[][]>;
}

/** What the edge calls: every model, embedding or classifying, answered by the client that serves it. */
export interface Backend extends BackendClient, ClassifierClient {}
