/**
 * @module
 * The GPU pack's check (`run.sh` in the unpacked pack runs this bundled, as `dist/backend/gpu-check.js`):
 * `bench/gpu/parity.ts` as a child process (every model of the pack on CPU vs the provider), then the built
 * backend started twice, on the provider and on CPU, each model with a raw warm-up sample measured as
 * `bench:backend` measures its server rows (closed loops of one-item requests, the same `serverRow`) at each client
 * count; one table at the end. Options: `--provider webgpu|cuda|cpu` (default webgpu), `--seconds` per cell
 * (default 5), `--clients 1,16`. Exit 2 when the provider did not start (its cells say "not available"), 1 when a
 * parity output misses or a request failed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configParameters, modelConfigSchema } from '../../gpu-backend/model-repository/config.ts';
import { encodeBinary, joinBody } from '../../gpu-backend/server/binary.ts';
import { rawWarmupItems } from '../../gpu-backend/runtime/warmup.ts';
import { repoRoot, startBackend } from '../../scripts/lib/backend-process.ts';
import { closedLoop, type CellResult } from '../backend-load.ts';
import { poster } from '../http-client.ts';
import { cellKey, checkTable, NOT_AVAILABLE, type CheckResult, type ProviderRun } from './check-table.ts';
import type { ParityRow } from './parity.ts';

const built = join(repoRoot, 'dist', 'backend');
const repository = join(repoRoot, 'models');
const PARITY_TIMEOUT_MS = 150_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Body = ReturnType<typeof joinBody>;

/** A model's raw warm-up samples as KServe binary requests, or none (helpers such as a VAD or OCR stage). */
function bodiesOf(model: string): Body[] {
  const dir = join(repository, model);
  const config = modelConfigSchema.parse(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
  const { modality, embedding_output: output } = configParameters(config);
  if (!modality || !output || config.input[0]?.name !== 'raw') return [];
  const read = (file: string) => new Uint8Array(readFileSync(join(dir, 'warmup', file)));
  return rawWarmupItems(config, 'raw', read).map((items) => {
    const bytes = encodeBinary({ type: 'bytes', data: items.slice(0, 1), dims: [1] });
    const header = {
      inputs: [
        { name: 'raw', datatype: 'BYTES', shape: [1], parameters: { binary_data_size: bytes.byteLength } },
      ],
      outputs: [{ name: output, parameters: { binary_data: true } }],
    };
    return joinBody(JSON.stringify(header), [bytes]);
  });
}

/**
 * `bench:backend`'s server row (its `closedLoop` over kept-alive connections) for one model; not its `serverRow`
 * itself, whose module builds that benchmark's models on import.
 */
async function serverCell(
  url: string,
  model: string,
  bodies: readonly Body[],
  clients: number,
  windowMs: number,
) {
  const client = poster(url, clients);
  try {
    return await closedLoop(clients, windowMs, async (index) => {
      const { body, headerLength } = bodies[index % bodies.length] as Body;
      const headers = { 'inference-header-content-length': String(headerLength) };
      const status = await client.post(`/v2/models/${model}/infer`, body, headers);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      return 1;
    });
  } finally {
    client.close();
  }
}

async function runParity(provider: string): Promise<CheckResult['parity']> {
  const dir = mkdtempSync(join(tmpdir(), 'modalfuse-gpu-check-'));
  const json = join(dir, 'parity.json');
  try {
    const child = spawn(
      process.execPath,
      [join(built, 'parity.js'), '--provider', provider, '--json', json],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    // A provider that hangs (a driver stuck compiling) must not hold the check past its 5 minutes.
    let timedOut = false;
    const timer = setTimeout(() => (timedOut = child.kill('SIGKILL')), PARITY_TIMEOUT_MS);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (...end) => resolve(end)),
    );
    clearTimeout(timer);
    if (timedOut)
      return { started: false, rows: [], note: `parity killed after ${PARITY_TIMEOUT_MS / 1000} s` };
    if (signal) return { started: false, rows: [], note: `parity ended by ${signal}` };
    if (code === 2) return { started: false, rows: [], note: `parity: ${provider} did not start (exit 2)` };
    let written: { rows: ParityRow[] };
    try {
      written = JSON.parse(readFileSync(json, 'utf8')) as { rows: ParityRow[] };
    } catch {
      return { started: false, rows: [], note: `parity exited ${code} without results` };
    }
    return { started: true, rows: written.rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the built backend on `provider` and measures every model in `bodies` at each client count. */
async function measure(
  provider: string,
  bodies: ReadonlyMap<string, Body[]>,
  clients: readonly number[],
  windowMs: number,
): Promise<ProviderRun> {
  const fellBack = new Set<string>();
  const onLine = (line: string) => {
    const ready = /^model (\S+) version \S+ ready \((\w+)/.exec(line);
    if (ready?.[1] && ready[2] !== provider) fellBack.add(ready[1]);
    if (/^(WARN|ERROR) /.test(line)) log(`[backend ${provider}] ${line}`);
  };
  const env = { MODALFUSE_EXECUTION_PROVIDER: provider, MODALFUSE_MODEL_REPOSITORY: repository };
  const backend = await startBackend({ builtMain: join(built, 'main.js'), env, onLine });
  try {
    if (backend.provider !== provider) {
      return { ok: false, reason: `the backend fell back to ${backend.provider}` };
    }
    const cells = new Map<string, CellResult>();
    for (const [model, list] of bodies) {
      if (fellBack.has(model)) continue;
      for (const count of clients) {
        const cell = await serverCell(backend.url, model, list, count, windowMs);
        log(
          `${provider} ${model} ${count} clients: ${cell.throughput.toFixed(1)}/s, p50 ${cell.p50.toFixed(1)} ms`,
        );
        cells.set(cellKey(model, count), cell);
      }
    }
    return { ok: true, cells, fellBack };
  } finally {
    await backend.stop();
  }
}

function options() {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string', default: 'webgpu' },
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '1,16' },
    },
  });
  const clients = values.clients.split(',').map(Number);
  const seconds = Number(values.seconds);
  if (clients.some((n) => !Number.isInteger(n) || n < 1) || !(seconds > 0)) {
    throw new Error('--clients takes counts ≥ 1 (1,16), --seconds a positive number');
  }
  return { provider: values.provider, clients, windowMs: seconds * 1000 };
}

