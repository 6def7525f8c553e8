/**
 * @module
 * A setup file of the projects that call the Worker through its own entry (`exports.default.fetch`): each file
 * ends only once the work its last requests left for after their answers (cache writes `deferDelayMs` later, log
 * lines a turn later; `src/defer.ts`) has had time to finish. A log line written after its file has ended is never
 * delivered to vitest: its console RPC stays pending until the run ends, which then fails (or stalled, once).
 * Calls made in the test's own context wait for that work themselves (`waitOnExecutionContext`).
 */
import { afterAll } from 'vitest';
import { deferDelayMs } from '../../src/defer.ts';

/** Miniflare's Cache API write takes a few ms of CPU; ten times the delay leaves room on a busy machine. */
const settleMs = 10 * deferDelayMs;

afterAll(() => new Promise((resolve) => setTimeout(resolve, settleMs)));
