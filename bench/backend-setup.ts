/**
 * @module
 * What the backend benchmark runs on, built in a temp folder: a MiniLM-L6-shaped BERT (6 layers, hidden 384,
 * 12 heads, intermediate 1536; random weights; mean pooling + L2 normalisation in the graph) and MobileNetV2
 * (the repository's int8 model, fed uint8 pixels: see `gpu-backend/model-builder/pixel-input.ts`) and USE-lite
 * (its repository recipe, fed raw text) as a model repository with and without `dynamic_batching`; the same BERT
 * as a Hugging Face folder for transformers.js; sentences of 5–120 tokens (common words, one token each).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { readSentencePiece, sentencePieceFeeds } from '../adapters/text/sentencepiece.node.ts';
import { bertShape, buildBertModel } from '../test/support/backend/bert-model.ts';
import { writeBertFolder } from '../test/support/backend/bert-folder.ts';
import { IMAGENET_NORMALISATION } from '../gpu-backend/model-builder/image-model.ts';
import { addPixelInput } from '../gpu-backend/model-builder/pixel-input.ts';
import { addPooling } from '../gpu-backend/hub-pull/pooling.ts';
import { useLiteRecipe } from '../gpu-backend/model-builder/use-lite-model.ts';
import { wordpieceVocabulary } from '../test/support/backend/wordpiece.ts';
import { repoRoot } from '../scripts/lib/backend-process.ts';

export const MAX_TOKENS = 128;
export const BERT_BATCH = 16;
/** MobileNetV2's served batch size; `BENCH_IMAGE_BATCH` tries another (raw onnxruntime's best varies with load). */
export const IMAGE_BATCH = Number(process.env.BENCH_IMAGE_BATCH ?? 16);
export const USE_LITE_BATCH = 32;
/** The `max_padding_waste` of the batched BERT (see `gpu-backend/runtime/batch-policy.ts`). */
export const BERT_MAX_PADDING_WASTE = 0.1;
/**
 * The `max_batch_tokens` of the batched BERT: 16 sentences of up to 48 tokens, 6 of 128. Chosen at 64 clients
 * from 512–2048: 768 answered about 9% more than the padding bound alone (six paired runs); 2048 no more.
 */
export const BERT_MAX_BATCH_TOKENS = 768;
export const HF_MODEL = 'minilm-bench';
/** MobileNetV2's uint8 input, [N,3,224,224] pixels 0–255. */
export const PIXELS = 'pixels';