async function main(): Promise<void> {
  const { provider, clients, windowMs } = options();
  const started = performance.now();
  const models = readdirSync(repository).sort();
  const bodies = new Map(
    models.map((model) => [model, bodiesOf(model)] as const).filter(([, list]) => list.length),
  );
  log(`parity: ${provider} against cpu…`);
  const parity = await runParity(provider);
  if (parity.note) log(`!!! ${parity.note}`);
  const candidate: ProviderRun = parity.started
    ? await measure(provider, bodies, clients, windowMs).catch((cause: unknown) => ({
        ok: false as const,
        // startBackend's error carries everything the backend printed; its first line says what happened.
        reason: String(cause instanceof Error ? cause.message : cause).split('\n')[0] ?? '',
      }))
    : { ok: false, reason: parity.note ?? '' };
  if (!candidate.ok) log(`!!! ${provider}: ${NOT_AVAILABLE}: ${candidate.reason}`);
  const cpu = await measure('cpu', bodies, clients, windowMs);
  const result: CheckResult = {
    provider,
    parity,
    measured: [...bodies.keys()],
    models,
    clients,
    candidate,
    cpu,
  };
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `\nModalFuse GPU check: ${provider} against cpu (Node ${process.version}, ${seconds} s; ` +
      `parity cosine ≥ 0.999; throughput over ${windowMs / 1000} s windows of one-item requests)\n`,
  );
  console.log(checkTable(result));
  const missed = parity.rows.some((row) => !row.ok);
  const errors = [candidate, cpu].some(
    (run) => run.ok && [...run.cells.values()].some((cell) => cell.errors > 0),
  );
  if (!candidate.ok) console.log(`\n${provider}: ${NOT_AVAILABLE} (${candidate.reason})`);
  process.exitCode = !candidate.ok ? 2 : missed || errors ? 1 : 0;
}

await main();
