/**
 * @module
 * The audio formats the adapter accepts, one entry each: how the magic bytes are recognised, which declared types
 * name them, and how the rate, channels and duration are read from the headers without decoding (shared by both
 * faces, so the backend refuses what the edge refuses).
 */
import { isFlac, parseFlac } from './flac.ts';
import { isMp3, parseMp3 } from './mp3.ts';
import { isOgg, parseOggOpus } from './ogg.ts';
import type { StreamInfo } from './stream-info.ts';
import { isWav, parseWav, wavMimeTypes } from './wav.ts';

export interface AudioFormat {
  readonly name: 'wav' | StreamInfo['format'];
  readonly mimeType: string;
  readonly declaredTypes: readonly string[];
  matches(bytes: Uint8Array): boolean;
  /** Header facts; throws AdapterInputError for broken or unsupported headers. */
  read(bytes: Uint8Array): { sampleRate: number; channels: number; durationSeconds: number };
}

function readWav(bytes: Uint8Array): { sampleRate: number; channels: number; durationSeconds: number } {
  const { sampleRate, channels, frames } = parseWav(bytes);
  return { sampleRate, channels, durationSeconds: frames / sampleRate };
}

export const audioFormats: readonly AudioFormat[] = [
  { name: 'wav', mimeType: 'audio/wav', declaredTypes: wavMimeTypes, matches: isWav, read: readWav },
  {
    name: 'flac',
    mimeType: 'audio/flac',
    declaredTypes: ['audio/flac', 'audio/x-flac'],
    matches: isFlac,
    read: parseFlac,
  },
  {
    name: 'opus',
    mimeType: 'audio/ogg',
    declaredTypes: ['audio/ogg', 'audio/opus', 'application/ogg'],
    matches: isOgg,
    read: parseOggOpus,
  },
  {
    name: 'mp3',
    mimeType: 'audio/mpeg',
    declaredTypes: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3'],
    matches: isMp3,
    read: parseMp3,
  },
];

export const audioMimeTypes = audioFormats.map((format) => format.mimeType);
export const supportedAudio = 'WAV, FLAC, MP3, Ogg Opus';

export function formatOf(bytes: Uint8Array): AudioFormat | undefined {
  return audioFormats.find((format) => format.matches(bytes));
}
