import { describe, expect, it } from 'vitest';
import { buildModel, node, valueInfo } from '../onnx/build.ts';
import type { TensorMap } from './tensor.ts';
import { WorkerCrashError, WorkerSession } from './worker-session.ts';

const cpu = { executionProviders: ['cpu'] };
const fake = { script: new URL('../../test/support/backend/fake-session-worker.ts', import.meta.url) };

/** `y` = 2x, x FP32 [N, 4]. */
const doubler = buildModel({
  name: 'doubler',
  inputs: [valueInfo('x', 'float32', ['N', 4])],
  outputs: [valueInfo('y', 'float32', ['N', 4])],
  nodes: [node('Add', ['x', 'x'], ['y'])],
});

const x = (...values: number[]): TensorMap => ({
  x: { type: 'float32', data: Float32Array.from(values), dims: [values.length / 4, 4] },
});

describe('WorkerSession on onnxruntime', () => {
  it('reports the specs and runs in the worker; the caller’s feeds stay usable', async () => {
    const session = await WorkerSession.create(doubler, cpu);
    try {
      expect(session.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['N', 4] }]);
      expect(session.outputs.map((output) => output.name)).toEqual(['y']);
      const feeds = x(1, 2, 3, 4, 5, 6, 7, 8);
      const [first, second] = await Promise.all([session.run(feeds), session.run(x(0, 0, 0, 1), ['y'])]);
      expect(first?.y?.dims).toEqual([2, 4]);
      expect([...(first?.y?.data as Float32Array)]).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
      expect([...(second?.y?.data as Float32Array)]).toEqual([0, 0, 0, 2]);
      expect([...(feeds.x?.data as Float32Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await session.release();
    }
  });

  it('reports the run’s own compute time, not the wait behind the run before it', async () => {
    const session = await WorkerSession.create(doubler, cpu);
    try {
      const [first, second] = [{}, {}] as { computeUs?: number }[];
      const started = performance.now();
      await Promise.all([
        session.run(x(1, 2, 3, 4), ['y'], { timing: first }),
        session.run(x(5, 6, 7, 8), ['y'], { timing: second }),
      ]);
      const wallUs = (performance.now() - started) * 1000;
      // The two runs take turns in one thread: their own times add up to less than the time both took.
      expect(first?.computeUs).toBeGreaterThan(0);
      expect(second?.computeUs).toBeGreaterThan(0);
      expect((first?.computeUs ?? 0) + (second?.computeUs ?? 0)).toBeLessThan(wallUs);
    } finally {
      await session.release();
    }
  });

  it('with transfer, the feeds’ buffers move to the worker instead of being copied', async () => {
    const session = await WorkerSession.create(doubler, cpu);
    try {
      const feeds = x(1, 2, 3, 4);
      const result = await session.run(feeds, ['y'], { transfer: true });
      expect([...(result.y?.data as Float32Array)]).toEqual([2, 4, 6, 8]);
      expect((feeds.x?.data as Float32Array).buffer.byteLength).toBe(0);
    } finally {
      await session.release();
    }
  });

  it('a run onnxruntime refuses fails alone; the session keeps serving', async () => {
    const session = await WorkerSession.create(doubler, cpu);
    try {
      await expect(
        session.run({ z: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } }),
      ).rejects.toThrow(/x/);
      const bad = session.run({ x: { type: 'float32', data: new Float32Array(3), dims: [1, 3] } });
      await expect(bad).rejects.toThrow(/dimension|shape|Got/i);
      expect([...((await session.run(x(1, 1, 1, 1))).y?.data as Float32Array)]).toEqual([2, 2, 2, 2]);
    } finally {
      await session.release();
    }
  });

  it('a model that cannot open rejects create with onnxruntime’s reason', async () => {
    await expect(WorkerSession.create(new Uint8Array([1, 2, 3]), cpu)).rejects.toThrow(
      /protobuf|parse|load/i,
    );
  });

  it('after release, runs are refused', async () => {
    const session = await WorkerSession.create(doubler, cpu);
    await session.release();
    await expect(session.run(x(1, 2, 3, 4))).rejects.toThrow(WorkerCrashError);
  });
});

describe('WorkerSession when the thread misbehaves', () => {
  it('a refusal or an exit at start rejects create', async () => {
    await expect(WorkerSession.create('refuse', cpu, fake)).rejects.toThrow('refuses to open');
    await expect(WorkerSession.create('exit', cpu, fake)).rejects.toThrow(/exited \(code 2\)/);
  });

  it('an uncaught error in the thread fails the runs it held; the next run gets a new thread', async () => {
    const session = await WorkerSession.create('ok', cpu, fake);
    try {
      const crash = session.run(x(-1, 0, 0, 0));
      await expect(crash).rejects.toThrow(WorkerCrashError);
      await expect(crash).rejects.toThrow(/stopped.*the fake worker crashed/);
      expect((await session.run(x(5, 6, 7, 8))).y?.data).toEqual(Float32Array.from([5, 6, 7, 8]));
    } finally {
      await session.release();
    }
  });

  it('passes on the compute time the thread measured', async () => {
    const session = await WorkerSession.create('ok', cpu, fake);
    try {
      const timing: { computeUs?: number } = {};
      await session.run(x(1, 2, 3, 4), ['y'], { timing });
      expect(timing.computeUs).toBe(1234);
    } finally {
      await session.release();
    }
  });

  it('a thread that exits fails every run it held, and no other', async () => {
    const session = await WorkerSession.create('ok', cpu, fake);
    try {
      const before = await session.run(x(1, 0, 0, 0));
      const held = [session.run(x(-2, 0, 0, 0)), session.run(x(2, 0, 0, 0))];
      for (const run of held) await expect(run).rejects.toThrow(/exit code 3/);
      const after = await Promise.all([session.run(x(3, 0, 0, 0)), session.run(x(4, 0, 0, 0))]);
      expect([before, ...after].map((result) => (result.y?.data as Float32Array)[0])).toEqual([1, 3, 4]);
    } finally {
      await session.release();
    }
  });

  it('a protocol error from the thread rejects that run only', async () => {
    const session = await WorkerSession.create('ok', cpu, fake);
    try {
      await expect(session.run({})).rejects.toThrow("input 'x' is missing");
      expect((await session.run(x(9, 9, 9, 9))).y?.dims).toEqual([1, 4]);
    } finally {
      await session.release();
    }
  });
});
