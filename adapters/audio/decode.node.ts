/**
 * @module
 * Decoding on the backend, to mono samples at int16 scale (±32768): WAV, WebM/Matroska and MP4 by mediabunny (PCM
 * itself, Opus through opus.node.ts), FLAC, MP3 and Ogg Opus by the maintained WASM decoders
 * (`@wasm-audio-decoders/flac`, `mpg123-decoder`, `ogg-opus-decoder`). Decoding stops as soon as the samples pass
 * the duration limit, so a header that understates the length (a VBR MP3 without Xing, a forged granule or
 * timestamp) cannot make the backend decode hours of audio into memory.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { AudioSampleSink, type AudioSample } from 'mediabunny';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AdapterInputError, isAdapterInputError } from '../errors.ts';
import { openContainer, type ContainerKind } from './container.ts';
import { formatOf, supportedAudio } from './formats.ts';
import { audioLimits, checkedFacts, checkedSeconds } from './limits.ts';
import './opus.node.ts';

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

/**
 * Small, because what one chunk decodes to is only checked after it: silent FLAC frames take a few bytes for up to
 * 65 535 samples a channel, so a 16 KiB chunk of a stream whose STREAMINFO lies could decode to a gigabyte.
 */
const chunkBytes = 2 * 1024;

const decoders: Readonly<Record<'flac' | 'mp3' | 'opus', () => ChunkDecoder>> = {
  flac: () => new FLACDecoder(),
  mp3: () => new MPEGDecoder(),
  opus: () => new OggOpusDecoder(),
};

/** Mono blocks gathered in order, held to the duration limit as they come. */
class MonoCollector {
  private readonly blocks: Float32Array[] = [];
  private total = 0;
  private decodedSamples = 0;
  private sampleRate = 0;

  /** `channels`: how many the block was mixed down from, counted against the decoded-samples limit. */
  add(block: Float32Array, sampleRate: number, channels: number): void {
    this.blocks.push(block);
    this.total += block.length;
    this.decodedSamples += block.length * channels;
    this.sampleRate = sampleRate;
    checkedSeconds(this.total / sampleRate);
    if (this.decodedSamples > audioLimits.maxDecodedSamples) {
      throw new AdapterInputError(
        'over-limit',
        `audio decodes to more than ${audioLimits.maxDecodedSamples} samples (frames × channels), the limit`,
        { limit: audioLimits.maxDecodedSamples, value: this.decodedSamples },
      );
    }
  }

  result(what: string): DecodedAudio {
    if (this.total === 0) throw new AdapterInputError('malformed', `the ${what} decoded to no samples`);
    const samples = new Float32Array(this.total);
    let offset = 0;
    for (const block of this.blocks) {
      samples.set(block, offset);
      offset += block.length;
    }
    return { sampleRate: this.sampleRate, samples };
  }
}

/** Averages planar channels into int16-scale mono. */
function averaged(channels: readonly Float32Array[], frames: number): Float32Array {
  const mono = new Float32Array(frames);
  for (const channel of channels) {
    for (let i = 0; i < frames; i++) mono[i] = (mono[i] ?? 0) + ((channel[i] ?? 0) * 32768) / channels.length;
  }
  return mono;
}

function monoOfSample(sample: AudioSample): Float32Array {
  const planes = Array.from({ length: sample.numberOfChannels }, (_, planeIndex) => {
    const plane = new Float32Array(sample.numberOfFrames);
    sample.copyTo(plane, { planeIndex, format: 'f32-planar' });
    return plane;
  });
  return averaged(planes, sample.numberOfFrames);
}

async function decodeContainer(bytes: Uint8Array, kind: ContainerKind): Promise<DecodedAudio> {
  const { input, track, sampleRate, channels, durationSeconds } = await openContainer(bytes, kind);
  try {
    checkedFacts({ sampleRate, channels, durationSeconds });
    const collector = new MonoCollector();
    for await (const sample of new AudioSampleSink(track).samples()) {
      try {
        collector.add(monoOfSample(sample), sample.sampleRate, sample.numberOfChannels);
      } finally {
        sample.close();
      }
    }
    return collector.result(`${kind} audio`);
  } catch (error) {
    if (isAdapterInputError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdapterInputError('malformed', `the ${kind} audio could not be decoded: ${reason}`);
  } finally {
    input.dispose();
  }
}

async function decodeCompressed(bytes: Uint8Array, name: keyof typeof decoders): Promise<DecodedAudio> {
  const decoder = decoders[name]();
  try {
    await decoder.ready;
    const collector = new MonoCollector();
    const chunks = Math.ceil(bytes.length / chunkBytes);
    for (let index = 0; index <= chunks; index++) {
      const block =
        index < chunks
          ? await decoder.decode(bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes))
          : await decoder.flush?.();
      if (block && block.samplesDecoded > 0) {
        collector.add(
          averaged(block.channelData, block.samplesDecoded),
          block.sampleRate,
          block.channelData.length,
        );
      }
    }
    return collector.result(`${name} stream`);
  } catch (error) {
    // The WASM decoders and their parser throw plain errors (a RangeError past a cut-short page): the client's bytes.
    if (isAdapterInputError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdapterInputError('malformed', `the ${name} stream could not be decoded: ${reason}`);
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
  const canonical = format.canonical(bytes);
  if (format.name === 'wav' || format.name === 'webm' || format.name === 'mp4') {
    return decodeContainer(canonical, format.name);
  }
  // Every header limit before any decoder runs: the decoded size is known from the headers alone.
  checkedFacts(await format.read(canonical));
  return decodeCompressed(canonical, format.name);
}
