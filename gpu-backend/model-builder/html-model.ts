/**
 * @module
 * `html-hash-256`: the model of the html example adapter — the very graph of `text-hash-256` (same table, same
 * seed), served under the `html` modality so that the html adapter's backend face feeds it the page's visible text.
 */
import { hashedTextRecipe } from './text-model.ts';

export const HTML_MODEL_NAME = 'html-hash-256';

export const htmlRecipe = hashedTextRecipe(HTML_MODEL_NAME, 'html');
