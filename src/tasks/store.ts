/**
 * @module
 * The Worker's side of task storage: each task lives in its own Durable Object ({@link TaskObject}, binding
 * `TASK_OBJECTS`, addressed by the task id), which runs every change to it one at a time — so concurrent writes
 * never overwrite each other and `If-Match` is a real compare-and-swap. Listing reads the {@link TaskIndex}
 * (binding `TASK_INDEX`), which the task objects keep up to date. Tasks read here carry their stored examples'
 * ids and labels but not their embeddings (`embedding: ""`): only changes use those, and changes run inside the
 * task's object.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../problem.ts';
import type { ChangeOutcome, TaskChange } from './changes.ts';
import { TaskIdSchema, type Task, type TaskSummary } from './schema.ts';
import type { TaskIndex } from './task-index.ts';
import { indexName, type Answer } from './rpc.ts';
import type { TaskObject } from './task-object.ts';

export interface TaskBindings {
  readonly TASK_OBJECTS: DurableObjectNamespace<TaskObject>;
  readonly TASK_INDEX: DurableObjectNamespace<TaskIndex>;
}

export interface TaskPage {
  readonly data: TaskSummary[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly cursor?: string;
}

function unwrap<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  const { status, code, detail, extensions } = answer.problem;
  throw new ApiError(status as ContentfulStatusCode, code, detail, extensions ? { extensions } : {});
}

/** Cursors are the last id of a page, base64url: opaque to clients, checked on the way back. */
function encodeCursor(id: string): string {
  return btoa(id).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function decodeCursor(cursor: string): string {
  let id = '';
  try {
    id = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    // Left empty: refused below.
  }
  if (!TaskIdSchema.safeParse(id).success) {
    throw new ApiError(400, 'invalid-cursor', 'the cursor is not one this API returned');
  }
  return id;
}

export class TaskStore {
  constructor(private readonly bindings: TaskBindings) {}

  #object(id: string): DurableObjectStub<TaskObject> {
    return this.bindings.TASK_OBJECTS.getByName(id);
  }

  async get(id: string): Promise<Task | undefined> {
    return (await this.#object(id).read()) as Task | undefined;
  }

  /** The task, or a 404 problem. */
  async require(id: string): Promise<Task> {
    const task = await this.get(id);
    if (task === undefined) throw new ApiError(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
    return task;
  }

  /** Stores a new task; a 409 problem if the id is taken. */
  async create(task: Task): Promise<Task> {
    return unwrap((await this.#object(task.id).create(task)) as Answer<Task>);
  }

  /**
   * Runs `change` on the task inside its object, if the stored version is still `expected` (when given: the
   * client's `If-Match`) — else a 412 problem.
   */
  async apply(
    id: string,
    change: TaskChange,
    expected?: number,
  ): Promise<{ task: Task; outcome: ChangeOutcome }> {
    const answer = await this.#object(id).apply(id, change, expected);
    return unwrap(answer as Answer<{ task: Task; outcome: ChangeOutcome }>);
  }

  /** Whether there was a task to delete. */
  async delete(id: string): Promise<boolean> {
    return this.#object(id).remove(id);
  }

  async list(limit: number, cursor?: string): Promise<TaskPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const page = await this.bindings.TASK_INDEX.getByName(indexName).list(limit, after);
    return page.last === undefined
      ? { data: page.data }
      : { data: page.data, cursor: encodeCursor(page.last) };
  }
}
