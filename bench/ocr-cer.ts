/**
 * @module
 * `bench:fusion`'s OCR table: the committed renders of WordNet definitions (`bench/fixtures/ocr/`, four fonts ×
 * four sizes, made by `bench/fixtures/make-text-images.ts`) read through the stack — `POST /v1/classify` on a task
 * whose only modality is `image.text` (zero-shot), the answer's `modalities["image.text"].text` — and scored by
 * character error rate: Levenshtein distance (insertions, deletions, substitutions of Unicode code points, case
 * kept, runs of whitespace as one space) over the reference's length, pooled per font and size (edits summed
 * over characters summed). An image in which nothing was read counts its whole reference as deleted.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { classifyAll } from './fusion-corrupted.ts';
import { post } from './fusion-api.ts';
import type { WorkerStack } from './worker-stack.ts';

const fixtures = fileURLToPath(new URL('fixtures/ocr/', import.meta.url));

interface Entry {
  readonly file: string;
  readonly font: string;
  readonly size: number;
  readonly text: string;
}

type Answer =
  | { readonly modalities: Record<string, { readonly text?: string }> }
  | { readonly error: { readonly status: number; readonly detail: string } };

/** Levenshtein distance between two strings, by code point (two rows). */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

function readOf(answer: Answer | undefined): string | undefined {
  if (answer === undefined) return undefined;
  if ('error' in answer) {
    // Nothing read leaves no modality to answer with: a 422, the whole reference missed.
    if (answer.error.status === 422) return undefined;
    throw new Error(`OCR item failed: ${answer.error.status} ${answer.error.detail}`);
  }
  return answer.modalities['image.text']?.text;
}

export async function printOcrTable(worker: WorkerStack): Promise<void> {
  const entries = JSON.parse(await readFile(`${fixtures}manifest.json`, 'utf8')) as Entry[];
  const task = 'bench-ocr';
  const modalities = {
    text: false,
    image: false,
    audio: false,
    html: false,
    'image.text': { head: 'zero-shot' },
  };
  await post(worker, '/v1/tasks', { id: task, labels: ['animal', 'food', 'plant', 'place'], modalities });
  const cases = await Promise.all(
    entries.map(async (entry) => ({
      inputs: {
        image: `data:image/png;base64,${(await readFile(fixtures + entry.file)).toString('base64')}`,
      },
    })),
  );
  const answers = await classifyAll<Answer>(worker, task, cases, {});
  const cells = new Map<string, { edits: number; chars: number; unread: number }>();
  const add = (key: string, edits: number, chars: number, unread: boolean) => {
    const cell = cells.get(key) ?? { edits: 0, chars: 0, unread: 0 };
    cells.set(key, {
      edits: cell.edits + edits,
      chars: cell.chars + chars,
      unread: cell.unread + Number(unread),
    });
  };
  entries.forEach((entry, i) => {
    const read = readOf(answers[i]);
    const reference = normalise(entry.text);
    const edits = editDistance(reference, normalise(read ?? ''));
    for (const key of [`${entry.font}|${entry.size}`, `${entry.font}|all`, `all|${entry.size}`, 'all|all']) {
      add(key, edits, [...reference].length, read === undefined);
    }
  });
  const fonts = [...new Set(entries.map((e) => e.font))];
  const sizes = [...new Set(entries.map((e) => e.size))];
  const cer = (key: string) => {
    const cell = cells.get(key);
    if (cell === undefined) return '–';
    return `${((100 * cell.edits) / cell.chars).toFixed(1)} %${cell.unread > 0 ? ` (${cell.unread} unread)` : ''}`;
  };
  const perCell = entries.length / fonts.length / sizes.length;
  console.log(
    `\nOCR character error rate (image.text through the stack; ${perCell} WordNet definitions per cell, ` +
      `${entries.length} images; size = em height in px)`,
  );
  console.log(`| font | ${sizes.map((s) => `${s} px`).join(' | ')} | all sizes |`);
  console.log(`| --- | ${sizes.map(() => '---:').join(' | ')} | ---: |`);
  for (const font of [...fonts, 'all']) {
    const row = [...sizes.map((size) => cer(`${font}|${size}`)), cer(`${font}|all`)];
    console.log(`| ${font === 'all' ? 'all fonts' : font} | ${row.join(' | ')} |`);
  }
}
