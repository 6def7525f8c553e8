/**
 * @module
 * The rows of the backend benchmark: (a) raw in-process onnxruntime-node at a fixed batch size, (b)/(c) the
 * backend over HTTP with binary tensors (one item per request: token ids, images as uint8 pixels), (e) the same
 * server given what the edge sends (USE-lite's sentences as raw text, tokenised by the text adapter; JPEGs, decoded
 * and resized by the image adapter), (d) an in-process embedder (transformers.js feature-extraction, USE-lite's
 * TF.js reference), one request at a time.
 */
import * as ort from 'onnxruntime-node';
import { joinBody } from '../gpu-backend/server/binary.ts';
import { closedLoop, cpuPerItem, summarise, type CellResult, type CpuClock } from './backend-load.ts';
import { ownCpuMs } from './cpu.ts';
import { poster } from './http-client.ts';
import { PIXELS, type Sentence } from './backend-setup.ts';

/** What a raw row feeds: BERT's three token inputs, USE-lite's two (no `token_type_ids`), or uint8 pixels. */
export type RawKind = 'bert' | 'use-lite' | 'mobilenet';

/** Feeds for a batch of sentences, padded with zeros to the longest (mask 0 on padding). */
function textFeeds(batch: readonly Sentence[], typeIds: boolean): Record<string, ort.Tensor> {
  const length = Math.max(...batch.map((s) => s.ids.length));
  const ids = new BigInt64Array(batch.length * length);
  const mask = new BigInt64Array(batch.length * length);
  batch.forEach((sentence, row) => {
    ids.set(sentence.ids, row * length);
    mask.fill(1n, row * length, row * length + sentence.ids.length);
  });
  const dims = [batch.length, length];
  return {
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    ...(typeIds ? { token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims) } : {}),
  };
}

function imageFeeds(images: readonly Uint8Array[]): Record<string, ort.Tensor> {
  const data = new Uint8Array(images.length * 3 * 224 * 224);
  images.forEach((image, row) => data.set(image, row * image.length));
  return { [PIXELS]: new ort.Tensor('uint8', data, [images.length, 3, 224, 224]) };
}

/** (a): batches of `batchSize` taken in turn from the inputs, run back to back for `windowMs`. */
export async function rawRow<T>(
  session: ort.InferenceSession,
  kind: RawKind,
  inputs: readonly T[],
  batchSize: number,
  windowMs: number,
): Promise<CellResult> {
  const latencies: number[] = [];
  let items = 0;
  let next = 0;
  const cpuBefore = ownCpuMs();
  const started = performance.now();
  while (performance.now() - started < windowMs) {
    const batch = Array.from({ length: batchSize }, () => inputs[next++ % inputs.length] as T);
    const feeds =
      kind === 'mobilenet'
        ? imageFeeds(batch as Uint8Array[])
        : textFeeds(batch as Sentence[], kind === 'bert');
    const at = performance.now();
    await session.run(feeds, ['embedding']);
    latencies.push(performance.now() - at);
    items += batchSize;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuMsPerItem = cpuPerItem(cpuBefore, ownCpuMs(), items);
  return { ...summarise(latencies, items, seconds), note: `batch ${batchSize}`, cpuMsPerItem };
}

const int64 = (name: string, values: BigInt64Array) => ({
  header: {
    name,
    datatype: 'INT64',
    shape: [1, values.length],
    parameters: { binary_data_size: values.byteLength },
  },
  bytes: new Uint8Array(values.buffer),
});

/**
 * Binary-extension request bodies (one item each), built once so the client spends little CPU: token ids, a mask
 * and (BERT's third input, `typeIds`) zero token types.
 */
export function textBodies(sentences: readonly Sentence[], typeIds = true): ReturnType<typeof joinBody>[] {
  return sentences.map((sentence) => {
    const tensors = [
      int64('input_ids', sentence.ids),
      int64('attention_mask', new BigInt64Array(sentence.ids.length).fill(1n)),
      ...(typeIds ? [int64('token_type_ids', new BigInt64Array(sentence.ids.length))] : []),
    ];
    const header = {
      inputs: tensors.map((t) => t.header),
      outputs: [{ name: 'embedding', parameters: { binary_data: true } }],
    };
    return joinBody(
      JSON.stringify(header),
      tensors.map((t) => t.bytes),
    );
  });
}

/** Raw-text request bodies (one sentence each) for a model fed through the text adapter, as the edge sends them. */
export function rawTextBodies(sentences: readonly Sentence[]): ReturnType<typeof joinBody>[] {
  return sentences.map((sentence) => {
    const header = {
      inputs: [{ name: 'raw', datatype: 'BYTES', shape: [1], data: [sentence.text] }],
      outputs: [{ name: 'embedding', parameters: { binary_data: true } }],
    };
    return joinBody(JSON.stringify(header), []);
  });
}

/** Encoded images as the edge sends them (`raw`, BYTES in binary: a 4-byte length, then the file), one per body. */
export function encodedImageBodies(files: readonly Uint8Array[]): ReturnType<typeof joinBody>[] {
  return files.map((file) => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, file.byteLength, true);
    const header = {
      inputs: [
        { name: 'raw', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: 4 + file.byteLength } },
      ],
      outputs: [{ name: 'embedding', parameters: { binary_data: true } }],
    };
    return joinBody(JSON.stringify(header), [length, file]);
  });
}

export function imageBodies(images: readonly Uint8Array[]): ReturnType<typeof joinBody>[] {
  return images.map((image) => {
    const header = {
      inputs: [
        {
          name: PIXELS,
          datatype: 'UINT8',
          shape: [1, 3, 224, 224],
          parameters: { binary_data_size: image.byteLength },
        },
      ],
      outputs: [{ name: 'embedding', parameters: { binary_data: true } }],
    };
    return joinBody(JSON.stringify(header), [image]);
  });
}

/** (b)/(c): `clients` closed loops of one-item requests to `model`; `cpu` reads client + server time. */
export async function serverRow(
  url: string,
  model: string,
  bodies: readonly ReturnType<typeof joinBody>[],
  clients: number,
  windowMs: number,
  cpu: CpuClock,
): Promise<CellResult> {
  const client = poster(url, clients);
  const send = async (index: number) => {
    const { body, headerLength } = bodies[index % bodies.length] as ReturnType<typeof joinBody>;
    const status = await client.post(`/v2/models/${model}/infer`, body, {
      'inference-header-content-length': String(headerLength),
    });
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return 1;
  };
  try {
    // Untimed first, as the raw rows warm up before their window: the route's code paths, the connections.
    await closedLoop(clients, Math.min(2000, windowMs / 4), send);
    return await closedLoop(clients, windowMs, send, cpu);
  } finally {
    client.close();
  }
}

/** (d): an in-process embedder (transformers.js feature-extraction, USE-lite's TF.js reference), each request on its own. */
export function inProcessRow(
  extract: (text: string) => Promise<unknown>,
  sentences: readonly Sentence[],
  clients: number,
  windowMs: number,
): Promise<CellResult> {
  return closedLoop(
    clients,
    windowMs,
    async (index) => {
      await extract((sentences[index % sentences.length] as Sentence).text);
      return 1;
    },
    ownCpuMs,
  );
}
