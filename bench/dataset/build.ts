/**
 * @module
 * The multimodal evaluation set, rebuilt from a seed (the same items on every machine): `perLabel` items for each
 * of eight colours, each with a picture, a spoken word and a short text, made independently (see `media.ts`), split
 * into task examples (`train`) and held-out items (`test`). Needs nothing but `npm install`.
 */
import { colourNames, makePicture, makeSpeech, makeText, type Colour } from './media.ts';
import { seeded } from './random.ts';

export interface EvalItem {
  readonly id: number;
  readonly label: Colour;
  readonly split: 'train' | 'test';
  readonly text: string;
  /** PNG bytes. */
  readonly image: Buffer;
  /** WAV bytes (PCM16 mono). */
  readonly audio: Buffer;
}

export interface SetOptions {
  readonly seed?: number;
  /** Items per label; the first half are examples, the rest held out (default 24). */
  readonly perLabel?: number;
}

export const labels: readonly Colour[] = colourNames;

export async function buildEvalSet(options: SetOptions = {}): Promise<EvalItem[]> {
  const perLabel = options.perLabel ?? 24;
  const random = seeded(options.seed ?? 2026);
  const items: EvalItem[] = [];
  for (let i = 0; i < perLabel; i++) {
    for (const label of colourNames) {
      // One draw each, in a fixed order, so that every modality's noise comes from the same seeded stream.
      const text = makeText(label, random);
      const image = await makePicture(label, random);
      const audio = await makeSpeech(label, random);
      items.push({ id: items.length, label, split: i < perLabel / 2 ? 'train' : 'test', text, image, audio });
    }
  }
  return items;
}
