/**
 * @module
 * The pool's policy with in-memory members (the real thing, two backend processes, is in
 * `test/e2e/pool.test.ts`): least outstanding requests, failover within the retry budget, no retry of the
 * client's faults, circuit breakers that open, answer at once, and close again after a good trial.
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalInput } from '../../adapters/types.ts';
import { BackendError, BackendInputError } from './errors.ts';
import { createBackendPool, createBalancerState } from './load-balancer.ts';
import type { BackendClient } from './types.ts';

interface FakeMember extends BackendClient {
  calls: number;
  behaviour: 'ok' | 'down' | 'busy' | 'refuse' | 'hang';
  release(): void;
}

function member(name: string): FakeMember {
  let release = () => {};
  const fake: FakeMember = {
    url: `http://${name}.test`,
    calls: 0,
    behaviour: 'ok',
    release: () => release(),
    async embed(_model, inputs) {
      fake.calls++;
      if (fake.behaviour === 'down') throw new BackendError('unavailable', `${name} is down`);
      if (fake.behaviour === 'busy') throw new BackendError('unavailable', `${name} is busy`, 1, true);
      if (fake.behaviour === 'refuse') throw new BackendInputError('m', 'bad bytes');
      if (fake.behaviour === 'hang') await new Promise<void>((resolve) => (release = resolve));
      return inputs.map(() => Float32Array.of(name.length));
    },
    models: () => Promise.resolve([]),
    model: () => Promise.reject(new BackendError('unknown-model', 'none')),
    ready: () => Promise.resolve(fake.behaviour !== 'down'),
  };
  return fake;
}

const input: CanonicalInput[] = [
  { modality: 'text', bytes: new Uint8Array([1]), mimeType: 'text/plain', meta: {} },
];
const breaker = { threshold: 2, cooldownMs: 20, maxCooldownMs: 40 };

describe('backend pool', () => {
  it('sends a call to the backend with the fewest requests in flight', async () => {
    const [a, b] = [member('a'), member('b')];
    a.behaviour = 'hang';
    const pool = createBackendPool([a, b], createBalancerState());
    const first = pool.embed('m', input);
    await Promise.resolve();
    b.behaviour = 'hang';
    const second = pool.embed('m', input);
    await Promise.resolve();
    expect([a.calls, b.calls]).toEqual([1, 1]);
    a.release();
    b.release();
    await Promise.all([first, second]);
  });

  it('takes turns between idle backends, across requests (a pool is rebuilt per request)', async () => {
    const [a, b] = [member('a'), member('b')];
    const state = createBalancerState();
    for (let i = 0; i < 4; i++) await createBackendPool([a, b], state).embed('m', input);
    expect([a.calls, b.calls]).toEqual([2, 2]);
  });

  it('retries a down backend’s call on another one', async () => {
    const [a, b] = [member('a'), member('bb')];
    a.behaviour = 'down';
    const pool = createBackendPool([a, b], createBalancerState());
    for (let i = 0; i < 4; i++) expect((await pool.embed('m', input))[0]?.[0]).toBe(2);
    // a's circuit opened after two failures: later calls skip it.
    expect(a.calls).toBe(2);
  });

  it('never ejects a busy backend: overload answers at once and ends when the queue drains', async () => {
    const lone = member('a');
    const state = createBalancerState();
    lone.behaviour = 'busy';
    for (let i = 0; i < 3; i++)
      await expect(createBackendPool([lone], state).embed('m', input)).rejects.toThrow('busy');
    lone.behaviour = 'ok';
    // Before: two busy answers opened the circuit, and this call was refused without reaching the backend.
    expect((await createBackendPool([lone], state).embed('m', input))[0]?.[0]).toBe(1);
    expect(lone.calls).toBe(4);
  });

  it('tries another backend when one is busy', async () => {
    const [a, b] = [member('a'), member('bb')];
    a.behaviour = 'busy';
    const pool = createBackendPool([a, b], createBalancerState(), { breaker });
    for (let i = 0; i < 4; i++) expect((await pool.embed('m', input))[0]?.[0]).toBe(2);
    expect(a.calls).toBeGreaterThanOrEqual(2);
  });

  it('does not retry what the client got wrong, nor count it against the backend', async () => {
    const [a, b] = [member('a'), member('b')];
    a.behaviour = 'refuse';
    b.behaviour = 'refuse';
    const pool = createBackendPool([a, b], createBalancerState());
    for (let i = 0; i < 3; i++)
      await expect(pool.embed('m', input)).rejects.toBeInstanceOf(BackendInputError);
    expect(a.calls + b.calls).toBe(3);
  });

  it('fails at once with Retry-After when every circuit is open, and closes after a good trial', async () => {
    const [a, b] = [member('a'), member('b')];
    a.behaviour = b.behaviour = 'down';
    const pool = createBackendPool([a, b], createBalancerState(), { breaker });
    for (let i = 0; i < 2; i++) await expect(pool.embed('m', input)).rejects.toBeInstanceOf(BackendError);
    expect(a.calls + b.calls).toBe(4);
    const refused = await pool.embed('m', input).catch((error: unknown) => error);
    expect(refused).toMatchObject({ kind: 'unavailable', retryAfter: 1 });
    expect((refused as Error).message).toMatch(/every circuit is open/);
    expect(a.calls + b.calls).toBe(4);
    a.behaviour = 'ok';
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await pool.embed('m', input)).toHaveLength(1);
  });

  it('stops retrying when the retry budget is spent', async () => {
    const [a, b] = [member('a'), member('b')];
    a.behaviour = 'down';
    const pool = createBackendPool([a, b], createBalancerState(), { retryRatio: 0, retryReserve: 1 });
    expect(await pool.embed('m', input)).toHaveLength(1);
    await expect(pool.embed('m', input)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(a.calls).toBe(2);
  });

  it('is ready when any backend is, and its probes feed the breakers', async () => {
    const [a, b] = [member('a'), member('bb')];
    a.behaviour = 'down';
    const pool = createBackendPool([a, b], createBalancerState(), { breaker });
    expect(await pool.ready()).toBe(true);
    expect(await pool.ready()).toBe(true);
    expect((await pool.embed('m', input))[0]?.[0]).toBe(2);
    expect(a.calls).toBe(0);
    b.behaviour = 'down';
    expect(await pool.ready()).toBe(false);
  });

  it('answers 503-worthy errors with no backend configured', async () => {
    await expect(createBackendPool([], createBalancerState()).embed('m', input)).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect(await createBackendPool([], createBalancerState()).ready()).toBe(false);
  });
});
