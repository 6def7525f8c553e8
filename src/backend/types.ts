/**
 * @module
 * What the edge needs from an inference backend, behind one small interface so that the KServe v2 client can be
 * joined by others (and so that handlers never build URLs themselves).
 */
import type { CanonicalInput } from '../../adapters/types.ts';

/** A model the edge can use: one with a modality, as `GET /v1/models` lists it. */
export interface ModelInfo {
  readonly id: string;
  readonly modality: string;
  /** Length of the embedding vector. */
  readonly dimension: number;
  /** The execution provider the backend runs the model on (`cuda`, `cpu`), or `unknown`. */
  readonly backend: string;
  /** Name of the model output that carries the embedding. */
  readonly embeddingOutput: string;
  /** `classification` for a provider model that answers labels, not embeddings (its dimension is 0). */
  readonly kind?: 'embedding' | 'classification';
}

/** One label of a provider's own label set, with its score, as a classification endpoint answers it. */
export interface ProviderLabel {
  readonly label: string;
  readonly score: number;
}

export interface BackendClient {
  /** Base URL, without a trailing slash. */
  readonly url: string;
  /** One embedding per input, in order; one backend request for the whole batch. */
  embed(model: string, inputs: readonly CanonicalInput[]): Promise<Float32Array[]>;
  /** Every model of the repository that has a modality. */
  models(): Promise<ModelInfo[]>;
  /** One model's facts; throws {@link BackendError} with kind `unknown-model` if the backend lacks it. */
  model(name: string): Promise<ModelInfo>;
  /** Whether the backend answers its readiness probe. */
  ready(): Promise<boolean>;
  /**
   * The provider's labels and scores per input, in order, for a model served by a classification endpoint (only
   * such clients have it). Throws {@link BackendError} like `embed`.
   */
  classify?(model: string, inputs: readonly CanonicalInput[]): Promise<ProviderLabel[][]>;
}
