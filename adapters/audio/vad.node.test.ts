import { describe, expect, it } from 'vitest';
import type { Feeds } from '../types.ts';
import { float32Of } from '../shared/testing.ts';
import { speechSpan, trimSilence, type RunVad } from './vad.ts';

/** A stand-in for Silero: "speech" when the new samples are loud; `stateN` counts the runs, to check the threading. */
function stubVad(): { run: RunVad; calls: Feeds[] } {
  const calls: Feeds[] = [];
  const run: RunVad = (feeds) => {
    calls.push(feeds);
    const loud = float32Of(feeds, 'input')
      .subarray(64)
      .some((x) => Math.abs(x) > 0.1);
    const state = float32Of(feeds, 'state');
    return Promise.resolve({
      output: { type: 'float32', data: Float32Array.of(loud ? 0.9 : 0.1), dims: [1, 1] },
      stateN: { type: 'float32', data: state.map((x) => x + 1), dims: [2, 1, 128] },
    });
  };
  return { run, calls };
}

/** Silence, then `loud` samples of a full-scale square wave from `start`, at 16 kHz. */
function clip(length: number, start: number, loud: number): Float32Array {
  const samples = new Float32Array(length);
  for (let i = start; i < start + loud; i++) samples[i] = i % 2 ? 20_000 : -20_000;
  return samples;
}

describe('trimSilence', () => {
  it('feeds Silero v6 its frames: 64 samples of context + 512 new in [-1, 1], the carried state, sr 16000', async () => {
    const { run, calls } = stubVad();
    const samples = Float32Array.from({ length: 1100 }, (_, i) => i);
    await trimSilence(samples, run);
    expect(calls).toHaveLength(3);
    for (const [frame, feeds] of calls.entries()) {
      expect(feeds.input?.dims).toEqual([1, 576]);
      expect(feeds.state?.dims).toEqual([2, 1, 128]);
      expect(feeds.sr).toEqual({ type: 'int64', data: BigInt64Array.of(16_000n), dims: [] });
      expect(float32Of(feeds, 'state').every((x) => x === frame)).toBe(true);
    }
    const [, second, last] = calls.map((feeds) => float32Of(feeds, 'input'));
    expect(second?.[0]).toBeCloseTo(448 / 32_768, 8);
    expect(second?.[64]).toBeCloseTo(512 / 32_768, 8);
    expect(last?.[64 + 75]).toBeCloseTo(1099 / 32_768, 8);
    expect(last?.[64 + 76]).toBe(0);
  });

  it('keeps from the first speech frame − 0.1 s to the last + 0.1 s', async () => {
    // Speech in samples [16000, 24000): frames 31 (15872…) to 46 (…24064).
    const samples = clip(40_000, 16_000, 8000);
    const trimmed = await trimSilence(samples, stubVad().run);
    expect(trimmed).toEqual(samples.subarray(31 * 512 - 1600, 47 * 512 + 1600));
  });

  it('clamps the margins to the clip', async () => {
    const samples = clip(3000, 0, 3000);
    expect(await trimSilence(samples, stubVad().run)).toHaveLength(3000);
  });

  it('keeps a clip with no speech whole, and an empty one empty', async () => {
    expect(await trimSilence(new Float32Array(5000), stubVad().run)).toHaveLength(5000);
    expect(await trimSilence(new Float32Array(0), stubVad().run)).toHaveLength(0);
  });

  it('says what the model returned when it lacks an output', async () => {
    const run: RunVad = () =>
      Promise.resolve({ logits: { type: 'float32', data: new Float32Array(1), dims: [1] } });
    await expect(trimSilence(new Float32Array(512), run)).rejects.toThrow(
      'the VAD model gave no float32 "output" (outputs: logits)',
    );
  });
});

describe('speechSpan', () => {
  it('uses the 0.5 threshold inclusively', () => {
    expect(speechSpan(Float32Array.of(0.49, 0.5, 0.2, 0.2, 0.2, 0.2, 0.2), 7 * 512)).toEqual([
      0,
      2 * 512 + 1600,
    ]);
    expect(speechSpan(Float32Array.of(0.1, 0.49), 1024)).toEqual([0, 1024]);
  });
});
