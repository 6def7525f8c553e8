/**
 * @module
 * The text adapter's backend face for `text-hash-256`: UTF-8 bytes → hashed n-gram ids and their weights
 * (see `hashing.ts`). Padding with zeros is neutral: id 0 is never produced and weight 0 adds nothing.
 */
import { AdapterInputError } from '../errors.ts';
import { integerParameter } from '../shared/parameters.ts';
import { definePreprocessor } from '../types.ts';
import { hashTokens } from './hashing.ts';
import { decodeUtf8 } from './utf8.ts';

export default definePreprocessor({
  modality: 'text',
  async preprocess(bytes, context) {
    const buckets = integerParameter(context, 'hash_buckets', 2);
    const maxTokens = integerParameter(context, 'max_tokens', 1);
    const { ids, weights } = hashTokens(decodeUtf8(bytes), { buckets, maxTokens });
    if (ids.length === 0) throw new AdapterInputError('empty', 'text is empty');
    const dims = [1, ids.length];
    return {
      input_ids: { type: 'int64', data: BigInt64Array.from(ids, (id) => BigInt(id)), dims },
      token_weights: { type: 'float32', data: Float32Array.from(weights), dims },
    };
  },
});
