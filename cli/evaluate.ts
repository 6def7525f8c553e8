/**
 * @module
 * `evaluate --task T DIR`: accuracy of every single modality and every fusion strategy on a labelled folder. Uses
 * the API's `POST /v1/tasks/{id}/evaluate` (which adds macro-F1, log-loss and a recommended strategy) where the
 * API has it; otherwise, or for more items than it takes at once, evaluates client-side: one batch classify per
 * item with one entry per strategy. Either way the task is left unchanged.
 */
import { ApiError, ok, withRetries, type ModalFuseClient } from '#client';
import type { CoverageRow, ReportInput, Row } from '../src/report/input.ts';

export type { CoverageRow, Row };
import { itemInputs, readFolder, type FolderItem } from './media.ts';

/** The API route's limit on items per evaluation. */
const maxApiItems = 256;

/** The report's input (`src/report/input.ts`), as the CLI fills it, with the items that could not be classified. */
export interface Evaluation extends Omit<ReportInput, 'task' | 'source' | 'items'> {
  /** `api`: the API's evaluation route; `client`: classified item by item here (no coverage, curve or detail). */
  readonly source: 'api' | 'client';
  readonly items: number;
  readonly failed: readonly { item: string; error: string }[];
}

interface Tally {
  readonly name: string;
  correct: number;
  total: number;
}

const rowOf = (t: Tally): Row => ({
  name: t.name,
  n: t.total,
  accuracy: t.total ? t.correct / t.total : null,
});

/** The API lists its strategies when refusing an unknown one; that is the only place it names them today. */
export async function knownStrategies(api: ModalFuseClient, task: string): Promise<string[]> {
  const probe = { task, inputs: { text: 'probe' }, fusion: { strategy: '(list)' } };
  try {
    await ok(api.classify(probe));
  } catch (error) {
    const known = error instanceof ApiError ? error.body.known : undefined;
    if (Array.isArray(known) && known.every((name) => typeof name === 'string')) return known;
    throw error;
  }
  throw new Error('the API accepted an unknown fusion strategy, so it cannot list its strategies');
}

function tally(tallies: Tally[], name: string, correct: boolean): void {
  let entry = tallies.find((candidate) => candidate.name === name);
  if (entry === undefined) tallies.push((entry = { name, correct: 0, total: 0 }));
  entry.total += 1;
  if (correct) entry.correct += 1;
}

interface Tallies {
  readonly strategies: Tally[];
  readonly modalities: Tally[];
}

async function evaluateItem(
  api: ModalFuseClient,
  task: string,
  strategies: string[],
  item: FolderItem,
  into: Tallies,
) {
  const inputs = await itemInputs(item.files);
  const items = strategies.map((strategy) => ({ inputs, fusion: { strategy } }));
  const answer = await withRetries(() => ok(api.classify({ task, items })));
  // A batch (`items`) is answered by an array in order; the items are the same inputs, refused alike or not at all.
  const answers = (Array.isArray(answer) ? answer : [answer]).map((entry) => {
    if ('error' in entry) throw new Error(entry.error.detail);
    return entry;
  });
  answers.forEach((answer, index) =>
    tally(into.strategies, strategies[index] ?? '?', answer.label === item.label),
  );
  // Per-modality answers do not depend on the strategy: the first one is read.
  for (const [modality, result] of Object.entries(answers[0]?.modalities ?? {})) {
    tally(into.modalities, modality, result.label === item.label);
  }
}

async function evaluateOnClient(
  api: ModalFuseClient,
  task: string,
  items: readonly FolderItem[],
  concurrency: number,
) {
  const strategies = await knownStrategies(api, task);
  const tallies: Tallies = {
    strategies: strategies.map((name) => ({ name, correct: 0, total: 0 })),
    modalities: [],
  };
  const failed: { item: string; error: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as FolderItem;
      await evaluateItem(api, task, strategies, item, tallies).catch((error: unknown) => {
        if (error instanceof ApiError && [0, 401, 403, 404].includes(error.status)) throw error;
        failed.push({ item: item.key, error: (error as Error).message });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const [byStrategy, byModality] = [tallies.strategies.map(rowOf), tallies.modalities.map(rowOf)];
  return {
    source: 'client',
    items: items.length,
    strategies: byStrategy,
    modalities: byModality,
    failed,
  } as const;
}

/** The API's evaluation, or undefined when this API has no such route. */
async function evaluateOnApi(
  api: ModalFuseClient,
  task: string,
  items: readonly FolderItem[],
): Promise<Evaluation | undefined> {
  const failed: { item: string; error: string }[] = [];
  const examples: { label: string; inputs: Record<string, string> }[] = [];
  for (const item of items) {
    try {
      examples.push({ label: item.label, inputs: await itemInputs(item.files) });
    } catch (error) {
      failed.push({ item: item.key, error: (error as Error).message });
    }
  }
  const evaluate = api.tasks.v1.tasks[':id'].evaluate;
  try {
    const answer = await withRetries(() => ok(evaluate.$post({ param: { id: task }, json: { examples } })));
    return { source: 'api', items: items.length, ...answer, failed };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.body.code === 'no-route') return undefined;
    throw error;
  }
}

export async function evaluateFolder(
  api: ModalFuseClient,
  task: string,
  dir: string,
  concurrency: number,
): Promise<Evaluation> {
  await ok(api.tasks.v1.tasks[':id'].$get({ param: { id: task } }));
  const { items } = await readFolder(dir);
  const fromApi = items.length <= maxApiItems ? await evaluateOnApi(api, task, items) : undefined;
  return fromApi ?? evaluateOnClient(api, task, items, concurrency);
}
