/**
 * @module
 * Tasks in Workers KV under `task:<id>`, with a small summary as KV metadata so that listing is one call.
 *
 * KV is eventually consistent and has no compare-and-swap: two concurrent writes to one task (two example
 * uploads) can lose one of them, and a create racing another create of the same id can overwrite it. `version`
 * counts writes: {@link TaskStore.update} re-reads it before writing and redoes a change that lost, and clients
 * can send `If-Match: <version>`. Strict consistency needs a Durable Object per task (not done yet).
 */
import { ApiError } from '../problem.ts';
import { TaskSchema, type Task, type TaskSummary } from './schema.ts';

const prefix = 'task:';

/** How often {@link TaskStore.update} redoes a change that lost a race. */
export const updateAttempts = 3;

export interface TaskPage {
  readonly data: TaskSummary[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
}

function summaryOf(task: Task): TaskSummary {
  return {
    id: task.id,
    labels: task.labels.length,
    modalities: Object.keys(task.modalities),
    version: task.version,
    updatedAt: task.updatedAt,
  };
}

export class TaskStore {
  constructor(private readonly kv: KVNamespace) {}

  async get(id: string): Promise<Task | undefined> {
    const stored = await this.kv.get(prefix + id, 'json');
    if (stored === null) return undefined;
    const parsed = TaskSchema.safeParse(stored);
    if (!parsed.success) throw new Error(`stored task ${id} does not match the task schema`);
    return parsed.data;
  }

  /** The task, or a 404 problem. */
  async require(id: string): Promise<Task> {
    const task = await this.get(id);
    if (task === undefined) throw new ApiError(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
    return task;
  }

  /** Stores a new task; a 409 problem if the id is taken. */
  async create(task: Task): Promise<void> {
    if ((await this.kv.get(prefix + task.id)) !== null) {
      throw new ApiError(409, 'task-exists', `a task ${JSON.stringify(task.id)} already exists`);
    }
    await this.save(task);
  }

  /**
   * Applies `change` to the stored task and saves the result, if the stored version is still `expected` (when
   * given: the client's `If-Match`) — else a 412 problem. A write that lost a race with another (the version moved
   * between read and write) is redone on the fresh task, up to {@link updateAttempts} times, then answered 409.
   * KV has no compare-and-swap, so this narrows the window to one read-then-put rather than closing it.
   */
  async update(id: string, change: (task: Task) => Task, expected?: number): Promise<Task> {
    for (let attempt = 0; attempt < updateAttempts; attempt++) {
      const current = await this.require(id);
      if (expected !== undefined && current.version !== expected) {
        const detail = `the task ${JSON.stringify(id)} is at version ${current.version}, not ${expected}`;
        throw new ApiError(412, 'version-mismatch', detail, { extensions: { version: current.version } });
      }
      const next = change(current);
      if (next === current) return current;
      const latest = await this.get(id);
      if (latest?.version !== current.version) continue;
      await this.save(next);
      return next;
    }
    throw new ApiError(409, 'version-conflict', `the task ${JSON.stringify(id)} kept changing; try again`);
  }

  async save(task: Task): Promise<void> {
    await this.kv.put(prefix + task.id, JSON.stringify(task), { metadata: summaryOf(task) });
  }

  /** Whether there was a task to delete. */
  async delete(id: string): Promise<boolean> {
    if ((await this.kv.get(prefix + id)) === null) return false;
    await this.kv.delete(prefix + id);
    return true;
  }

  async list(limit: number, cursor?: string): Promise<TaskPage> {
    const page = await this.kv
      .list<TaskSummary>({ prefix, limit, ...(cursor ? { cursor } : {}) })
      .catch((error) => {
        // KV refuses a cursor it did not issue; without one, a failure is ours.
        if (cursor) throw new ApiError(400, 'invalid-cursor', 'the cursor is not one this API returned');
        throw error;
      });
    const data = page.keys.map(
      (key) =>
        key.metadata ?? {
          id: key.name.slice(prefix.length),
          labels: 0,
          modalities: [],
          version: 0,
          updatedAt: '',
        },
    );
    return page.list_complete ? { data } : { data, cursor: page.cursor };
  }
}
