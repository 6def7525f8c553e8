/**
 * @module
 * The requests `bench:edge` times, each as ModalFuse's Worker takes it and as the bare proxy forwards the same
 * work to the backend (the KServe v2 infer requests ModalFuse's client sends — embeddings asked as binary data —
 * one per model, sent together): one text embedded (a new text each time: a cache miss; the same text: a hit),
 * one text + image + audio item classified (every input new each time), and 16 new texts embedded in one request.
 * New inputs are made before timing: a counter in the text, one pixel of the picture, the last sample of the
 * recording; `count` of each picture and recording, so that numbers below it are new. The one-text miss and the
 * classify case also say what the floor Worker (`edge-workers.ts`) is sent for the same work, for the ladder.
 */
import sharp from 'sharp';
import { binaryOutput } from '../src/backend/binary-output.ts';
import type { EvalItem } from './dataset/build.ts';
import { benchKey } from './edge-stack.ts';

/** One HTTP request, relative to a Worker's origin. */
export interface Call {
  readonly path: string;
  readonly body: unknown;
}

export interface EdgeCase {
  readonly name: string;
  /** The request ModalFuse gets in iteration `i`. */
  modalfuse(i: number): Call;
  /** What the proxy is sent for the same work (in parallel). */
  proxy(i: number): Call[];
  /** What the floor (`edge-workers.ts`) is sent for it, where the ladder has a floor for the case. */
  floor?(i: number): Call;
}

/** The models the task's modalities use, with the output each embedding comes back in. */
export interface Models {
  readonly text: { readonly id: string; readonly output: string };
  readonly image: { readonly id: string; readonly output: string };
  readonly audio: { readonly id: string; readonly output: string };
}

export const headers = {
  'content-type': 'application/json',
  authorization: `Bearer ${benchKey}`,
  'cf-connecting-ip': '203.0.113.7',
};

/** The KServe v2 infer request ModalFuse's backend client sends for these raw inputs. */
function infer(model: { id: string; output: string }, inputs: readonly Uint8Array[]): Call {
  const data = inputs.map((bytes) => Buffer.from(bytes).toString('base64'));
  const raw = {
    name: 'raw',
    datatype: 'BYTES',
    shape: [inputs.length],
    parameters: { content_type: 'base64' },
  };
  return {
    path: `/v2/models/${encodeURIComponent(model.id)}/infer`,
    body: { inputs: [{ ...raw, data }], outputs: [{ name: model.output, parameters: binaryOutput }] },
  };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** `count` PNGs, each the picture with its first pixel changed. */
async function pictures(png: Buffer, count: number): Promise<Buffer[]> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const copy = Buffer.from(data);
      copy[0] = i % 256;
      copy[1] = Math.floor(i / 256) % 256;
      return sharp(copy, { raw: info }).png().toBuffer();
    }),
  );
}

/** `count` WAVs, each the recording with its last 16-bit sample set to its number. */
function recordings(wav: Buffer, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const copy = Buffer.from(wav);
    copy.writeInt16LE(i % 32768, copy.length - 2);
    return copy;
  });
}

const dataUrl = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

export async function edgeCases(
  task: string,
  models: Models,
  labels: readonly string[],
  item: EvalItem,
  count: number,
) {
  const images = await pictures(item.image, count);
  const sounds = recordings(item.audio, count);
  // Each case's texts its own (a text one case embedded would be a hit in another).
  const text = (i: number, tag = '') => `${item.text} (${tag}${i})`;
  const texts = (i: number) => Array.from({ length: 16 }, (_, k) => text(i * 16 + k, 'batch '));
  const embeddings = (input: string | string[]): Call => ({
    path: '/v1/embeddings',
    body: { model: models.text.id, input },
  });
  const at = (list: Buffer[], i: number) => list[i % list.length] as Buffer;
  const inputs = (i: number) => ({
    text: text(i, 'item '),
    image: dataUrl('image/png', at(images, i)),
    audio: dataUrl('audio/wav', at(sounds, i)),
  });
  const cases: EdgeCase[] = [
    {
      name: 'embeddings, 1 text, cache miss',
      modalfuse: (i) => embeddings(text(i)),
      proxy: (i) => [infer(models.text, [utf8(text(i))])],
      floor: (i) => embeddings(text(i)),
    },
    {
      name: 'embeddings, 1 text, cache hit',
      modalfuse: () => embeddings(item.text),
      proxy: () => [infer(models.text, [utf8(item.text)])],
    },
    {
      name: 'classify, text + image + audio',
      modalfuse: (i) => ({ path: '/v1/classify', body: { task, inputs: inputs(i) } }),
      proxy: (i) => [
        infer(models.text, [utf8(text(i, 'item '))]),
        infer(models.image, [at(images, i)]),
        infer(models.audio, [at(sounds, i)]),
      ],
      floor: (i) => ({ path: '/v1/classify', body: { models, labels, inputs: inputs(i) } }),
    },
    {
      name: 'embeddings, 16 texts',
      modalfuse: (i) => embeddings(texts(i)),
      proxy: (i) => [infer(models.text, texts(i).map(utf8))],
    },
  ];
  return cases;
}
