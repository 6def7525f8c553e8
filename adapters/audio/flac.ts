/**
 * @module
 * FLAC at the edge: the `fLaC` marker and the STREAMINFO block, which gives the sample rate, channels and total
 * sample count, hence the duration, without decoding. A stream whose STREAMINFO leaves the count unknown (0, as
 * some live encoders write) is refused: its duration could only be found by decoding it.
 */
import { AdapterInputError } from '../errors.ts';
import { startsWith } from '../shared/bytes.ts';
import type { StreamInfo } from './stream-info.ts';

const marker = [0x66, 0x4c, 0x61, 0x43];

export function isFlac(bytes: Uint8Array): boolean {
  return startsWith(bytes, marker);
}

export function parseFlac(bytes: Uint8Array): StreamInfo {
  // Marker (4), block header (4: type 0 = STREAMINFO, length 34), then the 34-byte body.
  if (bytes.length < 42 || (bytes[4] ?? 0) % 128 !== 0) {
    throw new AdapterInputError('malformed', 'FLAC has no STREAMINFO block first');
  }
  const b = (at: number) => bytes[at] ?? 0;
  const sampleRate = (b(18) << 12) | (b(19) << 4) | (b(20) >> 4);
  const channels = ((b(20) >> 1) & 7) + 1;
  const frames = (b(21) & 0x0f) * 2 ** 32 + new DataView(bytes.buffer, bytes.byteOffset + 22, 4).getUint32(0);
  if (sampleRate === 0) throw new AdapterInputError('malformed', 'FLAC STREAMINFO gives a sample rate of 0');
  if (frames === 0) {
    throw new AdapterInputError(
      'malformed',
      'FLAC STREAMINFO does not give the total sample count, so its duration cannot be checked',
    );
  }
  return { format: 'flac', sampleRate, channels, durationSeconds: frames / sampleRate };
}
