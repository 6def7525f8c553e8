/**
 * @module
 * A small bounded WAV (RIFF/WAVE) reader shared by the audio adapter's two faces, so that the edge and the backend
 * accept exactly the same files: it walks the chunk headers (skipping LIST and the like) to `fmt ` and `data`, never
 * reading the samples, and refuses what is not PCM (8, 16, 24 or 32-bit) or IEEE float (32 or 64-bit), 1–32 channels,
 * 8–192 kHz, with WAVE_FORMAT_EXTENSIBLE read through its sub-format. The backend then reads the samples with
 * {@link readMono}; a general decoder would accept formats the edge refuses.
 */
import { AdapterInputError } from '../errors.ts';
import { fourCC } from '../shared/bytes.ts';

/** Every spelling of the WAV media type. */
export const wavMimeTypes = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'] as const;

const pcm = 1;
const float = 3;
/** Sample widths in bits each encoding supports. */
const supportedBits: Readonly<Record<number, readonly number[]>> = {
  [pcm]: [8, 16, 24, 32],
  [float]: [32, 64],
};
const maxChannels = 32;
/** WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the sub-format GUID. */
const extensible = 0xfffe;
const formatNames: Readonly<Record<number, string>> = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'µ-law' };
export const supportedWav = 'WAV PCM 8/16/24/32-bit or float 32/64-bit, 1–32 channels, 8–192 kHz';

export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  /** Sample frames (one sample per channel each) present in the data chunk. */
  readonly frames: number;
  /** Where the interleaved little-endian samples start. */
  readonly dataOffset: number;
  readonly encoding: 'pcm' | 'float';
  readonly bitsPerSample: number;
}

interface WavFormat {
  readonly tag: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly blockAlign: number;
  readonly bitsPerSample: number;
}

function malformed(message: string): AdapterInputError {
  return new AdapterInputError('malformed', `WAV ${message}`);
}

function readFormat(view: DataView, offset: number, size: number): WavFormat {
  if (size < 16) throw malformed(`fmt chunk is ${size} bytes, it needs 16`);
  const tag = view.getUint16(offset, true);
  return {
    tag: tag === extensible && size >= 26 ? view.getUint16(offset + 24, true) : tag,
    channels: view.getUint16(offset + 2, true),
    sampleRate: view.getUint32(offset + 4, true),
    blockAlign: view.getUint16(offset + 12, true),
    bitsPerSample: view.getUint16(offset + 14, true),
  };
}

/** Why the format is not supported, or undefined when it is. */
function unsupportedReason({ tag, bitsPerSample, channels, sampleRate }: WavFormat): string | undefined {
  if (!supportedBits[tag]?.includes(bitsPerSample)) {
    return `${bitsPerSample}-bit ${formatNames[tag] ?? `format 0x${tag.toString(16).padStart(4, '0')}`}`;
  }
  if (channels < 1 || channels > maxChannels) return `${channels} channels`;
  if (sampleRate < 8000 || sampleRate > 192_000) return `${sampleRate} Hz`;
  return undefined;
}

function assertSupported(format: WavFormat): void {
  const reason = unsupportedReason(format);
  if (reason !== undefined) {
    throw new AdapterInputError('unsupported-type', `WAV is ${reason}; supported: ${supportedWav}`, {
      found: reason,
    });
  }
  if (format.blockAlign !== (format.channels * format.bitsPerSample) / 8) {
    throw malformed(`block align is ${format.blockAlign} for ${format.channels} channels`);
  }
}

/** Walks the chunks after the RIFF header; `fmt ` must come before `data`, as the format requires. */
function findChunks(bytes: Uint8Array): { format: WavFormat; dataOffset: number; dataSize: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: WavFormat | undefined;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = fourCC(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'data') {
      if (!format) throw malformed('has its data chunk before its fmt chunk');
      if (body + size > bytes.length) throw malformed(`is truncated: data chunk declares ${size} bytes`);
      return { format, dataOffset: body, dataSize: size };
    }
    if (body + size > bytes.length) throw malformed(`is truncated inside its ${id.trim()} chunk`);
    if (id === 'fmt ') format = readFormat(view, body, size);
    // Chunks are padded to an even size.
    offset = body + size + (size & 1);
  }
  throw malformed(format ? 'has no data chunk' : 'has no fmt chunk');
}

/** Whether the bytes start as a RIFF/WAVE file does. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourCC(bytes, 0) === 'RIFF' && fourCC(bytes, 8) === 'WAVE';
}

/** Parses and checks the header of a WAV file. Throws AdapterInputError; reads no sample. */
export function parseWav(bytes: Uint8Array): WavInfo {
  if (!isWav(bytes)) {
    throw new AdapterInputError(
      'unsupported-type',
      `audio is not a WAV (RIFF/WAVE) file; supported: ${supportedWav}`,
    );
  }
  const { format, dataOffset, dataSize } = findChunks(bytes);
  assertSupported(format);
  // A trailing partial frame is ignored, as players do.
  const frames = Math.floor(dataSize / format.blockAlign);
  if (frames === 0) throw new AdapterInputError('empty', 'WAV has no samples');
  return {
    sampleRate: format.sampleRate,
    channels: format.channels,
    frames,
    dataOffset,
    encoding: format.tag === float ? 'float' : 'pcm',
    bitsPerSample: format.bitsPerSample,
  };
}

/** Reads sample `index` at int16 scale (±32768), whatever the encoding. */
function sampleReader(view: DataView, { encoding, bitsPerSample }: WavInfo): (index: number) => number {
  if (encoding === 'float') {
    return bitsPerSample === 32
      ? (index) => view.getFloat32(index * 4, true) * 32768
      : (index) => view.getFloat64(index * 8, true) * 32768;
  }
  switch (bitsPerSample) {
    case 8:
      // 8-bit WAV is unsigned, centred on 128.
      return (index) => (view.getUint8(index) - 128) * 256;
    case 16:
      return (index) => view.getInt16(index * 2, true);
    case 24:
      return (index) =>
        ((view.getUint8(index * 3 + 2) << 24) | (view.getUint16(index * 3, true) << 8)) / 65536;
    default:
      return (index) => view.getInt32(index * 4, true) / 65536;
  }
}

/** The samples mixed down to mono by averaging the channels, at int16 scale (±32768). */
export function readMono(bytes: Uint8Array, info: WavInfo): Float32Array {
  const { channels, frames, dataOffset, bitsPerSample } = info;
  const view = new DataView(
    bytes.buffer,
    bytes.byteOffset + dataOffset,
    (frames * channels * bitsPerSample) / 8,
  );
  const read = sampleReader(view, info);
  const mono = new Float32Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += read(frame * channels + channel);
    mono[frame] = sum / channels;
  }
  return mono;
}
