/**
 * @module
 * `npm run bench:backend`: throughput and p50/p99 latency at 1, 8, 32 and 64 concurrent clients of
 * (a) raw in-process onnxruntime-node at its best batch size (≤ clients), (b) the backend with dynamic batching,
 * (c) the backend without it, (d) transformers.js feature-extraction one request at a time — on a MiniLM-L6-shaped
 * BERT (sentences of 5–120 tokens) and on MobileNetV2 ((a)–(c)). Prints one table with the ratios.
 * `BENCH_WINDOW_MS` sets each cell's timed window (default 8000; with 64 clients a request takes seconds, so keep it well above that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { startBackend } from '../scripts/lib/backend-process.ts';
import type { CellResult } from './backend-load.ts';
import { imageBodies, rawRow, serverRow, textBodies, transformersRow } from './backend-rows.ts';
import { benchSentences, BERT_BATCH, HF_MODEL, IMAGE_BATCH, writeBenchModels } from './backend-setup.ts';

const CLIENTS = [1, 8, 32, 64] as const;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 8000);
const results = new Map<string, CellResult>();
/** Lines printed under the table. */
const footer: string[] = [];
const key = (model: string, row: string, clients: number) => `${model}|${row}|${clients}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** (a) at every batch size once; each client count gets the best batch size not above it. */
async function raw(
  model: string,
  session: ort.InferenceSession,
  run: (batch: number) => Promise<CellResult>,
  sizes: number[],
) {
  const byBatch = new Map<number, CellResult>();
  for (const size of sizes) {
    byBatch.set(size, await run(size));
    log(`(a) ${model} batch ${size}: ${byBatch.get(size)?.throughput.toFixed(1)}/s`);
  }
  for (const clients of CLIENTS) {
    const best = [...byBatch.entries()]
      .filter(([size]) => size <= clients)
      .sort((x, y) => y[1].throughput - x[1].throughput)[0];
    if (best) results.set(key(model, 'a', clients), best[1]);
  }
  await session.release();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-bench-'));
  try {
    log('building models…');
    const { repository, hub, bert, mobilenet } = await writeBenchModels(dir);
    const sentences = benchSentences(400);
    const images = Array.from({ length: 8 }, (_, i) =>
      Float32Array.from({ length: 3 * 224 * 224 }, (_, j) => Math.sin(i + j) * 2),
    );
    const bertSession = await ort.InferenceSession.create(bert);
    await raw(
      'bert',
      bertSession,
      (b) => rawRow(bertSession, 'text', sentences, b, WINDOW_MS),
      [1, 4, 8, 16, 32, 64],
    );
    const imageSession = await ort.InferenceSession.create(mobilenet);
    await raw(
      'mobilenet',
      imageSession,
      (b) => rawRow(imageSession, 'image', images, b, WINDOW_MS),
      [1, 4, 8, 16, 32],
    );

    const backend = await startBackend({
      env: { MODALFUSE_MODEL_REPOSITORY: repository, MODALFUSE_EXECUTION_PROVIDER: 'cpu' },
    });
    try {
      const text = textBodies(sentences);
      const image = imageBodies(images);
      for (const clients of CLIENTS) {
        for (const [model, bodies] of [
          ['bert', text],
          ['mobilenet', image],
        ] as const) {
          for (const [row, suffix] of [
            ['b', 'batched'],
            ['c', 'direct'],
          ] as const) {
            const cell = await serverRow(backend.url, `${model}-${suffix}`, bodies, clients, WINDOW_MS);
            results.set(key(model, row, clients), cell);
            log(`(${row}) ${model} ${clients} clients: ${cell.throughput.toFixed(1)}/s`);
          }
        }
      }
      const metrics = await (await fetch(`${backend.url}/metrics`)).text();
      for (const model of ['bert-batched', 'mobilenet-batched']) {
        const value = (name: string) =>
          Number(new RegExp(`^${name}\\{model="${model}",version="1"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
        footer.push(
          `${model}: average batch size ${(value('nv_inference_count') / value('nv_inference_exec_count')).toFixed(2)} (from /metrics)`,
        );
      }
    } finally {
      await backend.stop();
    }

    env.allowRemoteModels = false;
    env.localModelPath = hub;
    const extractor = await pipeline('feature-extraction', HF_MODEL, { dtype: 'fp32' });
    const extract = (text: string) => extractor(text, { pooling: 'mean', normalize: true });
    await extract('warm up');
    for (const clients of CLIENTS) {
      results.set(key('bert', 'd', clients), await transformersRow(extract, sentences, clients, WINDOW_MS));
      log(`(d) bert ${clients} clients done`);
    }
    await extractor.dispose();
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
  return a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`;
}

function printTable(): void {
  const names: Record<string, string> = {
    a: '(a) raw onnxruntime, best batch',
    b: '(b) server, dynamic batching',
    c: '(c) server, no batching',
    d: '(d) transformers.js, one at a time',
  };
  const lines = [
    `| model | row | clients | items/s | p50 ms | p99 ms | errors | (b)/(a) | (b)/(c) | (b)/(d) |`,
    `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const model of ['bert', 'mobilenet']) {
    for (const row of ['a', 'b', 'c', 'd']) {
      for (const clients of CLIENTS) {
        const cell = results.get(key(model, row, clients));
        if (!cell) continue;
        const ratios =
          row === 'b'
            ? [
                ratio(model, 'b', 'a', clients),
                ratio(model, 'b', 'c', clients),
                ratio(model, 'b', 'd', clients),
              ]
            : ['', '', ''];
        const label = `${names[row]}${cell.note ? ` (${cell.note})` : ''}`;
        lines.push(
          `| ${model} | ${label} | ${clients} | ${fmt(cell.throughput)} | ${fmt(cell.p50)} | ${fmt(cell.p99)} | ${cell.errors} | ${ratios.join(' | ')} |`,
        );
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(
    `\nwindow ${WINDOW_MS} ms per cell; BERT max_batch_size ${BERT_BATCH}, MobileNetV2 ${IMAGE_BATCH}; CPU, 2 cores.`,
  );
  for (const line of footer) console.log(line);
}

await main();
