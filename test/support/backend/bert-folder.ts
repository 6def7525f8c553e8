/**
 * @module
 * Writes a complete sentence-transformers style folder for a project-built BERT (random weights, the WordPiece
 * tokenizer of wordpiece.ts): what `models import` and `models pull` accept, and what transformers.js loads, so the
 * parity test and the benchmarks use the same files a real export would have.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBertModel, type BertShape } from './bert-model.ts';
import { bertTokenizerConfig, wordpieceTokenizerJson, wordpieceVocabulary } from './wordpiece.ts';

export interface BertFolderOptions {
  readonly shape: Omit<BertShape, 'vocabSize'>;
  /** Truncation length written to the tokenizer and sentence-transformers configs. */
  readonly maxTokens: number;
  readonly pooling: 'mean' | 'cls';
  readonly normalize: boolean;
}

function hubConfig(shape: BertShape): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: shape.vocabSize,
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    max_position_embeddings: shape.maxPositions,
    type_vocab_size: 2,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  };
}

function modules(normalize: boolean): object[] {
  const list = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ];
  if (normalize)
    list.push({ idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' });
  return list;
}

/** Writes the folder and returns the file names written (relative to `dir`). */
export async function writeBertFolder(dir: string, options: BertFolderOptions): Promise<string[]> {
  const vocabulary = wordpieceVocabulary();
  const shape = { ...options.shape, vocabSize: vocabulary.length };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const files: Record<string, string | Uint8Array> = {
    'onnx/model.onnx': buildBertModel(shape),
    'config.json': json(hubConfig(shape)),
    'tokenizer.json': json(wordpieceTokenizerJson(vocabulary)),
    'tokenizer_config.json': json(bertTokenizerConfig(options.maxTokens)),
    'sentence_bert_config.json': json({ max_seq_length: options.maxTokens, do_lower_case: false }),
    'modules.json': json(modules(options.normalize)),
    '1_Pooling/config.json': json({
      word_embedding_dimension: shape.hidden,
      pooling_mode_cls_token: options.pooling === 'cls',
      pooling_mode_mean_tokens: options.pooling === 'mean',
      pooling_mode_max_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
    }),
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return Object.keys(files);
}