export interface Sentence {
  readonly text: string;
  /** `[CLS] words [SEP]`, as the WordPiece tokenizer produces for these words. */
  readonly ids: BigInt64Array;
}

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` sentences with token counts spread uniformly over 5–120. */
export function benchSentences(count: number, seed = 7): Sentence[] {
  const vocabulary = wordpieceVocabulary();
  const words = vocabulary
    .map((token, id) => ({ token, id }))
    .filter(({ token }) => /^[a-z]{3,}$/.test(token));
  const cls = BigInt(vocabulary.indexOf('[CLS]'));
  const sep = BigInt(vocabulary.indexOf('[SEP]'));
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const tokens = 5 + Math.floor(next() * 116);
    const chosen = Array.from({ length: tokens - 2 }, () => words[Math.floor(next() * words.length)]);
    return {
      text: chosen.map((word) => word?.token).join(' '),
      ids: BigInt64Array.from([cls, ...chosen.map((word) => BigInt(word?.id ?? 0)), sep]),
    };
  });
}

/**
 * The same texts as USE-lite's text adapter tokenises them (its `vocab.json` and `max_tokens`), for the rows that
 * feed USE-lite token ids: raw onnxruntime and the server's tensor row do the same work, no tokenising.
 */
export async function useLiteSentences(
  sentences: readonly Sentence[],
  modelDir: string,
): Promise<Sentence[]> {
  const tokenizer = await readSentencePiece(join(modelDir, 'vocab.json'));
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as {
    parameters: Record<string, { string_value: string }>;
  };
  const maxTokens = Number(config.parameters.max_tokens?.string_value);
  return sentences.map(({ text }) => {
    const ids = sentencePieceFeeds(tokenizer, text, maxTokens).input_ids?.data as BigInt64Array;
    return { text, ids };
  });
}

/** Eight 224² RGB images as uint8 pixels, NCHW (what the MobileNetV2 rows send). */
export function benchImages(): Uint8Array[] {
  return Array.from({ length: 8 }, (_, i) =>
    Uint8Array.from({ length: 3 * 224 * 224 }, (_, j) => (i * 31 + j * 7) & 255),
  );
}

/**
 * Eight 640×480 JPEGs (the size of the image warm-up sample) of the same patterns, for the end-to-end image row:
 * the server decodes, crops and resizes each with sharp before the model runs.
 */
export async function benchJpegs(): Promise<Uint8Array[]> {
  const [width, height] = [640, 480];
  return Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const pixels = Uint8Array.from({ length: width * height * 3 }, (_, j) => (i * 31 + j * 7) & 255);
      const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
        .jpeg({ quality: 85 })
        .toBuffer();
      return new Uint8Array(jpeg);
    }),
  );
}

const ids = (name: string) => ({ name, data_type: 'TYPE_INT64', dims: [-1] });

/**
 * Every served model, batched or not, runs as two single-threaded instances: on a CPU, two batches side by side
 * keep both cores busy, where one session splitting each operator over two threads left them idle between
 * operators (about one core in use of two, measured).
 */
const CPU_INSTANCES = { instance_group: [{ count: 2, kind: 'KIND_CPU' }] };
const ONE_THREAD = { intra_op_thread_count: { string_value: '1' } };

function writeModel(
  root: string,
  name: string,
  config: object,
  model: Uint8Array,
  parameters: Record<string, { string_value: string }> = {},
): void {
  mkdirSync(join(root, name, '1'), { recursive: true });
  const full = {
    name,
    platform: 'onnxruntime_onnx',
    ...config,
    ...CPU_INSTANCES,
    parameters: { ...ONE_THREAD, ...parameters },
  };
  writeFileSync(join(root, name, 'config.json'), JSON.stringify(full));
  writeFileSync(join(root, name, '1', 'model.onnx'), model);
}

// On a CPU a padded token costs as much as a real one, and batching pays for short sentences but not long ones
// (single-threaded, equal lengths, 16 vs 1: 1.56× per item at 20 tokens, 1.26× at 60, 0.93× at 110), so
// sentences share a batch only when at most a tenth of it would be padding, and within a token budget.
const BOUNDED = {
  max_padding_waste: { string_value: String(BERT_MAX_PADDING_WASTE) },
  max_batch_tokens: { string_value: String(BERT_MAX_BATCH_TOKENS) },
};

/** Dynamic batching as the benchmark's (b) rows run it; a few ms of delay let a burst of arrivals merge. */
const batching = (size: number) => ({
  dynamic_batching: { max_queue_delay_microseconds: 3000, preferred_batch_size: [size] },
});

/**
 * USE-lite as `npm run models` builds it (converted from its npm package, `vocab.json` beside the config), served
 * batched (bounded like BERT) and not, as two single-threaded instances each.
 */
async function writeUseLiteModels(repository: string): Promise<void> {
  for (const batched of [true, false]) {
    const name = batched ? 'use-lite-batched' : 'use-lite-direct';
    const { config, onnx, files } = await useLiteRecipe(name, 'text').build({});
    // The recipe's own batching gives way to the benchmark's: the same delay for every batched row, none for (c).
    const { input, output, parameters } = config;
    const served = {
      max_batch_size: USE_LITE_BATCH,
      input,
      output,
      ...(batched ? batching(USE_LITE_BATCH) : {}),
    };
    writeModel(repository, name, served, onnx, { ...parameters, ...(batched ? BOUNDED : {}) });
    writeFileSync(join(repository, name, 'vocab.json'), files?.['vocab.json'] ?? new Uint8Array());
  }
}

/**
 * The repository's `mobilenetv2-int8` as served (float32 input behind the image adapter: sharp decode, crop, resize,
 * normalise), batched like the pixel model: the end-to-end image row sends it encoded JPEGs.
 */
function writeJpegModel(repository: string): void {
  const source = join(repoRoot, 'models', 'mobilenetv2-int8');
  const served = JSON.parse(readFileSync(join(source, 'config.json'), 'utf8')) as {
    input: object[];
    output: { name: string }[];
    parameters: Record<string, { string_value: string }>;
  };
  const config = {
    max_batch_size: IMAGE_BATCH,
    input: served.input,
    output: served.output.filter((output) => output.name === 'embedding'),
    ...batching(IMAGE_BATCH),
  };
  writeModel(
    repository,
    'mobilenet-jpeg-batched',
    config,
    readFileSync(join(source, '1', 'model.onnx')),
    served.parameters,
  );
}

/** Writes the repository under `dir/repository` and the transformers.js folder under `dir/hub`. */
export async function writeBenchModels(
  dir: string,
): Promise<{ repository: string; hub: string; bert: Uint8Array; mobilenet: Uint8Array }> {
  const repository = join(dir, 'repository');
  const shape = { ...bertShape.minilm, maxPositions: 512, vocabSize: wordpieceVocabulary().length };
  const bert = addPooling(buildBertModel(shape), { mode: 'mean', normalize: true });
  const text = {
    max_batch_size: BERT_BATCH,
    input: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [384] }],
  };
  writeModel(repository, 'bert-batched', { ...text, ...batching(BERT_BATCH) }, bert, BOUNDED);
  writeModel(repository, 'bert-direct', text, bert);
  const mobilenet = addPixelInput(
    readFileSync(join(repoRoot, 'models', 'mobilenetv2-int8', '1', 'model.onnx')),
    { input: 'input', pixels: PIXELS, ...IMAGENET_NORMALISATION },
  );
  const image = {
    max_batch_size: IMAGE_BATCH,
    input: [{ name: PIXELS, data_type: 'TYPE_UINT8', dims: [3, 224, 224] }],
    output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [1280] }],
  };
  writeModel(repository, 'mobilenet-batched', { ...image, ...batching(IMAGE_BATCH) }, mobilenet);
  writeModel(repository, 'mobilenet-direct', image, mobilenet);
  writeJpegModel(repository);
  await writeUseLiteModels(repository);
  const hub = join(dir, 'hub');
  await writeBertFolder(join(hub, HF_MODEL), {
    shape: bertShape.minilm,
    maxTokens: MAX_TOKENS,
    pooling: 'mean',
    normalize: true,
  });
  return { repository, hub, bert, mobilenet };
}
