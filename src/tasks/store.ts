/**
 * @module
 * The Worker's side of task storage, for one tenant: each task lives in its own Durable Object ({@link TaskObject},
 * binding `TASK_OBJECTS`, addressed by tenant and task id, `addresses.ts`), which runs every change to it one at a
 * time — so concurrent writes never overwrite each other and `If-Match` is a real compare-and-swap. Listing reads
 * the tenant's {@link TaskIndex} (binding `TASK_INDEX`), which the task objects keep up to date. A store reaches
 * its tenant's tasks only: another tenant's task is, to it, a task that does not exist. Tasks read here are their
 * heads: their examples are rows in the task's object, listed a page at a time ({@link TaskStore.examples}).
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../problem.ts';
import type { ChangeOutcome, TaskChange } from './changes.ts';
import type { Tenant } from '../tenants/tenant.ts';
import { taskIndexName, taskObjectName } from './addresses.ts';
import { TaskIdSchema, type Task, type TaskSummary } from './schema.ts';
import type { TaskIndex } from './task-index.ts';
import type { Answer } from './rpc.ts';
import type { ExampleEntry, ExampleRow } from './example-rows.ts';
import type { TaskObject } from './task-object.ts';
import { HeadsCache, type CachedHeads } from './heads-cache.ts';
import type { HeadsAnswer, TaskOutline } from './heads-wire.ts';
import type { RefitReport } from './refit.ts';
import type { RefitAnswer } from './refit-job.ts';

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

function unknownTask(id: string): ApiError {
  return new ApiError(404, 'unknown-task', `there is no task ${JSON.stringify(id)}`);
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
  constructor(
    private readonly bindings: TaskBindings,
    private readonly tenant: Tenant,
    /** The isolate's heads (none kept when not given). */
    private readonly headsCache = new HeadsCache({ entries: 0, bytes: 0 }),
  ) {}

  /** The name of the task's object, and its stub. */
  #object(id: string): [string, DurableObjectStub<TaskObject>] {
    const name = taskObjectName({ tenant: this.tenant, id });
    return [name, this.bindings.TASK_OBJECTS.getByName(name)];
  }

  #index(): DurableObjectStub<TaskIndex> {
    return this.bindings.TASK_INDEX.getByName(taskIndexName(this.tenant));
  }

  async get(id: string): Promise<Task | undefined> {
    return (await this.#object(id)[1].read()) as Task | undefined;
  }

  /** What teaching reads of the task (`TaskOutline`: no vectors), or a 404 problem. */
  async outline(id: string): Promise<TaskOutline> {
    const outline = (await this.#object(id)[1].outline()) as TaskOutline | undefined;
    if (outline === undefined) throw unknownTask(id);
    return outline;
  }

  /** The task, or a 404 problem. */
  async require(id: string): Promise<Task> {
    const task = await this.get(id);
    if (task === undefined) throw unknownTask(id);
    return task;
  }

  /**
   * The task as classify reads it, and its heads: from the isolate's cache when the object's version is the one
   * kept (the object is asked on every call, so a write it acknowledged is seen), else built from what it sends.
   */
  async classifyHeads(id: string): Promise<CachedHeads> {
    const [name, object] = this.#object(id);
    let answer = (await object.heads(this.headsCache.version(name))) as HeadsAnswer | undefined;
    if (answer !== undefined && answer.task === undefined) {
      const hit = this.headsCache.get(name, answer.version);
      if (hit !== undefined) return hit;
      // Evicted by another request meanwhile: ask for the heads themselves.
      answer = (await object.heads()) as HeadsAnswer | undefined;
    }
    if (answer?.task === undefined) throw unknownTask(id);
    return this.headsCache.put(name, answer.task);
  }

  /** Stores a new task; a 409 problem if the id is taken. */
  async create(task: Task): Promise<Task> {
    const [name, object] = this.#object(task.id);
    return unwrap((await object.create(name, task)) as Answer<Task>);
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
    const [name, object] = this.#object(id);
    const answer = await object.apply(name, change, expected);
    return unwrap(answer as Answer<{ task: Task; outcome: ChangeOutcome }>);
  }

  /** Refits the task in its object, out of the write path (`refit-job.ts`); 412 unless at `expected` (if given). */
  async refit(id: string, folds: number, expected?: number): Promise<{ task: Task; report: RefitReport }> {
    const [name, object] = this.#object(id);
    return unwrap((await object.refit(name, folds, expected)) as RefitAnswer);
  }

  /** Up to `limit` of the task's examples after the id `after`, and whether more follow; a 404 problem. */
  async examples(id: string, limit: number, after: number): Promise<{ data: ExampleEntry[]; more: boolean }> {
    const page = (await this.#object(id)[1].examples(limit, after)) as
      { data: ExampleEntry[]; more: boolean } | undefined;
    if (page === undefined) throw unknownTask(id);
    return page;
  }

  /** Every row of up to `limit` examples after the id `after`, embeddings included; a 404 problem. */
  async exampleRows(id: string, limit: number, after: number): Promise<ExampleRow[]> {
    const rows = (await this.#object(id)[1].exampleRows(limit, after)) as ExampleRow[] | undefined;
    if (rows === undefined) throw unknownTask(id);
    return rows;
  }

  /** Whether there was a task to delete. */
  async delete(id: string): Promise<boolean> {
    const [name, object] = this.#object(id);
    return object.remove(name);
  }

  async list(limit: number, cursor?: string): Promise<TaskPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const page = await this.#index().list(limit, after);
    return page.last === undefined
      ? { data: page.data }
      : { data: page.data, cursor: encodeCursor(page.last) };
  }

  /** How many tasks the tenant has. */
  async count(): Promise<number> {
    return this.#index().count();
  }
}
