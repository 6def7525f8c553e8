/**
 * @module
 * The three modalities of one evaluation item, each made with its own noise so that their mistakes are
 * independent: a picture drawn by sharp from SVG (jittered hue and lightness, random shape and background, a
 * distractor shape of another colour, pixel noise), the colour word spoken by espeak-ng (compiled to WebAssembly:
 * scripts/lib/speech.ts; voice, speed, pitch, white noise at a random SNR), and a short text (the word, a synonym or an object of that colour, with typos, filler and
 * sometimes no colour cue at all).
 */
import sharp from 'sharp';
import { speak, toWav } from '../../scripts/lib/speech.ts';
import type { Random } from './random.ts';

/** Label → hue (degrees), saturation and lightness (percent) of its typical shade. */
export const colours = {
  red: [0, 80, 45],
  orange: [28, 90, 52],
  yellow: [55, 90, 55],
  green: [120, 65, 38],
  blue: [220, 75, 45],
  purple: [280, 55, 42],
  pink: [330, 80, 72],
  brown: [25, 55, 30],
} as const;

export type Colour = keyof typeof colours;
export const colourNames = Object.keys(colours) as Colour[];

const cues: Record<Colour, readonly string[]> = {
  red: ['red', 'crimson', 'scarlet', 'tomato', 'fire truck', 'ruby', 'cherry', 'blood'],
  orange: ['orange', 'tangerine', 'pumpkin', 'carrot', 'apricot', 'traffic cone', 'marigold', 'rust'],
  yellow: ['yellow', 'lemon', 'banana', 'sunflower', 'canary', 'gold', 'butter', 'taxi'],
  green: ['green', 'grass', 'emerald', 'lime', 'leaf', 'frog', 'moss', 'olive'],
  blue: ['blue', 'sky', 'ocean', 'navy', 'sapphire', 'denim', 'cobalt', 'azure'],
  purple: ['purple', 'violet', 'lavender', 'plum', 'grape', 'lilac', 'amethyst', 'eggplant'],
  pink: ['pink', 'rose', 'flamingo', 'salmon', 'bubblegum', 'blush', 'peony', 'candy floss'],
  brown: ['brown', 'chocolate', 'coffee', 'wood', 'chestnut', 'soil', 'cinnamon', 'bear'],
};
const fillers = [
  'look at the',
  'i think it is',
  'my favourite',
  'a picture of',
  'there is a',
  'so',
  'the',
  '',
];
const vague = ['nice one', 'what is this', 'hmm not sure', 'a thing', 'some colour', 'wow look'];

function typo(word: string, random: Random): string {
  if (word.length < 4) return word;
  const i = 1 + random.int(word.length - 2);
  const kind = random.int(3);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1);
  if (kind === 1) return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
  return word.slice(0, i) + 'aeiou'[random.int(5)] + word.slice(i);
}

/** A short text; `train` texts draw cues from the first half of each list more often (seen vocabulary). */
export function makeText(label: Colour, random: Random): string {
  if (random.next() < 0.12) return random.pick(vague);
  const pool = cues[label];
  const cue = random.next() < 0.5 ? (pool[0] ?? label) : random.pick(pool);
  const words = `${random.pick(fillers)} ${cue}`.trim().split(' ');
  return words.map((word) => (random.next() < 0.2 ? typo(word, random) : word)).join(' ');
}

function hsl(label: Colour, random: Random, jitter: number): string {
  const [h, s, l] = colours[label];
  const hue = (h + random.normal() * jitter + 360) % 360;
  const light = Math.min(90, Math.max(10, l + random.normal() * jitter * 0.6));
  return `hsl(${hue.toFixed(0)}, ${s}%, ${light.toFixed(0)}%)`;
}

function shape(fill: string, random: Random, scale: number): string {
  const x = 60 + random.int(104);
  const y = 60 + random.int(104);
  const r = Math.round((30 + random.int(50)) * scale);
  const kind = random.int(3);
  if (kind === 0) return `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}"/>`;
  if (kind === 1)
    return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${1.5 * r}" fill="${fill}"/>`;
  return `<polygon points="${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}" fill="${fill}"/>`;
}

/** A PNG: a jittered shape of the label's colour and a distractor of another colour on a random background. */
export async function makePicture(label: Colour, random: Random): Promise<Buffer> {
  const other = random.pick(colourNames.filter((name) => name !== label));
  const background = `hsl(${random.int(360)}, ${random.int(30)}%, ${60 + random.int(35)}%)`;
  const main = shape(hsl(label, random, 22), random, 1);
  const distractor = shape(hsl(other, random, 10), random, 0.45 + random.next() * 0.45);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="224" height="224">
    <rect width="224" height="224" fill="${background}"/>${random.next() < 0.5 ? main + distractor : distractor + main}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
  const noise = 20 + random.int(40);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.min(255, Math.max(0, (data[i] ?? 0) + random.normal() * noise));
  return sharp(data, { raw: info }).png().toBuffer();
}

const voices = [
  'en',
  'en-us',
  'en-gb-scotland',
  'en-gb-x-rp',
  'en-029',
  'en+f3',
  'en+m3',
  'en-us+f2',
  'en+klatt',
];

/** A WAV (16-bit mono): the colour word in a random voice, speed and pitch, with white noise at 0–20 dB SNR. */
export async function makeSpeech(label: Colour, random: Random): Promise<Buffer> {
  const voice = random.pick(voices);
  const wordsPerMinute = 110 + random.int(120);
  const pitch = 20 + random.int(70);
  const { samples, sampleRate } = await speak(label, { voice, wordsPerMinute, pitch });
  const power = samples.reduce((sum, s) => sum + s * s, 0) / samples.length;
  const snr = random.next() * 20;
  const sigma = Math.sqrt(power / 10 ** (snr / 10));
  const noisy = Int16Array.from(samples, (s) =>
    Math.max(-32768, Math.min(32767, Math.round(s + random.normal() * sigma))),
  );
  return toWav({ samples: noisy, sampleRate });
}
