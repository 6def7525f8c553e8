/**
 * @module
 * The audio adapter's edge face: WAV (PCM 8/16/24/32-bit, float, 1–32 channels, 8–192 kHz), FLAC, MP3 and Ogg
 * Opus, recognised by their magic bytes, and held to the duration limit from their headers alone (see formats.ts)
 * — nothing is decoded at the edge. The canonical bytes are
 * the original file: decoding, mixing down and resampling happen on the backend.
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes, requireBytes } from '../shared/bytes.ts';
import { sniffMimeType } from '../shared/sniff.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { audioMimeTypes, formatOf, supportedAudio } from './formats.ts';
import { audioLimits, checkedSeconds } from './limits.ts';
import { supportedWav } from './wav.ts';

async function normalize(input: RawInput): Promise<CanonicalInput> {
  const { bytes, declaredType } = requireBytes(input, 'audio');
  assertMaxBytes(bytes.length, audioLimits.maxBytes);
  if (bytes.length === 0) throw new AdapterInputError('empty', 'audio is empty');
  const format = formatOf(bytes);
  if (!format) {
    const sniffed = await sniffMimeType(bytes);
    throw new AdapterInputError(
      'unsupported-type',
      `audio bytes are ${sniffed ?? 'of an unknown type'}; supported: ${supportedAudio} (${supportedWav})`,
      { found: sniffed ?? 'unknown' },
    );
  }
  assertDeclaredType(declaredType, format.declaredTypes, format.mimeType);
  const { sampleRate, channels, durationSeconds } = format.read(bytes);
  checkedSeconds(durationSeconds);
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
