/**
 * @module
 * Files as API inputs: the modality a file is (by extension), its input form (text content, or a data URL), and
 * a folder of labelled files grouped into multimodal items by file stem (`red/apple.txt` + `red/apple.png` are
 * one item).
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, parse } from 'node:path';

const byExtension: Readonly<Record<string, { modality: string; type: string }>> = {
  '.txt': { modality: 'text', type: 'text/plain' },
  '.md': { modality: 'text', type: 'text/plain' },
  '.png': { modality: 'image', type: 'image/png' },
  '.jpg': { modality: 'image', type: 'image/jpeg' },
  '.jpeg': { modality: 'image', type: 'image/jpeg' },
  '.wav': { modality: 'audio', type: 'audio/wav' },
  '.flac': { modality: 'audio', type: 'audio/flac' },
  '.mp3': { modality: 'audio', type: 'audio/mpeg' },
  '.ogg': { modality: 'audio', type: 'audio/ogg' },
};

export const knownExtensions = Object.keys(byExtension);

/** The modality of a file by its extension, or undefined for a file the CLI does not know. */
export function modalityOf(path: string): string | undefined {
  return byExtension[extname(path).toLowerCase()]?.modality;
}

/** A file as an API input: the text of a text file, a data URL of anything else. */
export async function inputOf(path: string): Promise<string> {
  const kind = byExtension[extname(path).toLowerCase()];
  if (kind === undefined) throw new Error(`${path}: unknown file type (known: ${knownExtensions.join(' ')})`);
  const bytes = await readFile(path);
  if (kind.modality === 'text') return bytes.toString('utf8').trim();
  return `data:${kind.type};base64,${bytes.toString('base64')}`;
}

export interface FolderItem {
  /** `<label>/<stem>`: the item's name in reports and in the resume state. */
  readonly key: string;
  readonly label: string;
  /** Modality → file path. */
  readonly files: Readonly<Record<string, string>>;
}

export interface Folder {
  readonly items: readonly FolderItem[];
  /** Files with an unknown extension, or a second file of one modality for a stem. */
  readonly ignored: readonly string[];
}

/** Reads `DIR/<label>/<files>`; hidden files and top-level files are left alone. */
export async function readFolder(dir: string): Promise<Folder> {
  const labels = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  const items: FolderItem[] = [];
  const ignored: string[] = [];
  for (const label of labels) {
    const byStem = new Map<string, Record<string, string>>();
    const names = (await readdir(join(dir, label))).filter((name) => !name.startsWith('.')).sort();
    for (const name of names) {
      const path = join(dir, label, name);
      const modality = modalityOf(name);
      const files = byStem.get(parse(name).name) ?? {};
      if (modality === undefined || files[modality] !== undefined) {
        ignored.push(path);
        continue;
      }
      files[modality] = path;
      byStem.set(parse(name).name, files);
    }
    for (const [stem, files] of byStem) items.push({ key: `${label}/${stem}`, label, files });
  }
  return { items, ignored };
}

/** The item's inputs; a file that cannot be read is reported by the caller like a refused one. */
export async function itemInputs(files: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const inputs: Record<string, string> = {};
  for (const [modality, path] of Object.entries(files)) inputs[modality] = await inputOf(path);
  return inputs;
}
