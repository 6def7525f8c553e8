/**
 * @module
 * The audio adapter's edge face: WAV (PCM, float, µ-law, A-law — placeholder sizes of streaming writers read to the
 * end of the file), FLAC, MP3, Ogg Opus, and WebM/Matroska or MP4 carrying Opus or PCM (MediaRecorder's output),
 * recognised by their magic bytes and held to the rate, channel, duration and decoded-size limits from their headers alone (see formats.ts) — nothing
 * is decoded at the edge. The canonical bytes are the original file (a WAV with its sizes made true): decoding,
 * mixing down and resampling happen on the backend.
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes, requireBytes } from '../shared/bytes.ts';
import { sniffMimeType } from '../shared/sniff.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { audioMimeTypes, formatOf, supportedAudio } from './formats.ts';
import { audioLimits, checkedFacts } from './limits.ts';

async function normalize(input: RawInput): Promise<CanonicalInput> {
  const { bytes: raw, declaredType } = requireBytes(input, 'audio');
  assertMaxBytes(raw.length, audioLimits.maxBytes);
  if (raw.length === 0) throw new AdapterInputError('empty', 'audio is empty');
  const format = formatOf(raw);
  if (!format) {
    const sniffed = await sniffMimeType(raw);
    throw new AdapterInputError(
      'unsupported-type',
      `audio bytes are ${sniffed ?? 'of an unknown type'}; supported: ${supportedAudio}`,
      { found: sniffed ?? 'unknown' },
    );
  }
  assertDeclaredType(declaredType, format.declaredTypes, format.mimeType);
  const bytes = format.canonical(raw);
  const { sampleRate, channels, durationSeconds } = checkedFacts(await format.read(bytes));
  return {
    modality: 'audio',
    bytes,
    mimeType: format.mimeType,
    meta: { sampleRate, channels, durationSeconds },
  };
}

export const audio = defineAdapter({
  modality: 'audio',
  defaultModel: 'speech-embedding',
  mimeTypes: audioMimeTypes,
  jsonForms: ['dataUrl', 'base64', 'url'],
  limits: audioLimits,
  normalize,
});
