/**
 * The GPU pack (`npm run bench:gpu:pack`), its CPU half, as the GPU machine would run it: the pack built (one
 * small model, uncompressed so the test spends no minutes in xz), unpacked into a temp folder outside the
 * repository (nothing of its `node_modules/` reachable), `run.sh` run with the provider set to cpu and a short
 * window, and its one table checked. Then the same pack asked for WebGPU, which cannot start on our machines:
 * parity says so (exit 2) and the table says "not available" in every WebGPU cell, beside real CPU numbers.
 * Slow for a test (a pack of 180 MB written and unpacked, two backends started per run): 60–106 s on our 2-core
 * machine under a load average of 20, 13 s when it was quieter.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelClosure } from '../../bench/gpu/pack-contents.ts';
import { buildPack, PACK_NAME } from '../../bench/gpu/pack.ts';
import { repoRoot } from '../../scripts/lib/backend-process.ts';

/** A run starts two backends; on a loaded 2-core machine that took up to 40 s. */
const RUN_TIMEOUT_MS = 180_000;

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modalfuse-gpu-pack-test-'));
  const out = join(dir, 'pack.tar');
  const pack = await buildPack({
    out,
    repository: join(repoRoot, 'models'),
    models: ['mobilenetv2-int8'],
    compression: 'none',
  });
  expect(pack.models).toEqual(['mobilenetv2-int8']);
  await x({ file: out, cwd: dir });
  rmSync(out);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // A bare environment: no npm, no tsx, no repository on any path the pack could resolve from.
  const env = { PATH: '/usr/bin:/bin', HOME: dir };
  const child = spawn(join(dir, PACK_NAME, 'run.sh'), ['--clients', '1', ...args], {
    env,
    cwd: dir,
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ...output })));
}

/** The table's rows as cells, by model. */
function rows(stdout: string): Map<string, string[]> {
  const lines = stdout
    .split('\n')
    .filter((line) => /^\| [a-z0-9-]+ \| /.test(line) && !line.startsWith('| model'));
  return new Map(
    lines.map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return [cells[0] ?? '', cells];
    }),
  );
}

describe('the models a pack holds', () => {
  it('are the ones asked for and every model their configs name', () => {
    const repository = join(repoRoot, 'models');
    expect(modelClosure(repository, ['speech-embedding'])).toEqual(['silero-vad', 'speech-embedding']);
    expect(modelClosure(repository, ['video-audio-speech-embedding', 'image-text-use-lite'])).toEqual([
      'image-text-use-lite',
      'ocr-det',
      'ocr-rec',
      'silero-vad',
      'speech-embedding',
      'video-audio-speech-embedding',
    ]);
    expect(() => modelClosure(repository, ['nope'])).toThrow(/no model "nope"/);
  });
});

describe('the GPU pack, unpacked and run', () => {
  it('holds its own Node, native libraries and bundle', () => {
    for (const file of [
      'bin/node',
      'dist/backend/main.js',
      'dist/backend/gpu-check.js',
      'dist/backend/parity.js',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'node_modules/@img/sharp-libvips-linux-x64/package.json',
      'models/mobilenetv2-int8/1/model.onnx',
    ])
      expect(existsSync(join(dir, PACK_NAME, file)), file).toBe(true);
    expect(existsSync(join(dir, PACK_NAME, 'node_modules/onnxruntime-node/bin/napi-v6/win32'))).toBe(false);
  });

  it(
    'on cpu: parity within the bound and a throughput on both sides, in one table',
    async () => {
      const { code, stdout, stderr } = await run('--provider', 'cpu', '--seconds', '1');
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('ModalFuse GPU check: cpu against cpu');
      const cells = rows(stdout).get('mobilenetv2-int8');
      expect(cells?.slice(1, 3)).toEqual(['1.000000', '1']);
      const [under, , base, , ratio] = cells?.slice(3) ?? [];
      expect(Number(under)).toBeGreaterThan(0);
      expect(Number(base)).toBeGreaterThan(0);
      expect(ratio).toMatch(/^\d+\.\d\d×$/);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'asked for WebGPU where it cannot start: exit 2, "not available", never a number for it',
    async () => {
      const { code, stdout, stderr } = await run('--provider', 'webgpu', '--seconds', '0.5');
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/!!! parity: webgpu did not start \(exit 2\)/);
      const cells = rows(stdout).get('mobilenetv2-int8') ?? [];
      expect(cells.slice(1, 5)).toEqual(['not available', '1', 'not available', 'not available']);
      expect(cells[5]).toMatch(/^\d+\.\d$/);
      expect(cells[7]).toBe('—');
      expect(stdout).toMatch(/^webgpu: not available \(/m);
    },
    RUN_TIMEOUT_MS,
  );
});
