/**
 * @module
 * WAV as tools write it, made fit for mediabunny (container.ts) by {@link canonicalWav}. A writer streaming to a pipe
 * cannot seek back to fill in its sizes, so the data chunk keeps a placeholder — 0x7FFFF000 (sox, espeak-ng),
 * 0x7FFF0000 (GStreamer), 0x80000000 (arecord), 0xFFFFFFFF (ffmpeg), 0 (a header never patched) — and the RIFF size
 * with it. mediabunny clamps a size past the end, but stops at a RIFF size short of the file, reads no sample from a
 * data size of 0, and fails a whole file on a malformed LIST INFO or ID3 tag; so it is given a copy with the sizes
 * the bytes really have (the samples then run to the end of the file in whole frames, as sox and libsndfile read
 * them) and those metadata chunks renamed JUNK, which it skips like fact, cue , PEAK and unknown chunks. The chunk
 * walk ignores the RIFF size and honours the pad byte of odd-sized chunks. The one fmt field mediabunny trusts
 * unchecked, the block align, is checked here: a forged one would change the duration the edge holds to its limit.
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';

/** Every spelling of the WAV media type. */
export const wavMimeTypes = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'] as const;

const riffHeaderSize = 12;
/** Chunks mediabunny parses as metadata, which the embedding never needs. */
const metadataChunks = ['LIST', 'ID3 ', 'id3 '];
/** Format tags whose frames are channels × whole bytes: PCM, IEEE float, A-law, µ-law, extensible. */
const framedTags = [1, 3, 6, 7, 0xfffe];

interface WavLayout {
  /** Offset of the data chunk's size field, if there is a data chunk. */
  dataSizeAt?: number;
  /** What that size field says. */
  dataDeclared: number;
  /** Offsets of the metadata chunks. */
  readonly metadataAt: number[];
}

/** Whether the bytes start as a RIFF/WAVE (or RF64/WAVE, its 64-bit form) file does. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ['RIFF', 'RF64'].includes(fourCC(bytes, 0)) && fourCC(bytes, 8) === 'WAVE';
}

/** Refuses a fmt chunk whose block align is not channels × bytes per sample (where that is what it must be). */
function checkBlockAlign(view: DataView, body: number, size: number): void {
  if (size < 16 || body + 16 > view.byteLength) return;
  const [tag = 0, channels = 0, blockAlign, bits = 0] = [0, 2, 12, 14].map((at) =>
    view.getUint16(body + at, true),
  );
  const expected = channels * Math.ceil(bits / 8);
  if (framedTags.includes(tag) && expected > 0 && blockAlign !== expected) {
    throw new AdapterInputError(
      'malformed',
      `WAV block align is ${blockAlign} for ${channels} × ${bits} bits`,
    );
  }
}

/** Walks the chunk headers; a data chunk whose size is a placeholder runs to the end, so the walk stops there. */
function layoutOf(bytes: Uint8Array, view: DataView): WavLayout {
  const layout: WavLayout = { dataDeclared: 0, metadataAt: [] };
  for (let offset = riffHeaderSize; offset + 8 <= bytes.length;) {
    const id = fourCC(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') checkBlockAlign(view, offset + 8, size);
    if (metadataChunks.includes(id)) layout.metadataAt.push(offset);
    if (id === 'data' && layout.dataSizeAt === undefined) {
      Object.assign(layout, { dataSizeAt: offset + 4, dataDeclared: size });
      if (size === 0 || offset + 8 + size > bytes.length) break;
    }
    // Chunks are padded to an even size.
    offset += 8 + size + (size & 1);
  }
  return layout;
}

/**
 * The WAV as mediabunny can read it: the bytes themselves when their sizes are true and they carry no metadata
 * chunk, else a patched copy. RF64 keeps its sizes in `ds64`, which mediabunny reads itself; its data size is patched
 * only when it is 0. A file without a data chunk is returned for mediabunny to refuse; a block align that does not
 * fit the format is refused here as `malformed`.
 */
export function canonicalWav(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { dataSizeAt, dataDeclared, metadataAt } = layoutOf(bytes, view);
  const isRiff = fourCC(bytes, 0) === 'RIFF';
  const available = dataSizeAt === undefined ? 0 : bytes.length - (dataSizeAt + 4);
  const patchData = dataSizeAt !== undefined && (dataDeclared === 0 || (isRiff && dataDeclared > available));
  const patchRiff = isRiff && view.getUint32(4, true) !== bytes.length - 8;
  if (!patchData && !patchRiff && metadataAt.length === 0) return bytes;
  const copy = bytes.slice();
  const patched = new DataView(copy.buffer);
  if (patchRiff) patched.setUint32(4, bytes.length - 8, true);
  if (patchData && dataSizeAt !== undefined) patched.setUint32(dataSizeAt, available, true);
  for (const offset of metadataAt) copy.set([0x4a, 0x55, 0x4e, 0x4b], offset);
  return copy;
}
