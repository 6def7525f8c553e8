/**
 * @module
 * The text adapter's backend face: the edge's byte cap, strict UTF-8, then the model's config picks the tokenisation — a `tokenizer`
 * parameter means a transformer encoder fed by its own `tokenizer.json` (tokenized.ts, e.g. a sentence-transformers
 * export), a `sentencepiece` parameter one fed by a SentencePiece vocabulary (sentencepiece.node.ts, USE-lite),
 * otherwise the project's hashed n-grams (hashed.ts, `text-hash-256`).
 */
import { assertMaxBytes } from '../shared/bytes.ts';
import { definePreprocessor, type Feeds, type PreprocessContext } from '../types.ts';
import { hashedFeeds } from './hashed.ts';
import { sentencePieceModelFeeds } from './sentencepiece.node.ts';
import { tokenizedFeeds } from './tokenized.node.ts';
import { textLimits } from './limits.ts';
import { decodeUtf8 } from './utf8.ts';

type Tokenisation = (text: string, context: PreprocessContext) => Feeds | Promise<Feeds>;

/** By the parameter that names its file; the first the config has wins. */
const byFileParameter: readonly (readonly [string, Tokenisation])[] = [
  ['tokenizer', tokenizedFeeds],
  ['sentencepiece', sentencePieceModelFeeds],
];

export default definePreprocessor({
  modality: 'text',
  async preprocess(bytes, context) {
    // The edge's cap, for clients that call the backend directly: tokenising is not bounded by the model's cut.
    assertMaxBytes(bytes.length, textLimits.maxBytes);
    const text = decodeUtf8(bytes);
    const chosen = byFileParameter.find(([parameter]) => context.parameters[parameter] !== undefined);
    return (chosen?.[1] ?? hashedFeeds)(text, context);
  },
});
