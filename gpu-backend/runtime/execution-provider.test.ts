import { describe, expect, it } from 'vitest';
import {
  chooseExecutionProvider,
  parseExecutionSettings,
  sessionOptionsFor,
  type ProviderProbe,
} from './execution-provider.ts';
import { onnxProviderProbe } from './provider-probe.ts';

const withCuda = [{ name: 'cpu' }, { name: 'cuda' }];
/** Every session is asked not to spin its pool threads. */
const noSpinning = { session: { intra_op: { allow_spinning: '0' } } };

function probe(backends: { name: string }[], start: () => Promise<void>): ProviderProbe & { tries: number } {
  const result = {
    tries: 0,
    supportedBackends: () => backends,
    async tryStart() {
      result.tries++;
      await start();
    },
  };
  return result;
}

describe('parseExecutionSettings', () => {
  it('defaults to auto on device 0 with onnxruntime’s threads', () => {
    expect(parseExecutionSettings({})).toEqual({ requested: 'auto', deviceId: 0 });
  });

  it('reads every variable', () => {
    const env = {
      MODALFUSE_EXECUTION_PROVIDER: ' CUDA ',
      MODALFUSE_CUDA_DEVICE_ID: '1',
      MODALFUSE_INTRA_OP_THREADS: '2',
    };
    expect(parseExecutionSettings(env)).toEqual({ requested: 'cuda', deviceId: 1, intraOpThreads: 2 });
  });

  it.each([
    [{ MODALFUSE_EXECUTION_PROVIDER: 'gpu' }, 'must be one of auto, cuda, webgpu, cpu, got "gpu"'],
    [{ MODALFUSE_CUDA_DEVICE_ID: '-1' }, 'MODALFUSE_CUDA_DEVICE_ID must be an integer ≥ 0'],
    [{ MODALFUSE_INTRA_OP_THREADS: '0' }, 'MODALFUSE_INTRA_OP_THREADS must be an integer ≥ 1'],
    [{ MODALFUSE_INTRA_OP_THREADS: 'many' }, 'MODALFUSE_INTRA_OP_THREADS must be an integer ≥ 1, got "many"'],
  ])('refuses %j', (env, message) => {
    expect(() => parseExecutionSettings(env)).toThrow(message);
  });
});

describe('chooseExecutionProvider', () => {
  it('cpu: never tries CUDA, no warning', async () => {
    const p = probe(withCuda, async () => undefined);
    const decision = await chooseExecutionProvider({ requested: 'cpu', deviceId: 0 }, p);
    expect(decision).toEqual({
      provider: 'cpu',
      sessionOptions: { executionProviders: ['cpu'], extra: noSpinning },
    });
    expect(p.tries).toBe(0);
  });

  it('auto: uses CUDA (with the device and CPU behind it) when it starts', async () => {
    const decision = await chooseExecutionProvider(
      { requested: 'auto', deviceId: 2, intraOpThreads: 3 },
      probe(withCuda, async () => undefined),
    );
    expect(decision.warning).toBeUndefined();
    expect(decision.provider).toBe('cuda');
    expect(decision.sessionOptions).toEqual({
      executionProviders: [{ name: 'cuda', deviceId: 2 }, 'cpu'],
      intraOpNumThreads: 3,
      extra: noSpinning,
    });
  });

  it.each(['auto', 'cuda'] as const)(
    '%s: falls back to CPU with a warning when CUDA fails to start',
    async (requested) => {
      const failing = probe(withCuda, async () => {
        throw new Error('\u001b[1;31mFailed to load libcudnn.so.9\u001b[m\nmore onnxruntime log');
      });
      const decision = await chooseExecutionProvider({ requested, deviceId: 1 }, failing);
      expect(decision.provider).toBe('cpu');
      expect(decision.sessionOptions).toEqual({ executionProviders: ['cpu'], extra: noSpinning });
      expect(decision.warning).toBe(
        `MODALFUSE_EXECUTION_PROVIDER=${requested}: CUDA execution provider failed to start on device 1: ` +
          'Failed to load libcudnn.so.9; falling back to CPU',
      );
    },
  );

  it('falls back with a warning when this build has no CUDA at all', async () => {
    const p = probe([{ name: 'cpu' }, { name: 'webgpu' }], async () => undefined);
    const decision = await chooseExecutionProvider({ requested: 'cuda', deviceId: 0 }, p);
    expect(decision.provider).toBe('cpu');
    expect(decision.warning).toMatch(
      /no CUDA execution provider \(backends: cpu, webgpu\); falling back to CPU/,
    );
    expect(p.tries).toBe(0);
  });
});

