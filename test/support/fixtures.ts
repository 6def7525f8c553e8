/**
 * @module
 * Test media made on the spot, reproducibly: speech from espeak-ng compiled to WebAssembly (scripts/lib/speech.ts)
 * and pictures rendered by sharp from SVG. A two-label task ("red", "blue") where every modality carries the label.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { speak, toWav, type Speaker } from '../../scripts/lib/speech.ts';
import { fixtureLabels, type FixtureItem, type Label } from './fixture-types.ts';

const colours: Record<Label, readonly string[]> = {
  red: ['#d01010', '#e83a2a', '#b00020', '#f05050'],
  blue: ['#1030d0', '#2a5ae8', '#0020b0', '#5070f0'],
};
const texts: Record<Label, readonly string[]> = {
  red: [
    'a red apple',
    'red roses in the garden',
    'the fire truck is red',
    'ripe red strawberries and cherries',
  ],
  blue: ['a clear blue sky', 'deep blue ocean water', 'faded blue jeans', 'blueberries and a blue whale'],
};
/**
 * espeak-ng voice, words per minute and pitch per variant. The speech embedding hears the speaker as much as the
 * word, so the held-out variant (3) is a voice the examples have, at another speed and pitch.
 */
const speakers: readonly Speaker[] = [
  { voice: 'en', wordsPerMinute: 140, pitch: 50 },
  { voice: 'en-us', wordsPerMinute: 155, pitch: 40 },
  { voice: 'en+f3', wordsPerMinute: 170, pitch: 60 },
  { voice: 'en-us', wordsPerMinute: 190, pitch: 70 },
];

function svg(fill: string, variant: number): string {
  const shapes = [
    `<circle cx="112" cy="112" r="80" fill="${fill}"/>`,
    `<rect x="40" y="50" width="150" height="120" fill="${fill}"/>`,
    `<polygon points="112,20 210,200 14,200" fill="${fill}"/>`,
    `<ellipse cx="112" cy="112" rx="100" ry="60" fill="${fill}"/>`,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="224" height="224">
    <rect width="224" height="224" fill="#f4f0e8"/>${shapes[variant % shapes.length]}</svg>`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function makeImage(path: string, label: Label, variant: number): Promise<void> {
  const image = sharp(Buffer.from(svg(colours[label][variant] ?? '#000', variant)));
  await (variant % 2 === 0 ? image.png() : image.jpeg({ quality: 90 })).toFile(path);
}

async function makeSpeech(path: string, label: Label, variant: number): Promise<void> {
  const speaker = speakers[variant % speakers.length] ?? { voice: 'en', wordsPerMinute: 175, pitch: 50 };
  await writeFile(path, toWav(await speak(label, speaker)));
}

/** Makes (or reuses) four items per label; variants 0–2 are examples, variant 3 is held out. */
export async function makeFixtures(dir: string): Promise<FixtureItem[]> {
  await mkdir(dir, { recursive: true });
  const items: FixtureItem[] = [];
  for (const label of fixtureLabels) {
    for (let variant = 0; variant < 4; variant++) {
      const imagePath = join(dir, `${label}-${variant}.${variant % 2 === 0 ? 'png' : 'jpg'}`);
      const audioPath = join(dir, `${label}-${variant}.wav`);
      if (!(await exists(imagePath))) await makeImage(imagePath, label, variant);
      if (!(await exists(audioPath))) await makeSpeech(audioPath, label, variant);
      items.push({
        label,
        variant,
        text: texts[label][variant] ?? label,
        image: (await readFile(imagePath)).toString('base64'),
        imageType: variant % 2 === 0 ? 'image/png' : 'image/jpeg',
        audio: (await readFile(audioPath)).toString('base64'),
      });
    }
  }
  return items;
}
