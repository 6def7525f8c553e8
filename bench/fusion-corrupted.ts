/**
 * @module
 * The corrupted-file columns of `bench:fusion`: the held-out items again, every third with one input file whose
 * bytes are really broken, the kinds in turn — a PNG cut in half and a WAV cut inside its header (the edge refuses
 * both, 422), and a PNG whose compressed pixel data is overwritten (only the backend's decoder refuses it, 422) —
 * classified through `POST /v1/classify` in batches, once per strategy and mode: strict (`"strict": true`, the item
 * is refused: counted wrong) and partial (the default: answered from the other modalities). Accuracy is over every
 * held-out item, so strict's is at most its coverage.
 */
import type { EvalItem } from './dataset/build.ts';
import type { WorkerStack } from './worker-stack.ts';

/** Items per classify request (the route's limit). */
const batch = 64;

type Inputs = Readonly<Record<'text' | 'image' | 'audio', string>>;

/** Each corruption: the input it breaks, and how. */
const corruptions = {
  'PNG cut in half': { modality: 'image', type: 'image/png', corrupt: (item) => cutInHalf(item.image) },
  'PNG with overwritten pixel data': {
    modality: 'image',
    type: 'image/png',
    corrupt: (item) => overwriteIdat(item.image),
  },
  'WAV cut inside its header': {
    modality: 'audio',
    type: 'audio/wav',
    corrupt: (item) => item.audio.subarray(0, 30),
  },
} as const satisfies Record<
  string,
  { modality: 'image' | 'audio'; type: string; corrupt: (item: EvalItem) => Buffer }
>;

type Kind = keyof typeof corruptions;

function cutInHalf(bytes: Buffer): Buffer {
  return bytes.subarray(0, Math.floor(bytes.length / 2));
}

/** Four bytes of the first IDAT's compressed data set to 0xFF, as a bad sector or a flipped transfer would. */
function overwriteIdat(png: Buffer): Buffer {
  const idat = png.indexOf('IDAT');
  if (idat < 0 || idat + 34 > png.length) throw new Error('the picture has no IDAT chunk long enough');
  const broken = Buffer.from(png);
  broken.fill(0xff, idat + 30, idat + 34);
  return broken;
}

interface Case {
  readonly label: string;
  readonly inputs: Inputs;
}

/** The held-out items, every third with one file corrupted (the kinds in turn), and how many of each kind. */
export function corruptedSet(
  items: readonly EvalItem[],
  inputsOf: (item: EvalItem) => Inputs,
): { cases: Case[]; kinds: Record<Kind, number> } {
  const names = Object.keys(corruptions) as Kind[];
  const kinds = Object.fromEntries(names.map((name) => [name, 0])) as Record<Kind, number>;
  const cases = items.map((item, i) => {
    const kind = i % 3 === 0 ? names[(i / 3) % names.length] : undefined;
    if (kind === undefined) return { label: item.label, inputs: inputsOf(item) };
    kinds[kind] += 1;
    const { modality, type, corrupt } = corruptions[kind];
    const broken = `data:${type};base64,${corrupt(item).toString('base64')}`;
    return { label: item.label, inputs: { ...inputsOf(item), [modality]: broken } };
  });
  return { cases, kinds };
}

/** One strategy and mode: items answered right, and items answered at all. */
export interface Tally {
  readonly correct: number;
  readonly answered: number;
}

type Answer =
  { readonly label: string } | { readonly error: { readonly status: number; readonly detail: string } };

/** Classifies the cases in batches of 64 with the request's other members (`options`); the answers in order. */
export async function classifyAll<A = Answer>(
  worker: WorkerStack,
  task: string,
  cases: readonly { readonly inputs: Readonly<Record<string, string>> }[],
  options: object,
): Promise<A[]> {
  const answers: A[] = [];
  for (let start = 0; start < cases.length; start += batch) {
    const items = cases.slice(start, start + batch).map(({ inputs }) => ({ inputs }));
    const response = await worker.fetch('/v1/classify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task, items, ...options }),
    });
    if (response.status !== 200) throw new Error(`/v1/classify: ${response.status} ${await response.text()}`);
    answers.push(...((await response.json()) as A[]));
  }
  return answers;
}

function tally(cases: readonly Case[], answers: readonly Answer[]): Tally {
  const answered = answers.filter((answer) => 'label' in answer);
  const failures = answers.flatMap((answer) =>
    'error' in answer && answer.error.status >= 500 ? [answer] : [],
  );
  if (failures.length > 0) throw new Error(`items failed on our side: ${failures[0]?.error.detail}`);
  const correct = answers.filter((answer, i) => 'label' in answer && answer.label === cases[i]?.label).length;
  return { correct, answered: answered.length };
}

/** Per strategy, strict and partial on the same cases. */
export async function corruptedTallies(
  worker: WorkerStack,
  task: string,
  cases: readonly Case[],
  strategies: readonly string[],
): Promise<Map<string, { strict: Tally; partial: Tally }>> {
  const rows = new Map<string, { strict: Tally; partial: Tally }>();
  for (const strategy of strategies) {
    const fusion = { strategy };
    const strict = tally(cases, await classifyAll(worker, task, cases, { fusion, strict: true }));
    const partial = tally(cases, await classifyAll(worker, task, cases, { fusion }));
    rows.set(strategy, { strict, partial });
  }
  return rows;
}
