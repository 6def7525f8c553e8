/**
 * @module
 * A sentence-transformers style export (a folder or Hub repository with `onnx/model.onnx` or `model.onnx`,
 * `tokenizer.json`, `config.json`, and optionally `tokenizer_config.json`, `sentence_bert_config.json`,
 * `modules.json`, `1_Pooling/config.json`) turned into a repository entry served by the text adapter: the pooling
 * (mean or CLS) and normalisation its configs ask for are added to the graph (see pooling.ts), the tokenizer files
 * are copied beside `config.json`, and the parameters tell the adapter which ONNX inputs to feed and where to
 * truncate. BERT and XLM-R families work alike: nothing here depends on the tokenizer's kind.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readModel } from '../onnx/model.ts';
import { addPooling, EMBEDDING_OUTPUT, type PoolingMode } from './pooling.ts';
import type { BuiltModel } from '../model-repository/install.ts';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

/** The ONNX inputs the text adapter knows how to fill from a tokenisation. */
export const TEXT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

export interface SentenceTransformerOptions {
  readonly name: string;
  readonly maxBatchSize?: number;
}

type Json = Record<string, unknown>;

async function readJson(folder: string, file: string): Promise<Json | undefined> {
  const path = join(folder, file);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Json;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** Mean unless the pooling config asks for CLS only; other modes (max, weighted) are refused by name. */
function poolingMode(pooling: Json | undefined): PoolingMode {
  if (!pooling) return 'mean';
  const asked = Object.entries(pooling)
    .filter(([key, value]) => key.startsWith('pooling_mode_') && value === true)
    .map(([key]) => key.slice('pooling_mode_'.length));
  if (asked.length === 1 && asked[0] === 'cls_token') return 'cls';
  if (asked.length === 1 && asked[0] === 'mean_tokens') return 'mean';
  throw new Error(
    `1_Pooling/config.json asks for ${asked.join(' + ') || 'no pooling'}; supported: cls_token, mean_tokens`,
  );
}

function normalizes(modules: Json | undefined): boolean {
  if (!Array.isArray(modules)) return false;
  return modules.some((module) => String((module as Json).type ?? '').endsWith('models.Normalize'));
}

async function onnxOf(folder: string): Promise<Uint8Array> {
  for (const path of ['onnx/model.onnx', 'model.onnx']) {
    if (existsSync(join(folder, path))) return readFile(join(folder, path));
  }
  throw new Error(`${folder} has neither onnx/model.onnx nor model.onnx`);
}

function graphInputs(onnx: Uint8Array): string[] {
  const inputs = (readModel(onnx).graph?.input ?? []).map((input) => input.name ?? '');
  const unknown = inputs.filter((name) => !(TEXT_INPUTS as readonly string[]).includes(name));
  if (unknown.length > 0 || !inputs.includes('input_ids')) {
    throw new Error(
      `model.onnx takes ${inputs.join(', ')}; the text adapter feeds ${TEXT_INPUTS.join(', ')}`,
    );
  }
  return inputs;
}

/** Truncation length: the sentence-transformers setting, else the tokenizer's, never past the position table. */
function maxTokens(config: Json, tokenizerConfig?: Json, sentenceConfig?: Json): number {
  const positions = positiveInteger(config.max_position_embeddings) ?? Number.MAX_SAFE_INTEGER;
  const wanted =
    positiveInteger(sentenceConfig?.max_seq_length) ??
    positiveInteger(tokenizerConfig?.model_max_length) ??
    512;
  return Math.min(wanted, positions);
}

/** The repository entry for the export in `folder`. */
export async function buildSentenceTransformer(
  folder: string,
  options: SentenceTransformerOptions,
): Promise<BuiltModel> {
  const config = await readJson(folder, 'config.json');
  if (!config) throw new Error(`${folder} has no config.json`);
  const tokenizer = await readFile(join(folder, 'tokenizer.json')).catch(() => {
    throw new Error(`${folder} has no tokenizer.json`);
  });
  const tokenizerConfig = await readJson(folder, 'tokenizer_config.json');
  const onnx = await onnxOf(folder);
  const inputs = graphInputs(onnx);
  const hidden = positiveInteger(config.hidden_size) ?? positiveInteger(config.dim);
  if (!hidden) throw new Error('config.json has no hidden_size');
  const mode = poolingMode(await readJson(folder, '1_Pooling/config.json'));
  const normalize = normalizes(await readJson(folder, 'modules.json'));
  const warm = await rawWarmup('text');
  const files: Record<string, Uint8Array> = { 'tokenizer.json': tokenizer, ...warm.files };
  if (tokenizerConfig) files['tokenizer_config.json'] = await readFile(join(folder, 'tokenizer_config.json'));
  return {
    onnx: addPooling(onnx, { mode, normalize }),
    files,
    config: modelConfig({
      name: options.name,
      maxBatchSize: options.maxBatchSize ?? 32,
      input: [RAW_INPUT],
      output: [{ name: EMBEDDING_OUTPUT, data_type: 'TYPE_FP32', dims: [hidden] }],
      parameters: modalityParameters('text', {
        tokenizer: 'tokenizer.json',
        text_inputs: inputs.join(','),
        max_tokens: String(
          maxTokens(config, tokenizerConfig, await readJson(folder, 'sentence_bert_config.json')),
        ),
        pooling: mode,
        normalize: String(normalize),
      }),
      warmup: warm.warmup,
    }),
  };
}
