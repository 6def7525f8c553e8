/**
 * @module
 * A task's refit as its Durable Object runs it: out of the write path. The refit is computed in slices
 * (`refit.ts`), yielding to the object's other requests between them, so reads (classify asks for the version on
 * every call) and writes go on while it runs, against the old heads. When it is done the object swaps the new task
 * in, in one transaction — if the task is still the one the refit started from. If a write came in meanwhile, the
 * result is thrown away (never applied over a newer task: a refit of the old examples would undo it) and the refit
 * starts again on the new one, up to {@link maxRefitAttempts} times. A refit asked for is recorded first and the
 * object's alarm set, so that an object that goes away mid-refit runs it again when it comes back. The answer
 * carries the task's heads, as every answer of the object does (its examples are rows, not part of it).
 */
import { refusal, type Answer } from './rpc.ts';
import { refitTask, type Pause, type RefitReport, type RowSource } from './refit.ts';
import type { Task } from './schema.ts';

export const maxRefitAttempts = 3;

/** A timer of 1 ms, not a microtask nor a 0 ms timer (which is ready before an incoming request is): the object's requests are delivered in between. */
const yieldToRequests: Pause = () => new Promise((resolve) => setTimeout(resolve, 1));

export interface PendingRefit {
  /** The object's name (its tenant and task id). */
  readonly name: string;
  readonly folds: number;
}

const pendingTable =
  'CREATE TABLE IF NOT EXISTS refit_pending (name TEXT PRIMARY KEY, folds INTEGER NOT NULL)';

export function markPending(sql: SqlStorage, { name, folds }: PendingRefit): void {
  sql.exec(pendingTable);
  sql.exec('INSERT OR REPLACE INTO refit_pending (name, folds) VALUES (?, ?)', name, folds);
}

export function pendingRefit(sql: SqlStorage): PendingRefit | undefined {
  sql.exec(pendingTable);
  return sql.exec<{ name: string; folds: number }>('SELECT name, folds FROM refit_pending').toArray()[0];
}

export function clearPending(sql: SqlStorage): void {
  sql.exec(pendingTable);
  sql.exec('DELETE FROM refit_pending');
}

/** What the object lends a refit: its task as it is now, and the swap of a refitted one in its place. */
export interface RefitHost {
  current(): Task | undefined;
  /** The current task's example rows. */
  readonly rows: RowSource;
  /** Stores the refitted task in place of `base` (the current one), or answers why it cannot. */
  swap(base: Task, next: Task): Promise<Answer<number>>;
}

export type RefitAnswer = Answer<{ task: Task; report: RefitReport }>;

/** Refits until a result lands on the task it was computed from (see the module's notes). */
export async function runRefit(host: RefitHost, id: string, folds: number): Promise<RefitAnswer> {
  for (let attempt = 0; attempt < maxRefitAttempts; attempt++) {
    const base = host.current();
    if (base === undefined) return refusal(404, 'unknown-task', `the task ${JSON.stringify(id)} was deleted`);
    const { task, report } = await refitTask(base, host.rows, new Date(), folds, yieldToRequests);
    // The same object, not only the same version: any write meanwhile (a teach, a replace) made another.
    if (host.current() === base) {
      const swapped = await host.swap(base, task);
      return swapped.ok ? { ok: true, value: { task, report } } : swapped;
    }
  }
  const detail = `the task ${JSON.stringify(id)} changed during each of ${maxRefitAttempts} refits; refit it again when its writes settle`;
  return refusal(409, 'task-busy', detail);
}
