/**
 * @module
 * A task's Durable Object: one per task (named by its tenant and id, `addresses.ts`), the only writer of that task.
 * It runs every change itself, one at a time (its storage calls are synchronous SQLite, so a change and its write
 * never interleave with another), which makes the version check of `If-Match` a real compare-and-swap and
 * concurrent example uploads all land. After each write it reports the task's summary to its tenant's
 * {@link TaskIndex} for listing; a report that fails is retried by an alarm, and sequence numbers let the index drop
 * reports that arrive out of order. Writers pass the object's own name, from which it knows its tenant and id.
 * It holds the task's heads in memory; its examples are rows (`example-rows.ts`), read only when a change, a
 * refit or the example list needs them.
 */
import { DurableObject } from 'cloudflare:workers';
import { toApiError } from '../error-handler.ts';
import { applyChange, type Applied, type ChangeOutcome, type TaskChange } from './changes.ts';
import {
  exampleRows,
  listRows,
  modalityRows,
  selectedRows,
  type ExampleEntry,
  type ExampleRow,
  type RowChange,
} from './example-rows.ts';
import { currentSequence, deleteTask, lastDeletedVersion, loadTask, saveTask } from './persist.ts';
import { addressOf, taskIndexName } from './addresses.ts';
import {
  classifyTaskOf,
  outlineOf,
  type ClassifyTask,
  type HeadsAnswer,
  type TaskOutline,
} from './heads-wire.ts';
import {
  clearPending,
  markPending,
  pendingRefit,
  runRefit,
  type PendingRefit,
  type RefitAnswer,
} from './refit-job.ts';
import { refusal, type Answer } from './rpc.ts';
import type { Task } from './schema.ts';
import { summaryOf, type TaskIndex } from './task-index.ts';

const retryIndexAfterMs = 5_000;

