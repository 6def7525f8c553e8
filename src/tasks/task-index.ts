/**
 * @module
 * The list of a tenant's tasks: one Durable Object per tenant (`addresses.ts`), holding a summary per task, written
 * by the tasks' own objects after each of their writes (so tenants' indexes also spread the write load). Each report carries the task object's write sequence number, and a report older than the one
 * stored is ignored, so reports arriving out of order (or retried late) cannot bring back a deleted task or an old
 * summary. A deleted task leaves a row without a summary (its sequence number), for the same reason.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Task, TaskSummary } from './schema.ts';

/** What the task list shows of a task. */
export function summaryOf(task: Task): TaskSummary {
  return {
    id: task.id,
    labels: task.labels.length,
    modalities: Object.keys(task.modalities),
    version: task.version,
    updatedAt: task.updatedAt,
  };
}

export interface IndexPage {
  readonly data: TaskSummary[];
  /** The last id of this page when there are more. */
  readonly last?: string;
}

export class TaskIndex extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, summary TEXT)',
    );
  }

  /** Records a task's summary (null: deleted) as of its object's write `sequence`, unless a later one is there. */
  record(id: string, sequence: number, summary: TaskSummary | null): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO tasks (id, seq, summary) VALUES (?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, summary = excluded.summary WHERE excluded.seq > tasks.seq`,
      id,
      sequence,
      summary === null ? null : JSON.stringify(summary),
    );
  }

  /** How many tasks exist. */
  count(): number {
    return this.ctx.storage.sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM tasks WHERE summary IS NOT NULL')
      .one().n;
  }

  /** Up to `limit` summaries in id order, after the id `after` when given. */
  list(limit: number, after?: string): IndexPage {
    const rows = this.ctx.storage.sql
      .exec<{ id: string; summary: string }>(
        'SELECT id, summary FROM tasks WHERE summary IS NOT NULL AND id > ? ORDER BY id LIMIT ?',
        after ?? '',
        limit + 1,
      )
      .toArray();
    const data = rows.slice(0, limit).map((row) => JSON.parse(row.summary) as TaskSummary);
    return rows.length > limit ? { data, last: data[data.length - 1]?.id } : { data };
  }
}
