/**
 * @module
 * The html adapter's backend face: the page's visible text (the same extraction as the edge), fed to whatever the
 * model's config asks of the text adapter — USE-lite's SentencePiece for `html-use-lite` (the default), hashed
 * n-grams for `html-hash-256`, or a tokenizer for a transformer encoder. Reusing the text adapter's backend is
 * the point of the example: a new modality can be a thin layer over an existing model.
 */
import { AdapterInputError } from '../errors.ts';
import textPreprocessor from '../text/preprocess.ts';
import { decodeUtf8 } from '../text/utf8.ts';
import { definePreprocessor } from '../types.ts';
import { extractText, looksLikeHtml } from './extract.ts';

const encoder = new TextEncoder();

export default definePreprocessor({
  modality: 'html',
  async preprocess(bytes, context) {
    const html = decodeUtf8(bytes);
    if (!looksLikeHtml(html))
      throw new AdapterInputError('unsupported-type', 'the bytes are not an HTML document');
    const text = extractText(html);
    if (text === '') throw new AdapterInputError('empty', 'the page has no visible text');
    return textPreprocessor.preprocess(encoder.encode(text), context);
  },
});
