/**
 * @module
 * Wire types of the Open Inference Protocol (KServe v2), as Triton speaks it over HTTP/JSON. The edge imports
 * them with `import type` only, so the Worker can be pointed at Triton or KServe as well as at this backend.
 */

export type Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

/** Free-form parameters; `content_type: "base64"` on a BYTES input means its strings are base64 (as MLServer). */
export type Parameters = Record<string, string | number | boolean>;

export interface RequestInput {
  name: string;
  shape: number[];
  datatype: Datatype;
  parameters?: Parameters;
  /** Row-major, flattened. BYTES elements are strings. */
  data: (number | string | boolean)[];
}

export interface RequestOutput {
  name: string;
  parameters?: Parameters;
}

export interface InferRequest {
  id?: string;
  parameters?: Parameters;
  inputs: RequestInput[];
  outputs?: RequestOutput[];
}

export interface ResponseOutput {
  name: string;
  shape: number[];
  datatype: Datatype;
  parameters?: Parameters;
  data: (number | string | boolean)[];
}

export interface InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Parameters;
  outputs: ResponseOutput[];
}

export interface TensorMetadata {
  name: string;
  datatype: Datatype;
  /** -1 marks a variable dimension; the batch dimension comes first when the model batches. */
  shape: number[];
}

export interface ServerMetadata {
  name: string;
  version: string;
  extensions: string[];
  /** ModalFuse addition: which onnxruntime execution provider the server runs on (`cuda` or `cpu`). */
  execution_provider?: string;
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
  /**
   * ModalFuse addition (ignored by other clients): `modality`, `adapter`, `embedding_output`,
   * `embedding_dimension`, `execution_provider`.
   */
  parameters?: Parameters;
}

/** One row of Triton's `POST /v2/repository/index`. */
export interface RepositoryIndexEntry {
  name: string;
  version?: string;
  state?: 'READY' | 'UNAVAILABLE' | 'LOADING' | 'UNLOADING';
  reason?: string;
}

/** Error body, as Triton answers. */
export interface ErrorResponse {
  error: string;
  /** ModalFuse addition: the adapter's error code (`AdapterInputError.code`) when preprocessing refused an item. */
  code?: string;
  /** ModalFuse addition: with code `absent`, why a derived part is not there (`no-text`, `no-audio-track`). */
  reason?: string;
  /** ModalFuse addition: every raw item preprocessing refused, by its index in the request's batch. */
  items?: RefusedItemError[];
}

/** One raw item of a batch that preprocessing refused. */
export interface RefusedItemError {
  index: number;
  error: string;
  code?: string;
  reason?: string;
}
