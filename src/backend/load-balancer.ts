/**
 * @module
 * A pool of inference backends behind the one {@link BackendClient} interface: each call goes to the available
 * backend with the fewest requests in flight (ties taken in turn), and a backend that is down (unreachable, timed
 * out, 5xx) is retried on another one, within a retry budget so that an outage does not multiply the load on the
 * survivors. Each backend has a circuit breaker (`breaker.ts`); with every circuit open the pool fails at once
 * with a `Retry-After` of the time until the first trial. `ready()` probes every backend and feeds the breakers,
 * so a readiness poller (`/readyz`) doubles as the active health check. What it keeps between requests (the
 * breakers by backend URL, each pool's retry budget and turn) is a {@link BalancerState} handed in, one per isolate.
 */
import { Breaker, defaultBreakerOptions, type BreakerOptions } from './breaker.ts';
import { BackendError } from './errors.ts';
import type { BackendClient } from './types.ts';

export interface PoolOptions {
  readonly breaker?: BreakerOptions;
  /** Retries earned per call made. */
  readonly retryRatio?: number;
  /** Retries the budget can hold (and starts with), so that a burst of failures can still be absorbed. */
  readonly retryReserve?: number;
}

/** Retries are tokens: each call earns `ratio` of one, up to `reserve`; each retry spends one. */
class RetryBudget {
  #tokens: number;

  constructor(
    readonly ratio: number,
    readonly reserve: number,
  ) {
    this.#tokens = reserve;
  }

  earn(): void {
    this.#tokens = Math.min(this.reserve, this.#tokens + this.ratio);
  }

  spend(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }
}

/** What a pool keeps between requests: its retry budget and whose turn a tie is. */
interface PoolState {
  readonly budget: RetryBudget;
  turn: number;
}

/** What every pool of an isolate keeps between requests (a pool is rebuilt per request from the configuration). */
export interface BalancerState {
  /** By backend URL: a backend shared by two pools has one breaker. */
  readonly breakers: Map<string, Breaker>;
  /** By the pool's members' URLs. */
  readonly pools: Map<string, PoolState>;
}

export function createBalancerState(): BalancerState {
  return { breakers: new Map(), pools: new Map() };
}

function breakerFor(state: BalancerState, url: string, options: BreakerOptions): Breaker {
  const breaker = state.breakers.get(url) ?? new Breaker(options);
  state.breakers.set(url, breaker);
  return breaker;
}

/** Worth another member: this one is down or busy. */
function isUnavailable(error: unknown): error is BackendError {
  return error instanceof BackendError && error.kind === 'unavailable';
}

/**
 * Counts against the member's breaker. A busy member (a full queue: 429, or 503 with `Retry-After`) answered, so it
 * is up: ejecting it would turn a moment of overload into an outage that the doubling cooldown stretches to 30 s.
 */
function isDown(error: unknown): boolean {
  return isUnavailable(error) && !error.busy;
}

export function createBackendPool(
  members: readonly BackendClient[],
  kept: BalancerState,
  options: PoolOptions = {},
): BackendClient {
  const url = members.map((member) => member.url).join(',');
  const breakerOptions = options.breaker ?? defaultBreakerOptions;
  const states = members.map((member) => breakerFor(kept, member.url, breakerOptions));
  const state = kept.pools.get(url) ?? {
    budget: new RetryBudget(options.retryRatio ?? 0.5, options.retryReserve ?? 32),
    turn: 0,
  };
  kept.pools.set(url, state);
  const { budget } = state;

  /** `rotate`: whether this call takes a turn; metadata calls do not, else they would fall into step with embeds. */
  function pick(tried: ReadonlySet<number>, rotate: boolean): number | undefined {
    const now = Date.now();
    let best: number | undefined;
    for (let k = 0; k < members.length; k++) {
      const i = (state.turn + k) % members.length;
      const breaker = states[i] as Breaker;
      if (tried.has(i) || !breaker.available(now)) continue;
      if (best === undefined || breaker.outstanding < (states[best] as Breaker).outstanding) best = i;
    }
    if (rotate) state.turn++;
    return best;
  }

  function exhausted(tried: number, last: BackendError | undefined): BackendError {
    const waitMs = Math.min(...states.map((state) => state.waitMs()));
    const retryAfter = Number.isFinite(waitMs) ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined;
    if (members.length === 0) return new BackendError('unavailable', 'no inference backend is configured');
    const why = last === undefined ? 'every circuit is open' : last.message;
    const detail = `no inference backend could answer (${members.length} configured, ${tried} tried): ${why}`;
    return new BackendError('unavailable', detail, retryAfter ?? last?.retryAfter);
  }

  async function call<T>(work: (member: BackendClient) => Promise<T>, rotate = false): Promise<T> {
    budget.earn();
    const tried = new Set<number>();
    let last: BackendError | undefined;
    for (;;) {
      const i = pick(tried, rotate);
      if (i === undefined || (tried.size > 0 && !budget.spend())) throw exhausted(tried.size, last);
      tried.add(i);
      const state = states[i] as Breaker;
      const trial = state.begin();
      try {
        const result = await work(members[i] as BackendClient);
        state.end(trial, 'healthy');
        return result;
      } catch (error) {
        state.end(trial, isDown(error) ? 'down' : 'healthy');
        if (!isUnavailable(error)) throw error;
        last = error;
      }
    }
  }

  async function ready(): Promise<boolean> {
    const answers = await Promise.all(
      members.map(async (member, i) => {
        const state = states[i] as Breaker;
        const trial = state.begin();
        const up = await member.ready();
        state.end(trial, up ? 'healthy' : 'down');
        return up;
      }),
    );
    return answers.includes(true);
  }

  return {
    url,
    embed: (model, inputs, signal) => call((member) => member.embed(model, inputs, signal), true),
    models: () => call((member) => member.models()),
    model: (name) => call((member) => member.model(name)),
    ready,
  };
}
