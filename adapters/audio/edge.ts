/**
 * @module
 * The audio adapter's edge face: WAV (PCM 8/16/24/32-bit, float, 1–32 channels, 8–192 kHz), recognised by its RIFF
 * header, checked by a bounded chunk walk that reads no sample, and held to a duration limit. The canonical bytes are
 * the original file: decoding, mixing down and resampling happen on the backend.
 */
import { AdapterInputError } from '../errors.ts';
import { assertDeclaredType, assertMaxBytes, requireBytes } from '../shared/bytes.ts';
import { sniffMimeType } from '../shared/sniff.ts';
import { defineAdapter, type CanonicalInput, type RawInput } from '../types.ts';
import { audioLimits, checkedDuration } from './limits.ts';
import { isWav, parseWav, supportedWav, wavMimeTypes } from './wav.ts';

async function normalize(input: RawInput): Promise<CanonicalInput> {
  const { bytes, declaredType } = requireBytes(input, 'audio');
  assertMaxBytes(bytes.length, audioLimits.maxBytes);
  if (bytes.length === 0) throw new AdapterInputError('empty', 'audio is empty');
  if (!isWav(bytes)) {
    const sniffed = await sniffMimeType(bytes);
    throw new AdapterInputError(
      'unsupported-type',
      `audio bytes are ${sniffed ?? 'of an unknown type'}; supported: ${supportedWav}`,
      { found: sniffed ?? 'unknown' },
    );
  }
  assertDeclaredType(declaredType, wavMimeTypes, 'audio/wav');
  const info = parseWav(bytes);
  const durationSeconds = checkedDuration(info);
  const { sampleRate, channels } = info;
  return { modality: 'audio', bytes, mimeType: 'audio/wav', meta: { sampleRate, channels, durationSeconds } };
}

export const audio = defineAdapter({
  modality: 'audio',
  defaultModel: 'speech-embedding',
  mimeTypes: ['audio/wav'],
  jsonForms: ['dataUrl', 'base64', 'url'],
  limits: audioLimits,
  normalize,
});
