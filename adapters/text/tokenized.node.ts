/**
 * @module
 * Text → a transformer encoder's inputs with the model's own `tokenizer.json` (`@huggingface/tokenizers`, the same
 * code transformers.js runs): `input_ids`, `attention_mask` and `token_type_ids`, whichever the model takes (the
 * `text_inputs` parameter), cut at `max_tokens` the way transformers.js cuts (the tokens past the limit, the closing
 * special token included, are dropped — Python `transformers` keeps `[SEP]` instead, which moves an embedding of a
 * truncated text by about 0.3 % in cosine). Zero padding is neutral because the mask is 0 there.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { AdapterInputError } from '../errors.ts';
import { integerParameter, stringParameter } from '../shared/parameters.ts';
import type { Feeds, PreprocessContext } from '../types.ts';
import { modelFileLoader } from './model-files.node.ts';

const TEXT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
type TextInput = (typeof TEXT_INPUTS)[number];

async function loadTokenizer(path: string): Promise<Tokenizer> {
  const json = JSON.parse(await readFile(path, 'utf8')) as object;
  const configPath = join(path, '..', 'tokenizer_config.json');
  const config = (await readFile(configPath, 'utf8').then(JSON.parse, () => ({}))) as object;
  return new Tokenizer(json, config);
}

/** Parsed once per file: parsing a vocabulary is far costlier than encoding one sentence. */
const tokenizerFor = modelFileLoader('tokenizer', loadTokenizer);

function inputsOf(context: PreprocessContext): TextInput[] {
  const names = stringParameter(context, 'text_inputs')
    .split(',')
    .map((name) => name.trim());
  const unknown = names.filter((name) => !(TEXT_INPUTS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `model "${context.model}": text_inputs ${unknown.join(', ')} unknown (known: ${TEXT_INPUTS.join(', ')})`,
    );
  return names as TextInput[];
}

export async function tokenizedFeeds(text: string, context: PreprocessContext): Promise<Feeds> {
  const maxTokens = integerParameter(context, 'max_tokens', 2);
  const inputs = inputsOf(context);
  const tokenizer = await tokenizerFor(context);
  if (text.trim() === '') throw new AdapterInputError('empty', 'text is empty');
  const encoding = tokenizer.encode(text, { return_token_type_ids: true });
  const ids = encoding.ids.slice(0, maxTokens);
  const types = encoding.token_type_ids ?? [];
  const dims = [1, ids.length];
  const values: Record<TextInput, () => BigInt64Array> = {
    input_ids: () => BigInt64Array.from(ids, BigInt),
    attention_mask: () => new BigInt64Array(ids.length).fill(1n),
    token_type_ids: () => BigInt64Array.from(ids, (_, at) => BigInt(types[at] ?? 0)),
  };
  return Object.fromEntries(inputs.map((name) => [name, { type: 'int64', data: values[name](), dims }]));
}
