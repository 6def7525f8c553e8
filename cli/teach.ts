/**
 * @module
 * `examples add --task T DIR`: every item of the folder becomes one labelled example. Items go in batches (one
 * request each), with bounded concurrency and retries. A refused batch is retried item by item, and a refused item
 * file by file, so one corrupt file is reported and skipped while everything else is still added. Items already
 * added (per the state file) are skipped, so an interrupted run resumes where it stopped.
 *
 * Concurrent requests to one task are safe: the API applies each task's changes one at a time (a Durable Object
 * per task), so every example lands exactly once whatever the concurrency.
 */
import { ApiError, ok, withRetries, type ModalFuseClient, type RetryOptions } from '#client';
import { itemInputs, readFolder, type FolderItem } from './media.ts';
import { ResumeState } from './state.ts';

export interface TeachOptions {
  readonly task: string;
  readonly dir: string;
  readonly statePath: string;
  readonly concurrency: number;
  /** Items per request. */
  readonly batch: number;
  readonly retry?: RetryOptions;
  /** Stops taking new items; the ones in flight finish and are recorded. */
  readonly signal?: AbortSignal;
  /** Called after each item, for a progress bar. */
  readonly onItem?: (done: number, total: number) => void;
}

export interface Failure {
  readonly item: string;
  readonly file?: string;
  readonly error: string;
}

export interface TeachSummary {
  readonly items: number;
  readonly added: number;
  readonly files: number;
  readonly skipped: number;
  readonly failed: readonly Failure[];
  readonly ignored: readonly string[];
  readonly interrupted: boolean;
}

type Example = { label: string; inputs: Record<string, string> };
type Send = (examples: Example[]) => Promise<void>;

/** A refusal of this item's content (a 4xx other than auth, unknown task or rate limit), or an unreadable file. */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status >= 400 && error.status < 500 && ![401, 403, 404, 429].includes(error.status);
}

/** Adds one item: whole if the API takes it, else file by file. Returns how many files were added. */
async function addItem(item: FolderItem, send: Send, failed: Failure[]): Promise<number> {
  const entries = Object.entries(item.files);
  try {
    await send([{ label: item.label, inputs: await itemInputs(item.files) }]);
    return entries.length;
  } catch (error) {
    if (!isRefusal(error) || entries.length === 1) {
      if (!isRefusal(error)) throw error;
      failed.push({ item: item.key, file: entries[0]?.[1], error: (error as Error).message });
      return 0;
    }
  }
  let added = 0;
  for (const [modality, file] of entries) {
    try {
      await send([{ label: item.label, inputs: await itemInputs({ [modality]: file }) }]);
      added += 1;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      failed.push({ item: item.key, file, error: (error as Error).message });
    }
  }
  return added;
}

/** Adds a batch in one request if the API takes it whole, else item by item. Returns files added per item. */
async function addBatch(batch: readonly FolderItem[], send: Send, failed: Failure[]): Promise<number[]> {
  if (batch.length > 1) {
    try {
      const examples = await Promise.all(
        batch.map(async (item) => ({ label: item.label, inputs: await itemInputs(item.files) })),
      );
      await send(examples);
      return batch.map((item) => Object.keys(item.files).length);
    } catch (error) {
      if (!isRefusal(error)) throw error;
    }
  }
  const added: number[] = [];
  for (const item of batch) added.push(await addItem(item, send, failed));
  return added;
}

export async function teachFolder(api: ModalFuseClient, options: TeachOptions): Promise<TeachSummary> {
  const { task } = options;
  await ok(api.tasks.v1.tasks[':id'].$get({ param: { id: task } }));
  const folder = await readFolder(options.dir);
  const state = await ResumeState.load(options.statePath, task);
  const todo = folder.items.filter((item) => !state.has(item.key));
  const send: Send = async (examples) => {
    await withRetries(() => ok(api.teach(task, { examples })), options.retry);
  };
  const failed: Failure[] = [];
  const counts = { next: 0, added: 0, files: 0, finished: 0 };
  let fatal: { error: unknown } | undefined;
  const worker = async () => {
    while (counts.next < todo.length && !options.signal?.aborted && fatal === undefined) {
      const batch = todo.slice(counts.next, (counts.next += Math.max(1, options.batch)));
      try {
        const added = await addBatch(batch, send, failed);
        for (const [index, files] of added.entries()) {
          if (files === 0) continue;
          [counts.added, counts.files] = [counts.added + 1, counts.files + files];
          await state.add((batch[index] as FolderItem).key);
        }
      } catch (error) {
        fatal = { error };
      }
      counts.finished += batch.length;
      options.onItem?.(counts.finished, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  // Every worker has stopped and the state is written: a failure that concerns the whole run ends it now.
  if (fatal !== undefined) throw fatal.error;
  return {
    items: folder.items.length,
    added: counts.added,
    files: counts.files,
    skipped: folder.items.length - todo.length,
    failed,
    ignored: folder.ignored,
    interrupted: options.signal?.aborted === true && counts.finished < todo.length,
  };
}
