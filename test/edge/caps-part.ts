/**
 * @module
 * A derived part for the edge's tests (imported by tests only), so that they need no image: the real text adapter
 * given a part `text.caps` (the words written in capitals), and an in-memory backend whose `caps` models answer it
 * as the OCR model answers `image.text` — an embedding with `text` and `confidence` extras, or the adapter's
 * `absent` refusal (`no-text`) for a text without capitals — while every other model reads every word. A text
 * saying "red" embeds as {@link red}, any other as {@link blue}. The models it lists declare the spaces given.
 */
import type { DerivedPart } from '../../adapters/types.ts';
import { defineAdapter, type RawInput } from '../../adapters/types.ts';
import { text as textAdapter } from '../../adapters/text/edge.ts';
import { BackendError, BackendInputError } from '../../src/backend/errors.ts';
import { attachExtras } from '../../src/backend/extras.ts';
import type { Backend, ModelInfo } from '../../src/backend/types.ts';
import { blue, red } from './colour-task.ts';

/** The text adapter with the part `caps` declared as given, counting its normalisations. */
export function textWithCaps(part: DerivedPart = { defaultModel: 'caps-model' }) {
  const counter = { normalized: 0 };
  const adapter = defineAdapter({
    ...textAdapter,
    parts: { caps: part },
    normalize(input: RawInput) {
      counter.normalized++;
      return textAdapter.normalize(input);
    },
  });
  return { adapter, counter };
}

export const vectorOf = (words: string) =>
  Float32Array.from(words.toLowerCase().includes('red') ? red : blue);

/** `caps` reads only the capitalised words, and refuses a text with none as absent; other models every word. */
export function capsBackend(calls: string[], spaces: Readonly<Record<string, string>> = {}): Backend {
  const caps = (model: string, texts: readonly string[]) => {
    const read = texts.map((words) => words.split(' ').filter((word) => /^[A-Z]+$/.test(word)));
    const items = read.flatMap((words, index) =>
      words.length === 0 ? [{ index, message: 'no text found', code: 'absent', reason: 'no-text' }] : [],
    );
    const [first] = items;
    if (first) throw new BackendInputError(model, first.message, 'absent', items, 'no-text');
    return read.map((words) =>
      attachExtras(vectorOf(words.join(' ')), { text: words.join(' '), confidence: 0.75 }),
    );
  };
  const served: ModelInfo[] = Object.entries(spaces).map(([id, embeddingSpace]) => ({
    kind: 'embedding',
    id,
    modality: 'text',
    dimension: 2,
    executionProvider: 'cpu',
    embeddingSpace,
  }));
  return {
    url: 'http://backend.test',
    embed(model, inputs) {
      calls.push(`${model} ${inputs.length}`);
      const texts = inputs.map((input) => new TextDecoder().decode(input.bytes));
      return Promise.resolve().then(() =>
        model.startsWith('caps') ? caps(model, texts) : texts.map(vectorOf),
      );
    },
    classify: () => Promise.reject(new BackendError('unknown-model', 'none')),
    models: () => Promise.resolve(served),
    model(name) {
      const found = served.find((info) => info.id === name);
      return found ? Promise.resolve(found) : Promise.reject(new BackendError('unknown-model', name));
    },
    ready: () => Promise.resolve(true),
  };
}
