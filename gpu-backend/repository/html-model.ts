/**
 * @module
 * `html-hash-256`: the model of the html example adapter — the very graph of `text-hash-256` (same table, same
 * seed), served under the `html` modality so that the html adapter's backend face feeds it the page's visible text.
 */
import { modelConfig, modalityParameters, RAW_INPUT, type ModelRecipe } from './recipe.ts';
import { buildTextModel, TEXT_MODEL } from './text-model.ts';

export const HTML_MODEL_NAME = 'html-hash-256';

export const htmlRecipe: ModelRecipe = {
  name: HTML_MODEL_NAME,
  version: 1,
  sources: [],
  settings: TEXT_MODEL,
  build: () =>
    Promise.resolve({
      onnx: buildTextModel(),
      config: modelConfig({
        name: HTML_MODEL_NAME,
        maxBatchSize: TEXT_MODEL.maxBatchSize,
        input: [RAW_INPUT],
        output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [TEXT_MODEL.dimension] }],
        parameters: modalityParameters('html', {
          hash_buckets: String(TEXT_MODEL.hashBuckets),
          max_tokens: String(TEXT_MODEL.maxTokens),
        }),
      }),
    }),
};
