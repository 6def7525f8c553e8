/**
 * @module
 * `npm run bench:fusion`: decision-level fusion on the project's own multimodal evaluation set (eight colours; a
 * picture, a spoken word and a noisy text per item; see `bench/dataset/`), through the real stack's models. A real
 * backend process (scripts/lib/backend-process.ts) embeds every input over KServe v2 with the adapters' default
 * models; the edge's own head, calibration, fusion and evaluation modules (the code the Worker runs) then score
 * the held-out half. Temperatures and the stacking model are fitted on 5-fold out-of-fold distributions of the
 * examples only. Prints, per head, the table of `POST /v1/tasks/{id}/evaluate`, then the cost of one fused item
 * (3 modalities × 100 labels) per strategy against the 20 µs target (`fusion-cost.ts`).
 */
import { builtinAdapters } from '../adapters/registry.ts';
import { calibrate, fitFusion, outOfFold, type ItemEmbedding } from '../src/evaluate/cross-validate.ts';
import { evaluateCases, type Evaluation, type EvalCase } from '../src/evaluate/evaluate.ts';
import { fitScorer, type FittableHead } from '../src/heads/fit.ts';
import { defaultTemperature } from '../src/heads/prototype.ts';
import { prepareModels, startBackend } from '../scripts/lib/backend-process.ts';
import { buildEvalSet, labels, type EvalItem } from './dataset/build.ts';
import { timeFusion } from './fusion-cost.ts';

const modalities = ['text', 'image', 'audio'] as const;
type Modality = (typeof modalities)[number];

function rawOf(item: EvalItem, modality: Modality): Buffer {
  return modality === 'text'
    ? Buffer.from(item.text, 'utf8')
    : modality === 'image'
      ? item.image
      : item.audio;
}

/** Embeds every item's input of one modality with the adapter's default model, 16 per request. */
async function embedAll(
  url: string,
  modality: Modality,
  items: readonly EvalItem[],
): Promise<Float32Array[]> {
  const model = builtinAdapters.find((a) => a.modality === modality)?.defaultModel ?? '';
  const out: Float32Array[] = [];
  for (let start = 0; start < items.length; start += 16) {
    const chunk = items.slice(start, start + 16);
    const response = await fetch(`${url}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        inputs: [
          {
            name: 'raw',
            datatype: 'BYTES',
            shape: [chunk.length],
            parameters: { content_type: 'base64' },
            data: chunk.map((item) => rawOf(item, modality).toString('base64')),
          },
        ],
        outputs: [{ name: 'embedding' }],
      }),
    });
    if (!response.ok) throw new Error(`${model}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { outputs: { shape: number[]; data: number[] }[] };
    const [output] = body.outputs;
    const dim = output?.shape[1] ?? 0;
    for (let i = 0; i < chunk.length; i++)
      out.push(Float32Array.from(output?.data.slice(i * dim, (i + 1) * dim) ?? []));
  }
  return out;
}

type Embedded = Record<Modality, Float32Array[]>;

function examplesOf(items: readonly EvalItem[], embedded: Embedded, modality: Modality): ItemEmbedding[] {
  return items.flatMap((item, i) => {
    const embedding = embedded[modality][i];
    return item.split === 'train' && embedding ? [{ item: item.id, label: item.label, embedding }] : [];
  });
}

function evaluateHead(head: FittableHead, items: readonly EvalItem[], embedded: Embedded) {
  const train = Object.fromEntries(
    modalities.map((m) => [
      m,
      { head, temperature: defaultTemperature, examples: examplesOf(items, embedded, m) },
    ]),
  );
  const fitted = fitFusion(outOfFold(labels, train), labels.length);
  const scorers = modalities.map((m) =>
    fitScorer(head, train[m]?.examples ?? [], labels, defaultTemperature),
  );
  const test: EvalCase[] = items.flatMap((item, i) =>
    item.split === 'test'
      ? [
          {
            label: labels.indexOf(item.label),
            scores: Object.fromEntries(
              modalities.map((m, k) => [m, scorers[k]?.(embedded[m][i] ?? []) ?? []]),
            ),
          },
        ]
      : [],
  );
  return {
    raw: evaluateCases(labels, test),
    calibrated: evaluateCases(labels, calibrate(test, fitted.temperatures), { stacking: fitted.stacking }),
    temperatures: fitted.temperatures,
  };
}

const f3 = (x: number) => x.toFixed(3);

function printTable(title: string, raw: Evaluation, calibrated: Evaluation): void {
  const best = Math.max(...calibrated.modalities.map((r) => r.macroF1));
  console.log(`\n${title}`);
  console.log('| decision | accuracy | macro-F1 | log-loss | macro-F1, uncalibrated | vs best single |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const rows = [
    ...calibrated.modalities.map((r) => ({
      ...r,
      label: `${r.name} only`,
      rawRow: raw.modalities.find((x) => x.name === r.name),
    })),
    ...calibrated.strategies.map((r) => ({
      ...r,
      label: `fusion: ${r.name}`,
      rawRow: raw.strategies.find((x) => x.name === r.name),
    })),
  ];
  for (const r of rows) {
    const delta = r.macroF1 - best;
    console.log(
      `| ${r.label} | ${f3(r.accuracy)} | ${f3(r.macroF1)} | ${f3(r.logLoss)} | ${r.rawRow ? f3(r.rawRow.macroF1) : '–'} | ${delta >= 0 ? '+' : ''}${f3(delta)} |`,
    );
  }
  console.log(
    `recommended: ${calibrated.recommended} (n = ${calibrated.strategies[0]?.n ?? 0} held-out items)`,
  );
}

async function main(): Promise<void> {
  await prepareModels(() => undefined);
  const items = await buildEvalSet();
  console.log(
    `evaluation set: ${items.length} items, ${labels.length} labels (${labels.join(', ')}), half held out`,
  );
  const backend = await startBackend({ env: { MODALFUSE_EXECUTION_PROVIDER: 'cpu' } });
  try {
    const embedded = {} as Embedded;
    for (const modality of modalities) embedded[modality] = await embedAll(backend.url, modality, items);
    for (const head of ['prototype', 'linear'] as const) {
      const { raw, calibrated, temperatures } = evaluateHead(head, items, embedded);
      const t = Object.entries(temperatures)
        .map(([m, v]) => `${m} ${v.toFixed(2)}`)
        .join(', ');
      printTable(`Head: ${head} (temperatures fitted out-of-fold: ${t})`, raw, calibrated);
    }
  } finally {
    await backend.stop();
  }
  timeFusion();
}

await main();
