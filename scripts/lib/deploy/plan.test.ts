/**
 * The deploy's pure parts: what wrangler.toml asks for, what a listing lacks, the secrets' rules and the size
 * verdicts against Workers' limits.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureBundle, sizeReport, startupCpuMs, WORKER_LIMITS } from './bundle.ts';
import { absent, isLoopbackUrl, readWranglerConfig, secretNames } from './plan.ts';
import { planSecrets } from './secrets.ts';

const MiB = 1024 * 1024;

describe('the plan', () => {
  it("reads the project's wrangler.toml: the bucket, the queue and its dead-letter queue, the migrations", () => {
    const config = readWranglerConfig(
      readFileSync(new URL('../../../wrangler.toml', import.meta.url), 'utf8'),
    );
    expect(config).toMatchObject({
      name: 'modalfuse',
      buckets: ['modalfuse-files'],
      queues: ['modalfuse-batch', 'modalfuse-batch-dlq'],
      migrations: ['v1', 'v2'],
    });
    expect(() => readWranglerConfig('main = "x.ts"')).toThrow(/no `name`/);
    expect(() => readWranglerConfig('name = ')).toThrow();
  });

  it('finds a name only as a whole token of a listing', () => {
    const queues = '│ 01 │ modalfuse-batch-dlq │ 0 │\n│ 02 │ other │';
    expect(absent(['modalfuse-batch', 'modalfuse-batch-dlq'], queues)).toEqual(['modalfuse-batch']);
    expect(absent(['modalfuse-files'], 'name:           modalfuse-files\ncreation_date: x')).toEqual([]);
    expect(absent(['a'], '[{"name":"a"}]')).toEqual([]);
    expect(absent(['a'], '')).toEqual(['a']);
  });

  it('tells loopback backends from reachable ones', () => {
    for (const url of ['http://127.0.0.1:8000', 'http://localhost', 'https://[::1]:8443/x'])
      expect(isLoopbackUrl(url)).toBe(true);
    for (const url of [
      'https://gpu.example.com',
      'http://127.0.0.1.example.com',
      'https://localhost.example.com',
    ])
      expect(isLoopbackUrl(url)).toBe(false);
  });

  it("reads secret names past wrangler's banner, and says so when there is no list", () => {
    expect(secretNames('▲ [WARNING] something\n[{"name":"A","type":"secret_text"}]\n')).toEqual(['A']);
    expect(secretNames('[]')).toEqual([]);
    expect(() => secretNames('✘ [ERROR] no')).toThrow(/printed no JSON list/);
  });
});

describe('the secrets', () => {
  const existing = new Set<string>();
  it('takes values from the environment and requires the token and the keys', async () => {
    const plan = await planSecrets({
      existing,
      env: { BACKEND_TOKEN: ' t ', API_KEY_HASHES: 'k' },
      open: false,
    });
    expect(plan).toEqual({ upload: { BACKEND_TOKEN: 't', API_KEY_HASHES: 'k' }, kept: [] });
    await expect(planSecrets({ existing, env: {}, open: false })).rejects.toThrow(
      /BACKEND_TOKEN: .*\n {2}API_KEY_HASHES: /,
    );
    await expect(planSecrets({ existing, env: { BACKEND_TOKEN: 't' }, open: true })).resolves.toEqual({
      upload: { BACKEND_TOKEN: 't' },
      kept: [],
    });
  });

  it('keeps what is set unless the environment gives a new value; asks on a terminal; wants both Access halves', async () => {
    const set = new Set(['BACKEND_TOKEN', 'API_KEY_HASHES', 'BACKEND_ACCESS_CLIENT_ID']);
    await expect(planSecrets({ existing: set, env: {}, open: false })).rejects.toThrow(
      /BACKEND_ACCESS_CLIENT_ID without its other half/,
    );
    const asked: string[] = [];
    const ask = (spec: { name: string }) => (
      asked.push(spec.name),
      Promise.resolve(spec.name === 'BACKEND_ACCESS_CLIENT_SECRET' ? 's' : '')
    );
    const plan = await planSecrets({ existing: set, env: { API_KEY_HASHES: 'new' }, open: false, ask });
    expect(plan).toEqual({
      upload: { API_KEY_HASHES: 'new', BACKEND_ACCESS_CLIENT_SECRET: 's' },
      kept: ['BACKEND_TOKEN', 'BACKEND_ACCESS_CLIENT_ID'],
    });
    expect(asked).toEqual(['BACKEND_ACCESS_CLIENT_SECRET']);
  });
});

describe('the limits', () => {
  const size = (gzipBytes: number) => ({ files: 1, rawBytes: gzipBytes * 4, gzipBytes });
  it("judges the compressed size against Free's 3 MiB and Paid's 10 MiB, and startup against 1 s", () => {
    expect(sizeReport(size(3 * MiB), 10)).toMatchObject({
      fits: true,
      lines: [expect.stringMatching(/fits Free/), expect.stringMatching(/within the 1000 ms/)],
    });
    expect(sizeReport(size(3 * MiB + 1), undefined)).toMatchObject({
      fits: true,
      lines: [expect.stringMatching(/over Free \(3 MiB\), fits Paid/)],
    });
    expect(sizeReport(size(WORKER_LIMITS.paidGzipBytes + 1), undefined).fits).toBe(false);
    expect(sizeReport(size(1), 1001)).toMatchObject({
      fits: false,
      lines: [expect.any(String), expect.stringMatching(/OVER the 1000 ms/)],
    });
  });

  it('counts uploaded modules only, and non-idle profile time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modalfuse-bundle-'));
    writeFileSync(join(dir, 'index.js'), 'export default {};\n'.repeat(100));
    writeFileSync(join(dir, 'kernel.wasm'), new Uint8Array(50));
    writeFileSync(join(dir, 'index.js.map'), 'x'.repeat(10_000));
    writeFileSync(join(dir, 'README.md'), 'x'.repeat(10_000));
    const measured = measureBundle(dir);
    rmSync(dir, { recursive: true });
    expect(measured).toMatchObject({ files: 2, rawBytes: 1950 });
    expect(measured.gzipBytes).toBeLessThan(200);
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)' } },
        { id: 2, callFrame: { functionName: 'main' } },
      ],
      samples: [1, 2, 2],
      timeDeltas: [5000, 1500, 2500],
    };
    expect(startupCpuMs(JSON.stringify(profile))).toBe(4);
  });
});
