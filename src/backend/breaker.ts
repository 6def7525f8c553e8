/**
 * @module
 * A circuit breaker per backend URL, kept per isolate (Workers reuse an isolate for many requests): after
 * `threshold` consecutive failures the circuit opens and the backend gets no traffic for a cooldown that doubles
 * on every failure while open (up to `maxCooldownMs`); when the cooldown ends one request is let through as a
 * trial (half-open), and its success closes the circuit. `outstanding` counts requests in flight, for
 * least-outstanding-requests balancing.
 */

export interface BreakerOptions {
  readonly threshold: number;
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

export const defaultBreakerOptions: BreakerOptions = {
  threshold: 2,
  cooldownMs: 2_000,
  maxCooldownMs: 30_000,
};

export class Breaker {
  outstanding = 0;
  #failures = 0;
  #openUntil = 0;
  #cooldownMs: number;
  #trialInFlight = false;

  constructor(readonly options: BreakerOptions = defaultBreakerOptions) {
    this.#cooldownMs = options.cooldownMs;
  }

  /** Whether a request may go to this backend now (a half-open circuit lets one trial through at a time). */
  available(now = Date.now()): boolean {
    if (this.#failures < this.options.threshold) return true;
    return now >= this.#openUntil && !this.#trialInFlight;
  }

  /** Marks the start of a request; returns whether it is the trial of a half-open circuit. */
  begin(): boolean {
    this.outstanding++;
    const trial = this.#failures >= this.options.threshold;
    if (trial) this.#trialInFlight = true;
    return trial;
  }

  /**
   * Marks the end of a request: `healthy` when the backend answered (even a refusal of the client's input),
   * `down` when it could not be reached, timed out or failed.
   */
  end(trial: boolean, outcome: 'healthy' | 'down', now = Date.now()): void {
    this.outstanding--;
    if (trial) this.#trialInFlight = false;
    if (outcome === 'healthy') {
      this.#failures = 0;
      this.#cooldownMs = this.options.cooldownMs;
      return;
    }
    this.#failures++;
    if (this.#failures < this.options.threshold) return;
    if (trial) this.#cooldownMs = Math.min(this.#cooldownMs * 2, this.options.maxCooldownMs);
    this.#openUntil = Math.max(this.#openUntil, now + this.#cooldownMs);
  }

  /** Milliseconds until the circuit lets a trial through; 0 when closed or half-open. */
  waitMs(now = Date.now()): number {
    return this.#failures < this.options.threshold ? 0 : Math.max(0, this.#openUntil - now);
  }
}