describe('chooseExecutionProvider: webgpu', () => {
  const withWebgpu = [{ name: 'cpu' }, { name: 'webgpu' }];

  it('uses WebGPU, CPU behind it, when it starts; auto never tries it', async () => {
    const p = probe(withWebgpu, async () => undefined);
    const decision = await chooseExecutionProvider({ requested: 'webgpu', deviceId: 0 }, p);
    expect(decision).toEqual({
      provider: 'webgpu',
      sessionOptions: { executionProviders: ['webgpu', 'cpu'], extra: noSpinning },
    });
    // auto means CUDA or CPU: this build has no CUDA, so CPU, with the warning that says why.
    const auto = await chooseExecutionProvider({ requested: 'auto', deviceId: 0 }, p);
    expect(auto.provider).toBe('cpu');
    expect(p.tries).toBe(1);
  });

  it('falls back to CPU with a warning when WebGPU fails to start (no adapter)', async () => {
    const failing = probe(withWebgpu, async () => {
      throw new Error('webgpu_context.cc:136 Failed to get a WebGPU adapter: No supported adapters\nmore');
    });
    const decision = await chooseExecutionProvider({ requested: 'webgpu', deviceId: 3 }, failing);
    expect(decision.provider).toBe('cpu');
    expect(decision.sessionOptions).toEqual({ executionProviders: ['cpu'], extra: noSpinning });
    expect(decision.warning).toBe(
      'MODALFUSE_EXECUTION_PROVIDER=webgpu: WebGPU execution provider failed to start: ' +
        'webgpu_context.cc:136 Failed to get a WebGPU adapter: No supported adapters; falling back to CPU',
    );
  });

  it('falls back with a warning when this build has no WebGPU', async () => {
    const p = probe(withCuda, async () => undefined);
    const decision = await chooseExecutionProvider({ requested: 'webgpu', deviceId: 0 }, p);
    expect(decision.provider).toBe('cpu');
    expect(decision.warning).toBe(
      'MODALFUSE_EXECUTION_PROVIDER=webgpu: this onnxruntime-node build has no WebGPU execution provider ' +
        '(backends: cpu, cuda); falling back to CPU',
    );
    expect(p.tries).toBe(0);
  });

  it('with the real onnxruntime: WebGPU where a Vulkan adapter works, else CPU and the reason', async () => {
    // On our CPU machines Dawn refuses lavapipe (NOTES.md); on a GPU host with Vulkan this picks webgpu.
    const decision = await chooseExecutionProvider({ requested: 'webgpu', deviceId: 0 }, onnxProviderProbe);
    if (decision.provider === 'webgpu') expect(decision.warning).toBeUndefined();
    else {
      expect(decision.provider).toBe('cpu');
      expect(decision.warning).toMatch(
        /^MODALFUSE_EXECUTION_PROVIDER=webgpu: WebGPU execution provider failed to start: .+; falling back to CPU$/,
      );
    }
  });
});

describe('sessionOptionsFor', () => {
  it('lists CPU behind CUDA so unsupported operators still run', () => {
    expect(sessionOptionsFor('cuda', { requested: 'cuda', deviceId: 0 }).executionProviders).toEqual([
      { name: 'cuda', deviceId: 0 },
      'cpu',
    ]);
  });
});
