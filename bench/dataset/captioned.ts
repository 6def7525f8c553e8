/**
 * @module
 * The captioned-image set of `bench:fusion`: each committed caption band (`bench/fixtures/captions/`, the
 * evaluation set's noisy colour texts rendered once: `bench/fixtures/make-text-images.ts`) laid along the bottom
 * of a picture of the same colour drawn at bench time from a seed (`media.ts`), as a meme or a labelled photo
 * carries its words. The picture and the words each carry the label, with their own mistakes (a distractor
 * shape; a caption with a synonym, a typo or no colour cue).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { makePicture, type Colour } from './media.ts';
import { seeded } from './random.ts';

const fixtures = fileURLToPath(new URL('../fixtures/captions/', import.meta.url));

export interface CaptionedItem {
  readonly label: Colour;
  readonly split: 'train' | 'test';
  /** What the caption says. */
  readonly text: string;
  /** PNG bytes. */
  readonly image: Buffer;
}

interface Entry {
  readonly file: string;
  readonly label: Colour;
  readonly text: string;
  readonly split: 'train' | 'test';
}

export async function buildCaptionedSet(seed = 2029): Promise<CaptionedItem[]> {
  const entries = JSON.parse(await readFile(`${fixtures}manifest.json`, 'utf8')) as Entry[];
  const random = seeded(seed);
  const items: CaptionedItem[] = [];
  for (const { file, label, text, split } of entries) {
    const band = await readFile(`${fixtures}${file}`);
    const { height = 0 } = await sharp(band).metadata();
    const picture = await makePicture(label, random);
    const image = await sharp(picture)
      .composite([{ input: band, left: 0, top: 224 - height }])
      .png()
      .toBuffer();
    items.push({ label, split, text, image });
  }
  return items;
}
