/**
 * @module
 * The audio formats the adapter accepts, one entry each: how the magic bytes are recognised, which declared types
 * name them, how the rate, channels and duration are read without decoding, and the canonical bytes sent on (shared
 * by both faces, so the backend refuses what the edge refuses). WAV, WebM/Matroska and MP4 are read by mediabunny
 * (container.ts); FLAC, MP3 and Ogg Opus by their header readers.
 */
import { fourCC, startsWith } from '../shared/bytes.ts';
import { containerFacts, type ContainerKind } from './container.ts';
import { isFlac, parseFlac } from './flac.ts';
import { isMp3, parseMp3 } from './mp3.ts';
import { isOgg, parseOggOpus } from './ogg.ts';
import type { StreamInfo } from './stream-info.ts';
import { isWav, wavMimeTypes, canonicalWav } from './wav.ts';

export interface AudioFacts {
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationSeconds: number;
}

export interface AudioFormat {
  readonly name: ContainerKind | StreamInfo['format'];
  readonly mimeType: string;
  readonly declaredTypes: readonly string[];
  matches(bytes: Uint8Array): boolean;
  /** What is sent on: the bytes themselves, or a WAV with its placeholder sizes made true. */
  canonical(bytes: Uint8Array): Uint8Array;
  /** Header facts of the canonical bytes; throws AdapterInputError for broken or unsupported headers. */
  read(bytes: Uint8Array): AudioFacts | Promise<AudioFacts>;
}

/** The EBML magic that starts every Matroska and WebM file. */
const ebmlMagic = [0x1a, 0x45, 0xdf, 0xa3];
/** ISO BMFF (MP4, M4A, MOV) starts with a box whose type is `ftyp`. */
const isIsoBmff = (bytes: Uint8Array) => bytes.length >= 12 && fourCC(bytes, 4) === 'ftyp';
const asIs = (bytes: Uint8Array) => bytes;

export const audioFormats: readonly AudioFormat[] = [
  {
    name: 'wav',
    mimeType: 'audio/wav',
    declaredTypes: wavMimeTypes,
    matches: isWav,
    canonical: canonicalWav,
    read: (bytes) => containerFacts(bytes, 'wav'),
  },
  {
    name: 'webm',
    mimeType: 'audio/webm',
    declaredTypes: ['audio/webm', 'video/webm', 'audio/x-matroska', 'video/x-matroska', 'audio/matroska'],
    matches: (bytes) => startsWith(bytes, ebmlMagic),
    canonical: asIs,
    read: (bytes) => containerFacts(bytes, 'webm'),
  },
  {
    name: 'mp4',
    mimeType: 'audio/mp4',
    declaredTypes: ['audio/mp4', 'video/mp4', 'audio/x-m4a', 'audio/m4a', 'video/quicktime'],
    matches: isIsoBmff,
    canonical: asIs,
    read: (bytes) => containerFacts(bytes, 'mp4'),
  },
  {
    name: 'flac',
    mimeType: 'audio/flac',
    declaredTypes: ['audio/flac', 'audio/x-flac'],
    matches: isFlac,
    canonical: asIs,
    read: parseFlac,
  },
  {
    name: 'opus',
    mimeType: 'audio/ogg',
    declaredTypes: ['audio/ogg', 'audio/opus', 'application/ogg'],
    matches: isOgg,
    canonical: asIs,
    read: parseOggOpus,
  },
  {
    name: 'mp3',
    mimeType: 'audio/mpeg',
    declaredTypes: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'],
    matches: isMp3,
    canonical: asIs,
    read: parseMp3,
  },
];

export const audioMimeTypes = audioFormats.map((format) => format.mimeType);
export const supportedAudio =
  'WAV (PCM, float, µ-law, A-law), FLAC, MP3, Ogg Opus, WebM/Matroska or MP4 with Opus or PCM';

export function formatOf(bytes: Uint8Array): AudioFormat | undefined {
  return audioFormats.find((format) => format.matches(bytes));
}
