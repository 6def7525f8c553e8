/**
 * @module
 * `evaluate --task T DIR`: classifies every item of a labelled folder under every fusion strategy the API knows
 * and tallies accuracy per strategy and per modality. The API has no evaluation route yet, so this runs
 * client-side: one batch request per item, one entry per strategy (the task's heads are unchanged by it).
 */
import { ApiError, withRetries, type Api, type Classification } from './api.ts';
import { itemInputs, readFolder, type FolderItem } from './media.ts';

export interface Tally {
  readonly name: string;
  correct: number;
  total: number;
}

export interface Evaluation {
  readonly items: number;
  readonly strategies: Tally[];
  readonly modalities: Tally[];
  readonly failed: readonly { item: string; error: string }[];
}

/** The API lists its strategies when refusing an unknown one; that is the only place it names them today. */
export async function knownStrategies(api: Api, task: string): Promise<string[]> {
  const probe = { task, inputs: { text: 'probe' }, fusion: { strategy: '(list)' } };
  try {
    await api('POST', '/v1/classify', probe);
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

async function evaluateItem(
  api: Api,
  task: string,
  strategies: string[],
  item: FolderItem,
  into: Evaluation,
) {
  const inputs = await itemInputs(item.files);
  const items = strategies.map((strategy) => ({ inputs, fusion: { strategy } }));
  const answers = await withRetries(() => api<Classification[]>('POST', '/v1/classify', { task, items }));
  answers.forEach((answer, index) =>
    tally(into.strategies, strategies[index] ?? '?', answer.label === item.label),
  );
  // Per-modality answers do not depend on the strategy: the first one is read.
  for (const [modality, result] of Object.entries(answers[0]?.modalities ?? {})) {
    tally(into.modalities, modality, result.label === item.label);
  }
}

export async function evaluateFolder(
  api: Api,
  task: string,
  dir: string,
  concurrency: number,
): Promise<Evaluation> {
  await api('GET', `/v1/tasks/${encodeURIComponent(task)}`);
  const [folder, strategies] = await Promise.all([readFolder(dir), knownStrategies(api, task)]);
  const evaluation: Evaluation = { items: folder.items.length, strategies: [], modalities: [], failed: [] };
  for (const name of strategies) evaluation.strategies.push({ name, correct: 0, total: 0 });
  const failed: { item: string; error: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < folder.items.length) {
      const item = folder.items[next++] as FolderItem;
      await evaluateItem(api, task, strategies, item, evaluation).catch((error: unknown) => {
        if (error instanceof ApiError && [0, 401, 403, 404].includes(error.status)) throw error;
        failed.push({ item: item.key, error: (error as Error).message });
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { ...evaluation, failed };
}
