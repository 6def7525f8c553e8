/**
 * @module
 * The adapter plugin contract. A modality is one folder under `adapters/` with two faces, tied by name:
 *
 * - the **edge face** (`<name>/edge.ts`), made with {@link defineAdapter}: validates and canonicalises one raw
 *   input inside the Worker, with Web APIs only, enforcing its limits before anything is sent anywhere;
 * - the **backend face** (`<name>/preprocess.ts`, default export), made with {@link definePreprocessor}: turns
 *   the canonical bytes into input tensors for the model, in Node (it may use native libraries such as sharp).
 *
 * The backend finds the preprocessor from the `adapter` parameter of a model's `config.json`, so the Worker
 * bundle never pulls in Node-only code. Registering a modality at the edge is one line in `registry.ts`.
 */

/** One raw input as the edge received it, before any validation. */
export type RawInput =
  /** A JSON string: the text itself for text-like adapters. */
  | { kind: 'text'; value: string }
  /** Bytes from a data URL, bare base64, a fetched URL or a multipart part; `declaredType` is the client's word. */
  | { kind: 'bytes'; bytes: Uint8Array; declaredType?: string | undefined; filename?: string | undefined };

/** The canonical form of one input: what travels to the backend as one `BYTES` tensor element. */
export interface CanonicalInput {
  readonly modality: string;
  /** Canonical bytes (UTF-8 NFC text, a validated image or audio file). */
  readonly bytes: Uint8Array;
  /** The MIME type found by sniffing the bytes, never the client's word alone. */
  readonly mimeType: string;
  /** Facts read while validating (width, height, durationSeconds, characters, …), for logs and responses. */
  readonly meta: Readonly<Record<string, number | string>>;
}

/** Limits an adapter enforces before any expensive work. `maxBytes` is common to all adapters. */
export interface AdapterLimits {
  readonly maxBytes: number;
  readonly [limit: string]: number;
}

/** How a JSON request may carry this modality's inputs. */
export type JsonForm = 'text' | 'dataUrl' | 'base64' | 'url';

/**
 * A modality derived from an input (`image.text`: the text written in an image). It reads the input's value, which
 * the input's adapter normalises once for all its parts; its repository model's preprocessor does the rest (e.g.
 * OCR through `context.run`) and throws `AdapterInputError('absent', …, {reason})` when the part is not there.
 */
export interface DerivedPart {
  /** The repository model used when a task does not name one. */
  readonly defaultModel: string;
  /**
   * The input whose head scores this part while the part has no examples of its own, when the task has that input
   * and their models declare one embedding space (`image.text` borrows `text`: the words read in an image, embedded
   * in the text model's space, are scored by what the task learned from plain texts).
   */
  readonly borrows?: string;
}

/** The edge face of an adapter. */
export interface EdgeAdapter<L extends AdapterLimits = AdapterLimits> {
  /** Modality name, e.g. `"text"`; also the key in `inputs: {...}` and the multipart part name. */
  readonly modality: string;
  /** The model in the backend's repository used when a task does not name one. */
  readonly defaultModel: string;
  /** MIME types accepted, each checked by magic bytes. Empty for text-like adapters. */
  readonly mimeTypes: readonly string[];
  /** The JSON forms accepted for an input of this modality. */
  readonly jsonForms: readonly JsonForm[];
  readonly limits: L;
  /**
   * Modalities derived from this input, by part name: `parts.text` is the modality `image.text`. A task has one
   * only when it names it (`modalities: {"image.text": {}}`); teaching an example `inputs: {image}` teaches them all.
   */
  readonly parts?: Readonly<Record<string, DerivedPart>>;
  /**
   * Only its parts are modalities: the input carries them (`video` → `video.frames`, `video.audio`) and is not one
   * itself, so a task never gets it by default and naming it is refused with the fusable names.
   */
  readonly partsOnly?: boolean;
  /**
   * Validates and canonicalises one raw input. Throws {@link AdapterInputError} for anything the client got
   * wrong; must never do work proportional to a size that is over a limit.
   */
  normalize(input: RawInput): CanonicalInput | Promise<CanonicalInput>;
}

/** Declares an edge adapter; frozen so that a registered adapter cannot be changed by a caller. */
export function defineAdapter<L extends AdapterLimits>(adapter: EdgeAdapter<L>): EdgeAdapter<L> {
  const parts = adapter.parts && Object.freeze({ ...adapter.parts });
  return Object.freeze({
    ...adapter,
    limits: Object.freeze({ ...adapter.limits }),
    ...(parts ? { parts } : {}),
  });
}

/** Element types of the tensors a preprocessor may produce (onnxruntime's names). */
export type TensorType = 'float32' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';

export interface TensorValue {
  readonly type: TensorType;
  readonly data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;
  readonly dims: readonly number[];
}

/** Named input tensors for one model run. */
export type Feeds = Record<string, TensorValue>;

/** What the backend tells a preprocessor about the model it feeds. */
export interface PreprocessContext {
  /** The model's name in the repository. */
  readonly model: string;
  /** String parameters from the model's `config.json` (`parameters: {key: {string_value}}`). */
  readonly parameters: Readonly<Record<string, string>>;
  /**
   * The model's folder in the repository, for files the config names beside `config.json` (e.g. `tokenizer.json`);
   * undefined when the model does not come from a repository folder (unit tests).
   */
  readonly directory?: string | undefined;
  /** Runs another model of the repository (as Triton's BLS does), e.g. a voice-activity detector. */
  run(model: string, feeds: Feeds): Promise<Feeds>;
}

/** The backend face of an adapter. */
export interface Preprocessor {
  readonly modality: string;
  /**
   * Turns the canonical bytes of one item into the model's inputs, batch dimension 1. The backend batches
   * items by padding every non-batch dimension with zeros, so zero must be a neutral value (pad token, mask).
   * Throws {@link AdapterInputError} for bytes it cannot decode.
   */
  preprocess(bytes: Uint8Array, context: PreprocessContext): Promise<Feeds>;
}

export function definePreprocessor(preprocessor: Preprocessor): Preprocessor {
  return Object.freeze({ ...preprocessor });
}
