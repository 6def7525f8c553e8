/**
 * @module
 * `npx tsx bench/gpu/parity.ts [--provider webgpu|cuda|cpu] [--models a,b] [--repository DIR] [--json FILE]`: every model of the
 * repository loaded twice in this process, on CPU and on the provider under test (the backend's own loading:
 * worker-thread sessions, per-model fallback), fed the same inputs — its ONNX-level warm-up feeds and its raw
 * warm-up samples through the adapter — and each output compared: cosine ≥ 0.999 over the flattened values
 * (integer outputs must be equal). Prints one table; exits 1 when a model misses, 2 when the provider did not
 * start (then every row says cpu: the comparison is CPU against CPU, which proves nothing about the GPU).
 * `--json` also writes `{ requested, started, rows }` there, for the GPU pack's one table (`bench/gpu/check.ts`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  chooseExecutionProvider,
  parseExecutionSettings,
} from '../../gpu-backend/runtime/execution-provider.ts';
import { onnxProviderProbe } from '../../gpu-backend/runtime/provider-probe.ts';
import { ModelRegistry } from '../../gpu-backend/runtime/registry.ts';
import type { Model } from '../../gpu-backend/runtime/model.ts';
import type { HostTensor, TensorMap } from '../../gpu-backend/runtime/tensor.ts';
import { rawWarmupItems, warmupFeeds } from '../../gpu-backend/runtime/warmup.ts';
import { repoRoot } from '../../scripts/lib/backend-process.ts';

export const MIN_COSINE = 0.999;

export interface ParityRow {
  readonly model: string;
  readonly input: string;
  readonly output: string;
  readonly provider: string;
  readonly cosine: number;
  readonly maxAbs: number;
  readonly ok: boolean;
}

function numbers(tensor: HostTensor): number[] {
  return Array.from(tensor.data as ArrayLike<number | bigint>, (value) => Number(value));
}

/** Cosine of two equal-length vectors; two zero vectors are equal (1), one zero vector is not (0). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 && nb === 0) return 1;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** The inputs a model is compared on: its ONNX-level warm-up feeds, then each raw warm-up sample. */
function inputsOf(model: Model, dir: string): [string, TensorMap][] {
  const { config, session } = model.parts;
  const read = (file: string) => new Uint8Array(readFileSync(join(dir, 'warmup', file)));
  const first = config.input[0];
  const raw = model.parameters.adapter && first?.data_type === 'TYPE_STRING' ? first.name : undefined;
  const onnx = warmupFeeds(session.inputs, config, read, raw).map((feeds, i): [string, TensorMap] => [
    `onnx #${i + 1}`,
    feeds,
  ]);
  const raws = raw === undefined ? [] : rawWarmupItems(config, raw, read);
  return [
    ...onnx,
    ...raws.map((items, i): [string, TensorMap] => [
      `raw #${i + 1}`,
      { [raw as string]: { type: 'bytes', data: items, dims: [items.length] } },
    ]),
  ];
}

function compare(
  model: string,
  input: string,
  provider: string,
  cpu: TensorMap,
  other: TensorMap,
): ParityRow[] {
  return Object.entries(cpu).map(([output, reference]) => {
    const candidate = other[output];
    const [a, b] = [numbers(reference), candidate ? numbers(candidate) : []];
    const integer = !reference.type.startsWith('float');
    const maxAbs = a.length === b.length ? Math.max(0, ...a.map((x, i) => Math.abs(x - (b[i] ?? NaN)))) : NaN;
    const value = a.length === b.length ? cosine(a, b) : NaN;
    const ok = integer ? maxAbs === 0 : value >= MIN_COSINE;
    return { model, input, output, provider, cosine: value, maxAbs, ok };
  });
}

async function registryOn(
  root: string,
  provider: 'cpu' | 'cuda' | 'webgpu',
  settings: ReturnType<typeof parseExecutionSettings>,
) {
  const registry = new ModelRegistry({
    root,
    provider,
    settings,
    warmup: 'off',
    info: () => undefined,
    warn: (line) => console.error(`WARN ${line}`),
    error: (line) => console.error(`ERROR ${line}`),
  });
  await registry.loadAll();
  return registry;
}

/** Runs the comparison; `provider` is what was asked for, the rows say what each model ran on. */
export async function parity(root: string, requested: string, only?: readonly string[]) {
  const settings = parseExecutionSettings({ MODALFUSE_EXECUTION_PROVIDER: requested });
  const decision = await chooseExecutionProvider(settings, onnxProviderProbe);
  if (decision.warning) console.error(`WARN ${decision.warning}`);
  const cpu = await registryOn(root, 'cpu', settings);
  const other = await registryOn(root, decision.provider, settings);
  const rows: ParityRow[] = [];
  try {
    for (const model of cpu.models().filter((m) => !only || only.includes(m.name))) {
      const candidate = other.get(model.name);
      for (const [input, feeds] of inputsOf(model, join(root, model.name))) {
        const [a, b] = [await model.infer(feeds), await candidate.infer(feeds)];
        rows.push(...compare(model.name, input, candidate.parts.provider, a, b));
      }
    }
  } finally {
    await Promise.all([cpu.release(), other.release()]);
  }
  return { started: decision.provider, rows };
}

export function parityTable(rows: readonly ParityRow[]): string {
  const lines = [
    '| model | input | output | provider | cosine | max abs diff | ok |',
    '| --- | --- | --- | --- | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const cells = [
      row.model,
      row.input,
      row.output,
      row.provider,
      row.cosine.toFixed(6),
      row.maxAbs.toExponential(2),
      row.ok ? 'yes' : 'NO',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string', default: 'webgpu' },
      models: { type: 'string' },
      json: { type: 'string' },
      repository: {
        type: 'string',
        default: process.env.MODALFUSE_MODEL_REPOSITORY ?? join(repoRoot, 'models'),
      },
    },
  });
  const only = values.models?.split(',').map((name) => name.trim());
  const { started, rows } = await parity(resolve(values.repository), values.provider, only);
  console.log(`parity: ${values.provider} (running on ${started}) against cpu, cosine ≥ ${MIN_COSINE}\n`);
  console.log(parityTable(rows));
  const failed = rows.filter((row) => !row.ok).length;
  console.log(`\n${rows.length - failed} of ${rows.length} outputs within the bound`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ requested: values.provider, started, rows }));
  if (started !== values.provider) process.exitCode = 2;
  else if (failed > 0 || rows.length === 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
