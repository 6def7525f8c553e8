/**
 * @module
 * `bench:fusion`'s captioned-image case: the colour pictures with their caption bands (`dataset/captioned.ts`) as
 * the image model alone (`image`), the text read in them alone (`image.text`: OCR, then USE-lite) and fused
 * (`fusion-parts.ts`). No decode column: the PNG's decode is inside the backend's time.
 */
import { buildCaptionedSet, type CaptionedItem } from './dataset/captioned.ts';
import { labels } from './dataset/build.ts';
import type { PartsCase } from './fusion-parts.ts';

const prototype = { head: 'prototype' };
const example = (item: CaptionedItem) => ({
  label: item.label,
  inputs: { image: `data:image/png;base64,${item.image.toString('base64')}` },
});

export async function captionsCase(): Promise<PartsCase> {
  const items = await buildCaptionedSet();
  return {
    title: `Captioned images: image model vs the text in the image vs fused (${items.length} pictures, 224²)`,
    task: 'bench-captions',
    labels,
    input: 'image',
    modalities: { text: false, audio: false, html: false, image: prototype, 'image.text': prototype },
    parts: [
      { name: 'image', model: 'mobilenetv2-int8' },
      { name: 'image.text', model: 'image-text-use-lite' },
    ],
    train: items.filter((item) => item.split === 'train').map(example),
    test: items.filter((item) => item.split === 'test').map(example),
  };
}
