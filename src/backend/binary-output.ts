/**
 * @module
 * Embeddings as raw float32 rather than JSON numbers: the edge asks for its embedding output as binary data
 * (Triton's binary tensor extension, which this repo's backend speaks too), so that neither side writes or parses
 * a decimal per dimension. Such an answer is a JSON header of `Inference-Header-Content-Length` bytes followed by
 * each binary output's `binary_data_size` bytes in order (little-endian, as Workers are). A backend that ignores
 * the ask answers plain JSON, which is read as before.
 */
import type { InferResponse, ResponseOutput } from '../../gpu-backend/protocol/types.ts';
import { BackendError } from './errors.ts';

/** An output as read: its data as JSON gave it, or the float32 values a binary tail held. */
export type ReadOutput = Omit<ResponseOutput, 'data'> & {
  readonly data: ResponseOutput['data'] | Float32Array;
};

export type ReadResponse = Omit<InferResponse, 'outputs'> & { readonly outputs: ReadOutput[] };

const headerLength = 'inference-header-content-length';

/** The parameters that ask for an output as binary data. */
export const binaryOutput = { binary_data: true } as const;

function bad(detail: string): BackendError {
  return new BackendError('bad-response', `the backend's binary answer ${detail}`);
}

/** Each binary output's bytes in order after the header, as float32 (the only binary output the edge asks for). */
function withTails(header: InferResponse, bytes: Uint8Array, start: number): ReadResponse {
  if (!Array.isArray(header?.outputs)) throw bad('has no outputs');
  let offset = start;
  const outputs = header.outputs.map((output): ReadOutput => {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) return output;
    if (
      typeof size !== 'number' ||
      output.datatype !== 'FP32' ||
      size % 4 !== 0 ||
      offset + size > bytes.length
    )
      throw bad(
        `has an output ${output.name} that is not ${typeof size === 'number' ? size : '?'} bytes of FP32`,
      );
    const data = new Float32Array(bytes.slice(offset, offset + size).buffer);
    offset += size;
    return { ...output, data };
  });
  return { ...header, outputs };
}

/** An infer response, binary or JSON (see the module's notes). */
export async function readInferResponse(response: Response): Promise<ReadResponse> {
  const length = Number(response.headers.get(headerLength) ?? Number.NaN);
  if (!Number.isInteger(length)) return (await response.json()) as ReadResponse;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (length < 0 || length > bytes.length) throw bad(`is shorter than its ${length}-byte header`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, length))) as InferResponse;
  return withTails(header, bytes, length);
}
