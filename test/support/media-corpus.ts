/// <reference types="vite/client" />
/**
 * @module
 * The media corpus of `test/fixtures/media/` (files written by real tools, see make.sh) with what its manifest
 * promises for each file, for the corpus tests of the edge (workerd), the backend faces (Node) and the whole stack
 * (e2e). The files come in through Vite (`?inline` data URLs), so the same module serves workerd, which has no file
 * system.
 */
import manifest from '../fixtures/media/manifest.json';

/** A refusal: its status, the adapter's error code (the problem type's slug), where it is refused, and a detail. */
export interface Refusal {
  readonly status: 413 | 415 | 422;
  readonly code: string;
  /** `edge`: the edge face refuses it (and the backend face too, for direct clients); `backend`: only a decoder. */
  readonly at: 'edge' | 'backend';
  /** A part of the detail the refusal carries. */
  readonly detail: string;
}

export interface CorpusFile {
  readonly file: string;
  readonly modality: 'audio' | 'image' | 'video';
  /** The media type a client would declare for it. */
  readonly type: string;
  readonly tool: string;
  readonly what: string;
  readonly patched?: boolean;
  readonly expect: { readonly status: 200 } | Refusal;
  readonly bytes: Uint8Array;
}

const dataUrls = import.meta.glob<string>('../fixtures/media/*/*', {
  query: '?inline',
  import: 'default',
  eager: true,
});

function bytesOf(dataUrl: string): Uint8Array {
  return Uint8Array.from(atob(dataUrl.slice(dataUrl.indexOf(',') + 1)), (char) => char.charCodeAt(0));
}

/** Every file of the manifest with its bytes; throws when a listed file is missing or a file is not listed. */
export function mediaCorpus(): CorpusFile[] {
  const listed = new Set(manifest.files.map((entry) => `../fixtures/media/${entry.file}`));
  const unlisted = Object.keys(dataUrls).filter((path) => !listed.has(path));
  if (unlisted.length > 0) throw new Error(`files missing from manifest.json: ${unlisted.join(', ')}`);
  return manifest.files.map((entry) => {
    const dataUrl = dataUrls[`../fixtures/media/${entry.file}`];
    if (dataUrl === undefined) throw new Error(`manifest.json lists ${entry.file}, which is not there`);
    return { ...(entry as Omit<CorpusFile, 'bytes'>), bytes: bytesOf(dataUrl) };
  });
}

/** The refusal a file is promised, or undefined when it must be accepted. */
export function refusalOf(file: CorpusFile): Refusal | undefined {
  return file.expect.status === 200 ? undefined : (file.expect as Refusal);
}

/** One file of the corpus by its path in it (`audio/wav-cut-in-fmt.wav`), with what its manifest promises. */
export function corpusFile(path: string): CorpusFile {
  const file = mediaCorpus().find((entry) => entry.file === path);
  if (file === undefined) throw new Error(`the media corpus has no ${path}`);
  return file;
}

/** A corpus file as a JSON client sends it: a data URL of the type it would declare. */
export function dataUrlOf(file: CorpusFile): string {
  let binary = '';
  for (const byte of file.bytes) binary += String.fromCharCode(byte);
  return `data:${file.type};base64,${btoa(binary)}`;
}
