/**
 * @module
 * Text → hashed n-gram ids and their weights (see `hashing.ts`), for `text-hash-256`. Padding with zeros is neutral:
 * id 0 is never produced and weight 0 adds nothing.
 */
import { AdapterInputError } from '../errors.ts';
import { integerParameter } from '../shared/parameters.ts';
import type { Feeds, PreprocessContext } from '../types.ts';
import { hashTokens } from './hashing.ts';

export function hashedFeeds(text: string, context: PreprocessContext): Feeds {
  const buckets = integerParameter(context, 'hash_buckets', 2);
  const maxTokens = integerParameter(context, 'max_tokens', 1);
  const { ids, weights } = hashTokens(text, { buckets, maxTokens });
  if (ids.length === 0) throw new AdapterInputError('empty', 'text is empty');
  const dims = [1, ids.length];
  return {
    input_ids: { type: 'int64', data: BigInt64Array.from(ids, (id) => BigInt(id)), dims },
    token_weights: { type: 'float32', data: Float32Array.from(weights), dims },
  };
}