function unknownTask(id: string) {
  return refusal(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
}

/** The refusal an error of a change stands for; an error that is not a problem is a bug, and thrown. */
function refusalFor(error: unknown) {
  const known = toApiError(error);
  if (known === undefined) throw error;
  return refusal(known.status, known.code, known.message, known.options.extensions);
}

/** The refusal of a change to `current` (the stored task) when it is none, or not at the `expected` version. */
function refusalOf(id: string, current: Task | undefined, expected: number | undefined) {
  if (current === undefined) return unknownTask(id);
  if (expected === undefined || current.version === expected) return undefined;
  const detail = `the task ${JSON.stringify(id)} is at version ${current.version}, not ${expected}`;
  return refusal(412, 'version-mismatch', detail, { version: current.version });
}

export class TaskObject extends DurableObject<Env> {
  /** The stored task, read once per object instance (the object is its only writer); null: there is none. */
  #task: Task | null | undefined;
  /** The current task as classify reads it (`heads`), once built. */
  #wire: { readonly task: Task; readonly heads: ClassifyTask<Float32Array> } | undefined;
  /** The refit running, if any. */
  #refit: Promise<RefitAnswer> | undefined;

  #current(): Task | undefined {
    if (this.#task === undefined) this.#task = loadTask(this.ctx.storage) ?? null;
    return this.#task ?? undefined;
  }

  /** What a classify reads: the version alone when the edge holds the current heads (`known`), else them too. */
  heads(known?: number): HeadsAnswer | undefined {
    const task = this.#current();
    if (task === undefined) return undefined;
    if (task.version === known) return { version: known };
    // Decoded once per task state, not once per isolate that asks.
    if (this.#wire?.task !== task) this.#wire = { task, heads: classifyTaskOf(task) };
    return { version: task.version, task: this.#wire.heads };
  }

  /** What teaching reads before it embeds (the labels, each modality's model and head): no vectors. */
  outline(): TaskOutline | undefined {
    const task = this.#current();
    return task && outlineOf(task);
  }

  /** The task's heads (its examples are rows: {@link examples} lists them). */
  read(): Task | undefined {
    return this.#current();
  }

  /** Up to `limit` of the task's examples after the id `after` (no embeddings); undefined: no task. */
  examples(limit: number, after: number): { data: ExampleEntry[]; more: boolean } | undefined {
    if (this.#current() === undefined) return undefined;
    return listRows(this.ctx.storage.sql, limit, after);
  }

  /** Stores a new task; its version follows that of a task deleted under its id, if any (`persist.ts`). */
  /** Every row of up to `limit` examples after the id `after`, embeddings included (an export's page). */
  exampleRows(limit: number, after: number): ExampleRow[] | undefined {
    if (this.#current() === undefined) return undefined;
    return exampleRows(this.ctx.storage.sql, limit, after);
  }

  async create(name: string, task: Task): Promise<Answer<Task>> {
    if (this.#current() !== undefined) {
      return refusal(409, 'task-exists', `a task ${JSON.stringify(task.id)} already exists`);
    }
    const fresh = { ...task, version: Math.max(task.version, lastDeletedVersion(this.ctx.storage.sql) + 1) };
    const saved = this.#save(fresh, { clear: true });
    if (!saved.ok) return saved;
    await this.#report(name, saved.value);
    return { ok: true, value: fresh };
  }

  /**
   * Runs `change` on the stored task if its version is still `expected` (when given: the client's `If-Match`),
   * else answers 412 with the current version.
   */
  async apply(
    name: string,
    change: TaskChange,
    expected?: number,
  ): Promise<Answer<{ task: Task; outcome: ChangeOutcome }>> {
    const { id } = addressOf(name);
    const current = this.#current();
    const refused = refusalOf(id, current, expected);
    if (refused !== undefined || current === undefined) return refused ?? unknownTask(id);
    let result: Applied;
    try {
      const rowsOf = (selector: Parameters<typeof selectedRows>[1]) =>
        selectedRows(this.ctx.storage.sql, selector);
      result = applyChange(current, change, new Date(), rowsOf);
    } catch (error) {
      return refusalFor(error);
    }
    if (result.task !== current) {
      const saved = this.#save(result.task, result.rows);
      if (!saved.ok) return saved;
      await this.#report(name, saved.value);
    }
    return { ok: true, value: { task: result.task, outcome: result.outcome } };
  }

  /**
   * Refits the task out of the write path (`refit-job.ts`): other reads and writes go on meanwhile; the answer
   * comes when the refitted task is stored. A refit asked for while one runs shares its answer.
   */
  async refit(name: string, folds: number, expected?: number): Promise<RefitAnswer> {
    const { id } = addressOf(name);
    const current = this.#current();
    const refused = refusalOf(id, current, expected);
    if (refused !== undefined) return refused;
    markPending(this.ctx.storage.sql, { name, folds });
    await this.ctx.storage.setAlarm(Date.now());
    return this.#runRefit({ name, folds });
  }

  #runRefit({ name, folds }: PendingRefit): Promise<RefitAnswer> {
    const host = {
      current: () => this.#current(),
      rows: (modality: string) => modalityRows(this.ctx.storage.sql, modality),
      swap: async (_base: Task, next: Task) => {
        const saved = this.#save(next);
        if (saved.ok) await this.#report(name, saved.value);
        return saved;
      },
    };
    this.#refit ??= runRefit(host, addressOf(name).id, folds).finally(() => {
      this.#refit = undefined;
      clearPending(this.ctx.storage.sql);
    });
    return this.#refit;
  }

  /**
   * Stores `next` and the change to its rows (and it becomes the current task): the write's sequence number, or the
   * refusal of a task over a storage limit (then nothing is written).
   */
  #save(next: Task, rows: RowChange = {}): Answer<number> {
    try {
      const sequence = saveTask(this.ctx.storage, next, rows);
      this.#task = next;
      return { ok: true, value: sequence };
    } catch (error) {
      return refusalFor(error);
    }
  }

  /** Deletes the task; false when there was none. */
  async remove(name: string): Promise<boolean> {
    const current = this.#current();
    if (current === undefined) return false;
    const sequence = deleteTask(this.ctx.storage, current.version);
    this.#task = null;
    await this.#report(name, sequence);
    return true;
  }

  /** Runs a refit the object went away in the middle of, and sends the index report that failed earlier. */
  override async alarm(): Promise<void> {
    const refit = pendingRefit(this.ctx.storage.sql);
    if (refit !== undefined) await this.#runRefit(refit);
    // The row holds the object's name (a bare task id in rows written before tenants: the public tenant's).
    const pending = this.ctx.storage.sql.exec<{ id: string }>('SELECT id FROM index_pending').toArray()[0];
    if (pending === undefined) return;
    // Throwing makes the runtime retry the alarm with backoff.
    await this.#record(pending.id, currentSequence(this.ctx.storage.sql));
    this.ctx.storage.sql.exec('DELETE FROM index_pending');
  }

  /** Tells the index of the task's tenant the summary as of write `sequence`. */
  async #record(name: string, sequence: number): Promise<void> {
    const { tenant, id } = addressOf(name);
    const index: DurableObjectStub<TaskIndex> = this.env.TASK_INDEX.getByName(taskIndexName(tenant));
    await index.record(id, sequence, this.#summary());
  }

  #summary() {
    const task = this.#current();
    return task ? summaryOf(task) : null;
  }

  /** Tells the index about this write; when that fails the write stands and the alarm retries the report. */
  async #report(name: string, sequence: number): Promise<void> {
    try {
      await this.#record(name, sequence);
    } catch {
      this.ctx.storage.sql.exec('INSERT OR REPLACE INTO index_pending (id) VALUES (?)', name);
      await this.ctx.storage.setAlarm(Date.now() + retryIndexAfterMs);
    }
  }
}
