/**
 * @module
 * The text adapter's backend face: strict UTF-8, then the model's config picks the tokenisation — a `tokenizer`
 * parameter means a transformer encoder fed by its own `tokenizer.json` (tokenized.ts, e.g. a sentence-transformers
 * export), otherwise the project's hashed n-grams (hashed.ts, `text-hash-256`).
 */
import { definePreprocessor } from '../types.ts';
import { hashedFeeds } from './hashed.ts';
import { tokenizedFeeds } from './tokenized.node.ts';
import { decodeUtf8 } from './utf8.ts';

export default definePreprocessor({
  modality: 'text',
  async preprocess(bytes, context) {
    const text = decodeUtf8(bytes);
    return context.parameters.tokenizer === undefined
      ? hashedFeeds(text, context)
      : tokenizedFeeds(text, context);
  },
});
