/**
 * @module
 * Decoding on the backend, to mono samples at int16 scale (±32768): WAV by the bounded reader of wav.ts, FLAC, MP3
 * and Ogg Opus by the maintained WASM decoders (`@wasm-audio-decoders/flac`, `mpg123-decoder`, `ogg-opus-decoder`).
 * Compressed files are fed in chunks and decoding stops as soon as the samples pass the duration limit, so a header
 * that understates the length (a VBR MP3 without Xing, a forged granule) cannot make the backend decode hours of
 * audio into memory.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AdapterInputError } from '../errors.ts';
import { formatOf, supportedAudio } from './formats.ts';
import { audioLimits, checkedDuration, checkedSeconds } from './limits.ts';
import { parseWav, readMono } from './wav.ts';

export interface DecodedAudio {
  readonly sampleRate: number;
  /** Mono, at int16 scale. */
  readonly samples: Float32Array;
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

interface ChunkDecoder {
  readonly ready: Promise<void>;
  decode(chunk: Uint8Array): Decoded | Promise<Decoded>;
  /** Decodes what the decoder still buffers (FLAC and Opus hold back the last frames). */
  flush?: () => Promise<Decoded>;
  free(): void;
}

const chunkBytes = 16 * 1024;

const decoders: Readonly<Record<'flac' | 'mp3' | 'opus', () => ChunkDecoder>> = {
  flac: () => new FLACDecoder(),
  mp3: () => new MPEGDecoder(),
  opus: () => new OggOpusDecoder(),
};

/** Averages the channels of one decoded block into int16-scale mono. */
function mixDown({ channelData, samplesDecoded }: Decoded): Float32Array {
  const mono = new Float32Array(samplesDecoded);
  for (const channel of channelData) {
    for (let i = 0; i < samplesDecoded; i++)
      mono[i] = (mono[i] ?? 0) + ((channel[i] ?? 0) * 32768) / channelData.length;
  }
  return mono;
}

async function decodeCompressed(bytes: Uint8Array, name: keyof typeof decoders): Promise<DecodedAudio> {
  const decoder = decoders[name]();
  try {
    await decoder.ready;
    const blocks: Float32Array[] = [];
    let total = 0;
    let sampleRate = 0;
    const chunks = Math.ceil(bytes.length / chunkBytes);
    for (let index = 0; index <= chunks; index++) {
      const block =
        index < chunks
          ? await decoder.decode(bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes))
          : await decoder.flush?.();
      if (!block || block.samplesDecoded === 0) continue;
      sampleRate = block.sampleRate;
      blocks.push(mixDown(block));
      total += block.samplesDecoded;
      checkedSeconds(total / sampleRate);
    }
    if (total === 0) throw new AdapterInputError('malformed', `the ${name} stream decoded to no samples`);
    const samples = new Float32Array(total);
    let offset = 0;
    for (const block of blocks) {
      samples.set(block, offset);
      offset += block.length;
    }
    return { sampleRate, samples };
  } finally {
    decoder.free();
  }
}

/** Decodes any accepted format; the header checks of the edge are repeated first, for direct clients. */
export async function decodeAudio(bytes: Uint8Array): Promise<DecodedAudio> {
  if (bytes.length > audioLimits.maxBytes) {
    throw new AdapterInputError('too-large', `audio is over ${audioLimits.maxBytes} bytes`);
  }
  const format = formatOf(bytes);
  if (!format) throw new AdapterInputError('unsupported-type', `audio is not one of ${supportedAudio}`);
  if (format.name === 'wav') {
    const wav = parseWav(bytes);
    checkedDuration(wav);
    return { sampleRate: wav.sampleRate, samples: readMono(bytes, wav) };
  }
  checkedSeconds(format.read(bytes).durationSeconds);
  return decodeCompressed(bytes, format.name);
}
